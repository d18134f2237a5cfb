import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bytesReader } from '../src/engine/drivers/bytes-reader.js';
import type { Workspace } from '../src/engine/drivers/workspace.js';
import type { Engine } from '../src/engine/engine.js';
import { concatBytes } from '../src/engine/format/concat-bytes.js';
import { readArchive } from '../src/engine/image-archive/archive-tar.js';
import { isOciLayoutPath } from '../src/engine/image-archive/oci-layout-dir.js';
import { FsWorkspace } from '../sandbox-server/linux/fs-workspace.js';

export const EXPORT_OCI_USAGE = `Usage: layerlab export-oci --image REF --out DIR [--backend sim|linux] [--context DIR]

Runs \`docker …\` commands from stdin (as exec does, e.g. a build), then writes image REF
as an OCI image layout directory (oci-layout, index.json, blobs/sha256/…) at DIR, for
umoci, skopeo (oci:DIR) or \`docker load\` into another Layerlab.
`;

/** Where `docker save` writes inside the engine: kept in memory, never on disk. */
const CAPTURE = '.layerlab-export-oci.tar';

/** The context directory, except that the save this command runs lands in memory. */
export class CaptureWorkspace implements Workspace {
  captured: Uint8Array | undefined;
  constructor(private readonly inner: Workspace) {}
  read(path: string) {
    return path === CAPTURE ? Promise.resolve(this.captured) : this.inner.read(path);
  }
  async open(path: string) {
    if (path !== CAPTURE) return this.inner.open(path);
    return this.captured && bytesReader(this.captured);
  }
  async write(path: string, bytes: Uint8Array) {
    if (path === CAPTURE) this.captured = bytes;
    else await this.inner.write(path, bytes);
  }
  async writeStream(path: string, chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) {
    if (path !== CAPTURE) return this.inner.writeStream(path, chunks);
    const parts: Uint8Array[] = [];
    for await (const c of chunks) parts.push(c);
    this.captured = concatBytes(parts);
  }
  list(dir?: string) {
    return this.inner.list(dir);
  }
}

export interface ExportOciDeps {
  openEngine(backend: 'sim' | 'linux', workspace: Workspace): Promise<Engine>;
  readStdin(): Promise<string>;
}

/** `layerlab export-oci …`; returns the exit code. */
export async function exportOci(argv: string[], deps: ExportOciDeps): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        image: { type: 'string' },
        out: { type: 'string' },
        backend: { type: 'string', default: 'sim' },
        context: { type: 'string', default: '.' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`layerlab: ${(err as Error).message}\n\n${EXPORT_OCI_USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(EXPORT_OCI_USAGE);
    return 0;
  }
  if (!values.image || !values.out || (values.backend !== 'sim' && values.backend !== 'linux')) {
    process.stderr.write(`layerlab: export-oci needs --image and --out, and --backend sim or linux\n\n${EXPORT_OCI_USAGE}`);
    return 2;
  }
  const workspace = new CaptureWorkspace(new FsWorkspace(values.context));
  let engine: Engine;
  try {
    engine = await deps.openEngine(values.backend, workspace);
  } catch (err) {
    process.stderr.write(`layerlab: cannot start the ${values.backend} backend: ${(err as Error).message}\n`);
    return 1;
  }
  try {
    const lines = (await deps.readStdin())
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'));
    const env = { ...process.env } as Record<string, string>;
    for (const command of lines) {
      // The commands' own output goes to stderr: stdout is this command's result.
      const r = await engine.exec(command, { stdout: (t) => process.stderr.write(t), stderr: (t) => process.stderr.write(t), env });
      if (r.exitCode !== 0) return r.exitCode;
    }
    const saved = await engine.exec(`docker save -o ${CAPTURE} ${values.image}`, { stderr: (t) => process.stderr.write(t) });
    if (saved.exitCode !== 0 || !workspace.captured) return saved.exitCode || 1;
    const archive = readArchive(workspace.captured);
    const out = resolve(values.out);
    for (const path of archive.paths) {
      if (!isOciLayoutPath(path)) continue;
      await mkdir(dirname(join(out, path)), { recursive: true });
      await writeFile(join(out, path), (await archive.read(path))!);
    }
    process.stdout.write(`${out}\n`);
    return 0;
  } finally {
    await engine.dispose();
  }
}

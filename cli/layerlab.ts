import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { Engine } from '../src/engine/engine.js';
import type { Workspace } from '../src/engine/drivers/workspace.js';
import { exportOci } from './export-oci.js';
import { FsWorkspace } from '../sandbox-server/linux/fs-workspace.js';

const USAGE = `Usage: layerlab exec [--backend sim|linux] [--json] [--context DIR]
       layerlab export-oci --image REF --out DIR [--backend sim|linux] [--context DIR]

Runs \`docker …\` commands, one a line from stdin, in one fresh Layerlab engine.
Blank lines and lines starting with # are skipped.

Options:
  --backend sim|linux  the simulator (default) or real containers (Linux, root)
  --json               print {"results":[{command,stdout,stderr,exitCode}],"state":…}
  --context DIR        the build context / workspace directory (default: .)
  -h, --help           this help
`;

/** `npx layerlab …`; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    process.stdout.write(USAGE);
    return 0;
  }
  if (argv[0] === 'export-oci') {
    return exportOci(argv.slice(1), { openEngine: (backend, ws) => (backend === 'sim' ? simEngine(ws) : linuxEngine(ws)), readStdin });
  }
  if (argv[0] !== 'exec') {
    process.stderr.write(argv.length ? `layerlab: unknown command '${argv[0]}'\n\n${USAGE}` : USAGE);
    return 2;
  }
  let values;
  try {
    ({ values } = parseArgs({
      args: argv.slice(1),
      options: {
        backend: { type: 'string', default: 'sim' },
        json: { type: 'boolean', default: false },
        context: { type: 'string', default: '.' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    process.stderr.write(`layerlab: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (values.backend !== 'sim' && values.backend !== 'linux') {
    process.stderr.write(`layerlab: --backend must be sim or linux, not '${values.backend}'\n\n${USAGE}`);
    return 2;
  }
  const workspace = new FsWorkspace(values.context);
  let engine: Engine;
  try {
    engine = values.backend === 'sim' ? await simEngine(workspace) : await linuxEngine(workspace);
  } catch (err) {
    process.stderr.write(`layerlab: cannot start the ${values.backend} backend: ${(err as Error).message}\n`);
    return 1;
  }
  const input = await readStdin();
  const lines = input
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const results: { command: string; stdout: string; stderr: string; exitCode: number }[] = [];
  let last = 0;
  try {
    for (const command of lines) {
      const r = await engine.exec(
        command,
        values.json
          ? {}
          : { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t), env: { ...process.env } as Record<string, string> },
      );
      results.push({ command, ...r });
      last = r.exitCode;
    }
    if (values.json) process.stdout.write(`${JSON.stringify({ results, state: await engine.state() }, null, 2)}\n`);
  } finally {
    await engine.dispose();
  }
  return values.json ? 0 : last;
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  return readFile('/dev/stdin', 'utf8').catch(async () => {
    const chunks: Buffer[] = [];
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  });
}

async function simEngine(workspace: Workspace): Promise<Engine> {
  const { createSimEngine } = await import('../src/sim/create-sim-engine.js');
  return createSimEngine({ workspace });
}

/** Real containers: the sandbox server's Linux engine on a throwaway state dir. */
async function linuxEngine(workspace: Workspace): Promise<Engine> {
  // Loaded only when asked for: the simulator needs none of it.
  const { openLinuxEngines } = await import('../sandbox-server/sessions/linux-engine-factory.js');
  const { mkdtemp, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const stateDir = process.env.LAYERLAB_STATE_DIR ?? join(tmpdir(), 'layerlab-cli');
  const engines = await openLinuxEngines(stateDir).catch((err: Error) => {
    throw new Error(`the Linux backend is not available here (${err.message})`);
  });
  const root = await mkdtemp(join(stateDir, 'session-'));
  const engine = await engines.open(root, workspace);
  // The session's snapshots and blobs are this run's alone: gone when it ends.
  return {
    exec: (line, opts) => engine.exec(line, opts),
    state: () => engine.state(),
    subscribe: (listener) => engine.subscribe(listener),
    async dispose() {
      await engine.dispose();
      await rm(root, { recursive: true, force: true });
    },
  };
}

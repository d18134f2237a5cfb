import { readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import { cgroupDirs, sessionCgroupPath } from './cgroups.js';
import { processStartTime, type Resource } from './cleanup.js';
import { runCommand } from './command.js';
import { isNotFound } from './fs-content-store.js';
import { mountPoints } from './mount.js';
import { ociRuntimePaths } from './oci-runtime.js';
import { registryPaths } from './registry-config.js';

export interface LeftoverScanOptions {
  /** The server's state dir: every session's containers live below `<stateDir>/sessions`. */
  stateDir: string;
  /** The OCI runtime binary, to ask its state roots what containers exist (none asked when unknown). */
  runtime?: string;
  /** PIDs never to kill (the server itself and its ancestors are always spared). */
  spare?: readonly number[];
}

/**
 * What a crashed run left, found by looking at what exists rather than at the journal
 * (whose last record a crash may have torn): the runtime's processes whose `--root` is
 * ours and the registry serving our state dir, the containers each of our runtime roots lists, each session's cgroup, the cgroup
 * every bundle's config.json names, and the mounts below the state dir. Removal is cleanup.ts's.
 */
export async function scanLeftovers(opts: LeftoverScanOptions): Promise<Resource[]> {
  const stateDir = resolve(opts.stateDir);
  const found: Resource[] = [...ourProcesses(stateDir, new Set([process.pid, process.ppid, ...(opts.spare ?? [])]))];
  for (const session of await childDirs(join(stateDir, 'sessions'))) {
    // The session's cgroup (linux-backend.ts) is named for its root; removed as a tree, after its containers'.
    const sessionCgroup = sessionCgroupPath(session);
    if (cgroupDirs(sessionCgroup).length > 0) found.push({ kind: 'cgroup', path: sessionCgroup });
    const { runtimeRoot, bundles } = ociRuntimePaths(join(session, 'containers'));
    if (opts.runtime) {
      for (const id of await runtimeContainers(opts.runtime, runtimeRoot)) found.push({ kind: 'container', id, runtime: opts.runtime, runtimeRoot });
    }
    for (const bundle of await childDirs(bundles)) {
      const path = await bundleCgroup(bundle);
      // A bundle whose container never started has no cgroup yet.
      if (path && cgroupDirs(path).length > 0) found.push({ kind: 'cgroup', path });
    }
  }
  for (const target of await mountPoints()) if (target.startsWith(stateDir + sep)) found.push({ kind: 'mount', target });
  return found;
}

/** `<dir>/*` (or `<dir>/*\/<below>`) that are directories; none when `dir` is absent. */
async function childDirs(dir: string, below?: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  return entries.filter((e) => e.isDirectory()).map((e) => (below ? join(dir, e.name, below) : join(dir, e.name)));
}

/** The containers a runtime state root holds: `runc --root <root> list -q` (runc and crun alike). */
async function runtimeContainers(runtime: string, root: string): Promise<string[]> {
  const r = await runCommand(runtime, ['--root', root, 'list', '-q'], { ok: [0, 1] }).catch(() => undefined);
  if (!r || r.code !== 0) return [];
  return r.stdout.toString('utf8').split('\n').filter(Boolean);
}

/** OCI runtime-spec: `linux.cgroupsPath` of the bundle's config.json; undefined when absent or unreadable. */
async function bundleCgroup(bundle: string): Promise<string | undefined> {
  try {
    const config = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as { linux?: { cgroupsPath?: unknown } };
    const path = config.linux?.cgroupsPath;
    return typeof path === 'string' && path.startsWith('/') ? path : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runtime processes of ours: every process started with `--root <dir below stateDir>` —
 * `runc run`/`runc exec`, and the pty wrapper whose `--command` quotes the runtime's argv
 * (pty-wrapper.ts). Another server's state dir never matches.
 */
function* ourProcesses(stateDir: string, spare: ReadonlySet<number>): Generator<Resource> {
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || spare.has(Number(name))) continue;
    const pid = Number(name);
    const argv = procArgv(pid);
    if (!startedOnOurRoot(argv, stateDir) && !servesOurRegistry(argv, stateDir)) continue;
    const startTime = processStartTime(pid);
    if (startTime !== undefined) yield { kind: 'process', pid, startTime };
  }
}

export function startedOnOurRoot(argv: readonly string[], stateDir: string): boolean {
  const at = argv.indexOf('--root');
  if (at >= 0 && argv[at + 1]?.startsWith(stateDir + sep)) return true;
  return argv.some((a) => a.includes(`'--root' '${stateDir}${sep}`));
}

/** The registry process of this state dir (registry-process.ts): `docker-registry serve <stateDir>/registry/config.yml`. */
export function servesOurRegistry(argv: readonly string[], stateDir: string): boolean {
  return argv[1] === 'serve' && argv[2] === registryPaths(stateDir).config;
}

function procArgv(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

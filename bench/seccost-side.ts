// One side of bench/seccost.bench.ts: a child process that loads ONE checkout's Linux engine
// (its own openLinuxEngines and FsWorkspace, imported by absolute path, run by that
// checkout's own tsx) and runs the commands the parent sends, timing each one here so that
// the IPC round trip is not in the figure. It imports nothing else from any checkout, so
// the two code bases never mix.
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The parent's messages: open once, exec many times, close once. */
type Message = { op: 'open'; checkout: string; cgroup: string } | { op: 'exec'; command: string } | { op: 'close' };

interface ExecResult {
  exitCode: number;
  stderr: string;
}
interface SideEngine {
  exec(line: string): Promise<ExecResult>;
  dispose(): Promise<void>;
}

let engine: SideEngine | undefined;
let stateDir = '';
let cgroup = '';

/** CPU of this process and everything it started that is still in its cpuacct cgroup (ns → ms). */
const cpuMs = () => Number(readFileSync(join(cgroup, 'cpuacct.usage'), 'utf8')) / 1e6;
const send = (message: unknown) => new Promise<void>((resolve) => process.send!(message, () => resolve()));

async function open(checkout: string): Promise<void> {
  const load = (path: string) => import(pathToFileURL(join(checkout, path)).href);
  const { openLinuxEngines } = await load('sandbox-server/sessions/linux-engine-factory.ts');
  // FsWorkspace moved from cli/ to sandbox-server/linux/ (issue 19); an older checkout has it in cli/.
  const { FsWorkspace } = await load('sandbox-server/linux/fs-workspace.ts').catch(() => load('cli/fs-workspace.ts'));
  stateDir = mkdtempSync(join(tmpdir(), 'layerlab-seccost-'));
  chmodSync(stateDir, 0o711); // the user namespace's root must pass through to the state dir
  const context = join(stateDir, 'context');
  mkdirSync(context);
  // bench/build.bench.ts's 5-step Dockerfile (FROM busybox, RUN, COPY, ENV, RUN).
  writeFileSync(join(context, 'Dockerfile'), 'FROM busybox\nRUN echo one > /one\nCOPY app.txt /app/\nENV GREETING=hi\nRUN cat /app/app.txt > /two\n');
  writeFileSync(join(context, 'app.txt'), 'hello\n');
  const engines = await openLinuxEngines(join(stateDir, 'state'));
  engine = (await engines.open(mkdtempSync(join(stateDir, 'session-')), new FsWorkspace(context))) as SideEngine;
}

process.on('message', async (message: Message) => {
  try {
    if (message.op === 'open') {
      cgroup = message.cgroup;
      await open(message.checkout);
      await send({ ok: true });
    } else if (message.op === 'exec') {
      const cpu = cpuMs();
      const started = performance.now();
      const r = await engine!.exec(message.command);
      const wall = performance.now() - started;
      await send({ ok: r.exitCode === 0, wall, cpu: cpuMs() - cpu, error: r.exitCode === 0 ? undefined : `exit ${r.exitCode}: ${r.stderr}` });
    } else {
      await engine?.dispose();
      rmSync(stateDir, { recursive: true, force: true });
      await send({ ok: true });
      process.exit(0);
    }
  } catch (error) {
    await send({ ok: false, error: String((error as Error)?.stack ?? error) });
  }
});
// The parent gone without a 'close' (killed): clean up as on 'close'.
process.on('disconnect', async () => {
  await engine?.dispose().catch(() => undefined);
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  process.exit(1);
});
await send({ ready: true });

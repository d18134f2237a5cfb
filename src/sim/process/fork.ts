import type { AppletContext } from './context.js';
import { statusOfError, untilKilled } from './exit-status.js';
import type { SimProcess } from './process-table.js';
import { ProcFs } from '../proc-fs.js';

/** fork(): a new process in the container's PID namespace, running `body`. */
export function spawnProcess(
  parent: AppletContext,
  argv: string[],
  body: (child: AppletContext) => Promise<number>,
): { proc: SimProcess; done: Promise<number> } {
  const table = parent.container.processes;
  const proc = table.spawn(argv, parent.proc.pid, parent.uid);
  // procfs answers each process with its own /proc/self.
  const container = parent.container.fs instanceof ProcFs ? { ...parent.container, fs: parent.container.fs.forProcess(proc.pid) } : parent.container;
  const child: AppletContext = { ...parent, argv, proc, signal: proc.signal, container };
  const done = (async () => {
    try {
      return await untilKilled(body(child), proc);
    } catch (e) {
      return statusOfError(e, child);
    } finally {
      table.exit(proc);
    }
  })();
  return { proc, done };
}

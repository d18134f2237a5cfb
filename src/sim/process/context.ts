import type { Clock } from '../../engine/drivers/clock.js';
import type { HostInfo } from '../../engine/engine.js';
import type { SimFs } from '../sim-fs.js';
import type { Freezer } from './freezer.js';
import type { ProcessTable, SimProcess } from './process-table.js';
import type { Input, Output } from './streams.js';

/** What one container's processes share: its filesystem, PID namespace, UTS name and clock. */
export interface ContainerContext {
  fs: SimFs;
  clock: Clock;
  host: HostInfo;
  /** The UTS namespace's hostname (ContainerSpec.hostname). */
  hostname: string;
  processes: ProcessTable;
  freezer: Freezer;
}

/** One process's view: argv, environment, cwd and its three standard streams. */
export interface AppletContext {
  argv: string[];
  env: Map<string, string>;
  cwd: string;
  stdin: Input;
  stdout: Output;
  stderr: Output;
  /** Aborted (with a `Killed` reason) when the process is killed. */
  signal: AbortSignal;
  proc: SimProcess;
  uid: number;
  gid: number;
  /** Supplementary groups (getgroups), the primary gid first, as the runtime set them. */
  groups: readonly number[];
  container: ContainerContext;
}

import type { Clock } from '../../engine/drivers/clock.js';
import type { HostInfo } from '../../engine/engine.js';
import type { SimFs } from '../sim-fs.js';
import type { ProcessTable, SimProcess } from '../process-table.js';
import type { Input, Output } from './io.js';

/** The cgroup freezer: a paused container's processes stop at their next wait. */
export class Freezer {
  private paused = false;
  private waiters: (() => void)[] = [];

  get isPaused(): boolean {
    return this.paused;
  }
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }
  /** Resolves when the container is not frozen. */
  thaw(): Promise<void> | undefined {
    if (!this.paused) return undefined;
    return new Promise((r) => this.waiters.push(r));
  }
}

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
  container: ContainerContext;
}

/** A busybox applet: returns its exit status. */
export type Applet = (ctx: AppletContext) => Promise<number>;

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import type { Workspace } from '../../src/engine/drivers/workspace.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { removeLeftovers } from '../../sandbox-server/linux/cleanup.js';
import type { LinuxBackend } from '../../sandbox-server/linux/linux-backend.js';
import { openLinuxEngines, type LinuxEngineOptions } from '../../sandbox-server/sessions/linux-engine-factory.js';

export interface LinuxEngineSuite {
  /** Set once the suite's `beforeAll` hooks have run. */
  readonly engine: Engine;
  readonly backend: LinuxBackend;
  /** The engine's state root (its snapshots, blobs), as a session's tmpfs would be. */
  readonly root: string;
}

/**
 * A suite's own Linux engine on runc, as the server opens one per session: a fresh state
 * dir, opened before the suite's tests and, after them, disposed with every mount,
 * cgroup and process it journaled removed — so a failing test leaves nothing on the host.
 * Call it inside the suite's `describe`, before hooks that use the engine.
 */
export function useLinuxEngine(
  prefix: string,
  workspace: () => Workspace = () => new MemoryWorkspace(),
  options: () => LinuxEngineOptions = () => ({}),
): LinuxEngineSuite {
  let stateDir: string | undefined;
  let opened: { engine: Engine; backend: LinuxBackend; root: string } | undefined;
  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), prefix));
    const engines = await openLinuxEngines(stateDir);
    const root = await mkdtemp(join(stateDir, 'session-'));
    opened = { backend: engines.backend, engine: await engines.open(root, workspace(), options()), root };
  });
  afterAll(async () => {
    await opened?.engine.dispose();
    if (opened) await removeLeftovers(opened.backend.tracker);
    if (stateDir) await rm(stateDir, { recursive: true, force: true });
  });
  const get = () => {
    if (!opened) throw new Error('the Linux engine is opened in beforeAll');
    return opened;
  };
  return {
    get engine() {
      return get().engine;
    },
    get backend() {
      return get().backend;
    },
    get root() {
      return get().root;
    },
  };
}

/** A test session's `fail` (SessionContext): the engine's background failure, rethrown so that vitest reports it. */
export function failLoudly(error: unknown): never {
  throw error;
}

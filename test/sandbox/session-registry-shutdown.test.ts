import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine/engine.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { DEFAULT_LIMITS } from '../../sandbox-server/sessions/session-limits.js';
import { SessionRegistry } from '../../sandbox-server/sessions/session-registry.js';

let stateDir: string | undefined;
afterEach(() => {
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  stateDir = undefined;
});

/** A simulator engine whose dispose takes `ms`, as a real one stopping containers does. */
async function slowToDispose(ms: number): Promise<Engine> {
  const engine = await createSimEngine({ workspace: new MemoryWorkspace() });
  const dispose = engine.dispose.bind(engine);
  engine.dispose = async () => {
    await new Promise((r) => setTimeout(r, ms));
    await dispose();
  };
  return engine;
}

describe('shutting the registry down', () => {
  it('waits for a removal already under way (a page deleting its session as the server stops)', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'layerlab-registry-'));
    const registry = new SessionRegistry({ stateDir, limits: DEFAULT_LIMITS, tmpfs: false, engineFactory: () => slowToDispose(300) });
    await registry.open();
    const { session } = await registry.create('127.0.0.1');
    const removing = registry.remove(session.id);
    await registry.close();
    // Before the fix, close() saw no listed session and returned while the root was still there.
    expect(existsSync(session.root.path)).toBe(false);
    await removing;
  });

  it('waits for a session being set up, and closes it', async () => {
    stateDir = mkdtempSync(join(tmpdir(), 'layerlab-registry-'));
    let made: Engine | undefined;
    const registry = new SessionRegistry({
      stateDir,
      limits: DEFAULT_LIMITS,
      tmpfs: false,
      engineFactory: async () => {
        await new Promise((r) => setTimeout(r, 200));
        return (made = await slowToDispose(200));
      },
    });
    await registry.open();
    const creating = registry.create('127.0.0.1');
    creating.catch(() => undefined);
    await registry.close();
    // Closed means done: the engine was made, then closed, its root gone — not still on its way.
    expect(made).toBeDefined();
    expect(readdirSync(join(stateDir, 'sessions'))).toEqual([]);
    await expect(creating).rejects.toThrow(/shutting down/);
  });
});

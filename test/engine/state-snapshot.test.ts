import { describe, expect, it } from 'vitest';
import { stateSchema } from '../../src/engine/state.js';
import { aSimEngine } from './support/sim-engine.js';

// The engine no longer parses its own snapshot (the page's start paid for it, issue 15): what it
// builds must be exactly what the schema gives back — no key the schema would strip, none missing.
describe('the engine state snapshot', () => {
  it('is what the schema accepts and returns unchanged, with images, layers, containers and volumes', async () => {
    const { engine, run } = await aSimEngine();
    try {
      for (const line of [
        'docker run --name ca -v data:/data busybox sh -c "echo hi > /data/x; echo y > /y; rm /bin/sync"',
        'docker commit ca committed:1',
        'docker run -d --name cb -v /anon busybox sleep 1000',
        'docker create --name cc committed:1 true',
        'docker tag busybox mine:latest',
      ])
        expect(await run(line)).toMatch(/\[exit 0\]$/);
      const snapshot = await engine.state();
      expect(snapshot.containers.map((c) => c.name).sort()).toEqual(['ca', 'cb', 'cc']);
      expect(snapshot.volumes?.length).toBe(2);
      const parsed = stateSchema.parse(snapshot);
      expect(parsed).toEqual(snapshot);
      expect(JSON.stringify(Object.keys(parsed).sort())).toBe(JSON.stringify(Object.keys(snapshot).sort()));
    } finally {
      await engine.dispose();
    }
  });
});

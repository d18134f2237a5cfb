import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const src = (path: string) => JSON.stringify(resolve(path));

/**
 * A server whose first session's runtime throws from a timer of its own and leaves a
 * rejected promise nobody handles — errors no catch of ours sees. Run as its own process:
 * Node's default would end it, and vitest's own handlers would hide what ours do.
 */
const SERVER = `
import { buildApp } from ${src('sandbox-server/app.ts')};
import { installLastResort } from ${src('sandbox-server/last-resort.ts')};
import { createSimEngine } from ${src('src/sim/create-sim-engine.ts')};
const stateDir = process.argv.at(-1);
let made = 0;
const lines = [];
const app = await buildApp({
  siteDir: '/nonexistent',
  sandbox: { available: true, missing: [], runtime: 'sim' },
  logger: { level: 'error', stream: { write: (line) => void lines.push(JSON.parse(line)) } },
  sessions: {
    stateDir,
    engineFactory: async (session) => createSimEngine({
      onFailure: (error) => session.fail(error),
      ...(made++ === 0 ? { decorate: (d) => ({ ...d, runtime: new Proxy(d.runtime, { get: (t, p) => p === 'create'
        ? (spec, io) => {
            setTimeout(() => { throw new Error('driver bug in a timer'); }, 10);
            void Promise.reject(new Error('driver promise nobody awaits'));
            return t.create(spec, io);
          }
        : typeof t[p] === 'function' ? t[p].bind(t) : t[p] }) }) } : {}),
    }),
  },
});
installLastResort(app.log);
const create = async (ip) => (await app.inject({ method: 'POST', url: '/api/sessions', remoteAddress: ip })).json();
const run = (s, command) => app.inject({ method: 'POST', url: '/api/sessions/' + s.id + '/commands', headers: { authorization: 'Bearer ' + s.token }, payload: { command } });
const bad = await create('10.0.0.1');
const good = await create('10.0.0.2');
await run(bad, 'docker run -d busybox sleep 5');
await new Promise((r) => setTimeout(r, 300));
const after = await run(bad, 'docker ps');
const ok = await run(good, 'docker run --rm busybox echo ok');
console.log(JSON.stringify({ bad: { status: after.statusCode, body: after.json() }, good: ok.json(), logged: lines.map((l) => [l.msg, l.session === bad.id, l.err?.message ?? l.reason]) }));
await app.close();
`;

describe('the last-resort handler', () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'layerlab-last-resort-'));
  afterAll(() => rmSync(stateDir, { recursive: true, force: true }));

  it('fails only the session whose work threw an uncaught error or left a rejection unhandled, and keeps serving', () => {
    const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', SERVER, stateDir], {
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(child.status, child.stderr).toBe(0);
    const out = JSON.parse(child.stdout.trim().split('\n').at(-1)!) as {
      bad: { status: number; body: { error: { code: string; message: string } } };
      good: { stdout: string; exitCode: number };
      logged: [string, boolean, string][];
    };
    expect(out.bad.status).toBe(410);
    expect(out.bad.body.error.code).toBe('SESSION_FAILED');
    expect(out.bad.body.error.message).toMatch(/driver (bug in a timer|promise nobody awaits)/);
    expect(out.good).toMatchObject({ stdout: 'ok\n', exitCode: 0 });
    // Both errors logged against the session they belong to.
    const logged = out.logged.filter(([msg]) => /a session failed/.test(msg));
    expect(logged.map(([, ours, message]) => [ours, message]).sort()).toEqual([
      [true, 'driver bug in a timer'],
      [true, 'driver promise nobody awaits'],
    ]);
  }, 60_000);
});

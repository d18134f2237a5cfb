import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stateSchema } from '../../src/engine/state.js';

const BIN = join(import.meta.dirname, '../../bin/layerlab.mjs');

function layerlab(args: string[], input = '') {
  const r = spawnSync(process.execPath, [BIN, ...args], { input, encoding: 'utf8', timeout: 60_000 });
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

// Each case spawns node + tsx, which takes seconds on a busy machine.
describe('npx layerlab exec', { timeout: 60_000 }, () => {
  it('runs docker commands from stdin on the simulator, skipping comments and blank lines', () => {
    const r = layerlab(['exec', '--backend', 'sim'], '# a comment\n\ndocker version\ndocker run --rm busybox echo hi\n');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Client:\n Version: +28\.2\.2\n/);
    expect(r.stdout).toMatch(/Server: Layerlab \(simulator\)/);
    expect(r.stdout.endsWith('hi\n')).toBe(true);
  });

  it('sends errors to stderr and exits with the last command’s code', () => {
    const r = layerlab(['exec'], 'docker run busybox sh -c "exit 4"\n');
    expect(r.status).toBe(4);
    const bad = layerlab(['exec'], 'docker ps --nope\n');
    expect(bad.stderr).toMatch(/^unknown flag: --nope\n/);
    expect(bad.status).toBe(125);
  });

  it('prints results and the state snapshot with --json', () => {
    const dir = mkdtempSync(join(tmpdir(), 'layerlab-ctx-'));
    writeFileSync(join(dir, 'note.txt'), 'x');
    const r = layerlab(['exec', '--json', '--context', dir], 'docker run --name j1 busybox echo hi\ndocker rm nosuch\n');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as { results: unknown[]; state: unknown };
    expect(out.results).toEqual([
      { command: 'docker run --name j1 busybox echo hi', stdout: 'hi\n', stderr: '', exitCode: 0 },
      {
        command: 'docker rm nosuch',
        stdout: '',
        stderr: 'Error response from daemon: No such container: nosuch\n',
        exitCode: 1,
        // The typed error the line ended in, as the API's results carry it.
        error: { code: 'NO_SUCH_CONTAINER', details: { ref: 'nosuch' } },
      },
    ]);
    const state = stateSchema.parse(out.state);
    expect(state.containers.map((c) => c.name)).toEqual(['j1']);
  });

  it('prints usage on stderr and exits 2 for unknown commands and flags', () => {
    for (const args of [['bogus'], ['exec', '--bogus'], ['exec', '--backend', 'vm'], []]) {
      const r = layerlab(args);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('Usage: layerlab exec');
    }
    const help = layerlab(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: layerlab exec');
  });
});

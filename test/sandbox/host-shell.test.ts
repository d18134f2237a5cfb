import { describe, expect, it } from 'vitest';
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInHostShell, shellQuote } from '../../sandbox-server/linux/host-shell.js';
import { CommandError, runCommand } from '../../sandbox-server/linux/command.js';

describe('host shell: host tools run by a pooled sh, words never parsed', () => {
  it('passes every argument through literally, quotes and $ and newlines included', async () => {
    const args = ["it's", '$HOME', '`id`', '"; rm -rf /tmp/x', 'a\nb', '', '*'];
    const r = await runInHostShell('printf', ['%s|', ...args]);
    expect(r).toEqual({ stdout: Buffer.from(`${args.join('|')}|`), stderr: Buffer.alloc(0), code: 0 });
    expect(() => shellQuote('a\0b')).toThrow(TypeError);
  });

  it('keeps stdout and stderr apart, with or without a final newline, and reports the exit status', async () => {
    const r = await runInHostShell('sh', ['-c', 'printf out; printf err >&2; exit 3']);
    expect([r.stdout.toString(), r.stderr.toString(), r.code]).toEqual(['out', 'err', 3]);
    const killed = await runInHostShell('sh', ['-c', 'kill -KILL $$']);
    expect(killed.code).toBe(137);
  });

  it('runs in cwd when asked, and gives the tool no stdin (the shell reads its jobs from there)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'layerlab-hsh-'));
    try {
      expect((await runInHostShell('pwd', [], { cwd: dir })).stdout.toString()).toBe(`${await realpath(dir)}\n`);
      expect((await runInHostShell('cat', [])).stdout.length).toBe(0);
      expect((await runInHostShell('echo', ['after'])).stdout.toString()).toBe('after\n');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runs many at once, each answer to its own job', async () => {
    const results = await Promise.all(Array.from({ length: 30 }, (_, i) => runInHostShell('sh', ['-c', `sleep 0.0${i % 5}; echo ${i}`])));
    expect(results.map((r) => r.stdout.toString())).toEqual(Array.from({ length: 30 }, (_, i) => `${i}\n`));
  });

  it('is what runCommand uses: a failing tool is a CommandError with what it printed', async () => {
    await expect(runCommand('sh', ['-c', 'echo nope >&2; exit 2'])).rejects.toThrow(CommandError);
    await expect(runCommand('sh', ['-c', 'echo nope >&2; exit 2'])).rejects.toThrow(/exit 2\): nope/);
    expect((await runCommand('sh', ['-c', 'exit 1'], { ok: [0, 1] })).code).toBe(1);
    expect((await runCommand('/no/such/tool', [], { ok: [127] })).code).toBe(127);
  });
});

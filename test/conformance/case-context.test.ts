import { chmod, mkdir, mkdtemp, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkoutContext } from './case-context.js';

/**
 * A build case's context must reach the engine (and the oracle) with git's modes, not the
 * checkout's: under umask 002 a checkout's files are 0664, which changes `COPY file:<hash>`.
 */
describe('checkoutContext: a case context as git stores it', () => {
  const made: string[] = [];
  afterEach(async () => {
    for (const dir of made.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  it('gives files 0644 (0755 when executable) and dirs 0755, whatever modes the checkout gave them', async () => {
    const source = await mkdtemp(join(tmpdir(), 'layerlab-context-src-'));
    made.push(source);
    await writeFile(join(source, 'hello.txt'), 'hello\n');
    await chmod(join(source, 'hello.txt'), 0o664);
    await mkdir(join(source, 'bin'));
    await chmod(join(source, 'bin'), 0o775);
    await writeFile(join(source, 'bin/run.sh'), '#!/bin/sh\n');
    await chmod(join(source, 'bin/run.sh'), 0o775);
    await symlink('hello.txt', join(source, 'link'));

    const copy = checkoutContext(source);
    made.push(copy);
    const mode = async (p: string) => (await stat(join(copy, p))).mode & 0o7777;
    expect(await mode('.')).toBe(0o755);
    expect(await mode('hello.txt')).toBe(0o644);
    expect(await mode('bin')).toBe(0o755);
    expect(await mode('bin/run.sh')).toBe(0o755);
    expect(await readFile(join(copy, 'hello.txt'), 'utf8')).toBe('hello\n');
    expect(await readlink(join(copy, 'link'))).toBe('hello.txt');
  });
});

import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { connectIO } from '../../sandbox-server/linux/oci-runtime.js';

describe("a container's output pipes", () => {
  it('end on a read error (EIO) instead of raising an error nobody hears, which would stop the server', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const got: string[] = [];
    const io = connectIO(
      { stdout, stderr, exit: Promise.resolve(0), attached: () => undefined },
      { stdout: (c) => got.push(Buffer.from(c).toString()), stderr: () => undefined },
      false,
    );
    stdout.write('before\n');
    await new Promise((r) => setImmediate(r));
    stdout.destroy(Object.assign(new Error('read EIO'), { code: 'EIO' }));
    stderr.destroy(Object.assign(new Error('read EIO'), { code: 'EIO' }));
    await io.done;
    expect(got).toEqual(['before\n']);
  });
});

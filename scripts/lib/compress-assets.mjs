import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);
// `tar`: the base layer the simulator saves (scripts/build-base-layer.mjs), half its size compressed.
const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt|ttf|tar)$/;
// Below this a response fits one packet whatever its encoding; not worth a second file.
const MIN_BYTES = 1024;

/**
 * Writes `x.br` and `x.gz` beside every compressible file under `dir` (the built site),
 * once, at build time: the server (sandbox-server/site.ts, `preCompressed`) sends them to
 * a browser that accepts them, so Monaco's 3.5 MB cross the wire as under 1 MB and no
 * request pays for compressing it.
 */
export async function compressAssets(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries.filter((e) => e.isFile() && COMPRESSIBLE.test(e.name)).map((e) => join(e.parentPath ?? e.path, e.name));
  let written = 0;
  for (const file of files) {
    const bytes = await readFile(file);
    if (bytes.length < MIN_BYTES) continue;
    const [br, gzipped] = await Promise.all([
      brotli(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }),
      gz(bytes, { level: 9 }),
    ]);
    await Promise.all([writeFile(`${file}.br`, br), writeFile(`${file}.gz`, gzipped)]);
    written++;
  }
  return written;
}

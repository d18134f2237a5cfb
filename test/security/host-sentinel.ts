import { createHash } from 'node:crypto';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A directory on the host, outside any session, that hostile archives and containers aim
 * at: it holds a checksummed file, a passwd-like file and a subdirectory. `state()` is
 * every path below it with its type, mode, owner and a digest of its bytes — so any file
 * written, removed, chowned or chmodded there shows up as a difference.
 */
export class HostSentinel {
  readonly dir: string;
  readonly file: string;
  /** A passwd file a symlinked /etc/passwd would point at. */
  readonly passwd: string;
  /** The words only the sentinel's files hold: finding them in a layer means a host file was read. */
  readonly secret = 'layerlab-host-secret-7d1f';

  constructor(prefix = 'layerlab-sentinel-') {
    this.dir = mkdtempSync(join(tmpdir(), prefix));
    this.file = join(this.dir, 'sentinel');
    this.passwd = join(this.dir, 'passwd');
    writeFileSync(this.file, `${this.secret}\n`, { mode: 0o644 });
    writeFileSync(this.passwd, `hostuser:x:4242:4242:${this.secret}:/:/bin/sh\n`);
    mkdirSync(join(this.dir, 'keep'));
    writeFileSync(join(this.dir, 'keep', 'inner'), `${this.secret}-inner\n`);
  }

  /** sha256 of the checksummed file. */
  fileDigest(): string {
    return createHash('sha256').update(readFileSync(this.file)).digest('hex');
  }

  state(): string[] {
    const out: string[] = [];
    const walk = (dir: string, rel: string) => {
      for (const name of readdirSync(dir).sort()) {
        const abs = join(dir, name);
        const s = lstatSync(abs);
        const what = s.isSymbolicLink()
          ? `-> ${readlinkSync(abs)}`
          : s.isFile()
            ? createHash('sha256').update(readFileSync(abs)).digest('hex')
            : s.isDirectory()
              ? 'dir'
              : `type ${s.mode >> 12}`;
        out.push(`${rel}${name} ${(s.mode & 0o7777).toString(8)} ${s.uid}:${s.gid} ${what}`);
        if (s.isDirectory()) walk(abs, `${rel}${name}/`);
      }
    };
    walk(this.dir, '');
    return out;
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Every path below `root` (not their contents): what a refused command must leave as it was. */
export function treeOf(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const name of names.sort()) {
      out.push(`${rel}${name}`);
      const abs = join(dir, name);
      if (lstatSync(abs).isDirectory()) walk(abs, `${rel}${name}/`);
    }
  };
  walk(root, '');
  return out;
}

import type { SimFs } from '../sim-fs.js';
import { resolvePath } from '../applets/util.js';
import { hasGlob, patternToRegExp } from './pattern.js';

/** Pathname expansion against the container's filesystem, sorted as ash sorts. */
export function glob(fs: SimFs, cwd: string, pattern: string): string[] {
  const absolute = pattern.startsWith('/');
  const segs = pattern.split('/').filter((s, i) => s !== '' || i === 0);
  let paths: string[] = [absolute ? '/' : ''];
  for (let i = absolute ? 1 : 0; i < segs.length; i++) {
    const seg = segs[i]!;
    const next: string[] = [];
    for (const base of paths) {
      const dir = resolvePath(cwd, base || '.');
      if (!hasGlob(seg)) {
        const lit = seg.replace(/\\(.)/g, '$1');
        const p = base === '/' ? `/${lit}` : base ? `${base}/${lit}` : lit;
        if (fs.exists(resolvePath(cwd, p)) || i < segs.length - 1) next.push(p);
        continue;
      }
      let names: string[];
      try {
        names = fs.readdir(dir);
      } catch {
        continue;
      }
      const re = patternToRegExp(seg);
      for (const n of names) {
        if (n.startsWith('.') && !seg.startsWith('.')) continue;
        if (re.test(n)) next.push(base === '/' ? `/${n}` : base ? `${base}/${n}` : n);
      }
    }
    paths = next;
  }
  return paths.filter((p) => fs.exists(resolvePath(cwd, p))).sort();
}

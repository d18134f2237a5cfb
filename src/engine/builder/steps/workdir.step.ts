import type { Change } from '../../layer/change.js';
import { normalise, type RootfsView } from '../rootfs-view.js';
import type { InstructionStep } from './step.js';

/** WORKDIR: relative to the working directory before it; a layer only when the directory is missing. */
export const workdirStep: InstructionStep<'WORKDIR'> = {
  plan(ins, ctx) {
    const dir = ctx.word(ins.raw);
    const path = normalise(dir.startsWith('/') ? dir : `${ctx.state.config.WorkingDir || '/'}/${dir}`);
    return { text: `WORKDIR ${path}`, cacheInput: { k: 'WORKDIR', path }, config: { WorkingDir: path }, layer: { kind: 'mkdir', path } };
  },
};

/** Docker: WORKDIR creates the directory (and its parents), 0755, owned by root; parents
 * that exist appear with their own metadata, as an overlay copy-up holds them. */
export function mkdirChanges(view: RootfsView, path: string): Change[] {
  if (view.isDir(path)) return [];
  const out: Change[] = [];
  let p = '';
  for (const part of path.split('/').filter(Boolean)) {
    p += `/${part}`;
    const existing = view.resolve(p);
    out.push(
      existing?.kind === 'dir'
        ? { kind: 'dir', path: p, mode: existing.mode, uid: existing.uid, gid: existing.gid }
        : { kind: 'dir', path: p, mode: 0o755, uid: 0, gid: 0 },
    );
  }
  return out;
}

import { hex } from '../../digest.js';
import { gunzip } from '../../image-archive/decompress.js';
import type { Change } from '../../layer/change.js';
import { changesDigest } from '../build-cache.js';
import { classicSourceHash } from '../classic-source-hash.js';
import { copyChanges } from '../copy.js';
import { resolveOwner } from '../owner.js';
import { processWord } from '../shell-lex.js';
import type { InstructionStep } from './step.js';

/**
 * COPY and ADD: the layer entries are computed before the cache is asked, since their
 * content and metadata are the cache input (never their mtimes, as Docker's cache).
 */
export const copyStep: InstructionStep<'COPY' | 'ADD'> = {
  async plan(ins, ctx) {
    const vars = ctx.vars();
    const esc = { escape: ctx.escape };
    const sources = ins.sources.map((src) => processWord(src, vars, esc));
    const dest = processWord(ins.dest, vars, esc);
    const fromStage = ins.kind === 'COPY' && ins.from !== undefined ? ins.from : undefined;
    const from = fromStage !== undefined ? await ctx.fromView(fromStage) : ctx.context;
    const target = await ctx.view(ctx.state.chain);
    const owner = ins.chown !== undefined ? resolveOwner(ctx.word(ins.chown), target) : undefined;
    const chmod = ins.chmod !== undefined ? parseInt(ctx.word(ins.chmod), 8) : undefined;
    const changes = await copyChanges({
      sources,
      dest,
      from,
      fromContext: fromStage === undefined,
      target,
      workdir: ctx.state.config.WorkingDir || '/',
      ...(owner ? { owner } : {}),
      ...(chmod !== undefined && !Number.isNaN(chmod) ? { chmod } : {}),
      extractArchives: ins.kind === 'ADD',
      gunzip: (bytes) => gunzip(bytes, { maxBytes: ctx.unpackBytes }),
    });
    const flags = [ins.chown !== undefined ? `--chown=${ins.chown}` : '', ins.chmod !== undefined ? `--chmod=${ins.chmod}` : ''].filter(Boolean);
    return {
      text:
        ctx.mode === 'buildkit'
          ? [ins.kind, ...flags, ...sources, dest].join(' ')
          : `${ins.kind} ${classicSourceHash(sources, from, fromStage === undefined) ?? sourceHash(sources, changes)} in ${dest} `,
      cacheInput: { k: ins.kind, changes: changesDigest(changes) },
      layer: { kind: 'changes', changes },
    };
  },
};

/** Classic builder, for sources `classicSourceHash` cannot name (wildcards, content the
 * backend does not hold): a content hash of what was copied, in Docker's
 * `file:`/`dir:`/`multi:` form. */
function sourceHash(sources: string[], changes: Change[]): string {
  const files = changes.filter((c) => c.kind !== 'dir');
  const kind = sources.length > 1 ? 'multi' : files.length === 1 && changes.every((c) => c.kind !== 'dir' || c !== changes.at(-1)) ? 'file' : 'dir';
  return `${kind}:${hex(changesDigest(changes))}`;
}

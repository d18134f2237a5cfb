import type { Command, List, Simple } from './ast.js';
import { LoopControl } from './control.js';
import { expandPattern, expandString, expandWords } from './expansion.js';
import type { Shell, ShellIO } from './interpreter.js';
import { matchPattern } from './pattern.js';

export type Compound = Exclude<Command, Simple | { type: 'func' }>;

/** `{ …; }`, `( … )`, if, while, until, for and case; the redirections are already applied. */
export async function runCompound(sh: Shell, cmd: Compound, io: ShellIO, tail: boolean): Promise<number> {
  switch (cmd.type) {
    case 'group':
      return sh.runList(cmd.body, io, tail);
    case 'subshell': {
      const sub = sh.clone();
      try {
        return await sub.runList(cmd.body, io);
      } catch (e) {
        return sub.exitStatusOf(e, io);
      }
    }
    case 'if': {
      for (const b of cmd.branches) {
        if ((await runCondition(sh, b.cond, io)) === 0) return sh.runList(b.body, io, tail);
      }
      if (cmd.otherwise) return sh.runList(cmd.otherwise, io, tail);
      return 0;
    }
    case 'while':
    case 'until': {
      let status = 0;
      for (;;) {
        const c = await runCondition(sh, cmd.cond, io);
        if ((c === 0) !== (cmd.type === 'while')) break;
        const r = await loopBody(sh, cmd.body, io);
        status = r.status;
        if (r.stop) break;
      }
      return status;
    }
    case 'for': {
      const items = cmd.items ? await expandWords(sh, cmd.items, io) : [...sh.positional];
      let status = 0;
      for (const item of items) {
        sh.setVar(cmd.name, item);
        const r = await loopBody(sh, cmd.body, io);
        status = r.status;
        if (r.stop) break;
      }
      return status;
    }
    case 'case': {
      const subject = await expandString(sh, cmd.subject, io);
      for (const arm of cmd.arms) {
        for (const pw of arm.patterns) {
          const pat = await expandPattern(sh, pw, io);
          if (matchPattern(pat, subject)) return sh.runList(arm.body, io, tail);
        }
      }
      return 0;
    }
  }
}

/** POSIX `set -e`: a failing condition of if/while/until does not exit the shell. */
async function runCondition(sh: Shell, list: List, io: ShellIO): Promise<number> {
  const saved = sh.errexit;
  sh.errexit = false;
  try {
    return await sh.runList(list, io);
  } finally {
    sh.errexit = saved;
  }
}

async function loopBody(sh: Shell, body: List, io: ShellIO): Promise<{ status: number; stop: boolean }> {
  try {
    return { status: await sh.runList(body, io), stop: false };
  } catch (e) {
    if (!(e instanceof LoopControl)) throw e;
    if (e.n > 1) {
      e.n--;
      throw e;
    }
    return { status: 0, stop: e.kind === 'break' };
  }
}

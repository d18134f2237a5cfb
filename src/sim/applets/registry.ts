import { sh } from '../shell/sh.js';
import type { AppletContext } from '../process/context.js';
import { busybox } from './busybox.js';
import { cat } from './cat.js';
import { chmod } from './chmod.js';
import { cp, mv } from './cp-mv.js';
import { df, du } from './du-df.js';
import { echo } from './echo.js';
import { find } from './find.js';
import { grep } from './grep.js';
import { head, tail } from './head-tail.js';
import { kill } from './kill.js';
import { ls } from './ls.js';
import { printf } from './printf.js';
import { ps } from './ps.js';
import { basename, dirname, pwd } from './pwd-basename.js';
import { rm, rmdir } from './rm-rmdir.js';
import { sleep } from './sleep.js';
import { date, env, hostname, id, uname, whoami } from './system-info.js';
import { test } from './test.js';
import { cut, seq, sort, tr, uniq } from './text-filters.js';
import { ln, mkdir, touch } from './touch-mkdir-ln.js';
import { falseApplet, trueApplet } from './true-false.js';
import { wc } from './wc.js';
import { which } from './which.js';
import { xargs } from './xargs.js';

/** A busybox applet: returns its exit status. */
export type Applet = (ctx: AppletContext) => Promise<number>;

/** The applets the simulated busybox has, by the name it is invoked as. */
export const APPLETS: Readonly<Record<string, Applet>> = Object.assign(Object.create(null) as Record<string, Applet>, {
  '[': test,
  '[[': test,
  ash: sh,
  basename,
  busybox,
  cat,
  chmod,
  cp,
  cut,
  date,
  df,
  dirname,
  du,
  echo,
  env,
  false: falseApplet,
  find,
  grep,
  head,
  hostname,
  id,
  kill,
  ln,
  ls,
  mkdir,
  mv,
  printf,
  ps,
  pwd,
  rm,
  rmdir,
  seq,
  sh,
  sleep,
  sort,
  tail,
  test,
  touch,
  tr,
  true: trueApplet,
  uname,
  uniq,
  wc,
  which,
  whoami,
  xargs,
});

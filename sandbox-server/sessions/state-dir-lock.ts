import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One server per state dir: at start a server removes every session root it finds
 * (a crashed run's), which would destroy the sessions of another live server. The lock
 * is a pid file; a pid that no longer runs is a crashed run's, and is taken over.
 */
export async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const file = join(stateDir, 'server.pid');
  const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
  if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
    throw new Error(`another Layerlab server (pid ${holder}) uses the state dir ${stateDir}; stop it, or set LAYERLAB_STATE_DIR`);
  }
  await writeFile(file, `${process.pid}\n`);
  return async () => {
    const current = Number((await readFile(file, 'utf8').catch(() => '')).trim());
    if (current === process.pid) await rm(file, { force: true });
  };
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

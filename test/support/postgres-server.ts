import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { postgresBinDir } from './prereqs.js';

export interface PostgresServer {
  /** `postgres://layerlab@127.0.0.1:<port>/postgres`, trust auth on loopback. */
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * A throwaway PostgreSQL: initdb in a temp dir, `postgres` on a free loopback port, its socket in
 * that dir (not /var/run/postgresql). As root it runs as the `postgres` user (it refuses root);
 * stopped by its PID (SIGINT: fast shutdown), its dir removed.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql');
  const asUser = process.getuid?.() === 0 ? { uid: idOf('-u'), gid: idOf('-g') } : {};
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-pg-'));
  const data = join(dir, 'data');
  mkdirSync(data, { mode: 0o700 });
  if (asUser.uid !== undefined) {
    chownSync(dir, asUser.uid, asUser.gid!);
    chownSync(data, asUser.uid, asUser.gid!);
  }
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'layerlab', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
    ...asUser,
    stdio: 'pipe',
  });
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(bin, 'postgres'),
    ['-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off', '-c', 'max_connections=50'],
    { ...asUser, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `postgres://layerlab@127.0.0.1:${port}/postgres`;
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await untilAccepting(url, exited, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, pid: child.pid!, stop };
}

function idOf(flag: '-u' | '-g'): number {
  return Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
}

async function untilAccepting(url: string, exited: Promise<number | null>, log: () => string): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (gone) throw new Error(`postgres exited at start:\n${log()}`);
    const client = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: 2000 });
    try {
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections in 60 s: ${(error as Error).message}\n${log()}`);
    } finally {
      await client.end();
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';

/**
 * Tests that need the real machine (root, overlayfs, an OCI runtime, chromium) skip
 * where it is missing — except in CI, where a missing prerequisite is a failure:
 * a skipped test proves nothing.
 */
export const strict = process.env.CI === 'true' || process.env.LAYERLAB_REQUIRE_PREREQS === '1';

function onPath(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** What the Linux backend needs that this machine lacks (empty when all is there). */
export function missingLinuxPrereqs(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux') missing.push(`Linux (this is ${process.platform})`);
  else {
    if (process.getuid?.() !== 0) missing.push('root');
    const fs = existsSync('/proc/filesystems') ? readFileSync('/proc/filesystems', 'utf8') : '';
    if (!/\boverlay\b/.test(fs)) missing.push('overlayfs');
    if (!onPath('runc') && !onPath('crun')) missing.push('an OCI runtime (runc or crun)');
    if (!existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox')) missing.push('busybox-static');
  }
  return missing;
}

/** What a test beside the Docker oracle on a real registry needs: Debian's docker.io (a private dockerd, scripts/lib/oracle.mjs) and docker-registry. */
export function missingOracleRegistryPrereqs(): string[] {
  const missing = missingLinuxPrereqs();
  if (!onPath(process.env.LAYERLAB_ORACLE_DOCKERD ?? 'dockerd')) missing.push('dockerd (docker.io)');
  if (!onPath(process.env.LAYERLAB_ORACLE_DOCKER ?? 'docker')) missing.push('the docker CLI');
  if (!onPath('docker-registry')) missing.push('docker-registry');
  return missing;
}

/** The registry tests need the Linux backend and Debian's docker-registry (distribution 2.8). */
export function missingRegistryPrereqs(): string[] {
  return [...missingLinuxPrereqs(), ...(existsSync('/usr/bin/docker-registry') ? [] : ['docker-registry (/usr/bin/docker-registry)'])];
}

/** What compiling a static C probe for a container needs (`gcc -static` and glibc's libc.a, Debian's libc6-dev). */
export function missingStaticCompilerPrereqs(): string[] {
  const missing: string[] = [];
  if (!onPath('gcc')) missing.push('gcc');
  else {
    try {
      // gcc prints the bare name back when it finds no such file.
      const libc = execFileSync('gcc', ['-print-file-name=libc.a'], { encoding: 'utf8' }).trim();
      if (!libc.startsWith('/') || !existsSync(libc)) missing.push('libc.a (libc6-dev)');
    } catch {
      missing.push('libc.a (libc6-dev)');
    }
  }
  return missing;
}

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function missingBrowserPrereqs(): string[] {
  return existsSync(chromiumPath) ? [] : [`chromium at ${chromiumPath}`];
}

/**
 * Returns whether to run a suite; in strict mode a missing prerequisite throws,
 * which fails the file instead of skipping it.
 */
export function requirePrereqs(kind: string, missing: string[]): boolean {
  if (missing.length === 0) return true;
  const message = `${kind} tests need: ${missing.join(', ')}`;
  if (strict) throw new Error(`${message} (CI=true makes a missing prerequisite a failure)`);
  console.warn(`skipping ${message}`);
  return false;
}

/** Debian's `postgresql` server binaries (initdb, postgres), newest major first; undefined when none is installed. */
export function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const majors = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'postgres')) && existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors[0] === undefined ? undefined : join(root, majors[0], 'bin');
}

/** A PostgreSQL the test starts itself: the server's binaries, and as root the `postgres` user to run them as (it refuses root). */
export function missingPostgresPrereqs(): string[] {
  const missing: string[] = [];
  if (!postgresBinDir()) missing.push('PostgreSQL server binaries (Debian package postgresql, /usr/lib/postgresql/*/bin)');
  if (process.getuid?.() === 0) {
    try {
      execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    } catch {
      missing.push('the postgres user (Debian package postgresql)');
    }
  }
  return missing;
}

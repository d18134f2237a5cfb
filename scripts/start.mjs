#!/usr/bin/env node
// `npm start`: from a fresh clone to a running site with its sandbox, in one command.
// 1. npm dependencies, 2. on Debian as root the packages the sandbox needs,
// 3. the base image, 4. the site build, 5. the server (site + sandbox API).
// Ctrl-C is passed to the server, which removes every mount, cgroup and process it made.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const log = (msg) => console.log(`[layerlab] ${msg}`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) {
    console.error(`[layerlab] \`${cmd} ${args.join(' ')}\` failed (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

// 1. npm dependencies, when missing or older than the lockfile.
const lockTime = existsSync('package-lock.json') ? statSync('package-lock.json').mtimeMs : 0;
const installed = existsSync('node_modules/.package-lock.json') ? statSync('node_modules/.package-lock.json').mtimeMs : -1;
if (installed < lockTime) {
  log('installing npm dependencies (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

// 2. The sandbox's Debian packages, where we are allowed to install them.
const isRoot = process.getuid?.() === 0;
if (process.platform === 'linux' && isRoot && has('apt-get') && process.env.LAYERLAB_NO_APT !== '1') {
  const need = [];
  if (!has('runc') && !has('crun')) need.push('runc');
  if (!existsSync('/bin/busybox') && !existsSync('/usr/bin/busybox')) need.push('busybox-static');
  // The registry behind docker push/pull (distribution 2.8); the server runs its own on loopback.
  if (!existsSync('/usr/bin/docker-registry')) need.push('docker-registry');
  if (need.length) {
    log(`installing Debian packages for the sandbox: ${need.join(' ')}…`);
    run('apt-get', ['update', '-qq']);
    run('apt-get', ['install', '-y', '-qq', ...need], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (need.includes('docker-registry')) stopDebianRegistryService();
  }
}

/**
 * Debian starts the package's own service on install, listening on `:5000` — every interface —
 * with /etc/docker/registry/config.yml. The sandbox never uses it (sandbox-server/linux/
 * registry-process.ts starts one on 127.0.0.1 under the state dir), so it is stopped and
 * disabled, only when this script installed it.
 */
function stopDebianRegistryService() {
  const quiet = { stdio: 'ignore' };
  if (existsSync('/run/systemd/system') && has('systemctl')) spawnSync('systemctl', ['disable', '--now', 'docker-registry'], quiet);
  else if (existsSync('/etc/init.d/docker-registry')) {
    spawnSync('/etc/init.d/docker-registry', ['stop'], quiet);
    if (has('update-rc.d')) spawnSync('update-rc.d', ['docker-registry', 'disable'], quiet);
  }
  log("stopped Debian's docker-registry service (it listens on every interface); the server starts its own on loopback");
}

// 3. The base image busybox:latest, built offline from busybox-static.
if (existsSync('sandbox-server/setup.ts') && process.platform === 'linux' && isRoot) {
  log('preparing the base image busybox:latest…');
  run(process.execPath, ['--import', 'tsx', 'sandbox-server/setup.ts']);
}

// 4. The site.
if (process.env.LAYERLAB_SKIP_BUILD !== '1') {
  log('building the site…');
  run('npx', ['astro', 'build', '--silent']);
}

// 5. The server, in the foreground; signals go to it and its exit is ours.
log('starting the server…');
const server = spawn(process.execPath, ['--import', 'tsx', 'sandbox-server/main.ts'], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));

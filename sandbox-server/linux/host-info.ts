import { readFileSync } from 'node:fs';
import { cpus, hostname, release, totalmem } from 'node:os';
import { execFileSync } from 'node:child_process';
import type { HostInfo } from '../../src/engine/engine.js';
import { hostResolvConf } from './etc-files.js';

/** What `docker info` / `docker version` / `uname` report about the sandbox host. */
export function hostInfo(): HostInfo {
  const resolvConf = hostResolvConf();
  return {
    kernelVersion: release(),
    operatingSystem: osName(),
    // Docker reports the kernel's machine name (`uname -m`: x86_64), not Node's (x64).
    architecture: machine(),
    hostname: hostname(),
    cpus: cpus().length,
    memoryBytes: totalmem(),
    ...(resolvConf ? { resolvConf } : {}),
  };
}

function osName(): string {
  try {
    return /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? 'Linux';
  } catch {
    return 'Linux';
  }
}

function machine(): string {
  try {
    return execFileSync('uname', ['-m'], { encoding: 'utf8' }).trim();
  } catch {
    return process.arch;
  }
}

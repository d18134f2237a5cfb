import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { missingRegistryPrereqs, requirePrereqs } from '../support/prereqs.js';
import { RegistryDown, RegistryProcess, type RegistryLog } from '../../sandbox-server/linux/registry-process.js';
import { registryPaths } from '../../sandbox-server/linux/registry-config.js';
import { scanLeftovers } from '../../sandbox-server/linux/leftover-scan.js';

const run = requirePrereqs('registry', missingRegistryPrereqs());

/** The local addresses listening on `port` in /proc/net/tcp and tcp6 (hex address → dotted). */
function listeners(port: number): string[] {
  const out: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A: TCP_LISTEN
      const [addr, portHex] = local.split(':');
      if (parseInt(portHex!, 16) !== port) continue;
      out.push(
        addr!.length === 8
          ? addr!
              .match(/../g)!
              .reverse()
              .map((h) => parseInt(h, 16))
              .join('.')
          : addr!,
      );
    }
  }
  return out;
}

function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!run)('the registry process (docker-registry serve)', () => {
  let stateDir: string;
  let registry: RegistryProcess;
  const lines: { level: string; msg: string }[] = [];
  const log: RegistryLog = {
    debug: (_o, msg) => lines.push({ level: 'debug', msg }),
    info: (_o, msg) => lines.push({ level: 'info', msg }),
    warn: (_o, msg) => lines.push({ level: 'warn', msg }),
    error: (_o, msg) => lines.push({ level: 'error', msg }),
  };

  beforeAll(async () => {
    stateDir = await mkdtemp(join(tmpdir(), 'layerlab-registry-'));
    registry = await RegistryProcess.start({ stateDir, log, maxRestarts: 2 });
  });
  afterAll(async () => {
    await registry?.stop();
    await rm(stateDir, { recursive: true, force: true });
  });

  it('answers GET /v2/ on a loopback port, and listens on no other address', async () => {
    const origin = await registry.origin();
    const port = Number(new URL(origin).port);
    const res = await fetch(`${origin}/v2/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    // Debian's own config says `:5000`, every interface: ours is 127.0.0.1 only, on no IPv6 address either.
    expect(listeners(port)).toEqual(['127.0.0.1']);
  });

  it('keeps its blobs under the state dir', async () => {
    const origin = await registry.origin();
    const bytes = new TextEncoder().encode('hello');
    const digest = createHash('sha256').update(bytes).digest('hex');
    const post = await fetch(`${origin}/v2/probe/blobs/uploads/`, { method: 'POST' });
    expect(post.status).toBe(202);
    const put = await fetch(new URL(`${post.headers.get('location')!}&digest=sha256:${digest}`, origin), { method: 'PUT', body: bytes });
    expect(put.status).toBe(201);
    const blob = join(registryPaths(stateDir).storage, `docker/registry/v2/blobs/sha256/${digest.slice(0, 2)}/${digest}/data`);
    expect(readFileSync(blob, 'utf8')).toBe('hello');
  });

  it("writes the registry's lines to the server's log: its chatter at debug", () => {
    expect(lines).toContainEqual({ level: 'debug', msg: expect.stringMatching(/^listening on 127\.0\.0\.1:\d+$/) });
    expect(lines).toContainEqual({ level: 'info', msg: 'registry started' });
  });

  it('is found by the crash-leftover scan while it runs (a crashed server leaves it running)', async () => {
    const found = await scanLeftovers({ stateDir });
    expect(found).toContainEqual({ kind: 'process', pid: registry.pid, startTime: expect.any(String) });
  });

  it('is started again when it dies, on a new port, and given up after too many deaths', async () => {
    const first = registry.pid!;
    process.kill(first, 'SIGKILL');
    await until(() => registry.pid !== first && registry.restartCount === 1, 'a restart');
    const origin = await registry.origin();
    expect((await fetch(`${origin}/v2/`)).status).toBe(200);
    expect(alive(first)).toBe(false);
    expect(lines.some((l) => l.level === 'warn' && l.msg === 'registry died; starting it again')).toBe(true);

    // maxRestarts: 2 — the second restart happens, the third death is the end.
    process.kill(registry.pid!, 'SIGKILL');
    await until(() => registry.restartCount === 2, 'a second restart');
    await registry.origin();
    const last = registry.pid!;
    process.kill(last, 'SIGKILL');
    await until(() => lines.some((l) => l.level === 'error' && /is not started again/.test(l.msg)), 'the registry given up');
    await expect(registry.origin()).rejects.toBeInstanceOf(RegistryDown);
    expect(registry.restartCount).toBe(2);
  });

  it('is stopped by its PID', async () => {
    const otherDir = await mkdtemp(join(tmpdir(), 'layerlab-registry-'));
    const other = await RegistryProcess.start({ stateDir: otherDir });
    const pid = other.pid!;
    expect(alive(pid)).toBe(true);
    await other.stop();
    expect(alive(pid)).toBe(false);
    await expect(other.origin()).rejects.toThrow(/not running \(stopped\)/);
    await rm(otherDir, { recursive: true, force: true });
  });
});

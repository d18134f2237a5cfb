// Timing from outside, as a learner's client would: each command a separate small process
// started by hyperfine (never by the benchmark's Node process, whose fork of a large heap
// would be counted on the baseline's side), in rounds that alternate the commands so that
// the machine's noise falls on all of them alike.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from './harness.js';

export interface TimedCommand {
  name: string;
  /** One command line, split by hyperfine as a shell would (quotes), but run without a shell. */
  command: string;
}

export function hyperfineRounds(
  commands: readonly TimedCommand[],
  runs: number,
  opts: { rounds?: number; env?: Record<string, string>; cwd?: string } = {},
): Sample[] {
  const rounds = Math.max(1, Math.min(opts.rounds ?? 5, runs));
  const dir = mkdtempSync(join(tmpdir(), 'layerlab-hyperfine-'));
  const samples: Sample[] = commands.map((c) => ({ name: c.name, times: [] }));
  try {
    for (let round = 0; round < rounds; round++) {
      const n = Math.floor(runs / rounds) + (round < runs % rounds ? 1 : 0);
      if (n < 2) continue;
      const out = join(dir, `round-${round}.json`);
      // Each round starts with another command, so none always runs first on a quiet machine.
      const order = commands.map((_, i) => (i + round) % commands.length);
      const r = spawnSync(
        'hyperfine',
        [
          '-N',
          '--style',
          'none',
          '--warmup',
          round === 0 ? '3' : '1',
          '--runs',
          String(n),
          '--export-json',
          out,
          ...order.map((i) => commands[i]!.command),
        ],
        {
          env: { ...process.env, ...opts.env },
          cwd: opts.cwd,
          encoding: 'utf8',
        },
      );
      if (r.status !== 0) throw new Error(`hyperfine failed (${r.status}): ${r.stderr}`);
      const results = (JSON.parse(readFileSync(out, 'utf8')) as { results: { times: number[]; exit_codes?: number[] }[] }).results;
      order.forEach((i, k) => {
        if (results[k]!.exit_codes?.some((code) => code !== 0)) throw new Error(`${commands[i]!.name}: a run exited non-zero`);
        samples[i]!.times.push(...results[k]!.times.map((s) => s * 1000));
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return samples;
}

/** `curl` posting one command line to a session, failing on an HTTP error. */
export function curlCommand(base: string, session: { id: string; token: string }, line: string): string {
  const body = JSON.stringify({ command: line });
  if (body.includes("'")) throw new TypeError('the command line must not hold a single quote');
  return `curl -sf -o /dev/null -X POST -H 'authorization: Bearer ${session.token}' -H 'content-type: application/json' --data-raw '${body}' ${base}/api/sessions/${session.id}/commands`;
}

/**
 * busybox's `wget` (static, as small a process as the bare side's `sh`) posting one
 * command line to a session; it exits non-zero on an HTTP error. curl is a client too,
 * but its start (libcurl and its TLS, SSH, LDAP and Kerberos libraries) costs tens of ms
 * on this machine that the bare side's `sh` does not pay: the run's ratio is taken with
 * the small client, and curl's rows are reported beside it.
 */
export function wgetCommand(base: string, session: { id: string; token: string }, line: string): string {
  const body = JSON.stringify({ command: line });
  if (body.includes("'")) throw new TypeError('the command line must not hold a single quote');
  return `busybox wget -q -O /dev/null --header 'authorization: Bearer ${session.token}' --header 'content-type: application/json' --post-data '${body}' ${base}/api/sessions/${session.id}/commands`;
}

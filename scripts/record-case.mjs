#!/usr/bin/env node
// Re-records conformance cases on the oracle, a real Docker engine:
//
//   npx tsx scripts/record-case.mjs test/conformance/cases/ps.case [more.case …]
//
// Each case file runs on a private, fresh dockerd (own data root and socket under /tmp)
// that holds only the oracle's busybox:latest, so `ps -a` and `images` show the case's own
// containers and images and nothing another engineer left on the shared engine. The
// commands' outputs are written back into the case file. A command with a `# docker28:` or
// `# layerlab:` note keeps its hand-corrected output (Layerlab follows Docker 28 where the
// 20.10 oracle differs); the oracle's output is printed beside it when the two differ, to
// review. Needs root and Debian's docker.io and busybox-static.
//
// Environment: LAYERLAB_ORACLE_DOCKER (client binary, default `docker` on PATH),
// LAYERLAB_ORACLE_DOCKERD (default `dockerd`).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkoutContext } from '../test/conformance/case-context.ts';
import { commandWords, formatCase, parseCase } from '../test/conformance/case-file.ts';
import { DOCKER, startOracle } from './lib/oracle.mjs';

const COMMAND_TIMEOUT_MS = 180_000;
const CORRECTED = /^(docker28|layerlab):/;

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: npx tsx scripts/record-case.mjs <file.case>…');
  process.exit(2);
}

for (const file of files) {
  const daemon = await startOracle();
  try {
    await record(resolve(file), daemon.env);
  } finally {
    await daemon.stop();
  }
}

async function record(file, daemonEnv) {
  const spec = parseCase(readFileSync(file, 'utf8'));
  // A build context is recorded from a copy with git's modes, as the cases replay it: the
  // checkout's umask must not reach the oracle's layers (case-context.ts).
  const cwd = spec.context === undefined ? mkdtempSync(join(tmpdir(), 'layerlab-case-')) : checkoutContext(resolve(dirname(file), spec.context));
  try {
    await recordCommands(file, spec, cwd, daemonEnv);
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
  writeFileSync(file, formatCase(spec));
}

async function recordCommands(file, spec, cwd, daemonEnv) {
  console.log(`▶ ${file}`);
  for (const cmd of spec.commands) {
    if (cmd.sleep > 0) await sleep(cmd.sleep * 1000);
    const [program, ...args] = commandWords(cmd.command);
    if (program !== 'docker') throw new Error(`${file}:${cmd.line}: not a docker command`);
    const result = spawnSync(DOCKER, args, {
      cwd,
      env: { ...process.env, ...daemonEnv, ...cmd.env },
      encoding: 'utf8',
      timeout: COMMAND_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    if (result.error) throw result.error;
    const recorded = { stdout: result.stdout, stderr: result.stderr, exitCode: result.status ?? 128 };
    const corrected = cmd.comments.some((c) => CORRECTED.test(c));
    if (corrected) {
      if (recorded.stdout !== cmd.stdout || recorded.stderr !== cmd.stderr || recorded.exitCode !== cmd.exitCode) {
        console.log(`  ${file}:${cmd.line} keeps its corrected output; the oracle printed:`);
        console.log(indent(`${recorded.stdout}${recorded.stderr.replace(/^/gm, '! ')}[exit ${recorded.exitCode}]`));
      }
    } else {
      Object.assign(cmd, recorded);
    }
    console.log(`  $ ${cmd.command} → ${recorded.exitCode}`);
  }
}

function indent(text) {
  return text.replace(/^/gm, '    | ');
}

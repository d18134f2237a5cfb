import fc from 'fast-check';
import type { HTTPMethods, InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import { engineLimits } from '../../sandbox-server/sessions/session-limits.js';
import type { SessionContext } from '../../sandbox-server/sessions/session.js';
import { createSimEngine } from '../../src/sim/create-sim-engine.js';
import { aSandboxServer, createSession, type Created, type Harness } from './api-harness.js';

/**
 * Random requests to every API route, on the real app with the simulator: each is
 * answered (a 2xx, or a 4xx with `{error:{code,message}}`, or the designed 504 of a
 * command past its time limit) within a bound — never a 500, a thrown error or a hang.
 */
let harness: Harness;
let s: Created;
const simSession = (session: SessionContext) =>
  createSimEngine({ workspace: new FsWorkspace(session.root.filesDir), limits: engineLimits(session.limits) });

beforeAll(async () => {
  harness = await aSandboxServer(simSession, {
    limits: { commandTimeoutMs: 1_000, interruptGraceMs: 200, maxFileBytes: 16 * 1024, createBurst: 1000 },
  });
  s = await createSession(harness.app);
});
afterAll(() => harness.close());

const ANSWER_MS = 5_000;
const anyText = (maxLength: number) => fc.oneof(fc.string({ unit: 'binary-ascii', maxLength }), fc.string({ unit: 'grapheme', maxLength }));

async function answersClearly(request: InjectOptions): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const res = await Promise.race([
    harness.app.inject(request),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer in ${ANSWER_MS} ms`)), ANSWER_MS))),
  ]).finally(() => clearTimeout(timer));
  const status = res.statusCode;
  expect(status, res.body).not.toBe(500);
  expect(status === 504 || status < 500, res.body).toBe(true);
  if (status >= 400 && res.body !== '' && res.headers['content-type']?.toString().startsWith('application/json')) {
    // The API's own shape; a path that `..` took out of /api gets Fastify's plain 404 instead.
    const answer = res.json();
    if (typeof answer.error === 'object')
      expect(answer.error, res.body).toEqual({ code: expect.stringMatching(/^[A-Z_]+$/), message: expect.any(String) });
    else expect(answer, res.body).toMatchObject({ statusCode: status, message: expect.any(String) });
  }
}

const segment = fc.oneof(
  fc.constantFrom('api', 'sessions', 'commands', 'files', 'state', 'ws', 'health', '..', '.', '%2e%2e', '%00', '%2F', ''),
  anyText(12).map(encodeURIComponent),
);
const method = fc.constantFrom<HTTPMethods>('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS');
const contentType = fc.option(
  fc.constantFrom(
    'application/json',
    'text/plain',
    'application/octet-stream',
    'multipart/form-data; boundary=x',
    'application/json; charset=utf-16',
    'x/y',
  ),
  { nil: undefined },
);
const body = fc.option(
  fc.oneof(
    anyText(300),
    fc.json({ maxDepth: 3 }),
    fc.record({ command: fc.oneof(anyText(100), fc.integer(), fc.constant(null)) }).map((b) => JSON.stringify(b)),
  ),
  { nil: undefined },
);
const RUNS = { numRuns: 150, seed: 20261204 };

describe('every API endpoint, random requests', () => {
  it('answers any method, path, headers and body under /api clearly', async () => {
    await fc.assert(
      fc.asyncProperty(
        method,
        fc.array(segment, { maxLength: 6 }),
        contentType,
        fc.boolean(),
        body,
        async (m, segments, type, authorised, payload) => {
          const path = segments.map((x) => (x === 'sessions' ? `sessions/${s.id}` : x)).join('/');
          await answersClearly({
            method: m,
            url: `/api/${path}`,
            headers: { ...(authorised ? s.auth : { authorization: 'Bearer x' }), ...(type ? { 'content-type': type } : {}) },
            ...(payload !== undefined && m !== 'GET' && m !== 'HEAD' ? { payload } : {}),
          });
        },
      ),
      RUNS,
    );
  });

  it('answers any file path, file body and file method of a session clearly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<HTTPMethods>('GET', 'PUT', 'DELETE'),
        fc.array(anyText(20), { minLength: 1, maxLength: 4 }),
        fc.uint8Array({ maxLength: 20 * 1024 }),
        async (m, parts, bytes) => {
          await answersClearly({
            method: m,
            url: `/api/sessions/${s.id}/files/${parts.map(encodeURIComponent).join('/')}`,
            headers: s.auth,
            ...(m === 'PUT' ? { payload: Buffer.from(bytes) } : {}),
          });
        },
      ),
      { numRuns: 100, seed: 20261204 },
    );
  });

  it('answers any command line clearly: a result, a 4xx, or a command stopped at its time limit', async () => {
    const word = fc.oneof(
      fc.constantFrom(
        'docker',
        'run',
        'create',
        'ps',
        'rm',
        '-f',
        'images',
        'build',
        '.',
        'save',
        '-o',
        'load',
        '-i',
        '../x',
        'busybox',
        'echo',
        'true',
        '-d',
        '-e',
        'A=1',
        '-m',
        '1',
        '--name',
        'x',
        "'",
        '"',
        '\\',
        '\0',
      ),
      anyText(10),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.constantFrom('run', 'create', 'ps', 'rm', 'images', 'build', 'save', 'load', 'commit', 'tag', 'rmi', 'inspect'),
        fc.array(word, { maxLength: 8 }),
        async (docker, sub, words) => {
          const line = (docker ? ['docker', sub, ...words] : words).join(' ');
          await answersClearly({ method: 'POST', url: `/api/sessions/${s.id}/commands`, headers: s.auth, payload: { command: line } });
        },
      ),
      { numRuns: 150, seed: 20261204 },
    );
  }, 120_000);
});

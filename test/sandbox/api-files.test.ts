import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contextPathSegments } from '../../sandbox-server/api/file-path.js';
import { ScriptedEngine, echoScript } from './api-scripted-engine.js';
import { aSandboxServer, createSession, type Created, type Harness } from './api-harness.js';

let harness: Harness;
let s: Created;
let filesDir: string;
beforeEach(async () => {
  harness = await aSandboxServer(async () => new ScriptedEngine(echoScript), { limits: { maxFileBytes: 1024 } });
  s = await createSession(harness.app);
  filesDir = harness.engines[0]!.session.root.filesDir;
});
afterEach(() => harness.close());

const url = (path: string) => `/api/sessions/${s.id}/files/${path}`;
const put = (path: string, payload: string | Buffer, contentType = 'application/octet-stream') =>
  harness.app.inject({ method: 'PUT', url: url(path), headers: { ...s.auth, 'content-type': contentType }, payload });
const get = (path: string) => harness.app.inject({ method: 'GET', url: url(path), headers: s.auth });
const del = (path: string) => harness.app.inject({ method: 'DELETE', url: url(path), headers: s.auth });

describe('sandbox API: build-context files', () => {
  it("writes a file into the session's files dir (what the engine's Workspace reads), reads it back, deletes it", async () => {
    expect((await put('Dockerfile', 'FROM busybox\nRUN echo hi > /hi\n')).statusCode).toBe(204);
    expect(readFileSync(join(filesDir, 'Dockerfile'), 'utf8')).toBe('FROM busybox\nRUN echo hi > /hi\n');
    const back = await get('Dockerfile');
    expect(back.statusCode).toBe(200);
    expect(back.headers['content-type']).toBe('application/octet-stream');
    expect(back.body).toBe('FROM busybox\nRUN echo hi > /hi\n');
    expect((await del('Dockerfile')).statusCode).toBe(204);
    expect((await get('Dockerfile')).statusCode).toBe(404);
  });

  it('keeps bytes as sent, whatever the Content-Type says', async () => {
    expect((await put('data.json', '{"not": "parsed"', 'application/json')).statusCode).toBe(204);
    expect((await get('data.json')).body).toBe('{"not": "parsed"');
    const binary = Buffer.from([0, 255, 1, 254]);
    await put('bin/blob', binary);
    expect((await get('bin/blob')).rawPayload).toEqual(binary);
  });

  it('makes parent dirs, overwrites, writes empty files, and lists what is there', async () => {
    await put('app/src/main.sh', 'echo one');
    await put('app/src/main.sh', 'echo two');
    await put('empty', '');
    expect((await get('app/src/main.sh')).body).toBe('echo two');
    const list = await harness.app.inject({ method: 'GET', url: `/api/sessions/${s.id}/files`, headers: s.auth });
    expect(list.json()).toEqual({
      files: [
        { path: 'app/src/main.sh', size: 8 },
        { path: 'empty', size: 0 },
      ],
    });
    expect((await del('app')).statusCode).toBe(204);
    expect((await get('app/src/main.sh')).statusCode).toBe(404);
  });

  it('refuses a file over the size cap with 413', async () => {
    const res = await put('big', Buffer.alloc(1025));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['a .. segment', '..%2F..%2Fetc%2Fpasswd'],
    ['an encoded absolute path', '%2Fetc%2Fpasswd'],
    ['a . segment', 'a%2F.%2Fb'],
    ['an empty segment', 'a//b'],
    ['a backslash', 'a%5Cb'],
    ['a NUL', 'a%00b'],
    ['a newline', 'a%0Ab'],
    ['an over-long name', 'x'.repeat(256)],
  ])('refuses %s with 400 INVALID_PATH', async (_name, path) => {
    const res = await put(path, 'x');
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('INVALID_PATH');
    expect((await get(path)).statusCode).toBe(400);
    expect((await del(path)).statusCode).toBe(400);
  });

  it('never follows a symlink in the files dir out of it', async () => {
    const outside = join(harness.stateDir, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'secret'), 'host file');
    // What `docker cp` of a container's symlink could leave in the build context.
    symlinkSync(join(outside, 'secret'), join(filesDir, 'link'));
    symlinkSync(outside, join(filesDir, 'dirlink'));
    expect((await get('link')).statusCode).toBe(409);
    expect((await get('dirlink/secret')).statusCode).toBe(409);
    expect((await put('dirlink/new', 'x')).statusCode).toBe(409);
    expect((await put('link', 'replaced')).statusCode).toBe(204);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('host file');
    expect((await del('dirlink')).statusCode).toBe(204);
    expect(readFileSync(join(outside, 'secret'), 'utf8')).toBe('host file');
  });

  it('answers 409 for a directory where a file is wanted, and the reverse', async () => {
    await put('dir/file', 'x');
    expect((await get('dir')).statusCode).toBe(409);
    expect((await put('dir', 'x')).statusCode).toBe(409);
    expect((await put('dir/file/under', 'x')).statusCode).toBe(409);
  });
});

describe('build-context paths', () => {
  it('splits a valid relative path', () => {
    expect(contextPathSegments('Dockerfile')).toEqual(['Dockerfile']);
    expect(contextPathSegments('app/.env')).toEqual(['app', '.env']);
    expect(contextPathSegments('한글/파일.txt')).toEqual(['한글', '파일.txt']);
  });
  it.each(['', '/etc/passwd', '../x', 'a/../../x', 'a/', 'a\\b'])('rejects %j', (path) => {
    expect(() => contextPathSegments(path)).toThrow(/invalid file path/);
  });
});

import { constants } from 'node:fs';
import { lstat, mkdir, open, readdir, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { SessionRegistry } from '../sessions/session-registry.js';
import { ApiError, diskFull } from './api-error.js';
import { contextPathSegments } from './file-path.js';
import { sessionOf } from './session-auth.js';

const UPLOAD_PREFIX = '.layerlab-upload-';

type FilesRequest = { Params: { id: string; '*': string } };

/**
 * `PUT|GET|DELETE /api/sessions/:id/files/<path>` — the build context the engine's
 * Workspace reads (`docker build .`). Paths never leave the session's files directory:
 * no `..`, and no symlink is followed on the way (the engine may write symlinks there,
 * e.g. `docker cp`, and one pointing at the host must not be a way out).
 */
export async function fileRoutes(app: FastifyInstance, { registry }: { registry: SessionRegistry }): Promise<void> {
  const maxBytes = registry.limits.maxFileBytes;
  // A file is bytes whatever its Content-Type says: never parsed as JSON or text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: maxBytes }, (_request, body, done) => done(null, body));

  app.get('/files', async (request) => ({ files: await listFiles(sessionOf(request).root.filesDir) }));

  app.put<FilesRequest>('/files/*', { bodyLimit: maxBytes }, async (request, reply) => {
    const dir = sessionOf(request).root.filesDir;
    const segments = contextPathSegments(request.params['*']);
    const body = request.body;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const parent = await ensureParents(dir, segments.slice(0, -1), true);
    const target = join(parent, segments.at(-1)!);
    const tmp = join(parent, `${UPLOAD_PREFIX}${randomBytes(6).toString('hex')}`);
    try {
      await writeExclusive(tmp, bytes);
      // rename(2) replaces a file atomically and never follows a symlink at the target.
      await rename(tmp, target);
    } catch (error) {
      await rm(tmp, { force: true });
      throw fsError(error, request.params['*']);
    }
    return reply.code(204).send();
  });

  app.get<FilesRequest>('/files/*', async (request, reply) => {
    const path = request.params['*'];
    const segments = contextPathSegments(path);
    const parent = await ensureParents(sessionOf(request).root.filesDir, segments.slice(0, -1), false);
    let file;
    try {
      file = await open(join(parent, segments.at(-1)!), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (error) {
      throw fsError(error, path);
    }
    try {
      const stat = await file.stat();
      if (!stat.isFile()) throw notAFile(path);
      const bytes = await file.readFile();
      return reply.type('application/octet-stream').send(bytes);
    } finally {
      await file.close();
    }
  });

  app.delete<FilesRequest>('/files/*', async (request, reply) => {
    const path = request.params['*'];
    const segments = contextPathSegments(path);
    const parent = await ensureParents(sessionOf(request).root.filesDir, segments.slice(0, -1), false);
    const target = join(parent, segments.at(-1)!);
    try {
      await lstat(target);
    } catch (error) {
      throw fsError(error, path);
    }
    // rm never follows symlinks: a link is removed, not what it points at.
    await rm(target, { recursive: true, force: true });
    return reply.code(204).send();
  });
}

/** Walks (and with `create`, makes) the parent dirs, refusing anything that is not a real dir. */
async function ensureParents(root: string, segments: string[], create: boolean): Promise<string> {
  let dir = root;
  for (const segment of segments) {
    dir = join(dir, segment);
    let stat;
    try {
      stat = await lstat(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (!create) throw noSuchFile(segments.join('/'));
      try {
        await mkdir(dir);
      } catch (mkdirError) {
        if ((mkdirError as NodeJS.ErrnoException).code !== 'EEXIST') throw fsError(mkdirError, segments.join('/'));
      }
      stat = await lstat(dir);
    }
    if (!stat.isDirectory()) throw new ApiError(409, 'NOT_A_DIRECTORY', `${segments.join('/')}: a path component is not a directory`);
  }
  return dir;
}

async function writeExclusive(path: string, bytes: Buffer): Promise<void> {
  const file = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  try {
    await file.writeFile(bytes);
  } finally {
    await file.close();
  }
}

async function listFiles(root: string): Promise<{ path: string; size: number }[]> {
  const files: { path: string; size: number }[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.name.startsWith(UPLOAD_PREFIX)) continue;
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(join(dir, entry.name), path);
      else if (entry.isFile()) files.push({ path, size: (await lstat(join(dir, entry.name))).size });
    }
  };
  await walk(root, '');
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const noSuchFile = (path: string) => new ApiError(404, 'NO_SUCH_FILE', `${path}: no such file`);
const notAFile = (path: string) => new ApiError(409, 'NOT_A_FILE', `${path}: not a regular file`);

function fsError(error: unknown, path: string): Error {
  if (error instanceof ApiError) return error;
  switch ((error as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return noSuchFile(path);
    case 'ELOOP':
    case 'EISDIR':
    case 'ENOTDIR':
      return notAFile(path);
    default:
      return diskFull(error) ?? (error as Error);
  }
}

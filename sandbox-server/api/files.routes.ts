import { constants } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { BeneathDir, errno, openDirBeneath } from '../linux/beneath.js';
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
    const path = request.params['*'];
    const segments = contextPathSegments(path);
    const body = request.body;
    const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const name = segments.at(-1)!;
    await inParent(sessionOf(request).root.filesDir, segments, true, async (dir) => {
      const tmp = `${UPLOAD_PREFIX}${randomBytes(6).toString('hex')}`;
      try {
        const file = await dir.file(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
        try {
          await file.writeFile(bytes);
        } finally {
          await file.close();
        }
        // rename(2) replaces a file atomically and never follows a symlink at the target.
        await dir.rename(tmp, name);
      } catch (error) {
        await dir.remove(tmp).catch(() => undefined);
        throw fsError(error, path);
      }
    });
    return reply.code(204).send();
  });

  app.get<FilesRequest>('/files/*', async (request, reply) => {
    const path = request.params['*'];
    const segments = contextPathSegments(path);
    const bytes = await inParent(sessionOf(request).root.filesDir, segments, false, async (dir) => {
      let file;
      try {
        // O_NONBLOCK: a fifo someone made there is opened, found not to be a file, and closed.
        file = await dir.file(segments.at(-1)!, constants.O_RDONLY | constants.O_NONBLOCK);
      } catch (error) {
        throw fsError(error, path);
      }
      try {
        if (!(await file.stat()).isFile()) throw notAFile(path);
        return await file.readFile();
      } finally {
        await file.close();
      }
    });
    return reply.type('application/octet-stream').send(bytes);
  });

  app.delete<FilesRequest>('/files/*', async (request, reply) => {
    const path = request.params['*'];
    const segments = contextPathSegments(path);
    await inParent(sessionOf(request).root.filesDir, segments, false, async (dir) => {
      const name = segments.at(-1)!;
      if (!(await dir.lstatIfAny(name))) throw noSuchFile(path);
      // Removed by descriptors: a link is removed, never what it points at.
      await dir.remove(name);
    });
    return reply.code(204).send();
  });
}

/**
 * Runs `fn` on the directory holding the last of `segments`, opened beneath the files dir
 * by the one module that touches learner-named host paths (beneath.ts): a symlink or a
 * file on the way is refused, never followed. With `create`, missing dirs are made.
 */
async function inParent<T>(root: string, segments: readonly string[], create: boolean, fn: (dir: BeneathDir) => Promise<T>): Promise<T> {
  let dir: BeneathDir;
  try {
    dir = await openDirBeneath(root, segments.slice(0, -1), { create });
  } catch (error) {
    const parents = segments.slice(0, -1).join('/');
    if (errno(error) === 'ENOENT') throw noSuchFile(parents);
    if (errno(error) === 'ENOTDIR' || errno(error) === 'ELOOP') throw notADirectory(parents);
    throw fsError(error, parents);
  }
  try {
    return await fn(dir);
  } finally {
    await dir.close();
  }
}

async function listFiles(root: string): Promise<{ path: string; size: number }[]> {
  const files: { path: string; size: number }[] = [];
  const walk = async (dir: BeneathDir, prefix: string): Promise<void> => {
    for (const name of await dir.names()) {
      if (name.startsWith(UPLOAD_PREFIX)) continue;
      const path = prefix ? `${prefix}/${name}` : name;
      const stat = await dir.lstatIfAny(name);
      if (stat?.isDirectory()) {
        const sub = await dir.dir(name);
        try {
          await walk(sub, path);
        } finally {
          await sub.close();
        }
      } else if (stat?.isFile()) files.push({ path, size: stat.size });
    }
  };
  const top = await BeneathDir.openRoot(root);
  try {
    await walk(top, '');
  } finally {
    await top.close();
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

const notADirectory = (path: string) => new ApiError(409, 'NOT_A_DIRECTORY', `${path}: a path component is not a directory`);
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

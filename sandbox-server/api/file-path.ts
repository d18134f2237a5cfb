import { ApiError } from './api-error.js';

const MAX_PATH_LENGTH = 1024;
const MAX_NAME_LENGTH = 255;

/**
 * A build-context path as the learner's editor names it (`Dockerfile`, `app/main.sh`):
 * relative, `/`-separated, no `.` or `..` segment, no NUL or backslash, within the
 * lengths Linux allows. Returns its segments; anything else is a 400.
 */
export function contextPathSegments(path: string): string[] {
  const invalid = (why: string) => new ApiError(400, 'INVALID_PATH', `invalid file path ${JSON.stringify(path.slice(0, 100))}: ${why}`);
  if (path === '') throw invalid('empty');
  if (path.length > MAX_PATH_LENGTH) throw invalid(`longer than ${MAX_PATH_LENGTH} characters`);
  if (path.startsWith('/')) throw invalid('absolute paths are not allowed; name it relative to the build context');
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(path)) throw invalid('control characters and backslashes are not allowed');
  const segments = path.split('/');
  for (const segment of segments) {
    if (segment === '') throw invalid('empty path segment');
    if (segment === '.' || segment === '..') throw invalid('`.` and `..` are not allowed');
    if (Buffer.byteLength(segment) > MAX_NAME_LENGTH) throw invalid(`a name is longer than ${MAX_NAME_LENGTH} bytes`);
  }
  return segments;
}

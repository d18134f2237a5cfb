/** Monaco's language for a context file: Docker's default name and the `*.Dockerfile` /
 * `Dockerfile.*` conventions are Dockerfiles, the rest plain text. */
export function languageOf(path: string): 'dockerfile' | 'plaintext' {
  const name = path.split('/').at(-1) ?? path;
  return /^Dockerfile(\..+)?$|\.dockerfile$/i.test(name) ? 'dockerfile' : 'plaintext';
}

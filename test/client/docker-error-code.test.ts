import { describe, expect, it } from 'vitest';
import { dockerErrorCode } from '../../src/client/docker-error-code.js';
import ko from '../../src/i18n/ko.json';

// Docker 28's texts, as the CLI prints them on stderr.
const samples: [string, string][] = [
  ['Error response from daemon: No such container: nope', 'NO_SUCH_CONTAINER'],
  ['docker: Error response from daemon: Conflict. The container name "/web" is already in use by container "0123". You have to remove (or rename) that container to be able to reuse that name.', 'CONTAINER_NAME_CONFLICT'],
  ['Error response from daemon: cannot remove container "/web": container is running: stop the container before removing or force remove', 'CONTAINER_RUNNING_REMOVE'],
  ['Error response from daemon: container 0123abcd is not running', 'CONTAINER_NOT_RUNNING'],
  ['docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "unam": executable file not found in $PATH: unknown', 'CONTAINER_START_FAILED'],
  ["Unable to find image 'nope:latest' locally", 'NO_SUCH_IMAGE'],
  ['Error response from daemon: No such image: nope:latest', 'NO_SUCH_IMAGE'],
  ['docker: invalid reference format: repository name (library/Busybox) must be lowercase.', 'INVALID_REFERENCE'],
  ['Error response from daemon: conflict: unable to delete busybox:latest (must be forced) - container 0123 is using its referenced image 4567', 'IMAGE_CONFLICT'],
  ['unknown flag: --nam', 'UNKNOWN_FLAG'],
  ["unknown shorthand flag: 'x' in -x", 'UNKNOWN_FLAG'],
  ['docker: unknown command: docker rnu\n\nRun \'docker --help\' for more information', 'UNKNOWN_COMMAND'],
  ['"docker stop" requires at least 1 argument.', 'MISSING_ARGUMENT'],
];

describe('docker error codes for explanations', () => {
  it.each(samples)('%s → %s', (stderr, code) => {
    expect(dockerErrorCode(stderr)).toBe(code);
  });

  it('has no code for output that is not a Docker error', () => {
    expect(dockerErrorCode("cat: can't open '/who.txt': No such file or directory")).toBeNull();
  });

  it('has an explanation for every code it recognises', () => {
    for (const [, code] of samples) expect(Object.keys(ko)).toContain(`error.${code}`);
  });
});

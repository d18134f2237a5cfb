import { describe, expect, it } from 'vitest';
import { attachMode } from '../../src/client/attach-mode.js';

describe("attachMode: does a command line take the learner's keys, and on a pty?", () => {
  it.each([
    ['docker run -it busybox sh', { stdin: true, tty: true }],
    ['docker run -ti --rm busybox sh', { stdin: true, tty: true }],
    ['docker run --name box -i -t busybox sh', { stdin: true, tty: true }],
    ['docker run -e A=1 -it busybox sh', { stdin: true, tty: true }],
    ['docker run -eA=-t -i busybox cat', { stdin: true, tty: false }],
    ['docker container run --interactive --tty busybox', { stdin: true, tty: true }],
    ['docker run -i busybox cat', { stdin: true, tty: false }],
    ['docker run -t busybox ls', { stdin: false, tty: false }],
    ['docker run -dit busybox sh', { stdin: false, tty: false }],
    ['docker run busybox sh -it', { stdin: false, tty: false }],
    ['docker exec -it web sh', { stdin: true, tty: true }],
    ['docker exec -u 0 -it web sh', { stdin: true, tty: true }],
    ['docker start -ai box', { stdin: true, tty: false }],
    ['docker ps -a', { stdin: false, tty: false }],
    ['docker run -it "busybox', { stdin: false, tty: false }],
    // The engine's own parse: what it runs attached, the page attaches.
    [`"docker" r""un -it busybox sh`, { stdin: true, tty: true }],
    ['docker run --nope -it busybox sh', { stdin: false, tty: false }],
  ])('%s', (line, mode) => {
    expect(attachMode(line)).toEqual(mode);
  });
});

import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CaseSyntaxError, commandWords, description, formatCase, parseCase } from './case-file.js';
import type { ConformanceCase } from './case-file.js';
import { CASE_RULES, createNormaliser } from './normalise.js';

const casesDir = join(dirname(fileURLToPath(import.meta.url)), 'cases');

function caseFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return caseFiles(path);
    return name.endsWith('.case') ? [path] : [];
  });
}

const sample = `# docker diff shows an added file
# recorded: somewhere
@normalise build-timings

$ docker run --name c1 busybox sh -c 'echo hi > /f'
[exit 0]
$ docker diff c1
A /f
[exit 0]

# docker28: the daemon's text changed
@sleep 2
$ DOCKER_BUILDKIT=0 docker rm c1x
! Error response from daemon: No such container: c1x
[exit 1]
$ docker run busybox sh -c 'printf "# not a comment\\n\\n[exit 3]\\n"; printf partial >&2'
| # not a comment

| [exit 3]
! partial
\\ no newline at end
[exit 0]
`;

describe('parseCase', () => {
  it('reads header, directives, commands, streams and exit codes', () => {
    const c = parseCase(sample);
    expect(description(c)).toBe('docker diff shows an added file');
    expect(c.header).toEqual(['docker diff shows an added file', 'recorded: somewhere']);
    expect(c.normalise).toEqual(['build-timings']);
    expect(c.commands.map((cmd) => [cmd.line, cmd.command, cmd.exitCode])).toEqual([
      [5, "docker run --name c1 busybox sh -c 'echo hi > /f'", 0],
      [7, 'docker diff c1', 0],
      [13, 'docker rm c1x', 1],
      [16, `docker run busybox sh -c 'printf "# not a comment\\n\\n[exit 3]\\n"; printf partial >&2'`, 0],
    ]);
    expect(c.commands[1]!.stdout).toBe('A /f\n');
    const rm = c.commands[2]!;
    expect(rm).toMatchObject({ comments: ["docker28: the daemon's text changed"], sleep: 2, env: { DOCKER_BUILDKIT: '0' }, stdout: '' });
    expect(rm.stderr).toBe('Error response from daemon: No such container: c1x\n');
    const escaped = c.commands[3]!;
    expect(escaped.stdout).toBe('# not a comment\n\n[exit 3]\n');
    expect(escaped.stderr).toBe('partial');
  });

  it('round-trips: formatting a parsed case gives the same text, and parsing it gives the same case', () => {
    const c = parseCase(sample);
    expect(formatCase(c)).toBe(sample);
    expect(parseCase(formatCase(c))).toEqual(c);
  });

  it('round-trips awkward output: blank lines, syntax-like lines, missing final newlines, empty stderr lines', () => {
    const c: ConformanceCase = {
      header: ['awkward', ''],
      normalise: [],
      commands: [
        {
          line: 4,
          comments: [],
          sleep: 0,
          env: {},
          command: 'docker logs x',
          stdout: '\n$ not a command\n| pipe\n\\ no newline at end\n@sleep 1\n!bang\n\nlast',
          stderr: '\n! twice\n',
          exitCode: 125,
        },
      ],
    };
    expect(parseCase(formatCase(c))).toEqual(c);
  });

  it('says where a case is malformed', () => {
    expect(() => parseCase('# x\n\n$ docker ps\nCONTAINER ID\n')).toThrow(/line 3: command "docker ps" has no \[exit N\] line/);
    expect(() => parseCase('# x\n\n$ docker ps\n$ docker images\n[exit 0]\n')).toThrow(CaseSyntaxError);
    expect(() => parseCase('# x\n\n$ ls -l\n[exit 0]\n')).toThrow(/must start with "docker"/);
    expect(() => parseCase('# x\n\n@frobnicate\n$ docker ps\n[exit 0]\n')).toThrow(/line 3: unknown directive @frobnicate/);
    expect(() => parseCase('$ docker ps\n[exit 0]\n')).toThrow(/starts with a "# …" line/);
    expect(() => parseCase('# x\n\n$ docker ps\n[exit 0]\n@context build\n')).toThrow(/belongs in the header/);
    expect(() => parseCase('# x\n\n$ docker ps\n[exit 0]\n@sleep 1\n')).toThrow(/after the last command/);
  });
});

describe('commandWords', () => {
  it('splits like a shell for quotes and backslashes', () => {
    expect(commandWords(`docker run busybox sh -c 'echo "a b" > /f'`)).toEqual(['docker', 'run', 'busybox', 'sh', '-c', 'echo "a b" > /f']);
    expect(commandWords(`docker commit -c "CMD [\\"sh\\"]" c1  x\\ y ''`)).toEqual(['docker', 'commit', '-c', 'CMD ["sh"]', 'c1', 'x y', '']);
  });

  it('refuses what only a shell could do, since the simulator gets the same line', () => {
    expect(() => commandWords('docker rm $(docker ps -aq)')).toThrow(/needs a shell/);
    expect(() => commandWords('docker ps | wc -l')).toThrow(/needs a shell/);
    expect(() => commandWords('docker run busybox echo "$HOME"')).toThrow(/need a shell/);
    expect(() => commandWords("docker run busybox echo 'open")).toThrow(/looking for matching/);
  });
});

describe('createNormaliser', () => {
  it('gives IDs placeholders by first appearance, the same ID the same placeholder, short IDs that of their full ID', () => {
    const full1 = '04f1a92cb631e2da7b02d0a491a175c22f1587bf9be5551fac6c32f0676214c0';
    const full2 = '54a17719ec843b6e83bfb4f189399fcf0229871bd19883353b00a6e53c707741';
    const n = createNormaliser();
    expect(n(`${full1}\n`)).toBe('<id1>\n');
    expect(n(`${full2.slice(0, 12)}  ${full1.slice(0, 12)}\nsha256:${full2}`)).toBe('<id2:short>  <id1:short>\nsha256:<id2>');
    expect(n('deadbeefcafe')).toBe('<id3:short>');
  });

  it('still shows a real difference: a different ID where the same one belongs', () => {
    const a = 'aaaaaaaaaaaa',
      b = 'bbbbbbbbbbbb',
      c = 'cccccccccccc';
    const oracle = createNormaliser();
    const sim = createNormaliser();
    const expected = [oracle(`${a}\n`), oracle(`Error: No such container: ${a}\n`)];
    const actual = [sim(`${b}\n`), sim(`Error: No such container: ${c}\n`)];
    expect(actual[0]).toBe(expected[0]);
    expect(actual[1]).not.toBe(expected[1]);
  });

  it('replaces time phrases and dates, keeps the words around them', () => {
    const n = createNormaliser();
    expect(n('Exited (137) Less than a second ago')).toBe('Exited (137) <duration> ago');
    expect(n('Up About a minute (Paused)')).toBe('Up <duration> (Paused)');
    expect(n('2 seconds ago  Up 3 seconds')).toBe('<duration> ago  Up <duration>');
    expect(n('1 second ago')).toBe('<duration> ago');
    expect(n('2026-11-28T13:11:38.814284811Z 2026-11-28 13:11:38 +0000 UTC')).toBe('<date> <date>');
    expect(n('drwxr-xr-x    2 root     root          4096 Nov 28 13:11 bin')).toBe('drwxr-xr-x  2 root  root  4096 <date> bin');
    expect(n('-rw-r--r--    1 root     root             0 Jan  1  1970 f')).toBe('-rw-r--r--  1 root  root  0 <date> f');
  });

  it('replaces only sizes of a megabyte or more, which only the base image reaches', () => {
    const n = createNormaliser();
    expect(n('busybox   latest   abc   2 minutes ago   4.26MB')).toBe('busybox  latest  abc  <duration> ago  <size>');
    expect(n('<missing>   5 seconds ago   sh -c echo hi   6B')).toBe('<missing>  <duration> ago  sh -c echo hi  6B');
    expect(n('12.3kB')).toBe('12.3kB');
  });

  it('collapses column padding but keeps single spaces, indentation and everything else', () => {
    const n = createNormaliser();
    expect(n('CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES   ')).toBe(
      'CONTAINER ID  IMAGE  COMMAND  CREATED  STATUS  PORTS  NAMES',
    );
    expect(n('    1 root      0:00 ps')).toBe('    1 root  0:00 ps');
    expect(n('A /f\nC /etc')).not.toBe(n('A /f\nC /etc/passwd'));
    expect(n('IMAGE ID  CREATED')).not.toBe(n('CREATED  IMAGE ID'));
  });

  it('keeps what a terminal shows of a line with carriage returns', () => {
    const n = createNormaliser();
    expect(n('Sending build context to Docker daemon  1.024kB\r\r\nStep 1/2')).toBe('Sending build context to Docker daemon  1.024kB\nStep 1/2');
    expect(n('10%\r50%\r100%')).toBe('100%');
  });

  it('replaces names Docker generated, consistently, in ps rows and wherever they come back', () => {
    const n = createNormaliser();
    const row = 'abc   busybox   "true"   2 seconds ago   Exited (0) 1 second ago             eager_turing';
    expect(n(row)).toBe('abc  busybox  "true"  <duration> ago  Exited (0) <duration> ago  <name1>');
    expect(n('eager_turing\n')).toBe('<name1>\n');
    expect(n('hungry_hopper2 is not in a table')).toBe('hungry_hopper2 is not in a table');
  });

  it('normalises BuildKit timings only in cases that ask for it', () => {
    expect(createNormaliser(['build-timings'])('#5 DONE 0.3s\n#5 0.215 hi')).toBe('#5 DONE <t>\n#5 <t> hi');
    expect(createNormaliser()('#5 DONE 0.3s')).toBe('#5 DONE 0.3s');
    expect(() => createNormaliser(['nosuch'])).toThrow(/unknown @normalise rule "nosuch"/);
  });

  it('normalises a push’s manifest size only in cases that ask for it, and nothing else of the line', () => {
    const line = `latest: digest: sha256:${'ab'.repeat(32)} size: 735`;
    expect(createNormaliser(['manifest-size'])(line)).toBe('latest: digest: sha256:<id1> size: <n>');
    expect(createNormaliser()(line)).toBe('latest: digest: sha256:<id1> size: 735');
    expect(createNormaliser(['manifest-size'])('layer size: 735')).toBe('layer size: 735');
  });

  it('normalises the bytes of a blob BuildKit pulled under manifest-size, only where both numbers are one', () => {
    const hex = 'cd'.repeat(32);
    expect(createNormaliser(['manifest-size'])(`#4 sha256:${hex} 1.32kB / 1.32kB done`)).toBe('#4 sha256:<id1> <n> / <n> done');
    expect(createNormaliser(['manifest-size'])(`#4 sha256:${hex} 108B / 2.05kB`)).toBe('#4 sha256:<id1> 108B / 2.05kB');
    expect(createNormaliser()(`#4 sha256:${hex} 735B / 735B done`)).toBe('#4 sha256:<id1> 735B / 735B done');
  });

  it('normalises a BuildKit status line’s time under build-timings, and a dockerfile’s transfer under transfer-sizes', () => {
    expect(createNormaliser(['build-timings'])('#4 resolve localhost:5000/base:latest 0.1s done')).toBe(
      '#4 resolve localhost:5000/base:latest <t> done',
    );
    expect(createNormaliser(['build-timings'])('#3 transferring context: 2B done')).toBe('#3 transferring context: 2B done');
    expect(createNormaliser(['transfer-sizes'])('#1 transferring dockerfile: 74B done')).toBe('#1 transferring dockerfile: <n> done');
    expect(createNormaliser(['transfer-sizes'])('#3 transferring context: 2B done')).toBe('#3 transferring context: 2B done');
  });
});

describe('the recorded cases', () => {
  const files = caseFiles(casesDir);

  it('exist, one file per topic', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });

  it.each(files.map((f) => [f.slice(casesDir.length + 1), f]))('%s is well-formed and in canonical form', (_name, file) => {
    const text = readFileSync(file, 'utf8');
    const c = parseCase(text);
    expect(formatCase(c)).toBe(text);
    expect(description(c)).not.toBe('');
    expect(c.header.some((line) => line.startsWith('recorded: '))).toBe(true);
    for (const rule of c.normalise) expect(CASE_RULES).toContain(rule);
    if (c.context !== undefined) expect(existsSync(resolve(dirname(file), c.context))).toBe(true);
    for (const cmd of c.commands) expect(() => commandWords(cmd.command)).not.toThrow();
  });
});

import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/engine/cli/tokenize.js';
import { FlagError, parseFlags, type FlagSpec } from '../../src/engine/cli/flags.js';
import { parseCommandLine } from '../../src/engine/cli/parse-command.js';
import { CommandLineError } from '../../src/engine/cli/command-line-errors.js';
import { builtinCommands, commandTable } from '../../src/engine/cli/commands/index.js';

describe('command line words', () => {
  it('keeps quoted text together as a shell would', () => {
    expect(tokenize(`docker run busybox sh -c 'echo "a b" > /x'`)).toEqual(['docker', 'run', 'busybox', 'sh', '-c', 'echo "a b" > /x']);
    expect(tokenize(`docker inspect -f "{{.State.Status}}" c1`)).toEqual(['docker', 'inspect', '-f', '{{.State.Status}}', 'c1']);
    expect(tokenize(`echo a\\ b ""`)).toEqual(['echo', 'a b', '']);
  });
  it('rejects an unterminated quote', () => {
    expect(() => tokenize(`echo 'x`)).toThrow(/matching/);
  });
});

const RUN: FlagSpec[] = [
  { long: 'interactive', short: 'i', type: 'bool' },
  { long: 'tty', short: 't', type: 'bool' },
  { long: 'name', type: 'string' },
  { long: 'env', short: 'e', type: 'list' },
  { long: 'memory', short: 'm', type: 'bytes' },
];

describe('flags (pflag rules)', () => {
  it('combines short booleans and stops at the image for run', () => {
    const p = parseFlags(['-it', '--name=web', '-eA=1', '-e', 'B=2', '-m', '64m', 'busybox', 'ls', '-l'], RUN, false);
    expect(p.flags.get('interactive')).toBe(true);
    expect(p.flags.get('tty')).toBe(true);
    expect(p.flags.get('name')).toBe('web');
    expect(p.flags.get('env')).toEqual(['A=1', 'B=2']);
    expect(p.flags.get('memory')).toBe(64 * 1024 * 1024);
    expect(p.args).toEqual(['busybox', 'ls', '-l']);
  });
  it("words errors as Docker's CLI does", () => {
    expect(() => parseFlags(['--foo'], RUN, true)).toThrow(new FlagError('unknown flag: --foo', 'UNKNOWN_FLAG'));
    expect(() => parseFlags(['-x'], RUN, true)).toThrow(new FlagError("unknown shorthand flag: 'x' in -x", 'UNKNOWN_FLAG'));
    expect(() => parseFlags(['-e'], RUN, true)).toThrow(new FlagError("flag needs an argument: 'e' in -e", 'FLAG_NEEDS_ARGUMENT'));
    expect(() => parseFlags(['--name'], RUN, true)).toThrow(new FlagError('flag needs an argument: --name', 'FLAG_NEEDS_ARGUMENT'));
    expect(() => parseFlags(['-i=maybe'], RUN, true)).toThrow(/strconv.ParseBool: parsing "maybe": invalid syntax/);
  });
});

describe('parseCommandLine: the one parse of a docker line', () => {
  const table = commandTable(builtinCommands);
  const parse = (line: string) => parseCommandLine(line, table);
  const refusal = (line: string) => {
    try {
      parse(line);
    } catch (err) {
      if (err instanceof CommandLineError) return err.code;
      throw err;
    }
    return 'parsed';
  };

  it('finds the command by path or alias, however the words are quoted', () => {
    for (const line of [
      'docker run -d busybox',
      `docker 'run' -d busybox`,
      `"docker" r""un -d busybox`,
      'docker container run -d busybox',
      `docker container "run" -d busybox`,
    ]) {
      const parsed = parse(line);
      expect(parsed.kind === 'command' && parsed.command.path, line).toBe('run');
      expect(parsed.kind === 'command' && parsed.command.limit, line).toBe('container');
    }
    const build = parse('docker image build -t x .');
    expect(build.kind === 'command' && [build.command.limit, build.invokedAs, build.args]).toEqual(['build', 'image build', ['.']]);
  });

  it('answers help and version without a command', () => {
    expect(parse('docker')).toEqual({ kind: 'help', path: '' });
    expect(parse('docker container')).toEqual({ kind: 'help', path: 'container' });
    expect(parse('docker ps --help')).toEqual({ kind: 'help', path: 'ps' });
    expect(parse('docker --version')).toEqual({ kind: 'version' });
    expect(parse('   ')).toEqual({ kind: 'empty' });
  });

  it.each([
    ['docker run "busybox', 'UNTERMINATED_QUOTE'],
    ['docker run -e A=\0 busybox', 'NUL_IN_COMMAND'],
    ['ls -l', 'NOT_DOCKER'],
    ['docker --debug run busybox', 'UNSUPPORTED_GLOBAL_OPTION'],
    ['docker cp a b', 'UNSUPPORTED_COMMAND'],
    ['docker image prune', 'UNSUPPORTED_COMMAND'],
    ['docker rnu', 'UNKNOWN_COMMAND'],
    ['docker container\\ run busybox', 'UNKNOWN_COMMAND'],
    ['docker run --nope busybox', 'UNKNOWN_FLAG'],
    ['docker run --name', 'FLAG_NEEDS_ARGUMENT'],
    ['docker run -m lots busybox', 'INVALID_FLAG_VALUE'],
    ['docker stop', 'MISSING_ARGUMENT'],
    ['docker ps x', 'TOO_MANY_ARGUMENTS'],
  ])('refuses %j with %s', (line, code) => expect(refusal(line)).toBe(code));
});

import { describe, expect, it } from 'vitest';
import { tokenize } from '../../src/engine/cli/tokenize.js';
import { FlagError, parseFlags, type FlagSpec } from '../../src/engine/cli/flags.js';

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
    expect(() => parseFlags(['--foo'], RUN, true)).toThrow(new FlagError('unknown flag: --foo'));
    expect(() => parseFlags(['-x'], RUN, true)).toThrow(new FlagError("unknown shorthand flag: 'x' in -x"));
    expect(() => parseFlags(['-e'], RUN, true)).toThrow(new FlagError("flag needs an argument: 'e' in -e"));
    expect(() => parseFlags(['--name'], RUN, true)).toThrow(new FlagError('flag needs an argument: --name'));
    expect(() => parseFlags(['-i=maybe'], RUN, true)).toThrow(/strconv.ParseBool: parsing "maybe": invalid syntax/);
  });
});

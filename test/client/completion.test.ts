import { describe, expect, it } from 'vitest';
import { commonPrefix, complete } from '../../src/client/completion.js';
import { flagsOf, subcommandsOf } from '../../src/client/command-spec.js';
import { CommandLineError } from '../../src/engine/cli/command-line-errors.js';
import { builtinCommands, commandTable } from '../../src/engine/cli/commands/index.js';
import { parseCommandLine } from '../../src/engine/cli/parse-command.js';

const names = { images: ['busybox:latest', 'busybox', 'hello:1'], containers: ['web', 'web2', 'db'] };
const candidates = (line: string) => complete(line, names).candidates;

describe('terminal completion', () => {
  it('completes docker, its commands and management subcommands', () => {
    expect(candidates('do')).toEqual(['docker']);
    expect(candidates('docker ru')).toEqual(['run']);
    expect(candidates('docker re')).toEqual(['restart']);
    expect(candidates('docker image l')).toEqual(['list', 'load', 'ls']);
    expect(candidates('docker system ')).toEqual(['df', 'info']);
    expect(candidates('ls -')).toEqual([]);
  });

  it('completes flags of the command as the engine parses them', () => {
    expect(candidates('docker run --na')).toEqual(['--name']);
    expect(candidates('docker ps -')).toContain('-a');
    expect(candidates('docker ps -')).toContain('--all');
    expect(candidates('docker stop --ti')).toEqual(['--timeout']);
    expect(candidates('docker stop -t')).toEqual(['-t']);
  });

  it('completes image and container names where the command takes them', () => {
    expect(candidates('docker run busy')).toEqual(['busybox', 'busybox:latest']);
    expect(candidates('docker run -d --name web b')).toEqual(['busybox', 'busybox:latest']);
    expect(candidates('docker stop w')).toEqual(['web', 'web2']);
    expect(candidates('docker rm -f web d')).toEqual(['db']);
    expect(candidates('docker exec w')).toEqual(['web', 'web2']);
    expect(candidates('docker rmi h')).toEqual(['hello:1']);
  });

  it("leaves the container's own command line alone", () => {
    expect(candidates('docker run busybox w')).toEqual([]);
    expect(candidates('docker run busybox ls -')).toEqual([]);
    expect(candidates('docker exec web w')).toEqual([]);
  });

  it('reports where the completed word starts, and the shared prefix', () => {
    expect(complete('docker stop w', names).start).toBe(12);
    expect(commonPrefix(['web', 'web2'])).toBe('web');
    expect(commonPrefix(['busybox', 'busybox:latest'])).toBe('busybox');
    expect(commonPrefix([])).toBe('');
  });

  it('knows which flags take a value', () => {
    const run = flagsOf('run');
    expect(run.find((f) => f.long === 'name')).toEqual({ long: 'name', short: null, takesValue: true });
    expect(run.find((f) => f.long === 'detach')).toEqual({ long: 'detach', short: 'd', takesValue: false });
  });

  it('offers only what the engine parses: every command word runs, every flag is one its parse knows', () => {
    const table = commandTable(builtinCommands);
    const paths = (prefix: string[]): string[][] =>
      subcommandsOf(prefix).flatMap((w) => (table.has([...prefix, w].join(' ')) ? [[...prefix, w]] : paths([...prefix, w])));
    const all = paths([]);
    expect(all.length).toBeGreaterThan(30);
    for (const path of all) {
      for (const flag of flagsOf(path.join(' '))) {
        const line = `docker ${path.join(' ')} --${flag.long}${flag.takesValue ? '=1' : ''}`;
        try {
          parseCommandLine(line, table);
        } catch (err) {
          // A value the flag refuses, or missing operands, is fine; an unknown flag is not.
          if (!(err instanceof CommandLineError)) throw err;
          expect({ line, code: err.code }).not.toMatchObject({ code: 'UNKNOWN_FLAG' });
        }
      }
    }
    // Docker has -p; the engine does not (yet), so Tab does not offer it.
    expect(candidates('docker run --pub')).toEqual([]);
  });
});

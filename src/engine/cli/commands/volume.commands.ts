import { EngineError } from '../../errors.js';
import { goJson } from '../../format/go-json.js';
import { renderTemplate, TemplateError } from '../../format/go-template.js';
import { humanSize } from '../../format/size.js';
import { table } from '../../format/table.js';
import { isAnonymous } from '../../volumes/volume-table.js';
import { volumeInspect } from '../../volumes/volume-json.js';
import { bool, list, str } from '../flags.js';
import { daemonError } from '../render-error.js';
import type { Command } from '../command.js';

/** `docker volume create [OPTIONS] [VOLUME]`: prints the name (a random one when none is given). */
export const volumeCreateCommand: Command = {
  path: 'volume create',
  args: { kind: 'max', n: 1 },
  flags: [
    { long: 'driver', short: 'd', type: 'string' },
    { long: 'label', type: 'list' },
    { long: 'name', type: 'string' },
    { long: 'opt', short: 'o', type: 'list' },
  ],
  async run(ctx, parsed) {
    const flagName = str(parsed, 'name');
    const argName = parsed.args[0];
    if (flagName !== undefined && argName !== undefined && flagName !== argName) {
      // docker/cli volume/create.go
      ctx.err(`Conflicting options: either specify --name or provide positional arg, not both\n`);
      return 1;
    }
    const driver = str(parsed, 'driver') ?? 'local';
    if (driver !== 'local') {
      ctx.err(
        `Error response from daemon: create ${flagName ?? argName ?? ''}: error looking up volume plugin ${driver}: plugin "${driver}" not found\n`,
      );
      return 1;
    }
    if (list(parsed, 'opt').length) {
      ctx.err(`layerlab: volume options (-o) are not supported: a volume here is a directory of the session\n`);
      return 1;
    }
    const labels: Record<string, string> = {};
    for (const l of list(parsed, 'label')) {
      const eq = l.indexOf('=');
      labels[eq < 0 ? l : l.slice(0, eq)] = eq < 0 ? '' : l.slice(eq + 1);
    }
    try {
      const v = await ctx.containers.volumes.create(flagName ?? argName, labels);
      ctx.out(`${v.name}\n`);
      return 0;
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      daemonError(ctx, err);
      return 1;
    }
  },
};

/** `docker volume ls [-q]`: by name, DRIVER and VOLUME NAME. */
export const volumeLsCommand: Command = {
  path: 'volume ls',
  aliases: ['volume list'],
  args: { kind: 'none' },
  flags: [
    { long: 'quiet', short: 'q', type: 'bool' },
    { long: 'format', type: 'string' },
  ],
  async run(ctx, parsed) {
    const volumes = ctx.containers.volumes.list();
    const format = str(parsed, 'format');
    if (bool(parsed, 'quiet')) {
      for (const v of volumes) ctx.out(`${v.name}\n`);
      return 0;
    }
    if (format !== undefined && format !== 'table') {
      try {
        for (const v of volumes) ctx.out(`${renderTemplate(format, { Driver: 'local', Name: v.name, Mountpoint: v.mountpoint, Scope: 'local' })}\n`);
        return 0;
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        ctx.err(`${err.message}\n`);
        return 1;
      }
    }
    ctx.out(table([['DRIVER', 'VOLUME NAME'], ...volumes.map((v) => ['local', v.name])]));
    return 0;
  },
};

/** `docker volume inspect VOLUME...`: a JSON array of those found, then the daemon's error for each missing one (as the oracle prints it). */
export const volumeInspectCommand: Command = {
  path: 'volume inspect',
  args: { kind: 'min', n: 1 },
  flags: [{ long: 'format', short: 'f', type: 'string' }],
  async run(ctx, parsed) {
    const found: Record<string, unknown>[] = [];
    const missing: EngineError[] = [];
    for (const name of parsed.args) {
      try {
        found.push(volumeInspect(ctx.containers.volumes.get(name)));
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        missing.push(err);
      }
    }
    const format = str(parsed, 'format');
    if (format === undefined) ctx.out(`${goJson(found, '    ')}\n`);
    else {
      try {
        for (const obj of found) ctx.out(`${renderTemplate(format, obj as never)}\n`);
        if (found.length === 0) ctx.out('\n');
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        ctx.err(`${err.message}\n`);
        return 1;
      }
    }
    for (const err of missing) daemonError(ctx, err);
    return missing.length ? 1 : 0;
  },
};

/** `docker volume rm [-f] VOLUME...`: each removed name printed; one in use is refused in Docker's words, the rest still go. */
export const volumeRmCommand: Command = {
  path: 'volume rm',
  aliases: ['volume remove'],
  args: { kind: 'min', n: 1 },
  flags: [{ long: 'force', short: 'f', type: 'bool' }],
  async run(ctx, parsed) {
    const force = bool(parsed, 'force');
    let failed = false;
    for (const name of parsed.args) {
      try {
        // Docker: -f ignores a volume that is not there, never one that is in use.
        if (force && !ctx.containers.volumes.has(name)) continue;
        await ctx.containers.removeVolume(name);
        ctx.out(`${name}\n`);
      } catch (err) {
        if (!(err instanceof EngineError)) throw err;
        daemonError(ctx, err);
        failed = true;
      }
    }
    return failed ? 1 : 0;
  },
};

/**
 * `docker volume prune -f [-a]`: the volumes no container holds — anonymous ones only unless
 * `-a` (Docker 23+). Docker asks first; a command here has no prompt to answer, so it asks for -f.
 */
export const volumePruneCommand: Command = {
  path: 'volume prune',
  args: { kind: 'none' },
  flags: [
    { long: 'all', short: 'a', type: 'bool' },
    { long: 'force', short: 'f', type: 'bool' },
    { long: 'filter', type: 'list' },
  ],
  async run(ctx, parsed) {
    if (!bool(parsed, 'force')) {
      ctx.err(`layerlab: docker volume prune asks "Are you sure you want to continue? [y/N]" first, and here there is no prompt to answer: add -f\n`);
      return 1;
    }
    if (list(parsed, 'filter').length) {
      ctx.err(`layerlab: volume prune --filter is not supported yet\n`);
      return 1;
    }
    const all = bool(parsed, 'all');
    const deleted: string[] = [];
    let reclaimed = 0;
    for (const v of ctx.containers.volumes.list()) {
      if ((!all && !isAnonymous(v)) || ctx.containers.volumeUsers(v.name).length) continue;
      reclaimed += await ctx.drivers.volumes.size(v.name);
      await ctx.containers.volumes.remove(v.name);
      deleted.push(v.name);
    }
    if (deleted.length) ctx.out(`Deleted Volumes:\n${deleted.map((n) => `${n}\n`).join('')}\n`);
    ctx.out(`Total reclaimed space: ${humanSize(reclaimed)}\n`);
    return 0;
  },
};

export const volumeCommands: Command[] = [volumeCreateCommand, volumeLsCommand, volumeInspectCommand, volumeRmCommand, volumePruneCommand];

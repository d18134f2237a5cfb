import type { ContainerConfig } from './image-config.js';
import { EngineError } from '../errors.js';

export class InvalidCommitChange extends EngineError {
  readonly code = 'INVALID_COMMIT_CHANGE';
}

/**
 * `docker commit -c`: the Dockerfile instructions that only change config (CMD,
 * ENTRYPOINT, ENV, WORKDIR, USER, LABEL, EXPOSE, STOPSIGNAL), applied in order.
 */
export function applyCommitChange(config: ContainerConfig, change: string): void {
  const m = /^\s*(\w+)\s+([\s\S]*)$/.exec(change);
  if (!m) throw new InvalidCommitChange(`dockerfile parse error line 1: unknown instruction: ${change.trim().toUpperCase()}`);
  const instruction = m[1]!.toUpperCase();
  const rest = m[2]!.trim();
  switch (instruction) {
    case 'CMD':
      config.Cmd = commandForm(rest);
      return;
    case 'ENTRYPOINT':
      config.Entrypoint = commandForm(rest);
      // Docker: ENTRYPOINT resets an inherited CMD.
      config.Cmd = null;
      return;
    case 'ENV':
      for (const [k, v] of keyValues(rest)) setEnv(config, k, v);
      return;
    case 'LABEL':
      config.Labels = { ...(config.Labels ?? {}) };
      for (const [k, v] of keyValues(rest)) config.Labels[k] = v;
      return;
    case 'WORKDIR':
      config.WorkingDir = rest.startsWith('/') ? rest : `${config.WorkingDir || '/'}/${rest}`.replace(/\/+/g, '/');
      return;
    case 'USER':
      config.User = rest;
      return;
    case 'EXPOSE':
      config.ExposedPorts = { ...(config.ExposedPorts ?? {}) };
      for (const p of rest.split(/\s+/)) config.ExposedPorts[p.includes('/') ? p : `${p}/tcp`] = {};
      return;
    case 'STOPSIGNAL':
      config.StopSignal = rest;
      return;
    default:
      throw new InvalidCommitChange(`${instruction} is not a valid change command`);
  }
}

/** Exec form (`["a","b"]`) or shell form (`/bin/sh -c "…"`). */
function commandForm(rest: string): string[] {
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((x) => typeof x === 'string')) return parsed;
    } catch {
      // Docker: a malformed JSON array is taken as shell form.
    }
  }
  return ['/bin/sh', '-c', rest];
}

function keyValues(rest: string): [string, string][] {
  if (!rest.includes('=') || (/^\S+\s/.test(rest) && !/^\S+=/.test(rest))) {
    const sp = rest.search(/\s/);
    return sp < 0 ? [[rest, '']] : [[rest.slice(0, sp), rest.slice(sp).trim()]];
  }
  const out: [string, string][] = [];
  for (const word of rest.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []) {
    const eq = word.indexOf('=');
    out.push([word.slice(0, eq), word.slice(eq + 1).replace(/^"(.*)"$/, '$1')]);
  }
  return out;
}

function setEnv(config: ContainerConfig, key: string, value: string): void {
  const env = [...(config.Env ?? [])];
  const i = env.findIndex((e) => e.split('=', 1)[0] === key);
  if (i >= 0) env[i] = `${key}=${value}`;
  else env.push(`${key}=${value}`);
  config.Env = env;
}

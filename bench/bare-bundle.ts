// The bare baseline's bundle, made from the one Layerlab's runtime wrote for a running
// container: the same config.json (seccomp, namespaces, capabilities, limits, user
// namespace if any), the same etc files and the same lowerdirs, so that the bare cycle
// (bare-cycle.sh) runs exactly the container Layerlab runs, minus Layerlab.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export interface BareBundle {
  bundle: string;
  lowerdir: string;
  runtimeRoot: string;
  /** The command hyperfine runs: one cycle. */
  command: string;
}

/** The overlay `lowerdir` of the mount at `target`, from the kernel's mount table. */
function lowerdirAt(target: string): string {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const fields = line.split(' ');
    if (fields[4] !== target) continue;
    const superOptions = fields[fields.indexOf('-') + 3] ?? '';
    const lower = superOptions.split(',').find((o) => o.startsWith('lowerdir='));
    if (lower) return lower.slice('lowerdir='.length);
  }
  throw new Error(`no overlay mounted at ${target}`);
}

/** Finds the bundle of Layerlab container `id` under the server's state dir. */
function findBundle(stateDir: string, id: string): string {
  for (const line of readFileSync('/proc/self/mountinfo', 'utf8').split('\n')) {
    const target = line.split(' ')[4] ?? '';
    if (target.startsWith(stateDir) && target.endsWith(`/bundles/${id}/rootfs`)) return dirname(target);
  }
  throw new Error(`container ${id} has no mounted bundle under ${stateDir}`);
}

/** `name` tells apart bundles that run at once (their cgroups). */
export function bareBundleFrom(stateDir: string, containerId: string, dir: string, name = 'bare'): BareBundle {
  const model = findBundle(stateDir, containerId);
  const lowerdir = lowerdirAt(join(model, 'rootfs'));
  if (lowerdir.split(':').some((p) => !p.startsWith('/'))) throw new Error(`relative lowerdirs are not supported here: ${lowerdir}`);
  const bundle = join(dir, 'bundle');
  mkdirSync(join(bundle, 'rootfs'), { recursive: true });
  if (existsSync(join(model, 'etc'))) cpSync(join(model, 'etc'), join(bundle, 'etc'), { recursive: true });
  const config = JSON.parse(readFileSync(join(model, 'config.json'), 'utf8'));
  // Its own cgroup beside the model's (same parents, so the same ceilings).
  config.process.args = ['echo', 'hi'];
  config.linux.cgroupsPath = join(dirname(config.linux.cgroupsPath), `${name}-${process.pid}`);
  writeFileSync(join(bundle, 'config.json'), JSON.stringify(config));
  const runtimeRoot = join(dir, 'runtime');
  mkdirSync(runtimeRoot, { recursive: true });
  return { bundle, lowerdir, runtimeRoot, command: `sh bench/bare-cycle.sh ${bundle} ${lowerdir} ${runtimeRoot}` };
}

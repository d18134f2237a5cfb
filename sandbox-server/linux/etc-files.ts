import { readFileSync } from 'node:fs';
import { chmod, chown, lchown, mkdir, symlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { EtcFile } from '../../src/engine/containers/etc-files.js';
import { initLayerEntries } from '../../src/engine/containers/init-layer.js';
import type { Mount } from '../../src/engine/drivers/snapshotter.js';
import { hostRoot, type IdMapping } from './id-mapping.js';

/**
 * A container's /etc/resolv.conf, /etc/hostname and /etc/hosts on the Linux backend, laid
 * out as Docker does: the files beside the container (in its bundle, as Docker keeps them
 * in /var/lib/docker/containers/<id>/), bind-mounted by runc, and their mount points in an
 * init layer under the container's upper — else runc would create the mount points in the
 * upper and `docker diff` would list them.
 */

/** Where a file lives in the bundle; runc resolves a relative bind source against the bundle. */
export function etcFileSource(path: string): string {
  return join('etc', basename(path));
}

/** The init layer's dir in the bundle: the lowerdir put right below the container's upper. */
export function initLayerDir(bundle: string): string {
  return join(bundle, 'init');
}

/**
 * Writes the files and the init layer into `bundle` and returns the rootfs mounts with
 * the init layer as the topmost lowerdir. A rootfs without lowers (a bind of one
 * snapshot) is returned as it is: runc then makes the mount points in it.
 * All of it is container root's (moby: `initlayer.Setup` and the etc files take the
 * remapped root's ids), so that in a user namespace root can still write /etc/hosts.
 */
export async function prepareEtcFiles(bundle: string, files: readonly EtcFile[], rootfs: readonly Mount[], ids?: IdMapping): Promise<Mount[]> {
  if (files.length === 0) return [...rootfs];
  const init = initLayerDir(bundle);
  const root = hostRoot(ids);
  const own = async (path: string) => (ids ? chown(path, root.uid, root.gid) : undefined);
  // Each file and each init layer entry side by side: a container's start waits for them.
  await Promise.all([
    ...files.map(async (f) => {
      const source = join(bundle, etcFileSource(f.path));
      await mkdir(dirname(source), { recursive: true });
      await writeFile(source, f.content, { mode: 0o644 });
      await own(source);
    }),
    // moby daemon/initlayer: the mount points (empty 0755 files), /.dockerenv, the /etc/mtab
    // link, under 0755 dirs. The names are the engine's constants, not learner data.
    ...initLayerEntries(files.map((f) => f.path)).map(async (entry) => {
      const at = join(init, entry.path);
      await mkdir(dirname(at), { recursive: true, mode: 0o755 });
      for (let d = dirname(at); d.length >= init.length; d = dirname(d)) await own(d);
      if (entry.kind === 'symlink') {
        await symlink(entry.target, at);
        if (ids) await lchown(at, root.uid, root.gid);
        return;
      }
      await writeFile(at, '', { mode: entry.mode });
      await chmod(at, entry.mode);
      await own(at);
    }),
  ]);
  return rootfs.map((m) => {
    if (m.type !== 'overlay') return m;
    return { ...m, options: m.options.map((o) => (o.startsWith('lowerdir=') ? `lowerdir=${init}:${o.slice('lowerdir='.length)}` : o)) };
  });
}

/** Docker's `resolvconf.Path()`: the host's /etc/resolv.conf, unless systemd-resolved's stub
 * (127.0.0.53) is its only nameserver — then the file resolved writes with the real ones.
 * Undefined when that file is missing, which Docker reads as an empty config. */
export function hostResolvConf(): { path: string; content: string } | undefined {
  const read = (path: string) => {
    try {
      return { path, content: readFileSync(path, 'utf8') };
    } catch {
      return undefined;
    }
  };
  const etc = read('/etc/resolv.conf');
  const nameservers = [...(etc?.content ?? '').matchAll(/^\s*nameserver\s+(\S+)/gm)].map((m) => m[1]);
  return nameservers.length === 1 && nameservers[0] === '127.0.0.53' ? read('/run/systemd/resolve/resolv.conf') : etc;
}

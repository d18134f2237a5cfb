import type { BaseImage } from '../create-engine.js';
import type { Digest } from '../digest.js';
import { byPath, type Change, type DirChange, type FileContent } from '../layer/change.js';
import { checkLayerPath } from '../layer/layer-path.js';
import { DEFAULT_PATH } from '../containers/process-args.js';

/**
 * The `busybox:latest` base image's one layer, as a recipe: the same entries on every
 * backend, so the same diffID. The simulator gives the binary as `external` content; the
 * sandbox server and `scripts/gen-busybox-image.mjs` give the real bytes.
 *
 * Modelled on Docker's official busybox image (docker-library/busybox): one static
 * binary, every applet beside it in /bin (its builder runs `busybox --install /bin`, so
 * `which wget` says /bin/wget there too), buildroot's /etc/passwd and /etc/group, and a
 * home dir for each account. The official image's applets are hard links; ours are
 * symlinks (`busybox --install -s`), because a hard link here becomes a copy of its
 * target in a layer tar (layer/tar.ts), and 400 copies of a 2 MB binary is no base
 * layer. No /etc/hostname, /etc/hosts or /etc/resolv.conf: the runtime bind-mounts those
 * (containers/etc-files.ts).
 */
export interface BusyboxRootfsInput {
  /** `busybox --list-full`: applet paths relative to the root (`usr/bin/[`, `linuxrc`); each is installed in /bin by its name. */
  appletPaths: readonly string[];
  /** The busybox binary, installed as /bin/busybox. */
  binary: FileContent;
}

export const BUSYBOX_BINARY_PATH = '/bin/busybox';

// buildroot's skeleton, which docker-library/busybox ships.
export const BUSYBOX_PASSWD = [
  'root:x:0:0:root:/root:/bin/sh',
  'daemon:x:1:1:daemon:/usr/sbin:/bin/false',
  'bin:x:2:2:bin:/bin:/bin/false',
  'sys:x:3:3:sys:/dev:/bin/false',
  'sync:x:4:100:sync:/bin:/bin/sync',
  'mail:x:8:8:mail:/var/spool/mail:/bin/false',
  'www-data:x:33:33:www-data:/var/www:/bin/false',
  'operator:x:37:37:Operator:/var:/bin/false',
  'nobody:x:65534:65534:nobody:/home:/bin/false',
]
  .map((l) => `${l}\n`)
  .join('');

export const BUSYBOX_GROUP = [
  'root:x:0:',
  'daemon:x:1:',
  'bin:x:2:',
  'sys:x:3:',
  'adm:x:4:',
  'tty:x:5:',
  'disk:x:6:',
  'lp:x:7:',
  'mail:x:8:',
  'kmem:x:9:',
  'wheel:x:10:root',
  'cdrom:x:11:',
  'dialout:x:18:',
  'floppy:x:19:',
  'video:x:28:',
  'audio:x:29:',
  'tape:x:32:',
  'www-data:x:33:',
  'operator:x:37:',
  'utmp:x:43:',
  'plugdev:x:46:',
  'staff:x:50:',
  'lock:x:54:',
  'netdev:x:82:',
  'users:x:100:',
  'nogroup:x:65534:',
]
  .map((l) => `${l}\n`)
  .join('');

function dir(path: string, mode = 0o755, owner = 0): DirChange {
  return { kind: 'dir', path, mode, uid: owner, gid: owner };
}

const DIRS: readonly DirChange[] = [
  dir('/bin'),
  dir('/dev'),
  dir('/etc'),
  // docker-library/busybox creates each account's missing home dir owned by it.
  dir('/home', 0o755, 65534),
  dir('/proc'),
  dir('/root', 0o700),
  dir('/sys'),
  dir('/tmp', 0o1777),
  // daemon's home: docker-library/busybox makes each account's missing home, and no more of /usr.
  dir('/usr'),
  dir('/usr/sbin'),
  dir('/var'),
  dir('/var/spool'),
  dir('/var/spool/mail', 0o755, 8),
  dir('/var/www', 0o755, 33),
];

const encoder = new TextEncoder();

export function busyboxRootfs({ appletPaths, binary }: BusyboxRootfsInput): Change[] {
  const entries = new Map<string, Change>(DIRS.map((d) => [d.path, d]));
  entries.set(BUSYBOX_BINARY_PATH, { kind: 'file', path: BUSYBOX_BINARY_PATH, mode: 0o755, uid: 0, gid: 0, content: binary });
  entries.set('/etc/passwd', {
    kind: 'file',
    path: '/etc/passwd',
    mode: 0o644,
    uid: 0,
    gid: 0,
    content: { type: 'bytes', bytes: encoder.encode(BUSYBOX_PASSWD) },
  });
  entries.set('/etc/group', {
    kind: 'file',
    path: '/etc/group',
    mode: 0o644,
    uid: 0,
    gid: 0,
    content: { type: 'bytes', bytes: encoder.encode(BUSYBOX_GROUP) },
  });
  for (const applet of appletPaths) {
    // `busybox --install /bin`: every applet in /bin by its name, wherever --list-full puts it. The name is the last
    // part of a path busybox itself printed (or the simulator recorded), and `/bin/<name>` is checked as a layer path:
    // layerPath's normalising of a learner's tar names cost ~7 ms of the simulator's start at 4× here (issue 15).
    const name = applet.slice(applet.lastIndexOf('/') + 1);
    if (name === '') continue;
    const path = `/bin/${name}`;
    checkLayerPath(path);
    if (path === BUSYBOX_BINARY_PATH) continue;
    entries.set(path, { kind: 'symlink', path, mode: 0o777, uid: 0, gid: 0, target: BUSYBOX_BINARY_PATH });
  }
  return [...entries.values()].sort(byPath);
}

/** When busybox:latest says it was made: a fixed date, so the image ID is the same in
 * every session, on both backends. */
const BUSYBOX_CREATED = '2024-01-01T00:00:00Z';

/** The base layer a backend has for busybox:latest: the recipe's entries and the diffID of its tar. */
export interface BusyboxLayer {
  diffId: Digest;
  size: number;
  changes: readonly Change[];
}

/**
 * `busybox:latest` as the sandbox's setup makes it (and the oracle's recorder): the
 * busybox-static rootfs imported with `docker import --change 'ENV PATH=…' --change
 * 'CMD ["sh"]'`, one layer, one `Imported from -` history entry. Each backend brings
 * the layer (the simulator's recorded one, the server's built from the host's binary);
 * config and history are the same on both, so the image ID is.
 */
export function busyboxImage(layer: BusyboxLayer): BaseImage {
  return {
    reference: 'busybox:latest',
    layers: [{ ...layer, createdBy: '' }],
    config: { Env: [`PATH=${DEFAULT_PATH}`], Cmd: ['sh'] },
    created: BUSYBOX_CREATED,
    history: [{ created: BUSYBOX_CREATED, comment: 'Imported from -' }],
  };
}

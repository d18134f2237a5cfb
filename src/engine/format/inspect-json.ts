import type { ContainerRecord } from '../containers/container-record.js';
import { mountPointJson } from '../volumes/volume-json.js';
import { statusOf } from '../containers/container-record.js';
import type { ImageRecord } from '../images/image-store.js';
import { orderedContainerConfig } from '../images/image-config.js';
import { GO_ZERO_TIME, goTime } from './go-json.js';
import type { RootfsLayout } from '../drivers/runtime.js';
import type { Mount } from '../drivers/snapshotter.js';

/** overlay2's `GraphDriver.Data`, in the order Docker's JSON prints it. */
export interface GraphDriverData {
  LowerDir?: string;
  MergedDir: string;
  UpperDir: string;
  WorkDir: string;
}

const mountOption = (m: Mount, name: string) => m.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1);

/**
 * A container's overlay2 dirs (moby overlay2 `GetMetadata`): the init layer then the
 * image's layers, top first, as LowerDir; its own upper and work dirs; the rootfs's mount
 * point as MergedDir. The snapshot's mount names the layers, the runtime the rest.
 */
export function containerGraphDriverData(mounts: readonly Mount[], layout: RootfsLayout | undefined): GraphDriverData | null {
  const m = mounts.find((x) => x.type === 'overlay');
  const upper = m && mountOption(m, 'upperdir');
  if (!m || upper === undefined) return null;
  const lowers = [...(layout ? [layout.initDir] : []), ...(mountOption(m, 'lowerdir') ?? '').split(':').filter(Boolean)];
  return { LowerDir: lowers.join(':'), MergedDir: layout?.mergedDir ?? '', UpperDir: upper, WorkDir: mountOption(m, 'workdir') ?? '' };
}

/**
 * An image's overlay2 dirs (moby overlay2 `GetMetadata` of its top layer) from a read-only
 * view of it: the top layer is UpperDir, the ones below it LowerDir (left out for a
 * one-layer image, as Docker does), and its work and merged dirs beside it.
 */
export function imageGraphDriverData(view: readonly Mount[]): GraphDriverData | null {
  const m = view[0];
  if (!m) return null;
  const layers = m.type === 'bind' ? [m.source] : (mountOption(m, 'lowerdir') ?? '').split(':').filter(Boolean);
  const top = layers[0];
  if (top === undefined) return null;
  const dir = top.replace(/\/[^/]+$/, '');
  return { ...(layers.length > 1 ? { LowerDir: layers.slice(1).join(':') } : {}), MergedDir: `${dir}/merged`, UpperDir: top, WorkDir: `${dir}/work` };
}

/** `docker image inspect`, as the Docker 28 API (1.50) returns it. */
export function imageInspect(image: ImageRecord, graphData: GraphDriverData | null = null): Record<string, unknown> {
  const config = orderedContainerConfig(image.config.config);
  return {
    Id: image.id,
    RepoTags: image.tags,
    RepoDigests: image.repoDigests,
    Parent: image.parent ?? '',
    Comment: image.config.history[image.config.history.length - 1]?.comment ?? '',
    Created: image.config.created,
    DockerVersion: '',
    Author: image.config.author ?? '',
    Config: config,
    Architecture: image.config.architecture,
    Os: image.config.os,
    Size: image.size,
    GraphDriver: { Data: graphData, Name: 'overlay2' },
    RootFS: { Type: 'layers', Layers: image.config.rootfs.diff_ids },
    Metadata: { LastTagTime: image.lastTagTime === null ? GO_ZERO_TIME : goTime(image.lastTagTime) },
  };
}

/** `docker container inspect`, the fields Layerlab's containers have, in Docker's order. */
export function containerInspect(c: ContainerRecord, layout?: RootfsLayout): Record<string, unknown> {
  const status = statusOf(c);
  const running = status === 'running' || status === 'paused' || status === 'restarting';
  return {
    Id: c.id,
    Created: goTime(c.created),
    Path: c.path,
    Args: c.args,
    State: {
      Status: status,
      Running: running,
      Paused: status === 'paused',
      Restarting: status === 'restarting',
      OOMKilled: false,
      Dead: status === 'dead',
      Pid: c.pid ?? 0,
      ExitCode: c.machine.context.exitCode ?? 0,
      Error: '',
      StartedAt: c.startedAt === null ? GO_ZERO_TIME : goTime(c.startedAt),
      FinishedAt: c.finishedAt === null ? GO_ZERO_TIME : goTime(c.finishedAt),
    },
    Image: c.image.id,
    ResolvConfPath: '',
    HostnamePath: '',
    HostsPath: '',
    LogPath: '',
    Name: `/${c.name}`,
    RestartCount: c.restartCount,
    Driver: 'overlay2',
    Platform: 'linux',
    MountLabel: '',
    ProcessLabel: '',
    AppArmorProfile: '',
    ExecIDs: null,
    HostConfig: {
      NetworkMode: 'none',
      RestartPolicy: { Name: 'no', MaximumRetryCount: 0 },
      AutoRemove: c.hostConfig.autoRemove,
      Memory: c.hostConfig.memory,
      NanoCpus: c.hostConfig.nanoCpus,
      PidsLimit: c.hostConfig.pidsLimit,
    },
    GraphDriver: {
      Data: containerGraphDriverData(c.mounts, layout),
      Name: 'overlay2',
    },
    Mounts: c.volumes.map(mountPointJson),
    Config: {
      Hostname: c.config.hostname,
      Domainname: '',
      User: c.config.user,
      AttachStdin: c.config.attachStdin,
      AttachStdout: c.config.attachStdout,
      AttachStderr: c.config.attachStderr,
      Tty: c.config.tty,
      OpenStdin: c.config.openStdin,
      StdinOnce: c.config.stdinOnce,
      Env: c.config.env,
      Cmd: c.config.cmd,
      Image: c.imageRef,
      Volumes: null,
      WorkingDir: c.config.workingDir,
      Entrypoint: c.config.entrypoint,
      OnBuild: null,
      Labels: c.config.labels,
      ...(c.config.stopSignal ? { StopSignal: c.config.stopSignal } : {}),
    },
    NetworkSettings: { Networks: {} },
  };
}

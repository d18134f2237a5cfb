import type { ContainerRecord } from '../containers/container-record.js';
import { statusOf } from '../containers/container-record.js';
import type { ImageRecord } from '../images/image-store.js';
import { orderedContainerConfig } from '../images/image-config.js';
import { GO_ZERO_TIME, goTime } from './go-json.js';

/** `docker image inspect`, as the Docker 28 API (1.50) returns it. */
export function imageInspect(image: ImageRecord): Record<string, unknown> {
  const config = orderedContainerConfig(image.config.config);
  return {
    Id: image.id,
    RepoTags: image.tags,
    RepoDigests: [],
    Parent: image.parent ?? '',
    Comment: image.config.history[image.config.history.length - 1]?.comment ?? '',
    Created: image.config.created,
    DockerVersion: '',
    Author: image.config.author ?? '',
    Config: config,
    Architecture: image.config.architecture,
    Os: image.config.os,
    Size: image.size,
    GraphDriver: { Data: null, Name: 'overlay2' },
    RootFS: { Type: 'layers', Layers: image.config.rootfs.diff_ids },
    Metadata: { LastTagTime: image.lastTagTime === null ? GO_ZERO_TIME : goTime(image.lastTagTime) },
  };
}

/** `docker container inspect`, the fields Layerlab's containers have, in Docker's order. */
export function containerInspect(c: ContainerRecord): Record<string, unknown> {
  const status = statusOf(c);
  const running = status === 'running' || status === 'paused' || status === 'restarting';
  const mount = c.mounts.find((m) => m.type === 'overlay');
  const opt = (name: string) => mount?.options.find((o) => o.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';
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
      Data: mount ? { LowerDir: opt('lowerdir'), MergedDir: '', UpperDir: opt('upperdir'), WorkDir: opt('workdir') } : null,
      Name: 'overlay2',
    },
    Mounts: [],
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

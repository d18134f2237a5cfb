import { statusOf } from '../../containers/container-record.js';
import { bytesSize } from '../../format/size.js';
import type { Command } from '../command.js';
import { CLIENT_VERSION } from '../dispatch.js';
import { SERVER_VERSION } from './version.command.js';

export const infoCommand: Command = {
  path: 'info',
  aliases: ['system info'],
  args: { kind: 'none' },
  flags: [{ long: 'format', short: 'f', type: 'string' }],
  async run(ctx) {
    const containers = ctx.containers.list();
    const count = (s: string) => containers.filter((c) => statusOf(c) === s).length;
    const host = ctx.drivers.host;
    const mem = bytesSize(host.memoryBytes);
    ctx.out(`Client:
 Version:    ${CLIENT_VERSION}
 Context:    default
 Debug Mode: false

Server:
 Containers: ${containers.length}
  Running: ${count('running')}
  Paused: ${count('paused')}
  Stopped: ${containers.length - count('running') - count('paused')}
 Images: ${ctx.images.images.size}
 Server Version: ${SERVER_VERSION}
 Storage Driver: overlay2
 Runtimes: ${ctx.drivers.backend === 'sim' ? 'layerlab-sim' : 'runc'}
 Default Runtime: ${ctx.drivers.backend === 'sim' ? 'layerlab-sim' : 'runc'}
 Kernel Version: ${host.kernelVersion}
 Operating System: ${host.operatingSystem}
 OSType: linux
 Architecture: ${host.architecture}
 CPUs: ${host.cpus}
 Total Memory: ${mem}
 Name: ${host.hostname}
 Docker Root Dir: /var/lib/docker
 Debug Mode: false
`);
    return 0;
  },
};

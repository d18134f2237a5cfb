import type { Command } from '../command.js';
import { CLIENT_VERSION } from '../dispatch.js';

/** The engine Layerlab imitates (Docker Engine 28), and what it really runs on. */
export const SERVER_VERSION = '28.2.2';
export const API_VERSION = '1.50';

export const versionCommand: Command = {
  path: 'version',
  args: { kind: 'none' },
  flags: [{ long: 'format', short: 'f', type: 'string' }],
  async run(ctx) {
    const host = ctx.drivers.host;
    const arch = host.architecture;
    ctx.out(`Client:
 Version:           ${CLIENT_VERSION}
 API version:       ${API_VERSION}
 Go version:        go1.24.3
 Git commit:        e6534b4
 Built:             Fri May 30 12:07:26 2025
 OS/Arch:           linux/${arch}
 Context:           default

Server: Layerlab (${ctx.drivers.backend === 'sim' ? 'simulator' : 'Linux sandbox'})
 Engine:
  Version:          ${SERVER_VERSION}
  API version:      ${API_VERSION} (minimum version 1.24)
  OS/Arch:          linux/${arch}
  Kernel Version:   ${host.kernelVersion}
`);
    return 0;
  },
};

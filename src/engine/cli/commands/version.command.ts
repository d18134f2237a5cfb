import type { Command } from '../command.js';
import { CLIENT_VERSION } from '../dispatch.js';
import { str } from '../flags.js';
import { renderTemplate, TemplateError } from '../../format/go-template.js';

/** The engine Layerlab imitates (Docker Engine 28), and what it really runs on. */
export const SERVER_VERSION = '28.2.2';
export const API_VERSION = '1.50';
const MIN_API_VERSION = '1.24';

/** Go's GOARCH for a kernel's `uname -m` (Docker's OS/Arch is runtime.GOOS/GOARCH). */
const GOARCH: Record<string, string> = {
  x86_64: 'amd64',
  amd64: 'amd64',
  aarch64: 'arm64',
  arm64: 'arm64',
  i386: '386',
  i686: '386',
  armv7l: 'arm',
  armv6l: 'arm',
  ppc64le: 'ppc64le',
  s390x: 's390x',
  riscv64: 'riscv64',
};

export function goArch(machine: string): string {
  return GOARCH[machine] ?? machine;
}

export const versionCommand: Command = {
  path: 'version',
  args: { kind: 'none' },
  flags: [{ long: 'format', short: 'f', type: 'string' }],
  async run(ctx, parsed) {
    const arch = goArch(ctx.drivers.host.architecture);
    // The Docker 28.2.2 static client's own build, as `docker version` prints it.
    const client = {
      Version: CLIENT_VERSION,
      ApiVersion: API_VERSION,
      DefaultAPIVersion: API_VERSION,
      GitCommit: 'e6534b4',
      GoVersion: 'go1.24.3',
      Os: 'linux',
      Arch: arch,
      BuildTime: 'Fri May 30 12:07:14 2025',
      Context: 'default',
    };
    // The server is Layerlab's engine, not dockerd: it names itself, and claims no Go
    // build or commit of Docker's.
    const platform = `Layerlab (${ctx.drivers.backend === 'sim' ? 'simulator' : 'Linux sandbox'})`;
    const server = {
      Platform: { Name: platform },
      Version: SERVER_VERSION,
      ApiVersion: API_VERSION,
      MinAPIVersion: MIN_API_VERSION,
      Os: 'linux',
      Arch: arch,
      KernelVersion: ctx.drivers.host.kernelVersion,
      Experimental: false,
    };
    const format = str(parsed, 'format');
    if (format !== undefined) {
      try {
        ctx.out(`${renderTemplate(format, { Client: client, Server: server })}\n`);
      } catch (err) {
        if (!(err instanceof TemplateError)) throw err;
        ctx.err(`${err.message}\n`);
        return 1;
      }
      return 0;
    }
    // Docker CLI (cli/command/system/version.go): the default template's layout.
    ctx.out(`Client:
 Version:           ${client.Version}
 API version:       ${client.ApiVersion}
 Go version:        ${client.GoVersion}
 Git commit:        ${client.GitCommit}
 Built:             ${client.BuildTime}
 OS/Arch:           ${client.Os}/${client.Arch}
 Context:           ${client.Context}

Server: ${server.Platform.Name}
 Engine:
  Version:          ${server.Version}
  API version:      ${server.ApiVersion} (minimum version ${server.MinAPIVersion})
  OS/Arch:          ${server.Os}/${server.Arch}
  Experimental:     ${server.Experimental}
`);
    return 0;
  },
};

import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/**
 * The parent of a container's init, as containerd-shim is: `runc create` exits once the
 * container is set up, and its init is then re-parented to the nearest *subreaper*. Only
 * that process can learn the init's exit status, and Node can not make itself one
 * (prctl), so this tiny Perl program does — perl-base is Essential in Debian — runs
 * the runtime command, and reports on fd 3 each child it reaps:
 * `runtime <pid> <status>` for the runtime command, `exit <pid> <status>` for others,
 * status = code, or 128 + signal when killed.
 */
const SHIM = String.raw`
my $nr = shift @ARGV;
syscall($nr, 36, 1, 0, 0, 0) == 0 or die "prctl(PR_SET_CHILD_SUBREAPER): $!\n";
open(my $st, '>&=', 3) or die "fd 3: $!\n";
$st->autoflush(1);
my $child = fork() // die "fork: $!\n";
if (!$child) { close $st; exec { $ARGV[0] } @ARGV; exit 127; }
open(STDIN, '<', '/dev/null'); open(STDOUT, '>', '/dev/null'); open(STDERR, '>', '/dev/null');
while ((my $p = waitpid(-1, 0)) > 0) {
  my $s = $?;
  print $st ($p == $child ? 'runtime' : 'exit'), " $p ", ($s & 127 ? 128 + ($s & 127) : $s >> 8), "\n";
}
`;

/** prctl(2)'s syscall number, passed in so the shim loads no Perl modules (it starts in a few ms). */
const PRCTL: Partial<Record<string, number>> = { x64: 157, arm64: 167, ia32: 172, arm: 172, riscv64: 167, s390x: 172, ppc64: 171 };

export interface Shim {
  child: ChildProcess;
  /** The runtime command's own exit status. */
  runtimeExit: Promise<number>;
  /** The exit status of a reaped process (the container's init), once it is reaped. */
  exitOf(pid: number): Promise<number>;
}

/** Runs `argv` under the shim; stdio 0-2 are handed on (pipes or /dev/null). */
export function startShim(argv: readonly string[], stdin: 'pipe' | 'ignore'): Shim {
  // Own session: a Ctrl-C at the server's terminal must not kill the shim.
  const nr = PRCTL[process.arch];
  if (nr === undefined) throw new Error(`no prctl syscall number known for ${process.arch}`);
  const child = spawn('perl', ['-e', SHIM, '--', String(nr), ...argv], { stdio: [stdin, 'pipe', 'pipe', 'pipe'], detached: true });
  const exits = new Map<number, number>();
  const waiters = new Map<number, (status: number) => void>();
  let onRuntime!: (status: number) => void;
  const runtimeExit = new Promise<number>((resolve) => (onRuntime = resolve));
  const lines = createInterface({ input: child.stdio[3] as Readable });
  lines.on('line', (line) => {
    const [what, pid, status] = line.split(' ');
    if (what === 'runtime') onRuntime(Number(status));
    else {
      exits.set(Number(pid), Number(status));
      waiters.get(Number(pid))?.(Number(status));
    }
  });
  // The shim is gone (killed by cleanup) without reporting: nobody can learn the status.
  lines.on('close', () => {
    for (const [pid, resolve] of waiters) if (!exits.has(pid)) resolve(255);
  });
  child.on('exit', (code) => onRuntime(code === 0 ? 255 : (code ?? 255)));
  return {
    child,
    runtimeExit,
    exitOf: (pid) => {
      const known = exits.get(pid);
      if (known !== undefined) return Promise.resolve(known);
      return new Promise((resolve) => waiters.set(pid, resolve));
    },
  };
}

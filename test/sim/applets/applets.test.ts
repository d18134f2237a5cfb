import { describe, expect, it } from 'vitest';
import { runIn, simulator } from '../shell/harness.js';

async function run(args: string[], opts: Parameters<typeof runIn>[2] = {}) {
  return runIn(await simulator(), args, opts);
}
const sh = (script: string) => run(['sh', '-c', script]);

// Expected texts: test/conformance/cases/busybox-applets.case (recorded on real busybox) and /bin/busybox 1.35.0.
describe('busybox applets', () => {
  it('ls lists one name per line off a terminal and in columns on one', async () => {
    expect((await run(['ls', '/'])).stdout).toBe('bin\ndev\netc\nhome\nproc\nroot\nsys\ntmp\nusr\nvar\n');
    const tty = await run(['ls', '/'], { terminal: true });
    expect(tty.stdout).toBe('bin   dev   etc   home  proc  root  sys   tmp   usr   var\r\n');
  });

  it('ls -l, -a and -F print busybox columns', async () => {
    const r = await sh('mkdir /w && cd /w && echo abc > f && mkdir d && ln -s f l && ls -l && ls -a && ls -F');
    expect(r.stdout.replace(/[A-Z][a-z]{2} [ 0-9]{2} [0-9]{2}:[0-9]{2}/g, 'DATE')).toBe(
      'total 8\ndrwxr-xr-x    2 root     root          4096 DATE d\n-rw-r--r--    1 root     root             4 DATE f\nlrwxrwxrwx    1 root     root             1 DATE l -> f\n.\n..\nd\nf\nl\nd/\nf\nl@\n',
    );
  });

  it('ls of a missing file fails with 1', async () => {
    expect(await run(['ls', '/nosuch'])).toEqual({ stdout: '', stderr: 'ls: /nosuch: No such file or directory\n', code: 1 });
  });

  it('ls rejects unknown options with usage', async () => {
    const r = await run(['ls', '-Z']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^ls: invalid option -- 'Z'\nBusyBox v1\.35\.0 .*\n\nUsage: ls /);
  });

  it('id, whoami, hostname and env speak of the container', async () => {
    expect((await run(['id'])).stdout).toBe('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
    expect((await run(['whoami'])).stdout).toBe('root\n');
    expect((await run(['hostname'], { hostname: 'myhost' })).stdout).toBe('myhost\n');
    expect((await run(['env'], { env: ['PATH=/bin:/usr/bin', 'B=2', 'A=1'] })).stdout).toBe('PATH=/bin:/usr/bin\nB=2\nA=1\n');
  });

  it('ps lists PID 1 as itself', async () => {
    expect((await run(['ps'])).stdout).toBe('PID   USER     COMMAND\n    1 root     ps\n');
  });

  it('echo -n, cat errors, wc and grep', async () => {
    expect((await run(['echo', '-n', 'no', 'newline'])).stdout).toBe('no newline');
    expect(await run(['cat', '/nosuch'])).toEqual({ stdout: '', stderr: "cat: can't open '/nosuch': No such file or directory\n", code: 1 });
    expect((await run(['wc', '-l', '/etc/passwd'])).stdout).toBe('9 /etc/passwd\n');
    expect((await sh('printf "a b\\nc\\n" | wc')).stdout).toBe('        2         3         6\n');
    expect((await run(['grep', 'root', '/etc/passwd'])).stdout).toBe('root:x:0:0:root:/root:/bin/sh\n');
    expect((await run(['grep', '-c', 'false', '/etc/passwd'])).stdout).toBe('7\n');
    expect((await run(['grep', 'nosuchuser', '/etc/passwd'])).code).toBe(1);
  });

  it('file applets report errors in busybox words', async () => {
    const r = await sh(
      'cd /tmp; mkdir a; echo x > a/f; rm nope; rm -f nope; echo $?; rm a; rmdir a; mkdir a; touch nodir/x; cp a c; mv nope z; chmod 7777 nope',
    );
    expect(r.stdout).toBe('0\n');
    expect(r.stderr).toBe(
      "rm: can't remove 'nope': No such file or directory\nrm: 'a' is a directory\nrmdir: 'a': Directory not empty\nmkdir: can't create directory 'a': File exists\ntouch: nodir/x: No such file or directory\ncp: omitting directory 'a'\nmv: can't rename 'nope': No such file or directory\nchmod: nope: No such file or directory\n",
    );
  });

  it('cp -r, mv, chmod, find, du and head work on the union view', async () => {
    const r = await sh(
      'cd /tmp && mkdir -p a/b && echo hello > a/f && echo x > a/b/g && cp -r a c && mv c/f c/h && chmod u+x,go-r c/h && ls -l c/h | cut -c1-10 && find a && find a -name g -type f && find a -maxdepth 1 && du -s a && head -n 1 a/f',
    );
    expect(r.stdout).toBe('-rwx------\na\na/b\na/b/g\na/f\na/b/g\na\na/b\na/f\n16\ta\nhello\n');
  });

  it('mv moves a directory of the image (overlayfs EXDEV) by copying it', async () => {
    expect(await sh('mv /etc /etc2 && ls /etc2 && ls /etc')).toEqual({
      stdout: 'group\npasswd\n',
      stderr: 'ls: /etc: No such file or directory\n',
      code: 1,
    });
  });

  it('seq, sort, uniq, tr, cut, basename, dirname, xargs', async () => {
    expect(
      (
        await sh(
          'seq 3; seq 2 2 6; echo c a b | tr " " "\\n" | sort -r | tr a-z A-Z; cut -d: -f1 /etc/passwd | head -n 2; basename /a/b.txt .txt; dirname /a/b; echo 1 2 3 | xargs -n 2 echo',
        )
      ).stdout,
    ).toBe('1\n2\n3\n2\n4\n6\nC\nB\nA\nroot\ndaemon\nb\n/a\n1 2\n3\n');
  });

  it('kill -l lists signals; kill of an unknown pid fails', async () => {
    const r = await sh('kill -l | head -n 2; kill -l 15; kill 999');
    expect(r.stdout).toBe(' 1) HUP\n 2) INT\nTERM\n');
    expect(r.stderr).toBe("kill: can't kill pid 999: No such process\n");
  });

  it('busybox runs its applets; which finds them on PATH', async () => {
    expect((await run(['busybox', 'echo', 'hi'])).stdout).toBe('hi\n');
    expect(await run(['which', 'ls', 'nope'])).toEqual({ stdout: '/bin/ls\n', stderr: '', code: 1 });
  });

  it('sleep without arguments prints its usage', async () => {
    const r = await run(['sleep']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('Usage: sleep [N]...');
  });
});

import { describe, expect, it } from 'vitest';
import { sh } from './harness.js';

describe('sh -c: words, quoting and expansion', () => {
  it('joins quoted and escaped parts as ash does', async () => {
    expect(await sh(`echo \\$HOME "\\$x" '$x' "a  b" c\\ d`)).toEqual({ stdout: '$HOME $x $x a  b c d\n', stderr: '', code: 0 });
  });

  it('expands variables, defaults, lengths and positional parameters', async () => {
    const r = await sh('x=abc; echo ${x} $x ${#x} ${y:-def} ${y=set} $y; set -- a b; echo $# $@ $1; shift; echo $1');
    expect(r.stdout).toBe('abc abc 3 def set set\n2 a b a\nb\n');
  });

  it('splits unquoted expansions on IFS and keeps quoted ones whole', async () => {
    const r = await sh('x="a   b"; for w in $x; do echo "[$w]"; done; for w in "$x"; do echo "[$w]"; done');
    expect(r.stdout).toBe('[a]\n[b]\n[a   b]\n');
  });

  it('substitutes commands and arithmetic', async () => {
    expect((await sh('echo "n=$(echo hi | wc -c) $((1 + 2 * 3)) `echo bq`"')).stdout).toBe('n=3 7 bq\n');
  });

  it('strips patterns with ${x#…} and ${x%…}', async () => {
    expect((await sh('f=/usr/lib/libc.so.6; echo ${f##*/} ${f%.*} ${f#/usr} ${f%%.*}')).stdout).toBe(
      'libc.so.6 /usr/lib/libc.so /lib/libc.so.6 /usr/lib/libc\n',
    );
  });

  it('expands globs against the container filesystem', async () => {
    expect((await sh('cd /etc && echo pass* gr*; echo /nomatch*')).stdout).toBe('passwd group\n/nomatch*\n');
  });

  it('gives $? and $$ (the shell is PID 1 of its container)', async () => {
    expect((await sh('false; echo $? $$')).stdout).toBe('1 1\n');
  });
});

describe('sh -c: lists, pipelines and control flow', () => {
  it('runs && || ; and pipelines with the last status', async () => {
    const r = await sh('true && echo a || echo b; false && echo c || echo d; false | true; echo $?; true | false; echo $?; ! true; echo $?');
    expect(r.stdout).toBe('a\nd\n0\n1\n1\n');
  });

  it('pipes data between applets', async () => {
    expect((await sh('printf "b\\na\\nb\\n" | sort | uniq -c')).stdout).toBe('      1 a\n      2 b\n');
  });

  it('runs if/elif/else, while, until, for and case', async () => {
    const r = await sh(`
      i=0
      while [ $i -lt 3 ]; do i=$((i+1)); done
      until [ $i -eq 0 ]; do i=$((i-1)); done
      if [ $i = 1 ]; then echo one; elif [ $i = 0 ]; then echo zero; else echo other; fi
      for f in x y; do case $f in x) echo ex;; *) echo star;; esac; done
    `);
    expect(r).toEqual({ stdout: 'zero\nex\nstar\n', stderr: '', code: 0 });
  });

  it('breaks and continues loops', async () => {
    expect((await sh('for i in 1 2 3 4; do [ $i = 2 ] && continue; [ $i = 4 ] && break; echo $i; done')).stdout).toBe('1\n3\n');
  });

  it('keeps subshell changes inside the subshell, groups share the shell', async () => {
    expect((await sh('x=1; (x=2; cd /tmp); echo $x $PWD; { x=3; cd /etc; }; echo $x $(pwd)')).stdout).toBe('1 /\n3 /etc\n');
  });

  it('defines and calls functions with their own positional parameters', async () => {
    expect((await sh('f() { echo "f:$1:$#"; return 3; }; f a b; echo $?')).stdout).toBe('f:a:2\n3\n');
  });

  it('reads here-documents', async () => {
    expect((await sh("x=world; cat <<EOF\nhello $x\nEOF\ncat <<'Q'\n$x\nQ")).stdout).toBe('hello world\n$x\n');
  });

  it('exits with exit N (mod 256) and runs the EXIT trap', async () => {
    expect(await sh("trap 'echo bye' EXIT; echo hi; exit 300")).toEqual({ stdout: 'hi\nbye\n', stderr: '', code: 44 });
  });

  it('prefixes VAR=value to one command only', async () => {
    expect((await sh('A=1 env | grep ^A=; echo "[$A]"')).stdout).toBe('A=1\n[]\n');
  });
});

describe('sh -c: redirections', () => {
  it('writes, appends and reads files', async () => {
    expect((await sh('echo a > /tmp/f; echo b >> /tmp/f; cat < /tmp/f; wc -l < /tmp/f')).stdout).toBe('a\nb\n2\n');
  });

  it('moves stderr and stdout with 2>&1 and >&2', async () => {
    const r = await sh('echo out; echo err >&2; ls /nope 2>&1; ls /nope 2>/dev/null; echo $?');
    expect(r).toEqual({ stdout: 'out\nls: /nope: No such file or directory\n1\n', stderr: 'err\n', code: 0 });
  });

  it('reports files it cannot open as ash does', async () => {
    const r = await sh('cat < /nofile; echo $?; echo x > /nodir/f; echo $?');
    expect(r.stderr).toBe("sh: can't open /nofile: no such file\nsh: can't create /nodir/f: nonexistent directory\n");
    expect(r.stdout).toBe('1\n1\n');
  });
});

describe('sh -c: errors in busybox ash words', () => {
  it.each([
    ['if true; then echo', 'sh: syntax error: unexpected end of file (expecting "fi")\n'],
    ['fi', 'sh: syntax error: unexpected "fi"\n'],
    ['echo "abc', 'sh: syntax error: unterminated quoted string\n'],
    ['while true; do; done', 'sh: syntax error: unexpected ";"\n'],
    ['| a', 'sh: syntax error: unexpected "|"\n'],
    ['a && ', 'sh: syntax error: unexpected end of file\n'],
    ['for x in a b; do', 'sh: syntax error: unexpected end of file (expecting "done")\n'],
    [')', 'sh: syntax error: unexpected ")"\n'],
  ])('%s', async (script, stderr) => {
    expect(await sh(script)).toEqual({ stdout: '', stderr, code: 2 });
  });

  it('says "not found" (127) for unknown commands and "Permission denied" (126) for directories', async () => {
    const r = await sh('foo; echo $?; /etc; echo $?; ./x; echo $?');
    expect(r.stderr).toBe('sh: foo: not found\nsh: /etc: Permission denied\nsh: ./x: not found\n');
    expect(r.stdout).toBe('127\n126\n127\n');
  });

  it('numbers lines from 0 in -c strings for builtin errors', async () => {
    const r = await sh('cd /x; echo $?\ncd /etc/passwd');
    expect(r).toEqual({
      stdout: '2\n',
      stderr: "sh: cd: line 0: can't cd to /x: No such file or directory\nsh: cd: line 1: can't cd to /etc/passwd: Not a directory\n",
      code: 2,
    });
  });

  it('refuses to assign a readonly variable', async () => {
    expect(await sh('readonly x=1; x=2; echo no')).toEqual({ stdout: '', stderr: 'sh: x: is read only\n', code: 2 });
  });

  it('reports a bad exit argument as an illegal number', async () => {
    expect(await sh('exit foo')).toEqual({ stdout: '', stderr: 'sh: exit: line 0: Illegal number: foo\n', code: 2 });
  });
});

// Each expectation was checked with the host's busybox: `/bin/busybox sh -c '…'`.
describe('sh -c: background jobs, $!, kill and wait', () => {
  it('waits for a job a signal killed: 128 + n, and the signal in strsignal words', async () => {
    expect(await sh('sleep 100 & kill $!; wait $!')).toEqual({ stdout: '', stderr: 'Terminated\n', code: 143 });
    expect(await sh('sleep 100 & kill -9 $!; wait $!; echo $?')).toEqual({ stdout: '137\n', stderr: 'Killed\n', code: 0 });
    expect(await sh('sleep 100 & kill -USR1 $!; wait $!')).toEqual({ stdout: '', stderr: 'User defined signal 1\n', code: 138 });
  });

  it('says nothing for SIGINT and SIGPIPE, nor for a job reaped while a foreground command ran', async () => {
    expect(await sh('sleep 100 & kill -INT $!; wait $!')).toEqual({ stdout: '', stderr: '', code: 130 });
    expect(await sh('sleep 100 & kill -PIPE $!; wait $!')).toEqual({ stdout: '', stderr: '', code: 141 });
    expect(await sh('sleep 100 & kill $!; sleep 0.1; wait $!')).toEqual({ stdout: '', stderr: '', code: 143 });
  });

  it('keeps an ended job: `wait PID` again gives its status; plain `wait` gives 0; an unknown PID 127', async () => {
    expect(await sh('sleep 100 & p=$!; kill $p; wait; echo w=$?; wait $p; echo again=$?')).toEqual({
      stdout: 'w=0\nagain=143\n',
      stderr: '',
      code: 0,
    });
    expect(await sh('sh -c "exit 3" & sleep 0.1; wait $!; echo w=$?; wait $!; echo again=$?; wait 99999; echo nojob=$?')).toEqual({
      stdout: 'w=3\nagain=3\nnojob=127\n',
      stderr: '',
      code: 0,
    });
  });
});

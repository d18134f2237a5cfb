import { describe, expect, it } from 'vitest';
import { stateSchema } from '../../src/engine/state.js';
import type { EngineEvent } from '../../src/engine/events.js';
import { aSimEngine } from './support/sim-engine.js';
import { goArch } from '../../src/engine/cli/commands/version.command.js';

describe('docker run', () => {
  it('streams a foreground command and returns its exit code', async () => {
    const { run } = await aSimEngine();
    expect(await run('docker run --rm busybox echo hi')).toMatchInlineSnapshot(`
      "hi
      [exit 0]"
    `);
    expect(await run(`docker run --rm busybox sh -c 'echo oops >&2; exit 3'`)).toMatchInlineSnapshot(`
      "! oops
      [exit 3]"
    `);
  });

  it('prints the full ID with -d and lists the container as Up', async () => {
    const { run, clock } = await aSimEngine();
    const id = (await run('docker run -d --name web busybox sleep 100')).split('\n')[0]!;
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    await clock.advance(3000);
    expect(await run('docker ps')).toMatchInlineSnapshot(`
      "CONTAINER ID   IMAGE     COMMAND       CREATED         STATUS         PORTS     NAMES
      358b05c80a46   busybox   "sleep 100"   3 seconds ago   Up 3 seconds             web
      [exit 0]"
    `);
  });

  it('resolves ENTRYPOINT and CMD as Docker does', async () => {
    const { run } = await aSimEngine();
    expect(await run('docker run --rm --entrypoint echo busybox a b')).toMatchInlineSnapshot(`
      "a b
      [exit 0]"
    `);
    expect(await run('docker run --rm -e GREETING=hej -w /tmp busybox sh -c "echo $GREETING; pwd"')).toMatchInlineSnapshot(`
      "hej
      /tmp
      [exit 0]"
    `);
  });

  it('fails with 125, 126 and 127 as Docker does', async () => {
    const { run } = await aSimEngine();
    expect(await run('docker run --foo busybox')).toMatchInlineSnapshot(`
      "! unknown flag: --foo
      ! 
      ! Usage:  docker run [OPTIONS] IMAGE [COMMAND] [ARG...]
      ! 
      ! Run 'docker run --help' for more information
      [exit 125]"
    `);
    expect(await run('docker run busybox nope')).toMatchInlineSnapshot(`
      "! docker: Error response from daemon: failed to create task for container: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: exec: "nope": executable file not found in $PATH
      ! 
      ! Run 'docker run --help' for more information
      [exit 127]"
    `);
    expect(await run('docker run nosuch')).toMatchInlineSnapshot(`
      "! Unable to find image 'nosuch:latest' locally
      ! docker: Error response from daemon: pull access denied for nosuch, repository does not exist or may require 'docker login': denied: requested access to the resource is denied
      ! 
      ! Run 'docker run --help' for more information
      [exit 125]"
    `);
  });

  it('leaves a container whose process cannot start created, with exit code 127', async () => {
    const { run } = await aSimEngine();
    await run('docker run --name nocmd busybox nosuchcmd');
    expect(await run(`docker inspect -f '{{.State.Status}} {{.State.ExitCode}} {{.State.StartedAt}}' nocmd`)).toMatchInlineSnapshot(`
      "created 127 0001-01-01T00:00:00Z
      [exit 0]"
    `);
    expect(await run(`docker ps -a --format '{{.Names}}: {{.Status}}'`)).toMatchInlineSnapshot(`
      "nocmd: Created
      [exit 0]"
    `);
  });

  it('refuses a name that is taken', async () => {
    const { run } = await aSimEngine();
    await run('docker create --name web busybox');
    expect((await run('docker run --name web busybox true')).replace(/[0-9a-f]{64}/, '<id>')).toMatchInlineSnapshot(`
      "! docker: Error response from daemon: Conflict. The container name "/web" is already in use by container "<id>". You have to remove (or rename) that container to be able to reuse that name.
      ! 
      ! Run 'docker run --help' for more information
      [exit 125]"
    `);
  });
});

describe('lifecycle commands', () => {
  it('stops with TERM, then KILL after the grace period', async () => {
    const { run } = await aSimEngine();
    await run('docker run -d --name s1 busybox sleep 100');
    expect(await run('docker stop -t 5 s1')).toMatchInlineSnapshot(`
      "s1
      [exit 0]"
    `);
    expect(await run(`docker inspect -f '{{.State.Status}} {{.State.ExitCode}}' s1`)).toMatchInlineSnapshot(`
      "exited 137
      [exit 0]"
    `);
  });

  it('pauses, refuses exec while paused, and shows (Paused)', async () => {
    const { run } = await aSimEngine();
    await run('docker run -d --name p1 busybox sleep 100');
    expect(await run('docker pause p1')).toMatchInlineSnapshot(`
      "p1
      [exit 0]"
    `);
    expect(await run('docker ps --format "{{.Names}}: {{.Status}}"')).toMatchInlineSnapshot(`
      "p1: Up Less than a second (Paused)
      [exit 0]"
    `);
    expect(await run('docker exec p1 echo hi')).toMatchInlineSnapshot(`
      "! Error response from daemon: Container p1 is paused, unpause the container before exec
      [exit 1]"
    `);
    expect(await run('docker unpause p1')).toMatchInlineSnapshot(`
      "p1
      [exit 0]"
    `);
    expect(await run('docker exec p1 echo hi')).toMatchInlineSnapshot(`
      "hi
      [exit 0]"
    `);
  });

  it('waits for containers to stop and prints their exit codes, errors last', async () => {
    const { run } = await aSimEngine();
    await run('docker run -d --name w1 busybox sh -c "sleep 5; exit 4"');
    await run('docker create --name w2 busybox');
    expect(await run('docker wait w1 nosuch w2')).toMatchInlineSnapshot(`
      "4
      0
      ! Error response from daemon: No such container: nosuch
      [exit 1]"
    `);
  });

  it('lists the command as the daemon words it: an argument with a space in single quotes', async () => {
    const { run } = await aSimEngine();
    await run(`docker run --name quoted busybox sh -c 'exit 3' "a\tb" "it's"`);
    expect(await run(`docker ps -a --no-trunc --format '{{.Command}}'`)).toMatchInlineSnapshot(`
      ""sh -c 'exit 3' a\\tb it's"
      [exit 0]"
    `);
  });

  it('keeps logs and starts a stopped container again', async () => {
    const { run } = await aSimEngine();
    await run('docker create --name c1 busybox echo again');
    expect(await run('docker start -a c1')).toMatchInlineSnapshot(`
      "again
      [exit 0]"
    `);
    expect(await run('docker start c1')).toMatchInlineSnapshot(`
      "c1
      [exit 0]"
    `);
    expect(await run('docker logs c1')).toMatchInlineSnapshot(`
      "again
      again
      [exit 0]"
    `);
  });
});

describe('images and layers', () => {
  it('commits a container layer and shows it in history, diff and images', async () => {
    const { run } = await aSimEngine();
    await run(`docker run --name wr busybox sh -c 'echo hi > /hello; rm /etc/group'`);
    expect(await run('docker diff wr')).toMatchInlineSnapshot(`
      "C /etc
      D /etc/group
      A /hello
      [exit 0]"
    `);
    const commit = await run('docker commit -m "add hello" wr hello:v1');
    expect(commit).toMatch(/^sha256:[0-9a-f]{64}\n\[exit 0\]$/);
    expect(await run('docker history hello:v1')).toMatchInlineSnapshot(`
      "IMAGE          CREATED                  CREATED BY                              SIZE      COMMENT
      9e7dc88c1ed1   Less than a second ago   sh -c echo hi > /hello; rm /etc/group   3B        add hello
      702e32a961a7   17 months ago                                                    1.99MB    Imported from -
      [exit 0]"
    `);
    expect(await run('docker run --rm hello:v1 cat /hello')).toMatchInlineSnapshot(`
      "hi
      [exit 0]"
    `);
    expect(await run('docker images')).toMatchInlineSnapshot(`
      "REPOSITORY   TAG       IMAGE ID       CREATED                  SIZE
      hello        v1        9e7dc88c1ed1   Less than a second ago   1.99MB
      busybox      latest    702e32a961a7   17 months ago            1.99MB
      [exit 0]"
    `);
  });

  it('refuses to remove an image a container uses, then untags and deletes', async () => {
    const { run } = await aSimEngine();
    await run(`docker run --name wr busybox touch /x`);
    await run('docker commit wr app');
    await run('docker create --name user app');
    const refused = await run('docker rmi app');
    expect(refused).toMatch(
      /^! Error response from daemon: conflict: unable to remove repository reference "app" \(must force\) - container [0-9a-f]{12} is using its referenced image [0-9a-f]{12}\n\[exit 1\]$/,
    );
    await run('docker rm user');
    expect((await run('docker rmi app')).replace(/[0-9a-f]{64}/g, '<digest>')).toMatchInlineSnapshot(`
      "Untagged: app:latest
      Deleted: sha256:<digest>
      Deleted: sha256:<digest>
      [exit 0]"
    `);
  });

  it('says plainly what is not supported', async () => {
    const { run } = await aSimEngine();
    expect(await run('docker network ls')).toMatchInlineSnapshot(`
      "! layerlab: 'docker network' is not supported yet
      [exit 1]"
    `);
    expect(await run('docker run --network bridge busybox true')).toMatchInlineSnapshot(`
      "! layerlab: --network bridge is not supported yet
      [exit 125]"
    `);
    // Docker's -p: named as not supported here, not "unknown shorthand flag"; -v takes volumes, never a host directory.
    expect(await run('docker run -d -p 8080:80 busybox sleep 1')).toBe('! layerlab: --publish (-p) 8080:80 is not supported yet\n[exit 125]');
    expect(await run('docker create -v /data:/data busybox true')).toBe(
      '! layerlab: bind mounts are not available here: /data is a host path, and a container never reaches the host; use a named volume\n[exit 125]',
    );
  });
});

describe('docker version', () => {
  it("prints Docker 28.2.2's client block and Go's arch names (x86_64 is amd64), as the real client does", async () => {
    const { run } = await aSimEngine();
    expect(await run('docker version')).toMatchInlineSnapshot(`
      "Client:
       Version:           28.2.2
       API version:       1.50
       Go version:        go1.24.3
       Git commit:        e6534b4
       Built:             Fri May 30 12:07:14 2025
       OS/Arch:           linux/amd64
       Context:           default

      Server: Layerlab (simulator)
       Engine:
        Version:          28.2.2
        API version:      1.50 (minimum version 1.24)
        OS/Arch:          linux/amd64
        Experimental:     false
      [exit 0]"
    `);
    expect(await run(`docker version --format '{{.Client.Os}}/{{.Client.Arch}} {{.Server.Version}} {{.Server.Arch}}'`)).toMatchInlineSnapshot(`
      "linux/amd64 28.2.2 amd64
      [exit 0]"
    `);
    expect(['x86_64', 'aarch64', 'armv7l', 'riscv64'].map(goArch)).toEqual(['amd64', 'arm64', 'arm', 'riscv64']);
  });
});

describe('events and state', () => {
  it('emits typed events and a snapshot that passes the schema', async () => {
    const { engine, run } = await aSimEngine();
    const events: EngineEvent['type'][] = [];
    engine.subscribe((e) => events.push(e.type));
    await run(`docker run --name wr busybox sh -c 'echo a > /a'`);
    expect(events).toEqual(['command.started', 'container.created', 'container.status', 'container.status', 'container.changed', 'command.finished']);
    const state = stateSchema.parse(await engine.state());
    const wr = state.containers.find((c) => c.name === 'wr')!;
    expect(wr.status).toBe('exited');
    expect(wr.changes).toEqual([{ kind: 'A', path: '/a' }]);
    expect(wr.upper.map((f) => f.path)).toEqual(['/a']);
    expect(wr.mount?.simulated).toBe(true);
    expect(state.images.map((i) => i.repoTags)).toEqual([['busybox:latest']]);
  });
});

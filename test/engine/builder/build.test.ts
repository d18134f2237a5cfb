import { describe, expect, it } from 'vitest';
import { writeLayerTar } from '../../../src/engine/layer/tar.js';
import { ManualClock, simEngine } from './sim-fixture.js';

const FIVE_STEPS =
  'FROM busybox\nRUN echo one > /one\nCOPY hello.txt /hello.txt\nENV GREETING=hi\nRUN cat /hello.txt > /copy\nCMD ["cat", "/copy"]\n';

async function imageOf(engine: Awaited<ReturnType<typeof simEngine>>['engine'], tag: string) {
  const state = await engine.state();
  const image = state.images.find((i) => i.repoTags.includes(tag));
  if (!image) throw new Error(`no image ${tag}`);
  return { image, state };
}

describe('docker build on the simulator', () => {
  it('makes layers only for RUN and COPY, with BuildKit history, and runs', async () => {
    const { engine } = await simEngine({ Dockerfile: FIVE_STEPS, 'hello.txt': 'hello\n' });
    const r = await engine.exec('docker build -t app .');
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('#6 [2/4] RUN echo one > /one\n#6 DONE 0.0s\n');
    expect(r.stderr).toContain('#9 naming to docker.io/library/app:latest done\n');
    const { image } = await imageOf(engine, 'app:latest');
    expect(image.diffIds).toHaveLength(4);
    expect(image.history.slice(1).map((h) => [h.createdBy, h.emptyLayer])).toEqual([
      ['RUN /bin/sh -c echo one > /one # buildkit', false],
      ['COPY hello.txt /hello.txt # buildkit', false],
      ['ENV GREETING=hi', true],
      ['RUN /bin/sh -c cat /hello.txt > /copy # buildkit', false],
      ['CMD ["cat" "/copy"]', true],
    ]);
    expect(image.config).toMatchObject({ cmd: ['cat', '/copy'], env: expect.arrayContaining(['GREETING=hi']) });
    expect((await engine.exec('docker run --rm app')).stdout).toBe('hello\n');
  });

  it('rebuilds from cache to the same image ID; a one-byte change misses from COPY on', async () => {
    const clock = new ManualClock();
    const { engine, workspace } = await simEngine({ Dockerfile: FIVE_STEPS, 'hello.txt': 'hello\n' }, clock);
    await engine.exec('docker build -t app .');
    const first = (await imageOf(engine, 'app:latest')).image.id;
    clock.ms += 60_000;
    const again = await engine.exec('docker build -t app .');
    expect(again.stderr.match(/CACHED/g)).toHaveLength(3);
    expect((await imageOf(engine, 'app:latest')).image.id).toBe(first);
    await workspace.write('hello.txt', new TextEncoder().encode('hellO\n'));
    const changed = await engine.exec('docker build -t app .');
    expect(changed.stderr).toContain('#6 [2/4] RUN echo one > /one\n#6 CACHED\n');
    expect(changed.stderr).toContain('#7 [3/4] COPY hello.txt /hello.txt\n#7 DONE');
    expect(changed.stderr).toContain('#8 [4/4] RUN cat /hello.txt > /copy\n#8 DONE');
    expect((await imageOf(engine, 'app:latest')).image.id).not.toBe(first);
    const noCache = await engine.exec('docker build --no-cache -t app .');
    expect(noCache.stderr).not.toContain('CACHED');
  });

  it('prints the classic builder with DOCKER_BUILDKIT=0', async () => {
    const { engine } = await simEngine({ Dockerfile: FIVE_STEPS, 'hello.txt': 'hello\n' });
    const r = await engine.exec('docker build -t app .', { env: { DOCKER_BUILDKIT: '0' } });
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.slice(0, 4)).toEqual([
      'Sending build context to Docker daemon  3.072kB',
      '',
      'Step 1/6 : FROM busybox',
      expect.stringMatching(/^ ---> [0-9a-f]{12}$/),
    ]);
    expect(r.stdout).toMatch(
      /Step 2\/6 : RUN echo one > \/one\n ---> Running in ([0-9a-f]{12})\n ---> Removed intermediate container \1\n ---> [0-9a-f]{12}\n/,
    );
    expect(r.stdout).toMatch(/Step 3\/6 : COPY hello.txt \/hello.txt\n ---> [0-9a-f]{12}\n/);
    expect(r.stdout).toMatch(/Successfully built [0-9a-f]{12}\nSuccessfully tagged app:latest\n$/);
    expect(r.stderr).toMatch(/^DEPRECATED: The legacy builder is deprecated/);
    const again = await engine.exec('docker build -t app .', { env: { DOCKER_BUILDKIT: '0' } });
    expect(again.stdout.match(/ ---> Using cache\n/g)).toHaveLength(5);
    const history = await engine.exec('docker history app');
    expect(history.stdout).toContain('/bin/sh -c #(nop)  CMD ["cat" "/copy"]');
    expect(history.stdout).not.toContain('<missing>');
  });

  it('reports a failing RUN as each builder does', async () => {
    const { engine } = await simEngine({ Dockerfile: 'FROM busybox\nRUN exit 3\n' });
    const bk = await engine.exec('docker build .');
    expect(bk.exitCode).toBe(1);
    expect(bk.stderr).toContain('#5 ERROR: process "/bin/sh -c exit 3" did not complete successfully: exit code: 3\n');
    expect(bk.stderr).toContain(
      'Dockerfile:2\n--------------------\n   1 |     FROM busybox\n   2 | >>> RUN exit 3\n   3 |     \n--------------------\n',
    );
    expect(bk.stderr).toMatch(/ERROR: failed to solve: process "\/bin\/sh -c exit 3" did not complete successfully: exit code: 3\n$/);
    const classic = await engine.exec('docker build .', { env: { DOCKER_BUILDKIT: '0' } });
    expect(classic.stderr).toContain("The command '/bin/sh -c exit 3' returned a non-zero code: 3\n");
    expect(classic.exitCode).toBe(3);
  });

  it('writes a whiteout for a deleted lower file and an opaque dir for a recreated one', async () => {
    const { engine, snapshotter } = await simEngine({
      Dockerfile: 'FROM busybox\nRUN rm /etc/group\nRUN rm -rf /home && mkdir /home && echo x > /home/f\n',
    });
    expect((await engine.exec('docker build -t wh .')).exitCode).toBe(0);
    const { image } = await imageOf(engine, 'wh:latest');
    const [, del, opq] = image.chainIds;
    const tarNames = async (chainId: string) => {
      const tar = writeLayerTar(await snapshotter.changes(chainId));
      return new TextDecoder().decode(tar).match(/[\w./]+(?=\0)/g) ?? [];
    };
    expect(await tarNames(del!)).toContain('etc/.wh.group');
    expect(await tarNames(opq!)).toContain('home/.wh..wh..opq');
  });

  it('WORKDIR makes a layer only when it creates the directory; relative paths join', async () => {
    const { engine } = await simEngine({ Dockerfile: 'FROM busybox\nWORKDIR /tmp\nWORKDIR app\nRUN pwd > /where\nCMD ["cat", "/where"]\n' });
    await engine.exec('docker build -t wd .');
    const { image } = await imageOf(engine, 'wd:latest');
    expect(image.history.slice(1).map((h) => [h.createdBy, h.emptyLayer])).toEqual([
      ['WORKDIR /tmp', true],
      ['WORKDIR /tmp/app', false],
      ['RUN /bin/sh -c pwd > /where # buildkit', false],
      ['CMD ["cat" "/where"]', true],
    ]);
    expect(image.config.workingDir).toBe('/tmp/app');
    expect((await engine.exec('docker run --rm wd')).stdout).toBe('/tmp/app\n');
  });

  it('ENTRYPOINT resets an inherited CMD; ARG, --build-arg, LABEL, EXPOSE, USER', async () => {
    const { engine } = await simEngine({
      Dockerfile: 'FROM busybox\nARG NAME=world\nRUN echo "hello $NAME" > /msg\nENTRYPOINT ["cat"]\nLABEL who=$NAME\nEXPOSE 80\nUSER nobody\n',
    });
    const r = await engine.exec('docker build --build-arg NAME=docker -t ep .');
    expect(r.exitCode).toBe(0);
    const { image } = await imageOf(engine, 'ep:latest');
    expect(image.config).toMatchObject({ entrypoint: ['cat'], cmd: null, user: 'nobody', labels: { who: 'docker' }, exposedPorts: ['80/tcp'] });
    expect(image.history.map((h) => h.createdBy)).toContain('RUN |1 NAME=docker /bin/sh -c echo "hello $NAME" > /msg # buildkit');
    expect((await engine.exec('docker run --rm ep /msg')).stdout).toBe('hello docker\n');
  });

  it('VOLUME and SHELL are kept in the image config; a child image runs RUN in the inherited shell', async () => {
    const { engine } = await simEngine({
      Dockerfile: 'FROM busybox\nVOLUME /data /logs\nSHELL ["/bin/sh", "-ec"]\n',
      'child.Dockerfile': 'FROM vs\nRUN echo "$0" > /shell-was\n',
    });
    expect((await engine.exec('docker build -t vs .')).exitCode).toBe(0);
    const inspect = JSON.parse((await engine.exec("docker image inspect -f '{{json .Config}}' vs")).stdout);
    expect(inspect).toMatchObject({ Volumes: { '/data': {}, '/logs': {} }, Shell: ['/bin/sh', '-ec'] });
    expect((await engine.exec('docker build -f child.Dockerfile -t vs-child .')).exitCode).toBe(0);
    const history = await engine.exec('docker history --no-trunc --format "{{.CreatedBy}}" vs-child');
    expect(history.stdout.split('\n')[0]).toBe('RUN /bin/sh -ec echo "$0" > /shell-was # buildkit');
  });

  it('multi-stage: COPY --from a named stage, --target', async () => {
    const { engine } = await simEngine({
      Dockerfile:
        'FROM busybox AS builder\nRUN echo built > /artifact\nRUN echo scratch-work > /tmp/work\n\nFROM busybox\nCOPY --from=builder /artifact /artifact\nCMD ["cat", "/artifact"]\n',
    });
    const r = await engine.exec('docker build -t ms .');
    expect(r.stderr).toContain('[builder 2/3] RUN echo built > /artifact');
    expect(r.stderr).toContain('[stage-1 2/2] COPY --from=builder /artifact /artifact');
    expect((await engine.exec('docker run --rm ms')).stdout).toBe('built\n');
    expect((await engine.exec('docker run --rm ms ls /tmp')).stdout).toBe('');
    const { image } = await imageOf(engine, 'ms:latest');
    expect(image.diffIds).toHaveLength(2);
    await engine.exec('docker build --target builder -t b .');
    expect((await engine.exec('docker run --rm b cat /tmp/work')).stdout).toBe('scratch-work\n');
  });

  it('.dockerignore, COPY of a directory, --chown by name, sources outside the context', async () => {
    const { engine, snapshotter } = await simEngine({
      Dockerfile: 'FROM busybox\nCOPY --chown=nobody src /app/\nRUN ls /app > /list\nCMD ["cat", "/list"]\n',
      '.dockerignore': 'src/*.log\n',
      'src/a.txt': 'a',
      'src/debug.log': 'noise',
    });
    expect((await engine.exec('docker build -t ctx .')).exitCode).toBe(0);
    expect((await engine.exec('docker run --rm ctx')).stdout).toBe('a.txt\n');
    const { image } = await imageOf(engine, 'ctx:latest');
    const copied = await snapshotter.changes(image.chainIds[1]!);
    expect(copied.map((c) => [c.path, c.kind, 'uid' in c ? c.uid : null])).toEqual([
      ['/app', 'dir', 65534],
      ['/app/a.txt', 'file', 65534],
    ]);
    const { engine: e2 } = await simEngine({ Dockerfile: 'FROM busybox\nCOPY ../secret /secret\n' });
    const out = await e2.exec('docker build .', { env: { DOCKER_BUILDKIT: '0' } });
    expect(out.exitCode).toBe(1);
    expect(out.stderr).toContain('forbidden path outside the build context: ../secret ()');
    const missing = await e2.exec('docker build -f Dockerfile2 .');
    expect(missing.exitCode).toBe(1);
  });

  it('emits build events for each step', async () => {
    const { engine, events } = await simEngine({ Dockerfile: FIVE_STEPS, 'hello.txt': 'hello\n' });
    await engine.exec('docker build -t app .');
    await engine.exec('docker build -t app .');
    const types = events.filter((e) => e.type.startsWith('build.')).map((e) => e.type);
    expect(types.filter((t) => t === 'build.step.started')).toHaveLength(12);
    expect(types.filter((t) => t === 'build.step.cached')).toHaveLength(5);
    expect(types.filter((t) => t === 'build.done')).toHaveLength(2);
  });

  it('-q prints only the image ID', async () => {
    const { engine } = await simEngine({ Dockerfile: FIVE_STEPS, 'hello.txt': 'hello\n' });
    const r = await engine.exec('docker build -q .');
    expect(r.stdout).toMatch(/^sha256:[0-9a-f]{64}\n$/);
    expect(r.stderr).toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { CaptureWorkspace } from '../../cli/export-oci.js';
import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { workspaceContract } from '../contract/workspace.contract.js';
import { bytes } from '../support/builders.js';

workspaceContract('export-oci capture (over memory)', async () => new CaptureWorkspace(new MemoryWorkspace()));

describe('CaptureWorkspace', () => {
  it("keeps the export's own save in memory and passes every other file through", async () => {
    const inner = new MemoryWorkspace();
    const ws = new CaptureWorkspace(inner);
    await ws.write('.layerlab-export-oci.tar', bytes('archive'));
    await ws.write('Dockerfile', bytes('FROM busybox\n'));
    expect(ws.captured).toEqual(bytes('archive'));
    expect((await inner.list()).map((e) => e.path)).toEqual(['Dockerfile']);
  });
});

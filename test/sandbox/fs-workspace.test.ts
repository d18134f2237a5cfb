import { afterAll } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsWorkspace } from '../../sandbox-server/linux/fs-workspace.js';
import { workspaceContract } from '../contract/workspace.contract.js';

const made: string[] = [];
afterAll(async () => {
  await Promise.all(made.map((dir) => rm(dir, { recursive: true, force: true })));
});

workspaceContract('directory (FsWorkspace)', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'layerlab-workspace-'));
  made.push(dir);
  return new FsWorkspace(dir);
});

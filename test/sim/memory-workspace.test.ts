import { MemoryWorkspace } from '../../src/sim/memory-workspace.js';
import { workspaceContract } from '../contract/workspace.contract.js';

workspaceContract('memory', async () => new MemoryWorkspace());

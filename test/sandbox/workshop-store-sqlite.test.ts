import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteWorkshopStore } from '../../sandbox-server/workshops/sqlite-workshop-store.js';
import { workshopStoreContract } from '../contract/workshop-store.contract.js';

const dir = mkdtempSync(join(tmpdir(), 'layerlab-workshops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

workshopStoreContract('sqlite', async () => SqliteWorkshopStore.open(join(dir, `w${n++}`, 'workshops.sqlite')));

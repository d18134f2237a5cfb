import { join } from 'node:path';
import { PostgresWorkshopStore } from './postgres-workshop-store.js';
import { SqliteWorkshopStore } from './sqlite-workshop-store.js';
import type { WorkshopStore } from './workshop-store.js';

/** The file the default store keeps, unless `LAYERLAB_WORKSHOP_DB` names another. */
export function workshopDbFile(stateDir: string, env: NodeJS.ProcessEnv): string {
  return env.LAYERLAB_WORKSHOP_DB || join(stateDir, 'workshops.sqlite');
}

/** PostgreSQL when `DATABASE_URL` is set, else SQLite under the state dir. */
export async function openWorkshopStore(stateDir: string, env: NodeJS.ProcessEnv): Promise<WorkshopStore> {
  if (env.DATABASE_URL) return PostgresWorkshopStore.open(env.DATABASE_URL);
  return SqliteWorkshopStore.open(workshopDbFile(stateDir, env));
}

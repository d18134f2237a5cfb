import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp, type AppOptions, type SessionOptions } from '../../sandbox-server/app.js';
import type { Engine } from '../../src/engine/engine.js';
import type { SessionContext } from '../../sandbox-server/sessions/session.js';

export interface Harness {
  app: FastifyInstance;
  stateDir: string;
  /** The engines made so far, with the session each was made for. */
  engines: { session: SessionContext; engine: Engine }[];
  /** Logged lines (JSON), for the tests that read the logs. */
  logs: string[];
  close(): Promise<void>;
}

/** A server whose sessions get engines from `makeEngine`, state under a fresh temp dir (removed on close) unless one is given. */
export async function aSandboxServer(
  makeEngine: ((session: SessionContext) => Promise<Engine>) | undefined,
  sessions: Partial<SessionOptions> = {},
  options: Pick<AppOptions, 'embedOrigins' | 'workshops'> = {},
): Promise<Harness> {
  const ownDir = sessions.stateDir === undefined;
  const stateDir = sessions.stateDir ?? mkdtempSync(join(tmpdir(), 'layerlab-api-'));
  const engines: Harness['engines'] = [];
  const logs: string[] = [];
  const app = await buildApp({
    ...options,
    siteDir: '/nonexistent',
    sandbox: { available: true, missing: [], runtime: '/usr/sbin/runc' },
    logger: { level: 'info', stream: { write: (line) => void logs.push(line) } },
    sessions: {
      stateDir,
      ...(makeEngine
        ? {
            engineFactory: async (session) => {
              const engine = await makeEngine(session);
              engines.push({ session, engine });
              return engine;
            },
          }
        : {}),
      ...sessions,
    },
  });
  return {
    app,
    stateDir,
    engines,
    logs,
    close: async () => {
      await app.close();
      if (ownDir) rmSync(stateDir, { recursive: true, force: true });
    },
  };
}

export interface Created {
  id: string;
  token: string;
  auth: { authorization: string };
}

export async function createSession(app: FastifyInstance, ip = '127.0.0.1'): Promise<Created> {
  const res = await app.inject({ method: 'POST', url: '/api/sessions', remoteAddress: ip });
  if (res.statusCode !== 201) throw new Error(`POST /api/sessions: ${res.statusCode} ${res.body}`);
  const { id, token } = res.json<{ id: string; token: string }>();
  return { id, token, auth: { authorization: `Bearer ${token}` } };
}

export async function command(app: FastifyInstance, session: Created, line: string) {
  return app.inject({ method: 'POST', url: `/api/sessions/${session.id}/commands`, headers: session.auth, payload: { command: line } });
}

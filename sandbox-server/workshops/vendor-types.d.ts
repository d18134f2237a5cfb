// The few calls the workshop stores make, typed here because @types/better-sqlite3 and @types/pg
// are not installed (asked of the lead; remove this file when they are).
declare module 'better-sqlite3' {
  interface RunResult {
    changes: number;
    lastInsertRowid: number | bigint;
  }
  interface Statement {
    run(...params: unknown[]): RunResult;
    get(...params: unknown[]): Record<string, unknown> | undefined;
    all(...params: unknown[]): Record<string, unknown>[];
  }
  interface Database {
    prepare(sql: string): Statement;
    exec(sql: string): Database;
    pragma(source: string, options?: { simple?: boolean }): unknown;
    transaction<A extends unknown[], R>(fn: (...args: A) => R): ((...args: A) => R) & { immediate(...args: A): R };
    close(): void;
    readonly open: boolean;
  }
  interface DatabaseConstructor {
    new (filename: string, options?: { readonly?: boolean; fileMustExist?: boolean; timeout?: number }): Database;
  }
  const Database: DatabaseConstructor;
  export default Database;
  export type { Database };
}

declare module 'pg' {
  interface QueryResult<R = Record<string, unknown>> {
    rows: R[];
    rowCount: number | null;
  }
  interface Queryable {
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
  }
  interface PoolClient extends Queryable {
    release(error?: Error | boolean): void;
  }
  class Pool implements Queryable {
    constructor(config?: { connectionString?: string; max?: number; idleTimeoutMillis?: number; connectionTimeoutMillis?: number });
    query<R = Record<string, unknown>>(text: string, values?: unknown[]): Promise<QueryResult<R>>;
    connect(): Promise<PoolClient>;
    end(): Promise<void>;
    on(event: 'error', listener: (error: Error) => void): this;
  }
  const pg: { Pool: typeof Pool };
  export default pg;
  export type { Pool, PoolClient, QueryResult };
}

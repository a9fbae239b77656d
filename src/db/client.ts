import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { CompiledQuery, Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { pgliteAsPool } from './pglite-pool.js';
import type { Schema } from './schema.js';
import { PG_OID, parseDate, parseInt8 } from './types.js';

export const APP_ROLE = 'anchorpoint_app';

/**
 * Every session's time zone (ADR 22): `current_date` and `timestamptz::date` give England's day,
 * as people in the service count days, whatever the server's own zone.
 */
export const TIME_ZONE_SETTING = "set time zone 'Europe/London'";

export type Engine = 'pglite' | 'postgres';

export interface Database {
  engine: Engine;
  /** The typed query layer. Runs as the least-privileged app role once `useAppRole` has been called. */
  db: Kysely<Schema>;
  /**
   * Runs fn on one connection as the database owner (migrations, privileges, test set-up).
   * `run` takes a script of one or more statements and returns the rows of the last.
   */
  withOwner<T>(fn: (run: OwnerRun) => Promise<T>): Promise<T>;
  /** Switches every connection of `db` to the app role, which cannot change the audit table. */
  useAppRole(): Promise<void>;
  /** Where the data lives, without credentials. */
  describe(): string;
  close(): Promise<void>;
}

export type OwnerRun = (script: string) => Promise<Record<string, unknown>[]>;

export interface OpenOptions {
  databaseUrl?: string | undefined;
  /** Directory for PGlite; undefined keeps PGlite in memory (tests). */
  dataDir?: string | undefined;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  return options.databaseUrl ? openPostgres(options.databaseUrl, options.poolSize ?? 10) : openPglite(options.dataDir);
}

function describeUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  return `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`;
}

const builtInParser: (oid: number, format?: 'text' | 'binary') => (value: string) => unknown = pg.types.getTypeParser;
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: (oid: number, format?: 'text' | 'binary'): ((value: string) => unknown) => {
    if (oid === PG_OID.INT8) return parseInt8;
    if (oid === PG_OID.DATE) return parseDate;
    return builtInParser(oid, format);
  },
};

async function openPostgres(databaseUrl: string, poolSize: number): Promise<Database> {
  // Fail fast and clearly if the server is not there, before building anything on top.
  const probe = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 5000 });
  try {
    await probe.connect();
  } catch (error) {
    throw new DatabaseUnavailableError(describeUrl(databaseUrl), error);
  } finally {
    await probe.end().catch(() => undefined);
  }

  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: poolSize,
    types: pgTypes,
    connectionTimeoutMillis: 5000,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  let appRole = false;
  const db = new Kysely<Schema>({
    dialect: new PostgresDialect({
      pool,
      onCreateConnection: async (connection) => {
        await connection.executeQuery(CompiledQuery.raw(TIME_ZONE_SETTING));
        if (appRole) await connection.executeQuery(CompiledQuery.raw(`set role ${APP_ROLE}`));
      },
    }),
  });

  return {
    engine: 'postgres',
    db,
    async withOwner(fn) {
      const client = new pg.Client({ connectionString: databaseUrl, types: pgTypes });
      await client.connect();
      await client.query(TIME_ZONE_SETTING);
      try {
        return await fn(async (script) => {
          const result = (await client.query(script)) as pg.QueryResult | pg.QueryResult[];
          return ((Array.isArray(result) ? result.at(-1)?.rows : result.rows) ?? []) as Record<string, unknown>[];
        });
      } finally {
        await client.end();
      }
    },
    async useAppRole() {
      appRole = true;
      // Connections opened before the switch are dropped so every one runs as the app role.
      const stale = await Promise.all(Array.from({ length: pool.idleCount }, () => pool.connect()));
      for (const client of stale) client.release(true);
    },
    describe: () => describeUrl(databaseUrl),
    close: () => db.destroy(),
  };
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  if (dataDir) fs.mkdirSync(dataDir, { recursive: true });
  const pglite = new PGlite({
    ...(dataDir ? { dataDir } : {}),
    extensions: { pg_trgm },
    parsers: { [PG_OID.INT8]: parseInt8, [PG_OID.DATE]: parseDate },
  });
  await pglite.waitReady;
  await pglite.exec(TIME_ZONE_SETTING);
  const pool = pgliteAsPool(pglite);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool: pool as unknown as pg.Pool }) });
  let appRole = false;

  return {
    engine: 'pglite',
    db,
    withOwner: (fn) =>
      pool.exclusive(async () => {
        if (appRole) await pglite.exec('reset role');
        try {
          return await fn(async (script) => (await pglite.exec(script)).at(-1)?.rows ?? []);
        } finally {
          if (appRole) await pglite.exec(`set role ${APP_ROLE}`);
        }
      }),
    async useAppRole() {
      await pool.exclusive(() => pglite.exec(`set role ${APP_ROLE}`));
      appRole = true;
    },
    describe: () => (dataDir ? `PGlite in ${dataDir}` : 'PGlite in memory'),
    close: () => db.destroy(),
  };
}

export class DatabaseUnavailableError extends Error {
  constructor(where: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || (cause as NodeJS.ErrnoException).code : String(cause);
    super(`Could not connect to the database (${where}): ${reason}`);
  }
}

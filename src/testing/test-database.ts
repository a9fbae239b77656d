import { randomBytes } from 'node:crypto';
import { openDatabase, type Database } from '../db/client.js';
import { installSharedExtensions } from '../db/extensions.js';
import { migrate } from '../db/migrate.js';
import { ensureTaxonomies } from '../modules/directory/taxonomies.js';

/** Which engine the suite runs on: PGlite by default, PostgreSQL with TEST_ENGINE=postgres. */
export const TEST_ENGINE = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'pglite';
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface TestDatabase {
  database: Database;
  /** The connection string of this test's own schema (PostgreSQL), for child processes. */
  url: string | undefined;
  drop(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: an in-memory PGlite, or a schema of its own
 * on the PostgreSQL server so parallel runs never collide. The app role is in force, as in production.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (TEST_ENGINE === 'pglite') {
    const database = await openDatabase({});
    await migrate(database);
    await database.useAppRole();
    await ensureTaxonomies(database.db);
    return { database, url: undefined, drop: () => database.close() };
  }
  const schema = `test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = await openDatabase({ databaseUrl: TEST_DATABASE_URL, poolSize: 1 });
  await admin.withOwner((run) => run(`CREATE SCHEMA ${schema}`));
  await installSharedExtensions(admin);
  await admin.close();
  const url = new URL(TEST_DATABASE_URL);
  url.searchParams.set('options', `-c search_path=${schema},public`);
  const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 5 });
  await migrate(database);
  await database.useAppRole();
  await ensureTaxonomies(database.db);
  return {
    database,
    url: url.toString(),
    async drop() {
      await database.withOwner((run) => run(`DROP SCHEMA ${schema} CASCADE`)).catch(() => undefined);
      await database.close().catch(() => undefined);
    },
  };
}


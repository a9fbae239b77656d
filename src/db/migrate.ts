import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ROLE, type Database } from './client.js';

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');
/** Any constant shared by every copy of the app, so two copies starting together migrate one at a time. */
const MIGRATION_LOCK = 727_001;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return { name: file.replace(/\.sql$/, ''), sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const quote = (text: string) => `'${text.replace(/'/g, "''")}'`;

/**
 * Least privilege for the app: it may read and write the tables it needs, but only
 * INSERT and SELECT on the audit trail. Run after every migration so new tables are covered.
 */
const PRIVILEGES = `
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
    CREATE ROLE ${APP_ROLE} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
DO $$
BEGIN
  EXECUTE format('GRANT ${APP_ROLE} TO %I', current_user);
EXCEPTION WHEN OTHERS THEN NULL; -- already a member, or a superuser who needs no grant
END $$;
DO $$
BEGIN
  EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${APP_ROLE}', current_schema());
  EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO ${APP_ROLE}', current_schema());
  EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA %I TO ${APP_ROLE}', current_schema());
  EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON %I.audit_event FROM ${APP_ROLE}', current_schema());
  EXECUTE format('REVOKE ALL ON %I.schema_migration FROM ${APP_ROLE}', current_schema());
  EXECUTE format('GRANT SELECT ON %I.schema_migration TO ${APP_ROLE}', current_schema());
END $$;
`;

/** Applies pending migrations in order, each in its own transaction. Returns the names applied. */
export async function migrate(database: Database, migrations = readMigrations()): Promise<string[]> {
  return database.withOwner(async (run) => {
    await run(`SELECT pg_advisory_lock(${MIGRATION_LOCK})`);
    try {
      await run(`CREATE TABLE IF NOT EXISTS schema_migration (
        name text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
      const applied = new Map(
        (await run('SELECT name, checksum FROM schema_migration')).map((row) => [String(row.name), String(row.checksum)]),
      );
      const done: string[] = [];
      for (const migration of migrations) {
        const checksum = applied.get(migration.name);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new Error(`Migration ${migration.name} was changed after it was applied. Migrations are forward-only: add a new one instead.`);
          }
          continue;
        }
        await run(`BEGIN;\n${migration.sql}\n;INSERT INTO schema_migration (name, checksum) VALUES (${quote(migration.name)}, ${quote(migration.checksum)});\nCOMMIT;`).catch(
          async (error: unknown) => {
            await run('ROLLBACK').catch(() => undefined);
            throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
          },
        );
        done.push(migration.name);
      }
      await run(PRIVILEGES);
      return done;
    } finally {
      await run(`SELECT pg_advisory_unlock(${MIGRATION_LOCK})`);
    }
  });
}

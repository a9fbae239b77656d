import type { PGlite } from '@electric-sql/pglite';

/**
 * Presents one PGlite instance as the small part of a `pg.Pool` that Kysely's
 * PostgresDialect uses. PGlite is a single connection, so "connections" are
 * handed out one at a time: a transaction holds the lock until it is released,
 * and no other query can interleave with it.
 */
export function pgliteAsPool(pglite: PGlite) {
  let tail: Promise<void> = Promise.resolve();

  async function lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((resolve) => (release = resolve));
    const previous = tail;
    tail = previous.then(() => next);
    await previous;
    return release;
  }

  const client = (release: () => void) => ({
    async query(sql: string, parameters: unknown[]) {
      const result = await pglite.query(sql, parameters);
      const command = /^\s*(\w+)/.exec(sql)?.[1]?.toUpperCase();
      return { command, rowCount: result.affectedRows ?? 0, rows: result.rows };
    },
    release,
  });

  return {
    async connect() {
      return client(await lock());
    },
    /** Runs fn with the connection held, for work outside Kysely (scripts, role changes). */
    async exclusive<T>(fn: () => Promise<T>): Promise<T> {
      const release = await lock();
      try {
        return await fn();
      } finally {
        release();
      }
    },
    async end() {
      await pglite.close();
    },
  };
}

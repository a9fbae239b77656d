import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';

export interface Sweep {
  name: string;
  /** Advisory lock key: only one copy of the app runs this sweep at a time. */
  lock: number;
  everyMs: number;
  /** Runs on the connection that holds the lock (PGlite has only one). */
  run(db: Kysely<Schema>): Promise<number>;
}

/**
 * Periodic housekeeping, safe with any number of app copies: each sweep is idempotent and
 * runs only in the copy that takes its advisory lock.
 */
export function startSweeps(app: FastifyInstance, sweeps: Sweep[]) {
  const runOne = async (sweep: Sweep) => {
    try {
      await app.db.connection().execute(async (connection) => {
        const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${sweep.lock}) as locked`.execute(connection);
        if (!rows[0]?.locked) return;
        try {
          const changed = await sweep.run(connection);
          if (changed) app.log.info({ sweep: sweep.name, changed }, 'sweep done');
        } finally {
          await sql`select pg_advisory_unlock(${sweep.lock})`.execute(connection);
        }
      });
    } catch (error) {
      app.log.warn({ err: error, sweep: sweep.name }, 'sweep failed; will retry');
    }
  };
  const timers = sweeps.map((sweep) => {
    const timer = setInterval(() => void runOne(sweep), sweep.everyMs);
    timer.unref();
    void runOne(sweep);
    return timer;
  });
  return { stop: () => timers.forEach(clearInterval) };
}

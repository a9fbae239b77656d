import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { purgeExpiredSessions } from './auth/session-service.js';

/** Advisory lock keys: one copy of the app runs each sweep at a time. */
const SESSION_SWEEP_LOCK = 727_101;

/**
 * Periodic housekeeping, safe with any number of app copies: each sweep is idempotent and
 * runs only in the copy that takes its advisory lock.
 */
export function startSweeps(app: FastifyInstance, everyMs = 15 * 60_000) {
  const run = async () => {
    try {
      await app.db.connection().execute(async (connection) => {
        const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${SESSION_SWEEP_LOCK}) as locked`.execute(connection);
        if (!rows[0]?.locked) return;
        try {
          const purged = await purgeExpiredSessions(connection, app.config);
          if (purged) app.log.info({ purged }, 'expired sessions removed');
        } finally {
          await sql`select pg_advisory_unlock(${SESSION_SWEEP_LOCK})`.execute(connection);
        }
      });
    } catch (error) {
      app.log.warn({ err: error }, 'session sweep failed; will retry');
    }
  };
  const timer = setInterval(() => void run(), everyMs);
  timer.unref();
  void run();
  return { stop: () => clearInterval(timer), runNow: run };
}

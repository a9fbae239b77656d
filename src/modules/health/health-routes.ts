import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';

export function registerHealthRoutes(app: FastifyInstance) {
  /** The process is up. Which copy answered (its process id) helps when several serve one port. */
  app.get('/health/live', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('x-served-by', String(process.pid));
    return { status: 'ok' };
  });

  /** The process can serve: the database answers. */
  app.get('/health/ready', { schema: { hide: true } }, async (request, reply) => {
    try {
      await sql`select 1`.execute(app.db);
      return { status: 'ok', database: 'ok' };
    } catch (error) {
      request.log.warn({ err: error }, 'readiness check failed');
      return reply.code(503).header('retry-after', '10').send({ status: 'unavailable', database: 'unreachable' });
    }
  });
}

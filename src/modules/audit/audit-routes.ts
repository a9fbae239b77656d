import type { FastifyInstance } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { readTrail } from './audit-trail-service.js';

const RECORD_LABELS: Record<string, string> = { user: 'User account', organisation: 'Organisation' };

export function registerAuditRoutes(app: FastifyInstance) {
  app.get<{ Params: { recordType: string; recordId: string } }>(
    '/audit/:recordType/:recordId',
    { preValidation: requirePermission('audit.read') },
    async (request, reply) => {
      const { recordType, recordId } = request.params;
      const events = await readTrail(request, recordType, recordId);
      return reply.page('audit/trail.njk', {
        title: 'Audit trail',
        recordLabel: RECORD_LABELS[recordType] ?? recordType,
        recordId,
        events,
        columns: 'full',
      });
    },
  );
}

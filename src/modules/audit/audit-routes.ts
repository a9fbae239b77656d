import type { FastifyInstance } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { recordLabel } from '../../platform/audit/audit-labels.js';
import { readTrail } from './audit-trail-service.js';

export function registerAuditRoutes(app: FastifyInstance) {
  app.get<{ Params: { recordType: string; recordId: string } }>(
    '/audit/:recordType/:recordId',
    { preValidation: requirePermission('audit.read') },
    async (request, reply) => {
      const { recordType, recordId } = request.params;
      const events = await readTrail(request, recordType, recordId);
      return reply.page('audit/trail.njk', {
        title: 'Audit trail',
        recordLabel: recordLabel(recordType),
        recordId,
        events,
        columns: 'full',
      });
    },
  );
}

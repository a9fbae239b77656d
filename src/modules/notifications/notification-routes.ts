import type { FastifyInstance } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { safeLocalPath, text } from '../../shared/form.js';
import { inbox, INBOX_PAGE, markAllRead, openNotification } from './notification-service.js';

/** Everyone's messages: the inbox, opening one (which marks it read and follows its link), and marking all read. */
export function registerNotificationRoutes(app: FastifyInstance) {
  const own = { preValidation: requirePermission('home.view') };

  app.get('/messages', own, async (request, reply) => {
    const pageText = text(request.query, 'page');
    const page = /^\d{1,4}$/.test(pageText) && Number(pageText) > 0 ? Number(pageText) : 1;
    const rows = await inbox(app.db, request.actor!, page);
    const total = rows[0] ? Number(rows[0].total) : 0;
    return reply.page('notifications/inbox.njk', {
      title: 'Messages',
      rows,
      total,
      page,
      previous: page > 1 ? `/messages?page=${page - 1}` : null,
      next: page * INBOX_PAGE < total ? `/messages?page=${page + 1}` : null,
      unread: rows.filter((r) => !r.read_at).length,
    });
  });

  app.get<{ Params: { id: string } }>('/messages/:id', own, async (request, reply) => {
    const message = await openNotification(app.db, request.actor!, request.params.id);
    // The header's count was read before this message was opened.
    if (message.wasUnread && request.signedIn) request.signedIn.unreadMessages = Math.max(0, request.signedIn.unreadMessages - 1);
    return reply.page('notifications/message.njk', { title: message.title, message, link: safeLocalPath(message.link) ?? null });
  });

  app.post('/messages/read', own, async (request, reply) => {
    await markAllRead(app.db, request.actor!);
    return reply.redirect('/messages');
  });
}

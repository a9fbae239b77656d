import nodemailer from 'nodemailer';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';

/**
 * E-mail for notifications, through any SMTP server. Each e-mail carries the notification's title
 * and text (written to hold only what the recipient may see) and a link back to the app; nothing
 * else about anyone. Sending is a sweep over the queue, so a slow or absent mail server never holds
 * up a page, and a failure is retried a few times and then left with its error for the administrator.
 */

export const MAX_TRIES = 5;

export interface Mailer {
  send(message: { to: string; subject: string; text: string }): Promise<void>;
}

export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    async send(message) {
      await transport.sendMail({ from, ...message });
    },
  };
}

/** Sends up to `limit` queued notifications; returns how many were sent. */
export async function sendQueuedEmails(db: Kysely<Schema>, mailer: Mailer, publicUrl: string, limit = 100): Promise<number> {
  const queued = await db
    .selectFrom('notification as n')
    .innerJoin('app_user as u', 'u.id', 'n.user_id')
    .select(['n.id', 'n.title', 'n.body', 'n.link', 'u.email', 'u.disabled_at'])
    .where('n.emailed_at', 'is', null)
    .where('n.email_tries', '<', MAX_TRIES)
    .orderBy('n.created_at')
    .limit(limit)
    .execute();
  let sent = 0;
  for (const row of queued) {
    if (row.disabled_at) {
      await db.updateTable('notification').set({ email_tries: MAX_TRIES, email_error: 'account disabled' }).where('id', '=', row.id).execute();
      continue;
    }
    try {
      await mailer.send({
        to: row.email,
        subject: row.title,
        text: `${row.body}\n\n${row.link ? `Open it in Anchorpoint: ${publicUrl}${row.link}` : `Sign in to Anchorpoint: ${publicUrl}/`}\n\nYou get this because you use Anchorpoint. The same message is in your messages in the app.\n`,
      });
      await db.updateTable('notification').set({ emailed_at: new Date(), email_tries: sql`email_tries + 1`, email_error: null }).where('id', '=', row.id).execute();
      sent += 1;
    } catch (error) {
      // The error text from a mail server can quote the address; keep only its kind.
      const reason = (error as { code?: string; responseCode?: number }).responseCode ?? (error as { code?: string }).code ?? 'send failed';
      await db.updateTable('notification').set({ email_tries: sql`email_tries + 1`, email_error: String(reason).slice(0, 100) }).where('id', '=', row.id).execute();
    }
  }
  return sent;
}

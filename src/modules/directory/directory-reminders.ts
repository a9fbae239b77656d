import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { membersWithRole, notifyUsers } from '../notifications/notification-service.js';
import { staleCondition } from './directory-entries.js';
import { readableLondonDate } from '../../shared/london-time.js';

/** Days between reminders about the same stale entry, while it stays unchecked. */
export const REMIND_EVERY_DAYS = 30;

/**
 * Reminds each provider organisation of its entries that have gone stale: one message to each of its
 * provider users, listing the entries (public directory information only). An entry is reminded about
 * again after REMIND_EVERY_DAYS while still unchecked. Returns how many entries were reminded about.
 */
export async function remindProviders(db: Kysely<Schema>): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('directory_service as s')
      .innerJoin('directory_organisation as o', 'o.id', 's.directory_organisation_id')
      .select(['s.id', 's.name', 's.last_verified_at', 'o.organisation_id'])
      .where('o.organisation_id', 'is not', null)
      .where('s.status', '<>', 'closed')
      .where(staleCondition)
      .where((eb) => eb.or([eb('s.reminded_at', 'is', null), eb('s.reminded_at', '<', sql<Date>`now() - make_interval(days => ${REMIND_EVERY_DAYS})`)]))
      .orderBy('s.name')
      .execute();
    const byOrganisation = new Map<string, typeof due>();
    for (const row of due) byOrganisation.set(row.organisation_id!, [...(byOrganisation.get(row.organisation_id!) ?? []), row]);
    const reminded: string[] = [];
    for (const [organisationId, entries] of byOrganisation) {
      const users = await membersWithRole(trx, organisationId, 'provider');
      // With nobody to tell, the entries wait: the first provider to join is reminded.
      if (!users.length) continue;
      const list = entries.map((e) => `- ${e.name}${e.last_verified_at ? ` (last checked ${readableLondonDate(e.last_verified_at)})` : ' (never checked)'}`).join('\n');
      await notifyUsers(trx, users, {
        kind: 'directory.review_due',
        title: entries.length === 1 ? 'A directory entry needs checking' : `${entries.length} directory entries need checking`,
        body: `Link workers are being told these may be out of date, because nobody has checked them recently:\n\n${list}\n\nPlease check each one is still right: edit what has changed, then mark it as checked.`,
        link: '/provider',
      });
      reminded.push(...entries.map((e) => e.id));
    }
    if (reminded.length) await trx.updateTable('directory_service').set({ reminded_at: new Date() }).where('id', 'in', reminded).execute();
    return reminded.length;
  });
}

import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { Schema } from '../db/schema.js';

type EpisodeQuery = SelectQueryBuilder<
  Schema & { e: Schema['episode']; p: Schema['person']; u: Schema['app_user']; r: Schema['referral'] },
  'e' | 'p' | 'u' | 'r',
  object
>;

/**
 * An episode of the seeded demo casework, with its person, referral and link worker (their e-mail to
 * sign in with, and which demo link worker they are, for `apiClientFor`). `choose` narrows and orders.
 */
export async function demoEpisode(db: Kysely<Schema>, choose: (query: EpisodeQuery) => EpisodeQuery) {
  const row = await choose(
    db
      .selectFrom('episode as e')
      .innerJoin('person as p', 'p.id', 'e.person_id')
      .innerJoin('app_user as u', 'u.id', 'e.link_worker_user_id')
      .innerJoin('referral as r', 'r.id', 'e.referral_id'),
  )
    .select(['e.id', 'e.version', 'e.person_id', 'p.given_name', 'p.family_name', 'p.postcode', 'u.email', 'r.id as referral_id', 'r.need_domains', 'r.referring_organisation_id'])
    .executeTakeFirstOrThrow();
  return { ...row, linkWorkerIndex: Number(/linkworker(\d+)/.exec(row.email)?.[1] ?? 1) - 1 };
}

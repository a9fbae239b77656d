import { sql, type Kysely } from 'kysely';
import type { Schema } from '../src/db/schema.js';
import { NEED_DOMAINS } from '../src/shared/vocabulary.js';
import type { Scale, Step } from './synthetic.js';

/**
 * Providers, connections and provision gaps at scale: two community organisations per social
 * prescribing service, each with a provider account and linked to directory organisations; a
 * referral for a third of episodes spread over them in every status; and gaps for each service.
 */
export const connectionSteps = (passwordHash: string): Step[] => [
  {
    name: 'providers',
    run: async (db: Kysely<Schema>, scale: Scale) => {
      await sql`insert into organisation (kind, name) select 'community_org', 'Bench Community Group ' || g from generate_series(1, ${scale.services * 2}) g`.execute(db);
      await sql`with orgs as (select id, name from organisation where kind = 'community_org' and name like 'Bench Community Group %'),
        users as (
          insert into app_user (email, display_name, password_hash)
          select lower(replace(name, ' ', '.')) || '.provider@bench.example', 'Bench provider', ${passwordHash} from orgs
          returning id, email)
        insert into membership (user_id, organisation_id, role)
        select u.id, o.id, 'provider' from orgs o join users u on u.email = lower(replace(o.name, ' ', '.')) || '.provider@bench.example'`.execute(db);
      // Each community organisation runs the services of some directory organisations.
      await sql`with orgs as (select id, row_number() over (order by id) as n from organisation where kind = 'community_org' and name like 'Bench Community Group %'),
        dirs as (select id, row_number() over (order by id) as n from directory_organisation where source = 'bench')
        update directory_organisation d set organisation_id = o.id
        from dirs join orgs o on o.n = 1 + (dirs.n % (select count(*) from orgs))
        where d.id = dirs.id and dirs.n <= (select count(*) from orgs) * 4`.execute(db);
      await sql`update directory_service s set referral_mode = 'anchorpoint_referral' from directory_organisation d where d.id = s.directory_organisation_id and d.organisation_id is not null`.execute(db);
    },
  },
  {
    name: 'connections',
    run: async (db: Kysely<Schema>) => {
      await sql`create temporary table bench_target as
        select s.id, d.organisation_id, row_number() over (order by s.id) as n
        from directory_service s join directory_organisation d on d.id = s.directory_organisation_id
        where d.organisation_id is not null`.execute(db);
      await sql`insert into connection (service_id, episode_id, person_id, directory_service_id, provider_organisation_id, kind, status, reason, share_contact,
          created_by_user_id, created_at, referred_at, responded_at, expires_at, link_worker_unread)
        select e.service_id, e.id, e.person_id, t.id, t.organisation_id, 'referral',
          (array['referred', 'accepted', 'attending', 'declined', 'ended', 'expired'])[1 + abs(hashtext(e.id::text)) % 6],
          'Synthetic referral', abs(hashtext(e.id::text)) % 2 = 0, e.link_worker_user_id,
          e.opened_at, e.opened_at, e.opened_at + interval '3 days', e.opened_at + interval '14 days', abs(hashtext(e.id::text)) % 5 = 0
        from episode e
        join bench_target t on t.n = 1 + abs(hashtext(e.person_id::text)) % (select count(*) from bench_target)
        where abs(hashtext(e.id::text)) % 3 = 0`.execute(db);
      await sql`insert into connection_action (connection_id, kind, side, occurred_at)
        select id, k.kind, k.side, created_at from connection
        cross join lateral (values ('suggested', 'link_worker'), ('referred', 'link_worker')) k(kind, side)`.execute(db);
      // As the hourly expiry sweep would have left them: a referral unanswered past its date has expired.
      await sql`with expired as (
          update connection set status = 'expired' where status = 'referred' and expires_at < now() returning id, expires_at)
        insert into connection_action (connection_id, kind, side, occurred_at) select id, 'expired', 'system', expires_at from expired`.execute(db);
      await sql`analyze connection`.execute(db);
    },
  },
  {
    name: 'provision gaps',
    run: async (db: Kysely<Schema>) => {
      const needs = Object.keys(NEED_DOMAINS);
      await sql`insert into provision_gap (service_id, need_domain, outward_code, note, episode_id, recorded_by_user_id, recorded_at, source)
        select e.service_id, (${sql.val(needs)}::text[])[1 + abs(hashtext(e.id::text)) % ${needs.length}],
          (array['DN15', 'DN16', 'DN17', 'DN18', 'DN20', 'DN21'])[1 + abs(hashtext(e.person_id::text)) % 6],
          'Synthetic gap: nothing suitable nearby', e.id, e.link_worker_user_id, e.opened_at, 'holding'
        from episode e where abs(hashtext(e.id::text)) % 20 = 1`.execute(db);
      await sql`analyze provision_gap`.execute(db);
    },
  },
];

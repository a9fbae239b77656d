import { sql, type Kysely } from 'kysely';
import type { Schema } from '../src/db/schema.js';
import { hashPassword } from '../src/platform/auth/passwords.js';
import { randomToken, sha256 } from '../src/platform/auth/secrets.js';

/**
 * Synthetic data at scale, made with set-based INSERT … SELECT generate_series so a national
 * scale (1,000 services) takes seconds. Each step is one statement; later capabilities add steps.
 */

export const BENCH_PASSWORD = 'bench-password-not-secret';

export interface Scale {
  services: number;
  practicesPerService: number;
  linkWorkersPerService: number;
  /** People referred per service: 1,000 at national scale (1,000 services → 1 million people). */
  peoplePerService: number;
  /** Contacts per episode: 6 at national scale (6 million contacts). */
  contactsPerEpisode: number;
}

export interface Step {
  name: string;
  run(db: Kysely<Schema>, scale: Scale): Promise<void>;
}

export const steps = (passwordHash: string): Step[] => [
  {
    name: 'commissioners',
    run: async (db, scale) => {
      await sql`insert into organisation (kind, name)
        select 'council_icb', 'Bench ICB ' || g from generate_series(1, greatest(1, ${scale.services} / 20)) g`.execute(db);
    },
  },
  {
    name: 'services',
    run: async (db, scale) => {
      await sql`insert into organisation (kind, name, parent_id)
        select 'sp_service', 'Bench Service ' || g,
               (select id from organisation where kind = 'council_icb' order by name offset (g % greatest(1, ${scale.services} / 20)) limit 1)
        from generate_series(1, ${scale.services}) g`.execute(db);
      await sql`update organisation set service_id = id where kind = 'sp_service'`.execute(db);
    },
  },
  {
    name: 'PCNs and practices',
    run: async (db, scale) => {
      await sql`insert into organisation (kind, name, service_id)
        select 'pcn', s.name || ' PCN', s.id from organisation s where s.kind = 'sp_service'`.execute(db);
      await sql`insert into organisation (kind, name, service_id, parent_id, ods_code)
        select 'gp_practice', s.name || ' Practice ' || g, s.id,
               (select p.id from organisation p where p.kind = 'pcn' and p.service_id = s.id limit 1),
               'B' || lpad((row_number() over ())::text, 7, '0')
        from organisation s cross join generate_series(1, ${scale.practicesPerService}) g
        where s.kind = 'sp_service'`.execute(db);
    },
  },
  {
    name: 'staff accounts',
    run: async (db, scale) => {
      // Link workers and a manager per service; a referrer per practice.
      await sql`with people as (
          select s.id as organisation_id, r.role, g, s.name
          from organisation s
          cross join (values ('link_worker'), ('service_manager')) r(role)
          cross join generate_series(1, ${scale.linkWorkersPerService}) g
          where s.kind = 'sp_service' and (r.role = 'link_worker' or g = 1)
          union all
          select p.id, 'referrer', 1, p.name from organisation p where p.kind = 'gp_practice'
        ), users as (
          insert into app_user (email, display_name, password_hash)
          select lower(replace(name, ' ', '.')) || '.' || role || g || '@bench.example', 'Bench ' || role || ' ' || g, ${passwordHash}
          from people
          returning id, email
        )
        insert into membership (user_id, organisation_id, role)
        select u.id, p.organisation_id, p.role
        from people p join users u on u.email = lower(replace(p.name, ' ', '.')) || '.' || p.role || p.g || '@bench.example'`.execute(db);
    },
  },
];

/** Case data: people, referrals, episodes in every status, and their contacts. */
export const caseSteps: Step[] = [
  {
    name: 'people',
    run: async (db, scale) => {
      await sql`insert into person (service_id, given_name, family_name, date_of_birth, registered_practice_id, postcode, consent_referral)
        select s.id, 'Person', 'Bench ' || g, (date '1940-01-01' + (g * 7919 % 25000)),
               (select p.id from organisation p where p.service_id = s.id and p.kind = 'gp_practice' order by p.id offset (g % ${scale.practicesPerService}) limit 1),
               'DN15 6ER', true
        from organisation s cross join generate_series(1, ${scale.peoplePerService}) g
        where s.kind = 'sp_service'`.execute(db);
    },
  },
  {
    name: 'referrals',
    run: async (db) => {
      await sql`insert into referral (service_id, person_id, reference, source, referring_organisation_id, need_domains, help_wanted, urgency, person_agreed, received_at, status)
        select p.service_id, p.id, 'AP-' || upper(substr(md5(p.id::text), 1, 16)), 'practice', p.registered_practice_id, '{loneliness}', 'Synthetic referral',
               case when hashtext(p.id::text) % 10 = 0 then 'urgent' else 'routine' end, true,
               now() - ((abs(hashtext(p.id::text)) % 700) || ' days')::interval,
               case when abs(hashtext(p.id::text)) % 20 = 0 then 'waiting' else 'accepted' end
        from person p`.execute(db);
      await sql`insert into referral_action (service_id, referral_id, kind, occurred_at) select service_id, id, 'received', received_at from referral`.execute(db);
      await sql`insert into referral_action (service_id, referral_id, kind, occurred_at) select service_id, id, 'accepted', received_at + interval '3 days' from referral where status = 'accepted'`.execute(db);
    },
  },
  {
    name: 'episodes',
    run: async (db) => {
      // Link workers of each service, numbered, so each episode gets one deterministically.
      await sql`create temporary table bench_lw as
        select m.organisation_id as service_id, m.user_id, row_number() over (partition by m.organisation_id order by m.user_id) - 1 as n,
               count(*) over (partition by m.organisation_id) as total
        from membership m where m.role = 'link_worker'`.execute(db);
      await sql`insert into episode (service_id, person_id, referral_id, link_worker_user_id, opened_at, status, first_contact_at, holding_reason, holding_since, closed_at, close_reason)
        select r.service_id, r.person_id, r.id, lw.user_id, r.received_at + interval '3 days',
               case when r.received_at < now() - interval '120 days' then 'closed'
                    when abs(hashtext(r.id::text)) % 10 = 0 then 'holding'
                    when abs(hashtext(r.id::text)) % 10 = 1 then 'awaiting_first_contact'
                    else 'active' end,
               case when abs(hashtext(r.id::text)) % 10 = 1 and r.received_at >= now() - interval '120 days' then null else r.received_at + interval '7 days' end,
               case when abs(hashtext(r.id::text)) % 10 = 0 and r.received_at >= now() - interval '120 days' then 'no_provision' end,
               case when abs(hashtext(r.id::text)) % 10 = 0 and r.received_at >= now() - interval '120 days' then now() - interval '10 days' end,
               case when r.received_at < now() - interval '120 days' then r.received_at + interval '100 days' end,
               case when r.received_at < now() - interval '120 days' then 'connected' end
        from referral r
        join bench_lw lw on lw.service_id = r.service_id and lw.n = abs(hashtext(r.id::text)) % lw.total
        where r.status = 'accepted'`.execute(db);
      await sql`insert into episode_action (service_id, episode_id, kind, occurred_at) select service_id, id, 'opened', opened_at from episode`.execute(db);
      await sql`insert into episode_action (service_id, episode_id, kind, occurred_at) select service_id, id, 'first_contact', first_contact_at from episode where first_contact_at is not null`.execute(db);
      await sql`insert into episode_action (service_id, episode_id, kind, occurred_at, holding_reason) select service_id, id, 'holding_started', holding_since, holding_reason from episode where status = 'holding'`.execute(db);
      await sql`insert into episode_action (service_id, episode_id, kind, occurred_at, close_reason, snomed_code, note)
        select service_id, id, 'closed', closed_at, close_reason, '871731000000106', 'Synthetic summary' from episode where status = 'closed'`.execute(db);
      await sql`drop table bench_lw`.execute(db);
    },
  },
  {
    name: 'contacts',
    run: async (db, scale) => {
      await sql`insert into contact (service_id, episode_id, starts_at, mode, duration_minutes, status, contact_type, notes, recorded_by_user_id, link_worker_user_id)
        select e.service_id, e.id, e.first_contact_at + ((k - 1) * 10 || ' days')::interval,
               (array['practice','phone','video','home_visit','community_venue','phone'])[k], 45,
               case when e.first_contact_at + ((k - 1) * 10 || ' days')::interval > now() then 'booked' else 'attended' end,
               case when k = 1 then 'assessment' when k = ${scale.contactsPerEpisode} then 'review' else 'support' end,
               'Synthetic contact note', e.link_worker_user_id, e.link_worker_user_id
        from episode e cross join generate_series(1, ${scale.contactsPerEpisode}) k
        where e.first_contact_at is not null`.execute(db);
      await sql`update episode e set
          last_contact_at = c.last_at,
          next_contact_at = c.next_at
        from (select episode_id, max(starts_at) filter (where status = 'attended') as last_at, min(starts_at) filter (where status = 'booked') as next_at
              from contact group by episode_id) c
        where c.episode_id = e.id`.execute(db);
      // One episode in twenty went beyond the standard offer at its first contact: a discretion, for the activity report.
      await sql`insert into discretion (service_id, episode_id, contact_id, kind, reason, recorded_by_user_id, recorded_at)
        select c.service_id, c.episode_id, c.id, 'longer_contact', 'Synthetic reason', c.recorded_by_user_id, c.starts_at
        from contact c where c.contact_type = 'assessment' and abs(hashtext(c.episode_id::text)) % 20 = 0`.execute(db);
      await sql`analyze`.execute(db);
    },
  },
];

export async function benchPasswordHash() {
  return hashPassword(BENCH_PASSWORD);
}

/** Sessions made directly (as sign-in would) for `count` users of a role, spread across services. */
export async function makeSessions(db: Kysely<Schema>, role: string, count: number, hours = 12): Promise<string[]> {
  const members = await db
    .selectFrom('membership')
    .select(['id', 'user_id'])
    .where('role', '=', role)
    .orderBy(sql`md5(id::text)`)
    .limit(count)
    .execute();
  const tokens: string[] = [];
  for (const member of members) {
    const token = randomToken();
    await db
      .insertInto('session')
      .values({ id_hash: sha256(token), user_id: member.user_id, membership_id: member.id, expires_at: new Date(Date.now() + hours * 3_600_000) })
      .execute();
    tokens.push(token);
  }
  return tokens;
}

export async function sampleEmails(db: Kysely<Schema>, role: string, count: number): Promise<string[]> {
  const rows = await db
    .selectFrom('app_user as u')
    .innerJoin('membership as m', 'm.user_id', 'u.id')
    .select('u.email')
    .where('m.role', '=', role)
    .orderBy(sql`md5(u.id::text)`)
    .limit(count)
    .execute();
  return rows.map((row) => row.email);
}

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

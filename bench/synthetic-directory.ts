import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Schema } from '../src/db/schema.js';
import { NEED_DOMAINS } from '../src/shared/vocabulary.js';
import type { Step } from './synthetic.js';

/**
 * A synthetic national directory: organisations, services with names and descriptions from a small
 * vocabulary (so a word like "singing" matches about 1 in 40), one venue each near a real outward-code
 * centre (the shipped centroids, jittered), one weekly session, need domains and freshness spread.
 * Set-based, so 100,000 services take seconds.
 */

const ACTIVITIES = [
  'singing', 'walking', 'gardening', 'knitting', 'cooking', 'painting', 'reading', 'chess', 'dancing', 'yoga',
  'swimming', 'cycling', 'woodwork', 'photography', 'drama', 'poetry', 'football', 'bowls', 'tai chi', 'pilates',
  'debt advice', 'benefits advice', 'housing advice', 'carers support', 'bereavement support', 'digital skills', 'English conversation', 'men’s shed', 'lunch club', 'coffee morning',
  'allotment', 'choir', 'craft', 'film club', 'quiz', 'history society', 'befriending', 'peer support', 'volunteering', 'nature walks',
];
const KINDS = ['group', 'club', 'drop-in', 'session', 'class', 'café'];

export const directoryStep = (services: number): Step => ({
  name: 'directory',
  run: async (db: Kysely<Schema>) => {
    if (!services) return;
    const outcodes = fs
      .readFileSync(path.resolve('src/data/outcode-centroids.csv'), 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.split(','))
      .filter((parts) => parts.length >= 3 && parts[1]);
    await sql`create temporary table bench_outcode (n integer primary key, latitude float8, longitude float8)`.execute(db);
    await sql`insert into bench_outcode select * from unnest(${sql.val(outcodes.map((_, i) => i))}::int[], ${sql.val(outcodes.map((o) => Number(o[1])))}::float8[], ${sql.val(outcodes.map((o) => Number(o[2])))}::float8[])`.execute(db);
    const organisations = Math.max(1, Math.floor(services / 4));
    await sql`insert into directory_organisation (source, source_id, name, description)
      select 'bench', 'org-' || g, 'Bench Community Organisation ' || g, 'A synthetic community organisation.'
      from generate_series(1, ${organisations}) g`.execute(db);
    const needs = Object.keys(NEED_DOMAINS);
    await sql`insert into directory_service (directory_organisation_id, source, source_id, name, description, status, oruk_status, need_domains, free, fees, delivery,
        referral_mode, minimum_age, last_verified_at, verified_by, search_text)
      select o.id, 'bench', 'svc-' || g,
        initcap((${sql.val(ACTIVITIES)}::text[])[1 + g % ${ACTIVITIES.length}]) || ' ' || (${sql.val(KINDS)}::text[])[1 + (g / ${ACTIVITIES.length}) % ${KINDS.length}] || ' ' || g,
        'A synthetic ' || (${sql.val(ACTIVITIES)}::text[])[1 + g % ${ACTIVITIES.length}] || ' ' || (${sql.val(KINDS)}::text[])[1 + (g / ${ACTIVITIES.length}) % ${KINDS.length}]
          || ' for local people: friendly, welcoming, with tea afterwards. Session number ' || g || '.',
        case when g % 25 = 0 then 'paused' when g % 97 = 0 then 'closed' else 'active' end,
        case when g % 25 = 0 then 'temporarily closed' when g % 97 = 0 then 'inactive' else 'active' end,
        array[(${sql.val(needs)}::text[])[1 + g % ${needs.length}], (${sql.val(needs)}::text[])[1 + (g / 7) % ${needs.length}]],
        g % 3 <> 0, case when g % 3 = 0 then '£2 a session' else 'Free' end,
        'in_person', (array['just_turn_up', 'signpost', 'anchorpoint_referral'])[1 + g % 3],
        case when g % 11 = 0 then 50 end,
        now() - ((g * 37) % 200) * interval '1 day', 'Bench editor', 'Bench Community Organisation ' || (1 + g % ${organisations})
      from generate_series(1, ${services}) g
      join directory_organisation o on o.source = 'bench' and o.source_id = 'org-' || (1 + g % ${organisations})`.execute(db);
    await sql`insert into directory_location (directory_organisation_id, source, source_id, name, address_1, city, postcode, latitude, longitude)
      select s.directory_organisation_id, 'bench', 'loc-' || s.source_id, 'Venue for ' || s.name, '1 High Street', 'Town', null,
        c.latitude + ((hashtext(s.source_id) % 1000) / 1000.0) * 0.03, c.longitude + ((hashtext(s.id::text) % 1000) / 1000.0) * 0.045
      from directory_service s
      join bench_outcode c on c.n = abs(hashtext(s.source_id)) % ${outcodes.length}
      where s.source = 'bench'`.execute(db);
    await sql`insert into directory_service_at_location (directory_service_id, directory_location_id)
      select s.id, l.id from directory_service s join directory_location l on l.source = 'bench' and l.source_id = 'loc-' || s.source_id
      where s.source = 'bench'`.execute(db);
    await sql`insert into directory_schedule (directory_service_id, service_at_location_id, freq, byday, weekdays, opens_at, closes_at)
      select sal.directory_service_id, sal.id, 'WEEKLY', (array['MO','TU','WE','TH','FR','SA','SU'])[1 + d], array[1 + d]::smallint[],
        make_time(9 + (h % 10), 0, 0), make_time(11 + (h % 10), 0, 0)
      from directory_service_at_location sal
      cross join lateral (select abs(hashtext(sal.id::text)) % 7 as d, abs(hashtext(sal.directory_service_id::text)) as h) x`.execute(db);
    await sql`insert into directory_word (word)
      select word from ts_stat('select to_tsvector(''simple'', name || '' '' || coalesce(description, '''')) from directory_service where source = ''bench'' and source_id < ''svc-2''')
      where word ~ '^[a-z]{3,30}$' on conflict do nothing`.execute(db);
    await sql`analyze directory_service`.execute(db);
    await sql`analyze directory_location`.execute(db);
    await sql`analyze directory_service_at_location`.execute(db);
    await sql`analyze directory_schedule`.execute(db);
  },
});

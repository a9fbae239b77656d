import { sql, type Kysely } from 'kysely';
import type { Schema } from '../src/db/schema.js';
import { SWEMWBS_METRIC } from '../src/modules/measures/instruments.js';
import type { Step } from './synthetic.js';

/**
 * Outcome measures at scale: for every episode a baseline SWEMWBS and ONS4, and for two in three a
 * discharge one: about a million administrations at national scale. Scores follow the metric table.
 */
export const measureSteps: Step[] = [
  {
    name: 'measures',
    run: async (db: Kysely<Schema>) => {
      const raws = Object.keys(SWEMWBS_METRIC).map(Number);
      const metrics = raws.map((r) => SWEMWBS_METRIC[r]!);
      await sql`create temporary table bench_metric as select * from unnest(${sql.val(raws)}::int[], ${sql.val(metrics)}::numeric[]) as m(raw, metric)`.execute(db);
      await sql`insert into measure_response (service_id, episode_id, person_id, instrument_code, timepoint, answers, status, score, raw, completed_on)
        select e.service_id, e.id, e.person_id, 'swemwbs', t.timepoint, '{}'::jsonb, 'scored', m.metric, m.raw, (e.opened_at + t.days * interval '1 day')::date
        from episode e
        cross join lateral (values ('baseline', 0, 0), ('discharge', 90, 1)) t(timepoint, days, later)
        join bench_metric m on m.raw = least(35, 12 + abs(hashtext(e.id::text)) % 12 + t.later * (abs(hashtext(e.person_id::text)) % 6))
        where t.timepoint = 'baseline' or abs(hashtext(e.id::text)) % 3 <> 0`.execute(db);
      await sql`insert into measure_response (service_id, episode_id, person_id, instrument_code, timepoint, answers, status, item_results, completed_on)
        select e.service_id, e.id, e.person_id, 'ons4', t.timepoint, '{}'::jsonb, 'items',
          jsonb_build_object('satisfied', jsonb_build_object('value', 3 + t.later * 3, 'band', case when t.later = 1 then 'Medium' else 'Low' end),
                             'anxious', jsonb_build_object('value', 7 - t.later * 4, 'band', case when t.later = 1 then 'Low' else 'High' end)),
          (e.opened_at + t.days * interval '1 day')::date
        from episode e cross join lateral (values ('baseline', 0, 0), ('discharge', 90, 1)) t(timepoint, days, later)
        where t.timepoint = 'baseline' or abs(hashtext(e.id::text)) % 3 <> 0`.execute(db);
      await sql`analyze measure_response`.execute(db);
    },
  },
  {
    // As autovacuum would after bulk changes: fresh statistics and no GIN pending lists.
    name: 'vacuum',
    run: async (db: Kysely<Schema>) => {
      for (const table of ['directory_service', 'directory_location', 'directory_service_at_location', 'directory_schedule', 'connection', 'provision_gap', 'measure_response', 'episode', 'contact', 'person']) {
        await sql`vacuum analyze ${sql.table(table)}`.execute(db);
      }
    },
  },
];

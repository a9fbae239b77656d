import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { disclosed } from '../../shared/small-numbers.js';
import { HOLDING_REASONS, type HoldingReason } from '../../shared/vocabulary.js';
import type { ReportScope } from '../measures/outcomes-report.js';
import { linkWorkersOf } from '../measures/report-filters.js';
import { DISCRETION_LABELS } from './contact-service.js';

/**
 * The service activity report (DOMAIN.md): holding, its reasons and how long it lasts, by link worker
 * (the burden the study warns of); discretions, how often and why; and referrals and what came of
 * them by referring practice (the effect a practice can see). Commissioners get service totals with
 * counts under five suppressed: never a link worker by name, never a discretion's words.
 */

type Count = number | string;
const REASONS = Object.keys(HOLDING_REASONS) as HoldingReason[];
const KINDS = Object.keys(DISCRETION_LABELS) as (keyof typeof DISCRETION_LABELS)[];

export interface ActivityReport {
  scope: { from: string; to: string; suppress: boolean };
  holding: {
    periods: Count;
    people: Count;
    heldNow: Count;
    medianDays: number | null;
    byReason: { reason: HoldingReason; label: string; periods: Count; heldNow: Count; medianDays: number | null }[];
    byLinkWorker: { userId: string; name: string; openEpisodes: number; heldNow: number; heldShare: number | null; periods: number; medianDays: number | null }[];
  };
  discretions: {
    total: Count;
    episodes: Count;
    byKind: { kind: string; label: string; n: Count }[];
    byLinkWorker: { userId: string; name: string; total: number; byKind: Record<string, number> }[];
    reasons: { recordedOn: string; kind: string; label: string; reason: string; linkWorker: string }[];
  };
  practices: { id: string; name: string; referred: Count; accepted: Count; declined: Count; redirected: Count; waiting: Count; medianDaysToFirstContact: number | null; closed: Count }[];
}

/** A median drawn from fewer than five periods is not shown outside the service. */
const median = (value: number | string | null, n: number, suppress: boolean) => (value === null || (suppress && n < 5) ? null : Math.round(Number(value) * 10) / 10);

/** Holding periods (each start with the end that followed it, if any) that overlap the report's period. */
export function holdingPeriods(db: Kysely<Schema>, scope: ReportScope) {
  return db
    .with('marks', (qb) =>
      qb
        .selectFrom('episode_action as a')
        .select(['a.episode_id', 'a.kind', 'a.holding_reason', 'a.occurred_at'])
        .select(sql<Date | null>`lead(a.occurred_at) over (partition by a.episode_id order by a.occurred_at, a.id)`.as('next_at'))
        .where('a.service_id', 'in', scope.serviceIds)
        .where('a.kind', 'in', ['holding_started', 'holding_ended', 'closed']),
    )
    .selectFrom('marks as h')
    .innerJoin('episode as e', 'e.id', 'h.episode_id')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .select(['h.episode_id', 'e.person_id', 'e.link_worker_user_id', 'h.holding_reason', sql<boolean>`h.next_at is null`.as('ongoing')])
    // Calendar days in England: held from Monday to Thursday is 3 days; started today is 0.
    .select(sql<number>`(coalesce(h.next_at, now()) at time zone 'Europe/London')::date - (h.occurred_at at time zone 'Europe/London')::date`.as('days'))
    .where('h.kind', '=', 'holding_started')
    .where(sql<boolean>`(h.occurred_at at time zone 'Europe/London')::date <= ${scope.to}::date`)
    .where(sql<boolean>`(h.next_at is null or (h.next_at at time zone 'Europe/London')::date >= ${scope.from}::date)`)
    .$if(Boolean(scope.practiceId), (q) => q.where('p.registered_practice_id', '=', scope.practiceId!))
    .$if(Boolean(scope.linkWorkerUserId), (q) => q.where('e.link_worker_user_id', '=', scope.linkWorkerUserId!));
}

async function holdingSection(db: Kysely<Schema>, scope: ReportScope): Promise<ActivityReport['holding']> {
  // One pass over the periods gives each reason, each link worker and the totals (grouping sets).
  // `g` says which a row is: a bit for each column left out of its grouping.
  const [rows, workers, loads] = await Promise.all([
    db
      .selectFrom(holdingPeriods(db, scope).as('hp'))
      .select(['hp.holding_reason', 'hp.link_worker_user_id'])
      .select((eb) => [
        sql<number>`grouping(hp.holding_reason, hp.link_worker_user_id)::int`.as('g'),
        eb.fn.countAll<number>().as('n'),
        sql<number>`count(distinct hp.person_id)::int`.as('people'),
        sql<number>`count(*) filter (where hp.ongoing)::int`.as('now'),
        sql<string | null>`percentile_cont(0.5) within group (order by hp.days)`.as('median'),
      ])
      .groupBy(sql`grouping sets ((), (hp.holding_reason), (hp.link_worker_user_id))`)
      .execute(),
    scope.suppress ? Promise.resolve([]) : linkWorkersOf(db, scope.serviceIds[0]!),
    scope.suppress
      ? Promise.resolve([])
      : db
          .selectFrom('episode')
          .select(['link_worker_user_id', sql<number>`count(*) filter (where status <> 'closed')::int`.as('open'), sql<number>`count(*) filter (where status = 'holding')::int`.as('held')])
          .where('service_id', 'in', scope.serviceIds)
          .groupBy('link_worker_user_id')
          .execute(),
  ]);
  const [BY_REASON, BY_WORKER, TOTAL] = [1, 2, 3];
  const total = rows.find((r) => Number(r.g) === TOTAL)!;
  const n = Number(total.n);
  return {
    periods: disclosed(n, scope.suppress),
    people: disclosed(Number(total.people), scope.suppress),
    heldNow: disclosed(Number(total.now), scope.suppress),
    medianDays: median(total.median, n, scope.suppress),
    byReason: REASONS.map((reason) => {
      const row = rows.find((r) => Number(r.g) === BY_REASON && r.holding_reason === reason);
      const periodsOf = Number(row?.n ?? 0);
      return { reason, label: HOLDING_REASONS[reason], periods: disclosed(periodsOf, scope.suppress), heldNow: disclosed(Number(row?.now ?? 0), scope.suppress), medianDays: median(row?.median ?? null, periodsOf, scope.suppress) };
    }),
    byLinkWorker: workers
      .filter((worker) => !scope.linkWorkerUserId || worker.id === scope.linkWorkerUserId)
      .map((worker) => {
        const load = loads.find((l) => l.link_worker_user_id === worker.id);
        const row = rows.find((r) => Number(r.g) === BY_WORKER && r.link_worker_user_id === worker.id);
        const open = Number(load?.open ?? 0);
        const held = Number(load?.held ?? 0);
        return {
          userId: worker.id,
          name: worker.display_name,
          openEpisodes: open,
          heldNow: held,
          heldShare: open ? Math.round((100 * held) / open) : null,
          periods: Number(row?.n ?? 0),
          medianDays: median(row?.median ?? null, Number(row?.n ?? 0), false),
        };
      }),
  };
}

async function discretionSection(db: Kysely<Schema>, scope: ReportScope): Promise<ActivityReport['discretions']> {
  const inScope = db
    .selectFrom('discretion as d')
    .innerJoin('episode as e', 'e.id', 'd.episode_id')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .innerJoin('app_user as u', 'u.id', 'd.recorded_by_user_id')
    .where('d.service_id', 'in', scope.serviceIds)
    .where(sql<boolean>`(d.recorded_at at time zone 'Europe/London')::date between ${scope.from}::date and ${scope.to}::date`)
    .$if(Boolean(scope.practiceId), (q) => q.where('p.registered_practice_id', '=', scope.practiceId!))
    .$if(Boolean(scope.linkWorkerUserId), (q) => q.where('d.recorded_by_user_id', '=', scope.linkWorkerUserId!));
  const [byKind, episodes, byWorker, reasons] = await Promise.all([
    inScope.select(['d.kind']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy('d.kind').execute(),
    inScope.select(sql<number>`count(distinct d.episode_id)::int`.as('n')).executeTakeFirstOrThrow(),
    scope.suppress ? Promise.resolve([]) : inScope.select(['u.id', 'u.display_name', 'd.kind']).select((eb) => eb.fn.countAll<number>().as('n')).groupBy(['u.id', 'u.display_name', 'd.kind']).orderBy('u.display_name').execute(),
    scope.suppress
      ? Promise.resolve([])
      : inScope.select(['d.kind', 'd.reason', 'u.display_name', sql<string>`to_char(d.recorded_at at time zone 'Europe/London', 'YYYY-MM-DD')`.as('recorded_on')]).orderBy('d.recorded_at', 'desc').limit(50).execute(),
  ]);
  const total = byKind.reduce((sum, row) => sum + Number(row.n), 0);
  const workers = new Map<string, ActivityReport['discretions']['byLinkWorker'][number]>();
  for (const row of byWorker) {
    const worker = workers.get(row.id) ?? { userId: row.id, name: row.display_name, total: 0, byKind: Object.fromEntries(KINDS.map((k) => [k, 0])) };
    worker.total += Number(row.n);
    worker.byKind[row.kind] = Number(row.n);
    workers.set(row.id, worker);
  }
  return {
    total: disclosed(total, scope.suppress),
    episodes: disclosed(Number(episodes.n), scope.suppress),
    byKind: KINDS.map((kind) => ({ kind, label: DISCRETION_LABELS[kind], n: disclosed(Number(byKind.find((r) => r.kind === kind)?.n ?? 0), scope.suppress) })),
    byLinkWorker: [...workers.values()],
    reasons: reasons.map((r) => ({ recordedOn: r.recorded_on, kind: r.kind, label: DISCRETION_LABELS[r.kind], reason: r.reason, linkWorker: r.display_name })),
  };
}

/** Referrals each practice made in the period, and what came of them. */
async function practiceSection(db: Kysely<Schema>, scope: ReportScope): Promise<ActivityReport['practices']> {
  const rows = await db
    .selectFrom('organisation as o')
    .leftJoin('referral as r', (join) =>
      join
        .onRef('r.referring_organisation_id', '=', 'o.id')
        .on('r.service_id', 'in', scope.serviceIds)
        .on(sql<boolean>`(r.received_at at time zone 'Europe/London')::date between ${scope.from}::date and ${scope.to}::date`),
    )
    .leftJoin('episode as e', 'e.referral_id', 'r.id')
    .select(['o.id', 'o.name'])
    .select((eb) => [
      eb.fn.count<number>('r.id').as('referred'),
      sql<number>`count(*) filter (where r.status = 'accepted')::int`.as('accepted'),
      sql<number>`count(*) filter (where r.status = 'declined')::int`.as('declined'),
      sql<number>`count(*) filter (where r.status = 'redirected')::int`.as('redirected'),
      sql<number>`count(*) filter (where r.status = 'waiting')::int`.as('waiting'),
      sql<number>`count(e.first_contact_at)::int`.as('contacted'),
      sql<string | null>`percentile_cont(0.5) within group (order by (e.first_contact_at at time zone 'Europe/London')::date - (r.received_at at time zone 'Europe/London')::date) filter (where e.first_contact_at is not null)`.as('median'),
      sql<number>`count(e.closed_at)::int`.as('closed'),
    ])
    .where('o.kind', '=', 'gp_practice')
    .where('o.service_id', 'in', scope.serviceIds)
    .$if(Boolean(scope.practiceId), (q) => q.where('o.id', '=', scope.practiceId!))
    .groupBy(['o.id', 'o.name'])
    .orderBy('o.name')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    referred: disclosed(Number(row.referred), scope.suppress),
    accepted: disclosed(Number(row.accepted), scope.suppress),
    declined: disclosed(Number(row.declined), scope.suppress),
    redirected: disclosed(Number(row.redirected), scope.suppress),
    waiting: disclosed(Number(row.waiting), scope.suppress),
    medianDaysToFirstContact: median(row.median, Number(row.contacted), scope.suppress),
    closed: disclosed(Number(row.closed), scope.suppress),
  }));
}

export async function activityReport(db: Kysely<Schema>, scope: ReportScope): Promise<ActivityReport | null> {
  if (!scope.serviceIds.length) return null;
  const [holding, discretions, practices] = await Promise.all([holdingSection(db, scope), discretionSection(db, scope), practiceSection(db, scope)]);
  return { scope: { from: scope.from, to: scope.to, suppress: scope.suppress }, holding, discretions, practices };
}

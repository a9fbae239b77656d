import { sql, type Kysely, type Transaction } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { csvText } from '../../platform/downloads.js';
import { validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isUuid, text } from '../../shared/form.js';
import { disclosed } from '../../shared/small-numbers.js';
import { NEED_DOMAINS, isOneOf } from '../../shared/vocabulary.js';
import { daysSince } from '../../db/days-since.js';

/**
 * The provision gaps register: what people needed that no service offered, by need and area, with
 * how many people were affected and for how long. Counted, never named; under five is shown as "<5"
 * outside the service.
 */


export interface GapGroup {
  needDomain: string;
  area: string | null;
  occurrences: number;
  people: number;
  waitingDays: number;
  latestNote: string;
  lastRecordedAt: Date;
}

/** Open gaps grouped by need and area (outward code), most people first. `serviceIds` for a commissioner's several services. */
export function gapRegisterQuery(db: Kysely<Schema>, serviceIds: string[], options: { need?: string }) {
  return db
    .selectFrom('provision_gap as g')
    .select([
      'g.need_domain',
      'g.outward_code',
      sql<number>`count(*)`.as('occurrences'),
      sql<number>`count(distinct coalesce(g.episode_id::text, g.id::text))`.as('people'),
      sql<Date>`max(g.recorded_at)`.as('last_recorded_at'),
      daysSince(sql`min(g.recorded_at)`).as('waiting_days'),
      sql<string>`(array_agg(g.note order by g.recorded_at desc))[1]`.as('latest_note'),
    ])
    .where('g.service_id', 'in', serviceIds)
    .where('g.met_at', 'is', null)
    .$if(Boolean(options.need), (q) => q.where('g.need_domain', '=', options.need!))
    .groupBy(['g.need_domain', 'g.outward_code'])
    .orderBy(sql`count(distinct coalesce(g.episode_id::text, g.id::text))`, 'desc')
    .orderBy(sql`min(g.recorded_at)`)
    .limit(500);
}

export async function gapRegister(db: Kysely<Schema>, serviceIds: string[], options: { need?: string } = {}): Promise<GapGroup[]> {
  if (!serviceIds.length) return [];
  const rows = await gapRegisterQuery(db, serviceIds, options).execute();
  return rows.map((r) => ({
    needDomain: r.need_domain,
    area: r.outward_code,
    occurrences: Number(r.occurrences),
    people: Number(r.people),
    waitingDays: r.waiting_days ?? 0,
    latestNote: r.latest_note,
    lastRecordedAt: new Date(r.last_recorded_at),
  }));
}

/** Marks every open gap of one need and area as met by a directory service. */
export async function markGapMet(db: Kysely<Schema>, actor: Actor, input: unknown, requestId: string): Promise<number> {
  const serviceId = actor.serviceId!;
  const errors: FieldErrors = {};
  const need = text(input, 'need');
  const area = text(input, 'area');
  const directoryServiceId = text(input, 'directoryServiceId');
  if (!isOneOf(NEED_DOMAINS, need)) errors.need = 'Select the need';
  if (area && !/^[A-Z]{1,2}[0-9][A-Z0-9]?$/.test(area)) errors.area = 'The area must be the first part of a postcode, like DN15';
  const service = isUuid(directoryServiceId) ? await db.selectFrom('directory_service').select(['id', 'status']).where('id', '=', directoryServiceId).executeTakeFirst() : undefined;
  if (!service) errors.directoryServiceId = 'Select the service that now meets this need';
  else if (service.status === 'closed') errors.directoryServiceId = 'That service is closed: choose one that is running';
  if (Object.keys(errors).length) throw validationFailed(errors);
  return db.transaction().execute(async (trx) => {
    const result = await trx
      .updateTable('provision_gap')
      .set({ met_at: new Date(), met_by_user_id: actor.userId, met_directory_service_id: directoryServiceId })
      .where('service_id', '=', serviceId)
      .where('need_domain', '=', need)
      .where((eb) => (area ? eb('outward_code', '=', area) : eb('outward_code', 'is', null)))
      .where('met_at', 'is', null)
      .executeTakeFirst();
    const met = Number(result.numUpdatedRows);
    if (!met) throw validationFailed({ need: 'There are no open gaps for that need and area: someone may have marked them met already' });
    await writeAudit(trx, { actor, action: 'gap.met', recordType: 'directory_service', recordId: directoryServiceId, serviceId, requestId, detail: { need, area: area || null, gaps: met } });
    return met;
  });
}

/** A gap recorded when a link worker holds someone for want of provision: their first need, their area. */
export async function recordHoldingGap(trx: Transaction<Schema>, actor: Actor, episodeId: string, note: string | null): Promise<void> {
  const row = await trx
    .selectFrom('episode as e')
    .innerJoin('referral as r', 'r.id', 'e.referral_id')
    .innerJoin('person as p', 'p.id', 'e.person_id')
    .select(['e.service_id', 'r.need_domains', 'p.postcode', 'p.registered_practice_id'])
    .where('e.id', '=', episodeId)
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('provision_gap')
    .values({
      service_id: row.service_id,
      need_domain: row.need_domains[0] ?? 'loneliness',
      outward_code: row.postcode ? row.postcode.split(' ')[0]! : null,
      practice_id: row.registered_practice_id,
      note: note || 'Held: waiting for, or no suitable, community provision',
      episode_id: episodeId,
      recorded_by_user_id: actor.userId,
      source: 'holding',
    })
    .execute();
}


/** The register as CSV. For commissioners, counts under five are suppressed and notes left out. */
export function gapRegisterCsv(groups: GapGroup[], options: { suppress: boolean; serviceName?: (g: GapGroup) => string }): string {
  const header = ['need', 'area', 'gaps recorded', 'people affected', 'waiting since (days)', ...(options.suppress ? [] : ['latest note'])];
  return csvText([
    header,
    ...groups.map((g) => [
      NEED_DOMAINS[g.needDomain as keyof typeof NEED_DOMAINS] ?? g.needDomain,
      g.area ?? 'not recorded',
      disclosed(g.occurrences, options.suppress),
      disclosed(g.people, options.suppress),
      g.waitingDays,
      ...(options.suppress ? [] : [g.latestNote]),
    ]),
  ]);
}

import { parse } from 'csv-parse/sync';
import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { validationFailed } from '../../platform/errors.js';
import { isValidNhsNumber, nhsNumberDigits } from '../../shared/nhs-number.js';

/**
 * GP appointment counts from a practice's CSV: `nhs_number,period,window_months,appointments`, one
 * row per person and period (before the referral, after the episode). Each row goes to the person's
 * latest episode in this service. Rows that cannot be used are reported with their line and reason;
 * the usable ones are saved together, in one transaction.
 */

export interface GpImportReport {
  rows: number;
  saved: number;
  skipped: { line: number; reason: string }[];
}

export async function importGpAppointments(db: Kysely<Schema>, actor: Actor, csvText: string, requestId: string): Promise<GpImportReport> {
  const serviceId = actor.serviceId!;
  let rows: Record<string, string>[];
  try {
    rows = parse<Record<string, string>>(csvText, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, bom: true, trim: true });
  } catch (error) {
    throw validationFailed({ file: `The file is not readable CSV: ${(error as Error).message}` });
  }
  const first = rows[0];
  if (!first || !['nhs_number', 'period', 'appointments'].every((column) => column in first)) {
    throw validationFailed({ file: 'The file needs the columns nhs_number, period, window_months and appointments, with a header row' });
  }
  const report: GpImportReport = { rows: rows.length, saved: 0, skipped: [] };
  await db.transaction().execute(async (trx) => {
    for (const [index, row] of rows.entries()) {
      const line = index + 2;
      const digits = nhsNumberDigits(row.nhs_number ?? '');
      const period = (row.period ?? '').toLowerCase();
      const window = Number(row.window_months || 6);
      const appointments = Number(row.appointments);
      const problem = !digits || !isValidNhsNumber(digits)
        ? 'not a valid NHS number'
        : !['before', 'after'].includes(period)
          ? 'period must be before or after'
          : !Number.isInteger(window) || window < 1 || window > 24
            ? 'window_months must be a whole number from 1 to 24'
            : !/^\d{1,3}$/.test(row.appointments ?? '') || appointments > 500
              ? 'appointments must be a whole number from 0 to 500'
              : null;
      if (problem) {
        report.skipped.push({ line, reason: problem });
        continue;
      }
      const episode = await trx
        .selectFrom('episode as e')
        .innerJoin('person as p', 'p.id', 'e.person_id')
        .select(['e.id'])
        .where('e.service_id', '=', serviceId)
        .where('p.nhs_number', '=', digits!)
        .orderBy('e.opened_at', 'desc')
        .executeTakeFirst();
      if (!episode) {
        report.skipped.push({ line, reason: 'no one with this NHS number has been supported by this service' });
        continue;
      }
      const values = { window_months: window, appointments, source: 'imported', recorded_by: actor.userId, recorded_at: new Date() };
      await trx
        .insertInto('gp_appointments')
        .values({ service_id: serviceId, episode_id: episode.id, period, ...values })
        .onConflict((oc) => oc.columns(['episode_id', 'period']).doUpdateSet(values))
        .execute();
      report.saved += 1;
    }
    await writeAudit(trx, { actor, action: 'measure.gp_import', serviceId, requestId, detail: { rows: report.rows, saved: report.saved, skipped: report.skipped.length } });
  });
  return report;
}

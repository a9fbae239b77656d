import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import type { Actor } from '../../platform/access/policy.js';
import { mapFeedRecord, type DataIssue } from './feed-mapping.js';
import * as repo from './directory-repository.js';
import { rememberWords, replaceServiceDetails, termResolver } from './directory-details-repository.js';

export { FeedError } from './feed-mapping.js';
export { parseFeed } from './feed-sources.js';

export interface ImportReport {
  id?: string;
  source: string;
  records: number;
  created: number;
  updated: number;
  skipped: { index: number; id: string | null; name: string | null; reason: string }[];
  flagged: { id: string; name: string; issues: DataIssue[] }[];
}

/**
 * Imports Open Referral service records. Every record ends up created, updated (same source and
 * id as before) or skipped with its reason; kept records with bad fields are flagged. The whole
 * import is one transaction: a database failure leaves nothing half-imported.
 */
export async function importServices(
  db: Kysely<Schema>,
  records: unknown[],
  options: { source: string; format: string; actor: Actor | null; requestId?: string; onProgress?: (done: number) => void },
): Promise<ImportReport> {
  const report: ImportReport = { source: options.source, records: records.length, created: 0, updated: 0, skipped: [], flagged: [] };
  await db.transaction().execute(async (trx) => {
    const organisations = new Map<string, string>();
    const resolveTerms = await termResolver(trx);
    const words: (string | null)[] = [];
    for (const [index, raw] of records.entries()) {
      const mapped = mapFeedRecord(raw);
      if (!mapped.ok) {
        report.skipped.push({ index, id: mapped.sourceId, name: mapped.name, reason: mapped.reason });
      } else {
        let organisationId = organisations.get(mapped.organisation.sourceId);
        if (!organisationId) {
          organisationId = (await repo.upsertOrganisation(trx, options.source, mapped.organisation)).id;
          organisations.set(mapped.organisation.sourceId, organisationId);
        }
        const terms = resolveTerms(mapped.details.terms);
        for (const name of terms.unknown) mapped.issues.push({ field: 'taxonomy', problem: 'not a term of a taxonomy Anchorpoint knows; left off', value: name });
        const saved = await repo.upsertService(trx, options.source, organisationId, mapped.service, mapped.issues, mapped.organisation.name);
        await replaceServiceDetails(
          trx,
          { id: saved.id, source: options.source, sourceId: mapped.service.sourceId, organisationId },
          { ...mapped.details, termIds: terms.ids },
        );
        words.push(mapped.service.name, mapped.organisation.name, mapped.service.description);
        if (saved.inserted) report.created += 1;
        else report.updated += 1;
        if (mapped.issues.length) report.flagged.push({ id: mapped.service.sourceId, name: mapped.service.name, issues: mapped.issues });
      }
      if ((index + 1) % 50 === 0) options.onProgress?.(index + 1);
    }
    options.onProgress?.(records.length);
    await rememberWords(trx, words);
    report.id = await repo.recordImport(trx, {
      source: options.source,
      format: options.format,
      started_by: options.actor?.userId ?? null,
      finished_at: new Date(),
      records: report.records,
      created: report.created,
      updated: report.updated,
      skipped: report.skipped.length,
      flagged: report.flagged.length,
      report: JSON.stringify({ skipped: report.skipped, flagged: report.flagged }),
    });
    await writeAudit(trx, {
      actor: options.actor,
      action: 'directory.import',
      serviceId: null,
      ...(options.requestId ? { requestId: options.requestId } : {}),
      detail: { source: options.source, records: report.records, created: report.created, updated: report.updated, skipped: report.skipped.length },
    });
  });
  return report;
}

/** Summarises flagged fields as "field: problem" with how many records had it. */
export function flaggedSummary(report: Pick<ImportReport, 'flagged'>): { problem: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const flag of report.flagged) for (const issue of flag.issues) counts.set(`${issue.field}: ${issue.problem}`, (counts.get(`${issue.field}: ${issue.problem}`) ?? 0) + 1);
  return [...counts].map(([problem, count]) => ({ problem, count })).sort((a, b) => b.count - a.count);
}

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requirePermission } from '../../platform/auth/auth-plugin.js';
import { sendDownload } from '../../platform/downloads.js';
import { registerUploadRoutes, uploadedField, uploadedFiles } from '../../platform/uploads.js';
import { notFound } from '../../platform/errors.js';
import { isUuid } from '../../shared/form.js';
import { exportCsv, exportOrukJson } from '../openreferral/directory-export.js';
import { FeedError, flaggedSummary, importServices, type ImportReport } from './directory-import-service.js';
import { fetchFeed, parseFeed, recordsFromCsvPackage } from './feed-sources.js';

/** The editors' import page (upload or URL), saved import reports, and the directory's exports. */

export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/** Problems with what was asked for, before anything is read. */
function checkSource(source: string, errors: Record<string, string>) {
  if (!source) errors.source = 'Enter a short name for where the data comes from, like north-lincolnshire';
  else if (!/^[A-Za-z0-9._-]{1,100}$/.test(source)) errors.source = 'The source name may use letters, digits, dots, dashes and underscores';
}

export function registerDirectoryImportRoutes(app: FastifyInstance) {
  const importing = { preValidation: requirePermission('directory.import') };
  const exporting = { preValidation: requirePermission('directory.export') };

  const recentImports = () =>
    app.db.selectFrom('directory_import').select(['id', 'source', 'format', 'started_at', 'records', 'created', 'updated', 'skipped', 'flagged']).orderBy('started_at', 'desc').limit(20).execute();

  const renderForm = async (reply: FastifyReply, values: Record<string, string>, errors?: Record<string, string>) =>
    reply.page('directory/import.njk', { title: 'Import directory data', values, errors, imports: await recentImports(), maxMegabytes: MAX_UPLOAD_BYTES / 1024 / 1024 });

  app.get('/directory/import', importing, (_request, reply) => renderForm(reply, {}));

  registerUploadRoutes(app, { fileSize: MAX_UPLOAD_BYTES, files: 30 }, (scope) => {
    scope.post('/directory/import', importing, async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.isMultipart()) return renderForm(reply.code(400), {}, { files: 'Choose a file to upload' });
      const source = uploadedField(request, 'source');
      const url = uploadedField(request, 'url');
      const files = uploadedFiles(request, 'files');
      const errors: Record<string, string> = {};
      checkSource(source, errors);
      if (!files.length && !url) errors.files = 'Choose a JSON feed file or the CSV files of a data package, or enter the address of a feed';
      if (files.length && url) errors.url = 'Import from a file or from an address, not both at once';
      if (Object.keys(errors).length) return renderForm(reply.code(422), { source, url }, errors);

      let records: unknown[];
      let format: string;
      try {
        if (url) {
          records = await fetchFeed(url);
          format = 'oruk-json-url';
        } else {
          const contents = new Map<string, string>();
          for (const file of files) contents.set(file.filename, await file.text());
          const csv = [...contents.keys()].some((name) => /\.csv$/i.test(name));
          if (csv) {
            records = recordsFromCsvPackage(contents);
            format = 'hsds-csv';
          } else if (contents.size === 1) {
            records = parseFeed([...contents.values()][0]!);
            format = 'oruk-json';
          } else throw new FeedError('Upload one JSON feed, or the CSV files of one data package.');
        }
      } catch (error) {
        if (error instanceof FeedError) return renderForm(reply.code(422), { source, url }, { [url ? 'url' : 'files']: error.message });
        if ((error as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') return renderForm(reply.code(413), { source, url }, { files: `Files must be ${MAX_UPLOAD_BYTES / 1024 / 1024} MB or smaller` });
        throw error;
      }
      const report = await importServices(app.db, records, { source, format, actor: request.actor!, requestId: request.id });
      return reply.redirect(`/directory/imports/${report.id!}`);
    });
  });

  app.get<{ Params: { id: string } }>('/directory/imports/:id', importing, async (request, reply) => {
    const row = isUuid(request.params.id) ? await app.db.selectFrom('directory_import').selectAll().where('id', '=', request.params.id).executeTakeFirst() : undefined;
    if (!row) throw notFound('import');
    const detail = row.report as unknown as Pick<ImportReport, 'skipped' | 'flagged'>;
    return reply.page('directory/import-report.njk', {
      title: `Import from ${row.source}`,
      row,
      skipped: detail.skipped ?? [],
      flaggedSummary: flaggedSummary({ flagged: detail.flagged ?? [] }),
      flagged: (detail.flagged ?? []).slice(0, 200),
    });
  });

  app.get('/directory/export.json', exporting, (_request, reply) => sendDownload(reply, 'directory-oruk-3.0', 'json', exportOrukJson(app.db)));
  app.get('/directory/export.csv', exporting, (_request, reply) => sendDownload(reply, 'directory', 'csv', exportCsv(app.db)));
}

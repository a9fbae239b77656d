import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { Presets, SingleBar } from 'cli-progress';
import type { Kysely } from 'kysely';
import type { Schema } from '../db/schema.js';
import { FeedError, flaggedSummary, importServices } from '../modules/directory/directory-import-service.js';
import { fetchFeed, parseFeed, recordsFromCsvPackage } from '../modules/directory/feed-sources.js';
import { loadPostcodes } from '../modules/directory/postcode-import.js';
import { exportCsv, exportOrukJson } from '../modules/openreferral/directory-export.js';

/** The directory's command-line tasks: import (file, folder or address), postcodes, export. */

async function readRecords(input: string): Promise<{ records: unknown[]; format: string }> {
  if (/^https?:\/\//i.test(input)) {
    const bar = new SingleBar({ format: 'Fetching feed |{bar}| page {value}/{total}', clearOnComplete: true }, Presets.shades_classic);
    bar.start(1, 0);
    const records = await fetchFeed(input, {
      onPage: (page, total) => {
        bar.setTotal(total ?? page);
        bar.update(page);
      },
    });
    bar.stop();
    return { records, format: 'oruk-json-url' };
  }
  let stat: fs.Stats;
  try {
    stat = fs.statSync(input);
  } catch {
    throw new FeedError(`There is no file or folder at ${input}`);
  }
  if (stat.isDirectory()) {
    const files = new Map(
      fs
        .readdirSync(input)
        .filter((f) => f.toLowerCase().endsWith('.csv'))
        .map((f) => [f, fs.readFileSync(path.join(input, f), 'utf8')]),
    );
    return { records: recordsFromCsvPackage(files), format: 'hsds-csv' };
  }
  return { records: parseFeed(fs.readFileSync(input, 'utf8')), format: 'oruk-json' };
}

export async function importDirectory(db: Kysely<Schema>, argv: string[]): Promise<number> {
  const input = argv[1];
  if (!input) {
    console.error('Give the feed: npm run cli -- import-directory FILE|FOLDER|URL [--source NAME]');
    return 1;
  }
  const sourceAt = argv.indexOf('--source');
  const fallback = /^https?:/i.test(input) ? new URL(input).hostname : path.basename(input).replace(/\.json$/i, '');
  const source = sourceAt > 0 ? (argv[sourceAt + 1] ?? '') : fallback;
  if (!/^[A-Za-z0-9._-]{1,100}$/.test(source)) {
    console.error('The source name may use letters, digits, dots, dashes and underscores (up to 100).');
    return 1;
  }
  let read: { records: unknown[]; format: string };
  try {
    read = await readRecords(input);
  } catch (error) {
    console.error(error instanceof FeedError ? error.message : `Could not read ${input}: ${(error as Error).message}`);
    return 1;
  }
  const bar = new SingleBar({ format: 'Importing |{bar}| {value}/{total} services', clearOnComplete: true }, Presets.shades_classic);
  bar.start(read.records.length, 0);
  const report = await importServices(db, read.records, { source, format: read.format, actor: null, onProgress: (done) => bar.update(done) });
  bar.stop();
  console.log(`Imported ${report.records} records from ${source}: ${report.created} created, ${report.updated} updated, ${report.skipped.length} skipped, ${report.flagged.length} kept with flagged fields.`);
  for (const skip of report.skipped) console.log(`  skipped #${skip.index + 1} ${skip.id ?? '(no id)'} ${skip.name ?? ''}: ${skip.reason}`);
  for (const { problem, count } of flaggedSummary(report)) console.log(`  flagged ${count} × ${problem}`);
  return 0;
}

export async function importPostcodes(db: Kysely<Schema>, file: string | undefined): Promise<number> {
  if (!file || !fs.existsSync(file)) {
    console.error('Give the postcode file: npm run cli -- import-postcodes FILE (postcode,latitude,longitude as .csv or .csv.gz)');
    return 1;
  }
  const size = fs.statSync(file).size;
  const started = Date.now();
  const bar = new SingleBar({ format: 'Loading postcodes |{bar}| {percentage}% | {rows} rows', clearOnComplete: true }, Presets.shades_classic);
  bar.start(size, 0, { rows: 0 });
  let rows = 0;
  const report = await loadPostcodes(db, fs.createReadStream(file), {
    gzipped: file.endsWith('.gz'),
    onProgress: (bytes, loaded) => {
      rows = loaded;
      bar.update(bytes, { rows });
    },
  });
  bar.stop();
  console.log(`Loaded ${report.loaded} postcodes in ${((Date.now() - started) / 1000).toFixed(1)} s; ${report.skippedCount} lines skipped${report.skippedCount > 10 ? ', the first 10:' : ''}`);
  for (const skip of report.skipped.slice(0, 10)) console.log(`  line ${skip.line} "${skip.text}": ${skip.reason}`);
  return 0;
}

export async function exportDirectory(db: Kysely<Schema>, argv: string[]): Promise<number> {
  const file = argv[1];
  const formatAt = argv.indexOf('--format');
  const format = formatAt > 0 ? argv[formatAt + 1] : file?.endsWith('.csv') ? 'csv' : 'json';
  if (!file || (format !== 'json' && format !== 'csv')) {
    console.error('Give the file to write: npm run cli -- export-directory FILE [--format json|csv]');
    return 1;
  }
  await pipeline(Readable.from(format === 'csv' ? exportCsv(db) : exportOrukJson(db)), fs.createWriteStream(file));
  console.log(`Wrote the directory to ${file} (${format === 'csv' ? 'CSV' : 'Open Referral UK 3.0 JSON'}).`);
  return 0;
}

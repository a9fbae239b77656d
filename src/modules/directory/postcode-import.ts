import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { sql, type Kysely, type Transaction } from 'kysely';
import { fileURLToPath } from 'node:url';
import type { Schema } from '../../db/schema.js';
import { normalisePostcode } from '../../shared/postcode.js';
import { forgetLocatedPostcodes } from './directory-details-repository.js';

/**
 * Loading postcode locations (`postcode,latitude,longitude`, as in the ONS Postcode Lookup extract,
 * plain or gzipped) into the postcode table, in batches of unnest()ed arrays: one statement per
 * 10,000 rows on either engine. Re-running replaces locations that changed.
 */

export interface PostcodeRow {
  postcode: string;
  latitude: number;
  longitude: number;
}

export interface PostcodeLoadReport {
  loaded: number;
  /** How many lines were skipped; `skipped` lists the first thousand with their reasons. */
  skippedCount: number;
  skipped: { line: number; text: string; reason: string }[];
}

/** One line of the file; undefined with a reason for a line that is not a located UK postcode. */
export function parsePostcodeLine(line: string): PostcodeRow | { reason: string } {
  const [code = '', lat = '', lng = ''] = line.split(',').map((part) => part.trim().replace(/^"|"$/g, ''));
  const postcode = normalisePostcode(code);
  if (!postcode) return { reason: 'not a UK postcode' };
  const latitude = Number(lat);
  const longitude = Number(lng);
  if (!lat || !lng || !Number.isFinite(latitude) || !Number.isFinite(longitude) || Math.abs(latitude) > 90 || Math.abs(longitude) > 180) {
    return { reason: 'no usable latitude and longitude' };
  }
  return { postcode, latitude, longitude };
}

export async function insertPostcodes(db: Kysely<Schema> | Transaction<Schema>, rows: PostcodeRow[]): Promise<void> {
  if (!rows.length) return;
  await sql`
    insert into postcode (postcode, latitude, longitude)
    select * from unnest(${sql.val(rows.map((r) => r.postcode))}::text[], ${sql.val(rows.map((r) => r.latitude))}::float8[], ${sql.val(rows.map((r) => r.longitude))}::float8[])
    on conflict (postcode) do update set latitude = excluded.latitude, longitude = excluded.longitude
      where (postcode.latitude, postcode.longitude) is distinct from (excluded.latitude, excluded.longitude)`.execute(db);
}

const BATCH = 10_000;

/** Streams a postcode file into the table. `onProgress` gets the bytes read so far. */
export async function loadPostcodes(
  db: Kysely<Schema>,
  input: Readable,
  options: { gzipped: boolean; onProgress?: (bytes: number, loaded: number) => void },
): Promise<PostcodeLoadReport> {
  const report: PostcodeLoadReport = { loaded: 0, skippedCount: 0, skipped: [] };
  let bytes = 0;
  input.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
  });
  const lines = readline.createInterface({ input: options.gzipped ? input.pipe(createGunzip()) : input, crlfDelay: Infinity });
  let batch: PostcodeRow[] = [];
  let lineNumber = 0;
  const flush = async () => {
    await insertPostcodes(db, batch);
    report.loaded += batch.length;
    batch = [];
    options.onProgress?.(bytes, report.loaded);
  };
  for await (const line of lines) {
    lineNumber += 1;
    if (!line.trim() || (lineNumber === 1 && /^postcode/i.test(line))) continue;
    const parsed = parsePostcodeLine(line);
    if ('reason' in parsed) {
      report.skippedCount += 1;
      if (report.skipped.length < 1000) report.skipped.push({ line: lineNumber, text: line.slice(0, 60), reason: parsed.reason });
      continue;
    }
    batch.push(parsed);
    if (batch.length >= BATCH) await flush();
  }
  await flush();
  forgetLocatedPostcodes();
  return report;
}

/** The demo region's real postcodes (DN15 to DN17), shipped so the demo measures distance exactly. */
export async function loadDemoRegionPostcodes(db: Kysely<Schema> | Transaction<Schema>): Promise<void> {
  const file = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../data/demo-region-postcodes.csv');
  const rows = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map(parsePostcodeLine)
    .filter((row): row is PostcodeRow => !('reason' in row));
  for (let i = 0; i < rows.length; i += BATCH) await insertPostcodes(db, rows.slice(i, i + BATCH));
}

import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import type { FastifyReply } from 'fastify';
import { todayInLondon } from '../shared/dates.js';

/**
 * Files people download: CSV safe to open in a spreadsheet, and the headers that make a browser
 * save it under a dated name.
 */

/** A text cell a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading ' ; plain numbers stay. */
export const safeCell = (value: unknown) =>
  typeof value === 'string' && /^[=+\-@\t\r]/.test(value) && !/^[+-]?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;

export const csvText = (rows: unknown[][]) => stringify(rows.map((row) => row.map(safeCell)));

/** Sends a download named `<name>-<today>.<extension>`; a generator of text is streamed. */
export function sendDownload(reply: FastifyReply, name: string, extension: 'csv' | 'json', body: string | AsyncGenerator<string>) {
  return reply
    .type(extension === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
    .header('content-disposition', `attachment; filename="${name}-${todayInLondon()}.${extension}"`)
    .send(typeof body === 'string' ? body : Readable.from(body));
}

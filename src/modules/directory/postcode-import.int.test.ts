import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../testing/test-database.js';
import { locatePostcode } from './directory-details-repository.js';
import { loadPostcodes, parsePostcodeLine } from './postcode-import.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t.drop());

// Real rows in the shape of the ONS extract (7-character postcodes), with the kinds of bad line it holds.
const FILE = [
  'postcode,latitude,longitude',
  'DN157QG,53.58912,-0.65767',
  'DN163DH,53.56497,-0.64448',
  'AB1 0AA,57.10145,-2.24285',
  'NPT 0AY,51.58938,-2.98872',
  'DN171QA,,',
  '',
].join('\n');

describe('loading postcode locations', () => {
  it('reads each line, refusing what is not a located postcode', () => {
    expect(parsePostcodeLine('DN157QG,53.58912,-0.65767')).toEqual({ postcode: 'DN15 7QG', latitude: 53.58912, longitude: -0.65767 });
    expect(parsePostcodeLine('NPT 0AY,51.58938,-2.98872')).toEqual({ reason: 'not a UK postcode' });
    expect(parsePostcodeLine('DN171QA,,')).toEqual({ reason: 'no usable latitude and longitude' });
    expect(parsePostcodeLine('DN171QA,95,0')).toEqual({ reason: 'no usable latitude and longitude' });
  });

  it('loads a gzipped file, reporting skipped lines, after which distance uses the full postcode', async () => {
    expect(await locatePostcode(t.database.db, 'DN15 7QG')).toMatchObject({ precision: 'outcode' });
    const progress: number[] = [];
    const report = await loadPostcodes(t.database.db, Readable.from([gzipSync(FILE)]), { gzipped: true, onProgress: (bytes) => progress.push(bytes) });
    expect(report.loaded).toBe(3);
    expect(report.skippedCount).toBe(2);
    expect(report.skipped.map((s) => [s.line, s.reason])).toEqual([
      [5, 'not a UK postcode'],
      [6, 'no usable latitude and longitude'],
    ]);
    expect(progress.at(-1)).toBeGreaterThan(0);
    expect(await locatePostcode(t.database.db, 'dn15 7qg')).toEqual({ latitude: 53.58912, longitude: -0.65767, precision: 'postcode', postcode: 'DN15 7QG' });
    // Running it again changes nothing and duplicates nothing.
    await loadPostcodes(t.database.db, Readable.from([FILE]), { gzipped: false });
    const count = await t.database.db.selectFrom('postcode').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(3);
  });
});

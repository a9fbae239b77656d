import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorSummary, signedInAs, squash, type TestContext } from '../../testing/test-app.js';

/** GP appointments imported from a practice CSV: every row saved or reported with its line and reason. */

let t: TestContext;
beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
});
afterAll(() => t.close());

describe('importing GP appointments', () => {
  it('saves the rows it can and reports each one it cannot', async () => {
    const people = await t.database.db
      .selectFrom('episode as e')
      .innerJoin('person as p', 'p.id', 'e.person_id')
      .select(['e.id', 'p.nhs_number'])
      .where('p.nhs_number', 'is not', null)
      .orderBy('e.opened_at')
      .limit(2)
      .execute();
    const csv = [
      'nhs_number,period,window_months,appointments',
      `${people[0]!.nhs_number},before,6,7`,
      `${people[0]!.nhs_number},after,6,4`,
      `${people[1]!.nhs_number},sometime,6,3`,
      '9434765918,before,6,2',
      '9434765919,before,6,2',
      `${people[1]!.nhs_number},before,6,lots`,
    ].join('\n');
    const manager = await signedInAs(t.app, 'service_manager');
    await manager.get('/service/gp-appointments');
    const response = await manager.upload('/service/gp-appointments', {}, [{ field: 'file', filename: 'practice.csv', content: csv, type: 'text/csv' }]);
    const page = squash(response.body);
    expect(page).toContain('2 of 6 rows saved; 4 skipped.');
    expect(page).toContain('Line 4: period must be before or after');
    expect(page).toContain('Line 5: not a valid NHS number');
    expect(page).toContain('Line 6: no one with this NHS number has been supported by this service');
    expect(page).toContain('Line 7: appointments must be a whole number from 0 to 500');
    const rows = await t.database.db.selectFrom('gp_appointments').select(['episode_id', 'period', 'appointments', 'source']).orderBy('period').execute();
    expect(rows).toEqual([
      { episode_id: people[0]!.id, period: 'after', appointments: 4, source: 'imported' },
      { episode_id: people[0]!.id, period: 'before', appointments: 7, source: 'imported' },
    ]);
  });

  it('refuses a file without the columns, and is for managers', async () => {
    const manager = await signedInAs(t.app, 'service_manager');
    await manager.get('/service/gp-appointments');
    const bad = await manager.upload('/service/gp-appointments', {}, [{ field: 'file', filename: 'x.csv', content: 'name,count\nA,1', type: 'text/csv' }]);
    expect(errorSummary(bad.body)).toEqual(['#file: The file needs the columns nhs_number, period, window_months and appointments, with a header row']);
    const linkWorker = await signedInAs(t.app, 'link_worker');
    expect((await linkWorker.get('/service/gp-appointments')).statusCode).toBe(403);
  });
});

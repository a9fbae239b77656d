import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser, createTestApp, errorSummary, squash, type TestContext } from '../../testing/test-app.js';

let t: TestContext;
let practiceId: string;

beforeAll(async () => {
  t = await createTestApp();
  practiceId = (await t.database.db.selectFrom('organisation').select('id').where('name', '=', 'Brumby Wood Medical Practice').executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

const form = () => ({
  idempotencyKey: `self-${Math.random().toString(36).slice(2, 12)}`,
  registeredPracticeId: practiceId,
  givenName: 'Jo',
  familyName: 'Public',
  'dateOfBirth[day]': '1',
  'dateOfBirth[month]': '4',
  'dateOfBirth[year]': '1980',
  phone: '07700 900982',
  needDomains: ['loneliness', 'bereavement'],
  helpWanted: 'My mum died in the spring and I have not been out much since.',
  agreeToContact: 'yes',
});

const referralCount = async () => (await t.database.db.selectFrom('referral').select('id').execute()).length;

describe('self-referral', () => {
  it('explains social prescribing in plain English, without signing in', async () => {
    const page = await new TestBrowser(t.app).get('/self-referral');
    expect(page.statusCode).toBe(200);
    expect(squash(page.body)).toContain('What does a link worker do?');
    expect(squash(page.body)).toContain('Brumby Wood Medical Practice');
  });

  it('asks for what is missing, in plain words', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/self-referral');
    const response = await browser.post('/self-referral', { ...form(), registeredPracticeId: '', phone: '', agreeToContact: [], needDomains: [] });
    expect(response.statusCode).toBe(422);
    expect(errorSummary(response.body)).toEqual([
      '#registeredPracticeId: Select your GP practice',
      '#phone: Give a phone number or an email address so a link worker can contact you',
      '#needDomains: Select at least one reason for the referral',
      '#agreeToContact: Tick the box to say a link worker can contact you',
    ]);
  });

  it('takes a referral for the practice’s service and gives a reference; a double submit makes one', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/self-referral');
    const values = form();
    const before = await referralCount();
    const [first, second] = await Promise.all([browser.post('/self-referral', values), browser.post('/self-referral', values)]);
    const reference = (html: string) => /id="reference">([^<]+)</.exec(html)?.[1];
    expect(first.statusCode).toBe(201);
    expect(reference(first.body)).toMatch(/^AP-/);
    expect(reference(second.body)).toBe(reference(first.body));
    expect(await referralCount()).toBe(before + 1);
    const saved = await t.database.db.selectFrom('referral').select(['source', 'status', 'person_agreed']).where('reference', '=', reference(first.body)!).executeTakeFirstOrThrow();
    expect(saved).toEqual({ source: 'self', status: 'waiting', person_agreed: true });
  });

  it('keeps nothing a bot sends through the honeypot', async () => {
    const browser = new TestBrowser(t.app);
    await browser.get('/self-referral');
    const before = await referralCount();
    const response = await browser.post('/self-referral', { ...form(), organisation_website: 'http://spam.example' });
    expect(response.statusCode).toBe(200);
    expect(squash(response.body)).toContain('Thank you');
    expect(response.body).not.toContain('id="reference"');
    expect(await referralCount()).toBe(before);
  });

  it('limits how often one address can send', async () => {
    const limited = await createTestApp();
    try {
      const browser = new TestBrowser(limited.app);
      await browser.get('/self-referral');
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await browser.post('/self-referral', { honeypotless: 'x' })).statusCode);
      expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
      expect(statuses.slice(10)).toEqual([429, 429]);
    } finally {
      await limited.close();
    }
  });
});

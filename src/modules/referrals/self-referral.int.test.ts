import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestBrowser, createTestApp, errorSummary, signedInAs, squash, type TestContext } from '../../testing/test-app.js';

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
  contactMethod: 'text',
  contactTimes: 'Evenings after 6 & weekends',
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
    const response = await browser.post('/self-referral', { ...form(), registeredPracticeId: '', familyName: ' ', phone: '', agreeToContact: [], needDomains: [], helpWanted: '' });
    expect(response.statusCode).toBe(422);
    // The person is asking for themselves, so the messages speak to them, not about "the person".
    expect(errorSummary(response.body)).toEqual([
      '#registeredPracticeId: Select your GP practice',
      '#familyName: Enter your last name',
      '#phone: Give a phone number or an email address so a link worker can contact you',
      '#needDomains: Select at least one thing you would like help with',
      '#helpWanted: Tell us a little about what you would like help with',
      '#agreeToContact: Tick the box to say a link worker can contact you',
    ]);
  });

  it('holds to the age the page gives, and keeps nothing from someone younger', async () => {
    const browser = new TestBrowser(t.app);
    expect(squash((await browser.get('/self-referral')).body)).toContain('Anyone aged 18 or over');
    const before = await referralCount();
    const year = Number(new Date().toISOString().slice(0, 4));
    const response = await browser.post('/self-referral', { ...form(), 'dateOfBirth[year]': String(year - 15) });
    expect(response.statusCode).toBe(422);
    expect(errorSummary(response.body)).toEqual([
      '#dateOfBirth-day: You need to be 18 or over to ask for a link worker here. Your GP practice can tell you about help for younger people, or call Childline free on 0800 1111',
    ]);
    expect(squash(response.body)).toContain('value="Public"');
    expect(await referralCount()).toBe(before);
    // Eighteen today is old enough.
    const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/London' }).format(new Date()).split('-');
    const eighteen = await browser.post('/self-referral', { ...form(), 'dateOfBirth[day]': d!, 'dateOfBirth[month]': m!, 'dateOfBirth[year]': String(Number(y) - 18) });
    expect(eighteen.statusCode).toBe(201);
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
    const saved = await t.database.db.selectFrom('referral').select(['id', 'source', 'status', 'person_agreed']).where('reference', '=', reference(first.body)!).executeTakeFirstOrThrow();
    expect(saved).toMatchObject({ source: 'self', status: 'waiting', person_agreed: true });
    // Whoever triages it sees how the person asked to be reached and where they are registered; there is no referrer to contact.
    const manager = await signedInAs(t.app, 'service_manager');
    const triage = squash((await manager.get(`/triage/${saved.id}`)).body);
    expect(triage).toContain('Registered practice </dt> <dd class="nhsuk-summary-list__value"> Brumby Wood Medical Practice </dd>');
    // The same rows as the person page.
    expect(triage).toContain('Phone </dt> <dd class="nhsuk-summary-list__value"> 07700 900982 </dd>');
    expect(triage).toContain('Prefers </dt> <dd class="nhsuk-summary-list__value"> Text message, Evenings after 6 &amp; weekends </dd>');
    expect(triage).not.toContain('Referrer contact');
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

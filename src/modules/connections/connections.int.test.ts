import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { todayInLondon } from '../../shared/dates.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, errorSummary, signedInAs, squash, type TestBrowser, type TestContext } from '../../testing/test-app.js';
import { sendQueuedEmails, smtpMailer } from '../notifications/mailer.js';
import { expireReferrals } from './connection-service.js';
import { demoEpisode } from '../../testing/demo-episode.js';

/**
 * The closed loop: a link worker refers from an episode to a provider's service → the provider
 * accepts and records attendance → the link worker sees it; what the provider sees is only what was shared.
 */

let t: TestContext;
let linkWorker: TestBrowser;
let choir: TestBrowser;
let episodeId: string;
let personName: string;
let connectionId: string;

const serviceId = async (name: string) => (await t.database.db.selectFrom('directory_service').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
const version = async (id: string) => String((await t.database.db.selectFrom('connection').select('version').where('id', '=', id).executeTakeFirstOrThrow()).version);

beforeAll(async () => {
  t = await createTestApp({}, { casework: true });
  const episode = await demoEpisode(t.database.db, (q) => q.where('p.postcode', '=', 'DN15 7QG'));
  episodeId = episode.id;
  personName = episode.given_name;
  // The person agreed to share their details with providers (recorded with the referral in real use).
  await t.database.db.updateTable('person').set({ consent_share_providers: true }).where('id', '=', episode.person_id).execute();
  linkWorker = new (await import('../../testing/test-app.js')).TestBrowser(t.app);
  await linkWorker.signIn(episode.email);
  choir = await signedInAs(t.app, 'provider');
});
afterAll(() => t.close());

describe('a link worker connects someone', () => {
  it('offers to connect from the directory entry reached from the person’s search', async () => {
    const page = squash((await linkWorker.get(`/directory/services/${await serviceId('Singing for Wellbeing')}?episode=${episodeId}`)).body);
    expect(page).toContain(`Connect ${personName} to this service`);
  });

  it('refuses what cannot be done, saying why', async () => {
    const form = await linkWorker.get(`/episodes/${episodeId}/connections/new?service=${await serviceId('Saturday Sing')}`);
    expect(form.statusCode).toBe(200);
    const noReferrals = await linkWorker.post(`/episodes/${episodeId}/connections`, { directoryServiceId: await serviceId('Saturday Sing'), kind: 'referral', reason: 'Likes singing' });
    expect(errorSummary(noReferrals.body)).toEqual(['#kind: Saturday Sing does not take referrals through Anchorpoint: signpost or introduce instead']);
    const paused = await linkWorker.post(`/episodes/${episodeId}/connections`, { directoryServiceId: await serviceId('Bereavement café'), kind: 'introduction', reason: '' });
    expect(errorSummary(paused.body)).toEqual(['#kind: Bereavement café is paused: you can only signpost to it', '#reason: Say why you are connecting them to this service']);
    const count = await t.database.db.selectFrom('connection').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(0);
  });

  it('refers to a provider’s service, sharing what the person agreed to', async () => {
    await linkWorker.get(`/episodes/${episodeId}/connections/new?service=${await serviceId('Singing for Wellbeing')}`);
    const response = await linkWorker.post(`/episodes/${episodeId}/connections`, {
      directoryServiceId: await serviceId('Singing for Wellbeing'),
      kind: 'referral',
      reason: 'Would like to meet people and loves singing.',
      sharedNote: 'Nervous in new groups; would like to be met at the door.',
      shareContact: 'yes',
    });
    expect(response.statusCode).toBe(302);
    connectionId = /\/connections\/([0-9a-f-]{36})/.exec(response.headers.location as string)![1]!;
    const page = squash((await linkWorker.get(response.headers.location as string)).body);
    expect(page).toContain('Referral sent to Ancholme Community Choir.');
    expect(page).toContain('Referred, awaiting reply');
  });
});

describe('the provider answers', () => {
  it('sees the referral in its inbox with only what was shared, and no one else can', async () => {
    const inbox = squash((await choir.get('/provider/referrals')).body);
    expect(inbox).toContain('Singing for Wellbeing');
    const page = squash((await choir.get(`/provider/referrals/${connectionId}`)).body);
    expect(page).toContain('Would like to meet people and loves singing.');
    expect(page).toContain('Nervous in new groups');
    expect(page).toContain('07700 900100');
    // Never case notes, what matters, or the episode.
    expect(page).not.toContain('Having something to look forward to');
    expect(page).not.toContain(`/episodes/${episodeId}`);
    const shed = await signedInAs(t.app, 'provider', 1);
    expect((await shed.get(`/provider/referrals/${connectionId}`)).statusCode).toBe(404);
    expect(squash((await shed.get('/provider/referrals')).body)).toContain('No referrals need your attention.');
    const audit = await t.database.db.selectFrom('audit_event').select('action').where('action', '=', 'connection.read').execute();
    expect(audit.length).toBeGreaterThan(0);
  });

  it('cannot decline without a reason; accepts, and the link worker is told', async () => {
    const noReason = await choir.post(`/provider/referrals/${connectionId}/declined`, { version: await version(connectionId) });
    expect(noReason.statusCode).toBe(422);
    expect(errorSummary(noReason.body)).toEqual(['#reason: Select why you are declining the referral']);
    expect((await choir.post(`/provider/referrals/${connectionId}/accepted`, { version: await version(connectionId) })).statusCode).toBe(302);
    const episode = squash((await linkWorker.get(`/episodes/${episodeId}`)).body);
    expect(episode).toContain('Singing for Wellbeing</a>: referral, <strong>accepted</strong> <strong class="nhsuk-tag nhsuk-tag--blue">New update</strong>');
    expect(episode).toContain('Messages (1 new)');
    expect(squash((await linkWorker.get('/caseload')).body)).toContain('1 update from providers');
    await linkWorker.get(`/connections/${connectionId}`);
    expect(squash((await linkWorker.get(`/episodes/${episodeId}`)).body)).not.toContain('New update');
  });

  it('e-mails the provider about the referral and the link worker about the answer, through a real SMTP server, naming no one', async () => {
    const mails: { to: string[]; data: string }[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        let data = '';
        stream.on('data', (chunk: Buffer) => (data += chunk.toString()));
        stream.on('end', () => {
          // Bodies are quoted-printable: undo its soft line breaks and escapes to read them.
          const text = data.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
          mails.push({ to: session.envelope.rcptTo.map((r) => r.address), data: text });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    try {
      const mailer = smtpMailer(`smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, 'Anchorpoint <no-reply@anchorpoint.test>');
      expect(await sendQueuedEmails(t.database.db, mailer, 'https://anchorpoint.example')).toBeGreaterThanOrEqual(2);
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
    const toProvider = mails.find((m) => m.data.includes('Subject: New referral to Singing for Wellbeing'))!;
    expect(toProvider.to).toEqual(['provider.choir@demo.anchorpoint.test']);
    expect(toProvider.data).toContain(`https://anchorpoint.example/provider/referrals/${connectionId}`);
    const toLinkWorker = mails.find((m) => m.data.includes('Subject: Singing for Wellbeing:'))!;
    expect(toLinkWorker.data).toContain(`https://anchorpoint.example/connections/${connectionId}`);
    expect(toLinkWorker.to).not.toContain('provider.choir@demo.anchorpoint.test');
    for (const mail of mails) {
      expect(mail.data).not.toContain(personName);
      expect(mail.data).not.toContain('07700 900100');
      expect(mail.data).not.toContain('Nervous in new groups');
    }
  });

  it('records attendance over time, refusing a session in the future', async () => {
    // The page's day, month and year boxes, filled with today's date in England to start with.
    const parts = (iso: string) => {
      const [year, month, day] = iso.split('-');
      return { 'sessionDate[day]': String(Number(day)), 'sessionDate[month]': String(Number(month)), 'sessionDate[year]': year! };
    };
    const today = todayInLondon();
    const form = squash((await choir.get(`/provider/referrals/${connectionId}`)).body);
    for (const [name, value] of Object.entries(parts(today))) expect(form).toContain(`name="${name}" type="text" value="${value}"`);
    const future = await choir.post(`/provider/referrals/${connectionId}/attended`, { version: await version(connectionId), ...parts(todayInLondon(new Date(Date.now() + 2 * 86_400_000))) });
    expect(errorSummary(future.body)).toEqual(['#sessionDate-day: The session date must be today or in the past']);
    const impossible = await choir.post(`/provider/referrals/${connectionId}/attended`, { version: await version(connectionId), 'sessionDate[day]': '31', 'sessionDate[month]': '2', 'sessionDate[year]': '2026' });
    expect(errorSummary(impossible.body)).toEqual(['#sessionDate-day: Session date must be a real date, like 27 3 2007']);
    // What was typed comes back, not today's date.
    expect(squash(impossible.body)).toContain('name="sessionDate[day]" type="text" value="31"');
    await choir.post(`/provider/referrals/${connectionId}/attended`, { version: await version(connectionId), ...parts(today) });
    await choir.post(`/provider/referrals/${connectionId}/missed`, { version: await version(connectionId), ...parts(today) });
    await choir.post(`/provider/referrals/${connectionId}/message`, { version: await version(connectionId), note: 'Settling in well.' });
    const page = squash((await linkWorker.get(`/connections/${connectionId}`)).body);
    expect(page).toContain('Attending');
    expect(page).toContain('Missed a session');
    expect(page).toContain('Settling in well.');
  });

  it('the referring practice sees which kind of support and how it is going, without anyone’s notes', async () => {
    const referral = await t.database.db
      .selectFrom('episode as e')
      .innerJoin('referral as r', 'r.id', 'e.referral_id')
      .innerJoin('membership as m', 'm.organisation_id', 'r.referring_organisation_id')
      .innerJoin('app_user as u', 'u.id', 'm.user_id')
      .select(['r.id', 'u.email'])
      .where('e.id', '=', episodeId)
      .where('m.role', '=', 'referrer')
      .executeTakeFirstOrThrow();
    const { TestBrowser } = await import('../../testing/test-app.js');
    const referrer = new TestBrowser(t.app);
    await referrer.signIn(referral.email);
    const page = squash((await referrer.get(`/referrals/${referral.id}`)).body);
    expect(page).toContain('Singing for Wellbeing (Loneliness and social isolation, Arts, culture and creativity, Mental wellbeing and emotional support): referral, attending');
    expect(page).not.toContain('Settling in well.');
    expect(page).not.toContain('Nervous in new groups');
  });

  it('a provider acting on a referral withdrawn a moment before is told, and nothing changes', async () => {
    await linkWorker.get(`/episodes/${episodeId}/connections/new?service=${await serviceId('Money and debt advice')}`);
    const made = await linkWorker.post(`/episodes/${episodeId}/connections`, { directoryServiceId: await serviceId('Money and debt advice'), kind: 'referral', reason: 'Rent arrears' });
    const id = /\/connections\/([0-9a-f-]{36})/.exec(made.headers.location as string)![1]!;
    const money = await signedInAs(t.app, 'provider', 2);
    await money.get(`/provider/referrals/${id}`);
    const seen = await version(id);
    await linkWorker.post(`/connections/${id}/withdrawn`, { version: seen });
    const late = await money.post(`/provider/referrals/${id}/accepted`, { version: seen });
    expect(late.statusCode).toBe(409);
    expect(errorSummary(late.body)[0]).toContain('withdrawn');
    expect((await t.database.db.selectFrom('connection').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('withdrawn');
  });
});

describe('two people at once', () => {
  it('a second link worker acting on the version the first has just changed is told, and nothing is lost', async () => {
    const made = await linkWorker.post(`/episodes/${episodeId}/connections`, { directoryServiceId: await serviceId('Weekday health walks'), kind: 'signpost', reason: 'Gentle exercise' });
    const id = /\/connections\/([0-9a-f-]{36})/.exec(made.headers.location as string)![1]!;
    const seen = await version(id);
    const manager = await signedInAs(t.app, 'service_manager');
    expect((await manager.post(`/connections/${id}/started`, { version: seen })).statusCode).toBe(302);
    const late = await linkWorker.post(`/connections/${id}/did_not_start`, { version: seen });
    expect(late.statusCode).toBe(409);
    expect((await t.database.db.selectFrom('connection').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status).toBe('started');
  });
});

describe('referrals nobody answers, and signposts', () => {
  it('expires an unanswered referral into a task for the link worker, counted against the service', async () => {
    await linkWorker.get(`/episodes/${episodeId}/connections/new?service=${await serviceId('Carers’ coffee morning')}`);
    const made = await linkWorker.post(`/episodes/${episodeId}/connections`, { directoryServiceId: await serviceId('Carers’ coffee morning'), kind: 'introduction', reason: 'A break from caring' });
    expect(made.statusCode).toBe(302);
    const shedEntry = await serviceId('Shed workshop mornings');
    const referral = await linkWorker.post(`/episodes/${episodeId}/connections`, { directoryServiceId: shedEntry, kind: 'referral', reason: 'Wants to make things' });
    const id = /\/connections\/([0-9a-f-]{36})/.exec(referral.headers.location as string)![1]!;
    expect(await expireReferrals(t.database.db)).toBe(0);
    expect(await expireReferrals(t.database.db, new Date(Date.now() + 15 * 86_400_000))).toBe(1);
    const page = squash((await linkWorker.get(`/connections/${id}`)).body);
    expect(page).toContain('No reply in time');
    expect(page).toContain('0 of 1 referrals in the last year; 1 went unanswered past their date');
    // Link workers browsing the directory see it too.
    expect(squash((await linkWorker.get(`/directory/services/${shedEntry}`)).body)).toContain('0 of 1 answered; 1 not answered in time');
    const tasks = await t.database.db.selectFrom('task').select(['kind', 'title']).where('episode_id', '=', episodeId).where('done_at', 'is', null).execute();
    expect(tasks.map((task) => task.kind)).toEqual(expect.arrayContaining(['referral_expired', 'signpost_follow_up']));
    expect(tasks.map((task) => task.title)).toContain(`Did ${personName} go to Carers’ coffee morning?`);
  });
});

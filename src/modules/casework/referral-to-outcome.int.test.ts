import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, demoEmail, errorSummary, signedInAs, squash, type TestBrowser, type TestContext } from '../../testing/test-app.js';
import { londonParts, readableLondonDate, startOfLondonDay } from '../../shared/london-time.js';
import { generateTasks } from './task-service.js';
import { earlierToday } from '../../testing/earlier-today.js';

/**
 * The whole path, as the people involved walk it: a practice refers, the manager allocates, the
 * link worker supports the person over several contacts, holds them for a while, and closes; the
 * practice sees the outcome and the SNOMED code to record.
 */

let t: TestContext;
let referrer: TestBrowser;
let manager: TestBrowser;
let linkWorker: TestBrowser;
let referralId: string;
let episodeId: string;

const days = (n: number) => new Date(Date.now() + n * 86_400_000);
const dateFields = (when: Date, prefix = 'date') => {
  const { date, time } = londonParts(when);
  return { [`${prefix}[day]`]: String(Number(date.slice(8, 10))), [`${prefix}[month]`]: String(Number(date.slice(5, 7))), [`${prefix}[year]`]: date.slice(0, 4), time };
};
const version = async () => (await t.database.db.selectFrom('episode').select('version').where('id', '=', episodeId).executeTakeFirstOrThrow()).version;

beforeAll(async () => {
  t = await createTestApp();
  referrer = await signedInAs(t.app, 'referrer');
  manager = await signedInAs(t.app, 'service_manager');
  linkWorker = await signedInAs(t.app, 'link_worker');
});
afterAll(() => t.close());

const referralForm = {
  idempotencyKey: 'practice-form-0001',
  nhsNumber: '943 476 5919',
  givenName: 'Alex',
  familyName: 'Tester',
  'dateOfBirth[day]': '14',
  'dateOfBirth[month]': '2',
  'dateOfBirth[year]': '1961',
  postcode: 'dn16 2ee',
  phone: '01724 000000',
  needDomains: ['loneliness', 'money'],
  helpWanted: 'Since my wife died I do not go out much. I would like to meet people and sort out my bills.',
  risks: 'Has a dog that can be nervous with visitors.',
  urgency: 'routine',
  personAgreed: 'yes',
};

describe('a practice refers someone', () => {
  it('refuses an invalid NHS number, a date of birth in the future and a referral the person has not agreed to, keeping what was typed', async () => {
    await referrer.get('/referrals/new');
    const response = await referrer.post('/referrals', {
      ...referralForm,
      nhsNumber: '943 476 5918',
      'dateOfBirth[year]': String(new Date().getFullYear() + 1),
      personAgreed: [],
      needDomains: [],
    });
    expect(response.statusCode).toBe(422);
    expect(errorSummary(response.body)).toEqual([
      '#nhsNumber: This is not a valid NHS number. Check it and try again',
      '#dateOfBirth-day: Date of birth must be today or in the past',
      '#needDomains: Select at least one reason for the referral',
      '#personAgreed: Confirm the person has agreed to be referred. Do not refer someone who has not agreed',
    ]);
    expect(response.body).toContain('value="943 476 5918"');
    expect(await t.database.db.selectFrom('referral').select('id').execute()).toEqual([]);
  });

  it('sends the referral and gets a reference; sending the same form twice makes one referral', async () => {
    const first = await referrer.post('/referrals', referralForm);
    expect(first.statusCode).toBe(201);
    const reference = /id="reference">([^<]+)</.exec(first.body)![1]!;
    expect(reference).toMatch(/^AP-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
    const again = await referrer.post('/referrals', referralForm);
    expect(/id="reference">([^<]+)</.exec(again.body)![1]).toBe(reference);
    const rows = await t.database.db.selectFrom('referral').select(['id', 'status']).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.status).toBe('waiting');
    referralId = rows[0]!.id;
    const list = await referrer.get('/referrals');
    expect(squash(list.body)).toContain('Waiting to be seen');
  });
});

describe('the manager triages', () => {
  it('sees it on the waiting list with how long it has waited', async () => {
    const list = await manager.get('/triage');
    expect(squash(list.body)).toContain('Alex Tester');
    expect(squash(list.body)).toContain('0 days');
  });

  it('must choose a link worker to accept, then allocates', async () => {
    await manager.get(`/triage/${referralId}`);
    const missing = await manager.post(`/triage/${referralId}/accept`, {});
    expect(errorSummary(missing.body)).toEqual(['#linkWorkerUserId: Select the link worker who will support this person']);
    const linkWorkerId = (await t.database.db.selectFrom('app_user').select('id').where('email', '=', demoEmail('link_worker')).executeTakeFirstOrThrow()).id;
    const accepted = await manager.post(`/triage/${referralId}/accept`, { linkWorkerUserId: linkWorkerId });
    expect(accepted.headers.location).toBe('/triage?decided=accept');
    const episode = await t.database.db.selectFrom('episode').select(['id', 'status', 'link_worker_user_id']).executeTakeFirstOrThrow();
    expect(episode).toMatchObject({ status: 'awaiting_first_contact', link_worker_user_id: linkWorkerId });
    episodeId = episode.id;
    const twice = await manager.post(`/triage/${referralId}/decline`, { reason: 'Changed my mind' });
    expect(twice.statusCode).toBe(409);
    expect(squash(twice.body)).toContain('This referral has already been accepted.');
  });

  it('the referrer sees that it was accepted and by whom', async () => {
    const page = await referrer.get(`/referrals/${referralId}`);
    expect(squash(page.body)).toContain('Accepted');
    expect(squash(page.body)).not.toContain('Has a dog');
  });
});

describe('the link worker supports them', () => {
  it('finds them on the caseload, awaiting first contact', async () => {
    const caseload = await linkWorker.get('/caseload');
    expect(squash(caseload.body)).toContain('Alex Tester');
    expect(squash(caseload.body)).toContain('Awaiting first contact');
  });

  it('refuses a contact dated before the referral, or in the future as if it had happened', async () => {
    await linkWorker.get(`/episodes/${episodeId}/contacts/new`);
    const base = { mode: 'phone', status: 'attended', contactType: 'assessment', durationMinutes: '40' };
    const early = await linkWorker.post(`/episodes/${episodeId}/contacts`, { ...base, ...dateFields(days(-30)) });
    expect(errorSummary(early.body)[0]).toMatch(/^#date-day: A contact cannot be before the referral was received on \d{1,2} [A-Z][a-z]+ \d{4}$/);
    const future = await linkWorker.post(`/episodes/${episodeId}/contacts`, { ...base, ...dateFields(days(2)) });
    expect(errorSummary(future.body)).toEqual(['#date-day: A contact that has happened cannot be in the future. Book it instead']);
  });

  it('records a first contact, what matters, needs and a goal', async () => {
    const firstContact = earlierToday(60);
    const saved = await linkWorker.post(`/episodes/${episodeId}/contacts`, {
      mode: 'phone',
      status: 'attended',
      contactType: 'assessment',
      durationMinutes: '45',
      notes: 'Talked about his week.',
      ...dateFields(firstContact),
    });
    expect(saved.statusCode).toBe(302);
    const episode = await t.database.db.selectFrom('episode').select(['status', 'first_contact_at', 'last_contact_at']).where('id', '=', episodeId).executeTakeFirstOrThrow();
    expect(episode.status).toBe('active');
    expect(Math.abs(episode.first_contact_at!.getTime() - firstContact.getTime())).toBeLessThan(60_000);

    await linkWorker.get(`/episodes/${episodeId}`);
    expect((await linkWorker.post(`/episodes/${episodeId}/what-matters`, { whatMatters: 'Getting out of the house and feeling useful again.' })).statusCode).toBe(302);
    expect((await linkWorker.post(`/episodes/${episodeId}/needs`, { 'need-loneliness': 'high', 'need-money': 'medium' })).statusCode).toBe(302);
    const noGoal = await linkWorker.post(`/episodes/${episodeId}/goals`, { goal: '', readiness: '' });
    expect(errorSummary(noGoal.body)).toEqual(['#goal: Write the goal in the person’s own words', '#readiness: Select how ready the person feels']);
    // A date that does not exist: the goal and each box of the date come back as typed.
    const badDate = await linkWorker.post(`/episodes/${episodeId}/goals`, { goal: 'Join a walking group', readiness: 'ready_now', 'targetDate[day]': '31', 'targetDate[month]': '2', 'targetDate[year]': '2027' });
    expect(errorSummary(badDate.body)).toEqual(['#targetDate-day: Target date must be a real date, like 27 3 2007']);
    expect(badDate.body).toContain('Join a walking group');
    for (const [part, value] of [['day', '31'], ['month', '2'], ['year', '2027']]) expect(badDate.body).toMatch(new RegExp(`name="targetDate\\[${part}\\]"[^>]*value="${value}"`));
    const badDue = await linkWorker.post(`/episodes/${episodeId}/tasks`, { title: 'Ring the money advice line', 'dueOn[day]': '30', 'dueOn[month]': '2', 'dueOn[year]': '2027' });
    expect(errorSummary(badDue.body)).toEqual(['#dueOn-day: Due date must be a real date, like 27 3 2007']);
    expect(badDue.body).toMatch(/name="dueOn\[day\]"[^>]*value="30"/);
    expect((await linkWorker.post(`/episodes/${episodeId}/goals`, { goal: 'Go to the singing group on Tuesdays', readiness: 'thinking_about_it' })).statusCode).toBe(302);
    const page = await linkWorker.get(`/episodes/${episodeId}`);
    expect(squash(page.body)).toContain('Getting out of the house and feeling useful again.');
    expect(squash(page.body)).toContain('Loneliness and social isolation: <strong>High</strong>');
    expect(squash(page.body)).toContain('“Go to the singing group on Tuesdays”');
  });

  it('books the next contact, which shows in the diary', async () => {
    const form = await linkWorker.get(`/episodes/${episodeId}/contacts/new?status=booked`);
    expect(form.body).toContain('<h1>Book a contact</h1>');
    expect((await linkWorker.get(`/episodes/${episodeId}/contacts/new`)).body).toContain('<h1>Record a contact</h1>');
    const booked = await linkWorker.post(`/episodes/${episodeId}/contacts`, { mode: 'community_venue', venue: 'Ancholme Library', status: 'booked', contactType: 'support', ...dateFields(days(3)) });
    expect(booked.statusCode).toBe(302);
    const diary = await linkWorker.get('/diary');
    expect(squash(diary.body)).toContain('Alex Tester');
    expect(squash(diary.body)).toContain('Ancholme Library');
  });

  it('reallocates to another link worker, who gets the open tasks and the booked contacts, and back', async () => {
    const idOf = async (index: number) => (await t.database.db.selectFrom('app_user').select('id').where('email', '=', demoEmail('link_worker', index)).executeTakeFirstOrThrow()).id;
    const [first, second] = [await idOf(0), await idOf(1)];
    const colleague = await signedInAs(t.app, 'link_worker', 1);
    expect(squash((await colleague.get('/diary')).body)).not.toContain('Alex Tester');
    const moved = await manager.post(`/episodes/${episodeId}/reallocate`, { linkWorkerUserId: second, version: String(await version()) });
    expect(moved.statusCode).toBe(302);
    expect(squash((await colleague.get('/diary')).body)).toContain('Ancholme Library');
    expect(squash((await linkWorker.get('/diary')).body)).not.toContain('Alex Tester');
    const tasks = await t.database.db.selectFrom('task').select('assigned_user_id').where('episode_id', '=', episodeId).where('done_at', 'is', null).execute();
    expect(tasks.every((task) => task.assigned_user_id === second)).toBe(true);
    const same = await manager.post(`/episodes/${episodeId}/reallocate`, { linkWorkerUserId: second, version: String(await version()) });
    expect(errorSummary(same.body)).toEqual(['#linkWorkerUserId: This person is already allocated to that link worker']);
    await manager.post(`/episodes/${episodeId}/reallocate`, { linkWorkerUserId: first, version: String(await version()) });
    expect(squash((await linkWorker.get('/diary')).body)).toContain('Ancholme Library');
    const history = squash((await linkWorker.get(`/episodes/${episodeId}`)).body);
    expect(history).toMatch(/Reallocated by [^<]+ to /);
  });

  it('records what happened at a booked contact once it is due, and until then only lets it be cancelled', async () => {
    const future = await linkWorker.post(`/episodes/${episodeId}/contacts`, { mode: 'phone', status: 'booked', contactType: 'review', ...dateFields(days(10)) });
    expect(future.statusCode).toBe(302);
    const bookings = await t.database.db.selectFrom('contact').select(['id', 'starts_at']).where('episode_id', '=', episodeId).where('status', '=', 'booked').orderBy('starts_at').execute();
    const [soon, later] = [bookings.at(-2)!, bookings.at(-1)!];
    // The earlier booking falls due: it was yesterday.
    await t.database.db.updateTable('contact').set({ starts_at: days(-1) }).where('id', '=', soon.id).execute();
    const page = squash((await linkWorker.get(`/episodes/${episodeId}`)).body);
    expect(page.match(/Record what happened/g)).toHaveLength(1);
    expect(page).toContain('Cancel this booking');

    const early = await linkWorker.post(`/episodes/${episodeId}/contacts/${later.id}/outcome`, { status: 'attended', durationMinutes: '30', version: String(await version()) });
    expect(errorSummary(early.body)).toEqual(['#status: This contact is still in the future. It can be cancelled, or recorded once it has happened']);
    const noLength = await linkWorker.post(`/episodes/${episodeId}/contacts/${soon.id}/outcome`, { status: 'attended', version: String(await version()) });
    expect(errorSummary(noLength.body)).toEqual(['#durationMinutes: Enter how long the contact lasted, in minutes']);
    expect((await linkWorker.post(`/episodes/${episodeId}/contacts/${soon.id}/outcome`, { status: 'attended', durationMinutes: '40', notes: 'Went through the leaflet', version: String(await version()) })).statusCode).toBe(302);
    expect((await linkWorker.post(`/episodes/${episodeId}/contacts/${later.id}/outcome`, { status: 'cancelled', version: String(await version()) })).statusCode).toBe(302);
    const again = await linkWorker.post(`/episodes/${episodeId}/contacts/${later.id}/outcome`, { status: 'cancelled', version: String(await version()) });
    expect(again.statusCode).toBe(409);
    const recorded = await t.database.db.selectFrom('contact').select(['id', 'status', 'duration_minutes']).where('id', 'in', [soon.id, later.id]).execute();
    expect(recorded.sort((a, b) => (a.id === soon.id ? -1 : b.id === soon.id ? 1 : 0))).toEqual([
      { id: soon.id, status: 'attended', duration_minutes: 40 },
      { id: later.id, status: 'cancelled', duration_minutes: null },
    ]);
  });

  it('holds them while there is nothing suitable, and the caseload shows it', async () => {
    const noReason = await linkWorker.post(`/episodes/${episodeId}/holding/start`, { version: String(await version()) });
    expect(errorSummary(noReason.body)).toEqual(['#holdingReason: Select why you are holding this person']);
    const held = await linkWorker.post(`/episodes/${episodeId}/holding/start`, { holdingReason: 'no_provision', note: 'No daytime group nearby', version: String(await version()) });
    expect(held.statusCode).toBe(302);
    const caseload = await linkWorker.get('/caseload?status=holding');
    expect(squash(caseload.body)).toContain('Alex Tester');
    expect(squash(caseload.body)).toContain('since today: Waiting for, or no suitable, community provision');
    // Days are counted by England's calendar: a minute before midnight was yesterday, however few hours ago.
    const before = await t.database.db.selectFrom('episode').select(['holding_since', 'last_contact_at']).where('id', '=', episodeId).executeTakeFirstOrThrow();
    const lateYesterday = new Date(startOfLondonDay(new Date()).getTime() - 60_000);
    await t.database.db.updateTable('episode').set({ holding_since: lateYesterday, last_contact_at: lateYesterday }).where('id', '=', episodeId).execute();
    const counted = squash((await linkWorker.get('/caseload?status=holding')).body);
    expect(counted).toContain('1 day: Waiting for, or no suitable, community provision');
    expect(counted).toContain(`${readableLondonDate(lateYesterday)}<br><span class="nhsuk-u-secondary-text-colour">yesterday</span>`);
    await t.database.db.updateTable('episode').set(before).where('id', '=', episodeId).execute();
  });

  it('refuses a change made from a page that is out of date', async () => {
    const stale = await linkWorker.post(`/episodes/${episodeId}/holding/end`, { version: '1' });
    expect(stale.statusCode).toBe(409);
    expect(squash(stale.body)).toContain('Someone else changed this episode since you opened it');
    expect((await linkWorker.post(`/episodes/${episodeId}/holding/end`, { version: String(await version()) })).statusCode).toBe(302);
  });

  it('asks for a reason when going beyond the standard offer, and records the discretion', async () => {
    await t.database.db.insertInto('service_setting').values({ service_id: (await t.database.db.selectFrom('episode').select('service_id').executeTakeFirstOrThrow()).service_id, standard_contacts: 1 }).execute();
    const contact = { mode: 'phone', status: 'attended', contactType: 'support', durationMinutes: '20', ...dateFields(earlierToday(30)) };
    const asked = await linkWorker.post(`/episodes/${episodeId}/contacts`, contact);
    expect(asked.statusCode).toBe(422);
    expect(errorSummary(asked.body)[0]).toContain('#discretionReason: This goes beyond the service’s standard offer (up to 1 contacts of 60 minutes within 12 weeks): more contacts than the standard offer');
    const given = await linkWorker.post(`/episodes/${episodeId}/contacts`, { ...contact, discretionReason: 'Needed help with a benefits form before the deadline' });
    expect(given.statusCode).toBe(302);
    const discretions = await t.database.db.selectFrom('discretion').select(['kind', 'reason']).execute();
    expect(discretions).toEqual([{ kind: 'extra_contact', reason: 'Needed help with a benefits form before the deadline' }]);
  });

  it('gets a reminder when there has been no contact for a while', async () => {
    await t.database.db.updateTable('contact').set({ status: 'cancelled' }).where('status', '=', 'booked').execute();
    await t.database.db.updateTable('episode').set({ next_contact_at: null, last_contact_at: days(-30) }).where('id', '=', episodeId).execute();
    expect(await generateTasks(t.database.db)).toBe(1);
    expect(await generateTasks(t.database.db)).toBe(0);
    const today = await linkWorker.get('/today');
    expect(squash(today.body)).toContain('No contact for 21 days');
  });

  it('closes the episode with a summary for the referrer, and a follow-up task is set', async () => {
    // A contact still booked is cancelled by closing, and the close form says so first.
    const booked = await linkWorker.post(`/episodes/${episodeId}/contacts`, { mode: 'phone', status: 'booked', contactType: 'review', durationMinutes: '30', ...dateFields(new Date(Date.now() + 3 * 86_400_000)), discretionReason: 'A last review before closing' });
    expect(booked.statusCode).toBe(302);
    const bookedIds = (await t.database.db.selectFrom('contact').select('id').where('episode_id', '=', episodeId).where('status', '=', 'booked').execute()).map((c) => c.id);
    expect(bookedIds).toHaveLength(1);
    expect(squash((await linkWorker.get(`/episodes/${episodeId}`)).body)).toMatch(/<p id="close-cancels">Closing cancels this booked contact: [^<]+\. Let Alex know\.<\/p>/);
    expect((await linkWorker.get('/diary')).body).toContain(`/episodes/${episodeId}`);
    // A booked contact whose time has passed needs its outcome first, or it would never be counted.
    const missed = await t.database.db.selectFrom('contact').select('id').where('id', '=', bookedIds[0]!).executeTakeFirstOrThrow();
    await t.database.db.updateTable('contact').set({ starts_at: new Date(Date.now() - 3_600_000) }).where('id', '=', missed.id).execute();
    const unrecorded = await linkWorker.post(`/episodes/${episodeId}/close`, { closeReason: 'connected', summary: 'Connected.', version: String(await version()) });
    expect(unrecorded.statusCode).toBe(422);
    expect(errorSummary(unrecorded.body)).toEqual([expect.stringMatching(/^#contacts: Record what happened at the contact booked for \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} \(attended, did not attend or cancelled\), then close the episode$/)]);
    expect((await t.database.db.selectFrom('episode').select('status').where('id', '=', episodeId).executeTakeFirstOrThrow()).status).not.toBe('closed');
    const recorded = await linkWorker.post(`/episodes/${episodeId}/contacts/${missed.id}/outcome`, { status: 'did_not_attend', version: String(await version()) });
    expect(recorded.statusCode).toBe(302);
    // Booked again for later, for what follows.
    await t.database.db.updateTable('contact').set({ starts_at: new Date(Date.now() + 3 * 86_400_000), status: 'booked' }).where('id', '=', missed.id).execute();
    const incomplete = await linkWorker.post(`/episodes/${episodeId}/close`, { version: String(await version()) });
    expect(errorSummary(incomplete.body)).toEqual([
      '#closeReason: Select why the episode is closing',
      '#summary: Write a short summary for the referrer: what support the person was connected to and how it went, without case notes',
    ]);
    const closed = await linkWorker.post(`/episodes/${episodeId}/close`, {
      closeReason: 'connected',
      summary: 'Alex now goes to the Tuesday choir and has had help with his energy bills.',
      version: String(await version()),
    });
    expect(closed.statusCode).toBe(302);
    const episode = await t.database.db.selectFrom('episode').select(['status', 'close_reason']).where('id', '=', episodeId).executeTakeFirstOrThrow();
    expect(episode).toEqual({ status: 'closed', close_reason: 'connected' });
    const stillToCome = await t.database.db.selectFrom('contact').select(['status', 'notes']).where('id', 'in', bookedIds).execute();
    expect(stillToCome).toEqual([{ status: 'cancelled', notes: 'Cancelled: the episode was closed' }]);
    expect((await linkWorker.get('/diary')).body).not.toContain(`/episodes/${episodeId}`);
    const followUp = await t.database.db.selectFrom('task').select(['kind', 'title']).where('kind', '=', 'follow_up').execute();
    expect(followUp).toEqual([{ kind: 'follow_up', title: '12-month follow-up after closing' }]);
    const contactOnClosed = await linkWorker.post(`/episodes/${episodeId}/contacts`, { mode: 'phone', status: 'attended', contactType: 'support', durationMinutes: '10', ...dateFields(new Date()) });
    expect(contactOnClosed.statusCode).toBe(409);
    expect(squash(contactOnClosed.body)).toContain('This episode is closed. Re-open it to record a contact.');
  });

  it('the referrer sees the outcome and the SNOMED CT code, and no case notes', async () => {
    const page = squash((await referrer.get(`/referrals/${referralId}`)).body);
    expect(page).toContain('Alex now goes to the Tuesday choir');
    expect(page).toContain('871731000000106');
    expect(page).not.toContain('Talked about his week');
    expect(page).not.toContain('Getting out of the house');
  });
});

describe('keeping people apart', () => {
  it('a link worker of another service cannot see the episode, the person or the referral, by guessing ids', async () => {
    const other = await t.database.db.insertInto('organisation').values({ kind: 'sp_service', name: 'Elsewhere SP' }).returning('id').executeTakeFirstOrThrow();
    await t.database.db.updateTable('organisation').set({ service_id: other.id }).where('id', '=', other.id).execute();
    const user = await t.database.db.insertInto('app_user').values({ email: 'elsewhere@example.org', display_name: 'Else Where', password_hash: (await t.database.db.selectFrom('app_user').select('password_hash').where('email', '=', demoEmail('link_worker')).executeTakeFirstOrThrow()).password_hash }).returning('id').executeTakeFirstOrThrow();
    await t.database.db.insertInto('membership').values({ user_id: user.id, organisation_id: other.id, role: 'link_worker' }).execute();
    const outsider = await signedInAs(t.app, 'link_worker');
    await outsider.signIn('elsewhere@example.org');
    const person = await t.database.db.selectFrom('person').select('id').executeTakeFirstOrThrow();
    for (const url of [`/episodes/${episodeId}`, `/people/${person.id}`, `/episodes/${episodeId}/contacts/new`]) {
      expect((await outsider.get(url)).statusCode, url).toBe(404);
    }
    expect(squash((await outsider.get('/caseload')).body)).not.toContain('Alex Tester');
    const post = await outsider.post(`/episodes/${episodeId}/what-matters`, { whatMatters: 'x' });
    expect(post.statusCode).toBe(404);
  });

  it('the manager sees who has viewed the person’s record', async () => {
    const person = await t.database.db.selectFrom('person').select('id').executeTakeFirstOrThrow();
    const trail = squash((await manager.get(`/audit/person/${person.id}`)).body);
    expect(trail).toContain('Viewed the record');
    expect(trail).toContain('Closed the episode');
    expect(trail).toContain('Referred');
  });
});

describe('referrals from elsewhere', () => {
  it('a practice cannot refer a patient of another practice', async () => {
    const other = (await t.database.db.selectFrom('organisation').select('id').where('name', '=', 'Crosby Family Practice').executeTakeFirstOrThrow()).id;
    await referrer.get('/referrals/new');
    const response = await referrer.post('/referrals', { ...referralForm, idempotencyKey: 'practice-form-0002', registeredPracticeId: other });
    expect(response.statusCode).toBe(422);
    expect(errorSummary(response.body)).toEqual(['#registeredPracticeId: You can only refer patients registered at Ashby Road Surgery']);
  });

  it('an agency refers with its own details, for a practice of the service, and the manager is warned of a likely duplicate', async () => {
    const service = (await t.database.db.selectFrom('organisation').select('id').where('kind', '=', 'sp_service').executeTakeFirstOrThrow()).id;
    const pharmacy = await t.database.db.insertInto('organisation').values({ kind: 'agency', name: 'Frodingham Pharmacy', service_id: service }).returning('id').executeTakeFirstOrThrow();
    const hash = (await t.database.db.selectFrom('app_user').select('password_hash').where('email', '=', demoEmail('referrer')).executeTakeFirstOrThrow()).password_hash;
    const pharmacist = await t.database.db.insertInto('app_user').values({ email: 'pharmacist@example.org', display_name: 'Pat Pharmacist', password_hash: hash }).returning('id').executeTakeFirstOrThrow();
    await t.database.db.insertInto('membership').values({ user_id: pharmacist.id, organisation_id: pharmacy.id, role: 'referrer' }).execute();
    const agency = await signedInAs(t.app, 'referrer');
    await agency.signIn('pharmacist@example.org');
    await agency.get('/referrals/new');
    const unknownPractice = await agency.post('/referrals', { ...referralForm, nhsNumber: '', idempotencyKey: 'agency-form-0001', registeredPracticeId: pharmacy.id, referrerContact: '' });
    expect(errorSummary(unknownPractice.body)).toEqual([
      '#registeredPracticeId: Select a GP practice from the list',
      '#referrerContact: Say how the link worker can contact you about this referral',
    ]);
    const practice = (await t.database.db.selectFrom('organisation').select('id').where('name', '=', 'Ashby Road Surgery').executeTakeFirstOrThrow()).id;
    const sent = await agency.post('/referrals', { ...referralForm, nhsNumber: '', idempotencyKey: 'agency-form-0002', registeredPracticeId: practice, referrerRole: 'Pharmacist', referrerContact: '01724 111111' });
    expect(sent.statusCode).toBe(201);
    const created = await t.database.db.selectFrom('referral').select(['id', 'source']).where('idempotency_key', '=', 'agency-form-0002').executeTakeFirstOrThrow();
    expect(created.source).toBe('agency');
    const triage = squash((await manager.get(`/triage/${created.id}`)).body);
    expect(triage).toContain('Possibly already known to the service');
    expect(triage).toContain('01724 111111');
  });
});

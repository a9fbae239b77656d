import { Faker, base, en, en_GB } from '@faker-js/faker';
import type { Kysely } from 'kysely';
import { closeEpisode, startHolding } from '../../modules/casework/casework-service.js';
import { recordContact } from '../../modules/casework/contact-service.js';
import { addGoal, recordWhatMatters } from '../../modules/casework/plan-service.js';
import { createReferral, triage } from '../../modules/referrals/referral-service.js';
import type { Actor } from '../../platform/access/policy.js';
import type { OrganisationKind, Role } from '../../platform/access/roles.js';
import { londonParts } from '../../shared/london-time.js';
import type { Schema } from '../schema.js';

/** A valid NHS number made from nine synthetic digits (the tenth is the check digit; 10 means try again). */
function syntheticNhsNumber(faker: Faker): string {
  for (;;) {
    const nine = faker.string.numeric({ length: 9, allowLeadingZeros: false });
    const sum = [...nine].reduce((total, digit, i) => total + Number(digit) * (10 - i), 0);
    const check = 11 - (sum % 11);
    if (check !== 10) return `${nine}${check === 11 ? 0 : check}`;
  }
}

async function actorFor(db: Kysely<Schema>, email: string): Promise<Actor> {
  const row = await db
    .selectFrom('membership as m')
    .innerJoin('app_user as u', 'u.id', 'm.user_id')
    .innerJoin('organisation as o', 'o.id', 'm.organisation_id')
    .select(['u.id as user_id', 'u.display_name', 'm.id', 'm.role', 'o.id as organisation_id', 'o.kind', 'o.name', 'o.service_id'])
    .where('u.email', '=', email)
    .executeTakeFirstOrThrow();
  return {
    userId: row.user_id,
    displayName: row.display_name,
    membershipId: row.id,
    role: row.role as Role,
    organisationId: row.organisation_id,
    organisationKind: row.kind as OrganisationKind,
    organisationName: row.name,
    serviceId: row.service_id,
    via: 'session',
  };
}

/** What each synthetic person was referred for, and what they said they would like help with. */
/** Real residential postcodes in the demo region (DN15 to DN17), one per synthetic person. */
const POSTCODES = ['DN15 7QG', 'DN16 1LZ', 'DN15 8NW', 'DN16 2DX', 'DN17 1QA', 'DN15 6SR', 'DN16 3FS', 'DN15 7BZ'];

const REFERRALS: { needs: string[]; helpWanted: string }[] = [
  { needs: ['loneliness'], helpWanted: 'Would like to meet people nearby and get out of the house more.' },
  { needs: ['money', 'housing'], helpWanted: 'Struggling with rent and bills since reducing hours at work.' },
  { needs: ['bereavement', 'loneliness'], helpWanted: 'Finding it hard since a bereavement earlier this year.' },
  { needs: ['caring'], helpWanted: 'Caring for a parent and has no time for themselves.' },
  { needs: ['physical_activity', 'mental_wellbeing'], helpWanted: 'Wants to get more active but lacks the confidence to start.' },
  { needs: ['employment'], helpWanted: 'Out of work for a year and would like to volunteer to build confidence.' },
  { needs: ['digital', 'loneliness'], helpWanted: 'Would like to learn to video call grandchildren.' },
  { needs: ['food', 'money'], helpWanted: 'Running out of money for food before payday.' },
];

/**
 * Synthetic people at every stage, made through the same use-cases as real work (so the logs,
 * read models and audit trail are as they would be): some waiting, some supported, one held, one closed.
 */
export async function seedDemoCasework(db: Kysely<Schema>, domain: string): Promise<void> {
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(2027);
  const referrers = [await actorFor(db, `referrer.ashby@${domain}`), await actorFor(db, `referrer.brumby@${domain}`)];
  const manager = await actorFor(db, `manager@${domain}`);
  const linkWorkers = [await actorFor(db, `linkworker1@${domain}`), await actorFor(db, `linkworker2@${domain}`), await actorFor(db, `linkworker3@${domain}`)];
  const ctx = (actor: Actor) => ({ db, actor, requestId: 'seed' });

  for (let i = 0; i < REFERRALS.length; i++) {
    const referrer = referrers[i % 2]!;
    const birth = faker.date.birthdate({ mode: 'age', min: 25, max: 88 });
    const created = await createReferral(
      db,
      referrer,
      {
        nhsNumber: syntheticNhsNumber(faker),
        givenName: faker.person.firstName(),
        familyName: faker.person.lastName(),
        dateOfBirth: birth.toISOString().slice(0, 10),
        phone: `07700 900${String(100 + i).slice(-3)}`,
        postcode: POSTCODES[i % POSTCODES.length]!,
        needDomains: REFERRALS[i]!.needs,
        helpWanted: REFERRALS[i]!.helpWanted,
        urgency: i === 1 ? 'urgent' : 'routine',
        personAgreed: true,
      },
      'seed',
    );
    if (i >= 5) continue; // the last three wait on the waiting list
    const linkWorker = linkWorkers[i % 3]!;
    const { episodeId } = await triage(db, manager, created.id, 'accept', { linkWorkerUserId: linkWorker.userId }, 'seed');
    if (!episodeId || i === 4) continue; // one awaits a first contact
    // The coming minute (within the grace allowed for clocks): after the episode opened, and on the referral's day or later at any hour.
    const { date, time } = londonParts(new Date(Date.now() + 60_000));
    // One first call ran past the standard 60 minutes: a discretion, with the link worker's reason.
    const longer = i === 1 ? { durationMinutes: '75', discretionReason: 'Went through an urgent letter about rent arrears together.' } : { durationMinutes: '40' };
    await recordContact(ctx(linkWorker), episodeId, { date, time, mode: 'phone', status: 'attended', contactType: 'assessment', ...longer });
    await recordWhatMatters(ctx(linkWorker), episodeId, { whatMatters: 'Having something to look forward to each week.' });
    await addGoal(ctx(linkWorker), episodeId, { goal: 'Find a group to go to on weekday mornings', readiness: i === 2 ? 'not_yet' : 'ready_now' });
    const next = londonParts(new Date(Date.now() + (i + 1) * 86_400_000));
    await recordContact(ctx(linkWorker), episodeId, { date: next.date, time: '10:30', mode: 'practice', practiceId: referrer.organisationId, status: 'booked', contactType: 'support' });
    if (i === 2) await startHolding(ctx(linkWorker), episodeId, { holdingReason: 'preparing_for_change', note: 'Not ready to try a group yet; weekly calls for now.' });
    if (i === 3) {
      await closeEpisode(ctx(linkWorker), episodeId, { closeReason: 'connected', summary: 'Now goes to a weekly walking group and has had help with a benefits claim.' });
    }
  }
}

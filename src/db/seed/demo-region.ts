import { Faker, base, en, en_GB } from '@faker-js/faker';
import type { Kysely, Transaction } from 'kysely';
import { hashPassword } from '../../platform/auth/passwords.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import type { Role } from '../../platform/access/roles.js';
import type { Schema } from '../schema.js';
import { seedDemoCasework } from './demo-casework.js';
import { rememberWords, replaceServiceDetails } from '../../modules/directory/directory-details-repository.js';
import { loadDemoRegionPostcodes } from '../../modules/directory/postcode-import.js';
import { OPEN_ELIGIBILITY, termId } from '../../modules/directory/taxonomies.js';

/**
 * A synthetic demo region in Scunthorpe, North Lincolnshire: real postcodes, made-up
 * organisations and people. Deterministic, so every fresh install shows the same demo.
 */
export const DEMO_PASSWORD = 'demo-anchorpoint-2026';
export const DEMO_EMAIL_DOMAIN = 'demo.anchorpoint.test';

interface DemoOrganisation {
  key: string;
  kind: string;
  name: string;
  odsCode?: string;
  postcode: string;
  parent?: string;
  service?: string;
}

const ORGANISATIONS: DemoOrganisation[] = [
  { key: 'icb', kind: 'council_icb', name: 'North Lincolnshire Place Partnership (demo)', postcode: 'DN16 1AB' },
  { key: 'service', kind: 'sp_service', name: 'Scunthorpe Social Prescribing Service', postcode: 'DN15 6ER', parent: 'icb' },
  { key: 'pcn', kind: 'pcn', name: 'Scunthorpe Central PCN', odsCode: 'U99001', postcode: 'DN15 7DQ', service: 'service' },
  { key: 'ashby', kind: 'gp_practice', name: 'Ashby Road Surgery', odsCode: 'Y99001', postcode: 'DN16 2EE', parent: 'pcn', service: 'service' },
  { key: 'brumby', kind: 'gp_practice', name: 'Brumby Wood Medical Practice', odsCode: 'Y99002', postcode: 'DN17 1QA', parent: 'pcn', service: 'service' },
  { key: 'frodingham', kind: 'gp_practice', name: 'Frodingham Road Health Centre', odsCode: 'Y99003', postcode: 'DN15 7QG', parent: 'pcn', service: 'service' },
  { key: 'crosby', kind: 'gp_practice', name: 'Crosby Family Practice', odsCode: 'Y99004', postcode: 'DN15 8DB', parent: 'pcn', service: 'service' },
  { key: 'choir', kind: 'community_org', name: 'Ancholme Community Choir', postcode: 'DN16 3DH' },
  { key: 'shed', kind: 'community_org', name: 'Brumby Men’s Shed', postcode: 'DN17 2HE' },
  { key: 'money', kind: 'community_org', name: 'Scunthorpe Money and Debt Advice', postcode: 'DN15 6SA' },
];

interface DemoAccount {
  email: string;
  role: Role;
  organisation: string;
}

export const DEMO_ACCOUNTS: DemoAccount[] = [
  { email: 'admin', role: 'admin', organisation: 'icb' },
  { email: 'manager', role: 'service_manager', organisation: 'service' },
  { email: 'linkworker1', role: 'link_worker', organisation: 'service' },
  { email: 'linkworker2', role: 'link_worker', organisation: 'service' },
  { email: 'linkworker3', role: 'link_worker', organisation: 'service' },
  { email: 'referrer.ashby', role: 'referrer', organisation: 'ashby' },
  { email: 'referrer.brumby', role: 'referrer', organisation: 'brumby' },
  { email: 'provider.choir', role: 'provider', organisation: 'choir' },
  { email: 'provider.shed', role: 'provider', organisation: 'shed' },
  { email: 'provider.money', role: 'provider', organisation: 'money' },
  { email: 'editor', role: 'directory_editor', organisation: 'service' },
  { email: 'commissioner', role: 'commissioner', organisation: 'icb' },
].map((account) => ({ ...account, role: account.role as Role, email: `${account.email}@${DEMO_EMAIL_DOMAIN}` }));

interface DemoService {
  organisation: string;
  /** The demo organisation (by key) whose providers own it, if any. */
  owner?: string;
  name: string;
  description: string;
  needs: string[];
  delivery: 'in_person' | 'online' | 'phone' | 'mixed';
  status?: 'active' | 'paused' | 'online_only' | 'closed';
  free: boolean;
  fees?: string;
  verifiedDaysAgo: number | null;
  minimumAge?: number;
  /** Open Eligibility term code. */
  type: string;
  referral: 'just_turn_up' | 'signpost' | 'anchorpoint_referral';
  venue?: { name: string; address: string; postcode: string };
  /** [BYDAY, opens, closes], weekly unless BYDAY has a week number (monthly). */
  sessions: [string, string, string][];
}

/** A small synthetic directory for the demo: made-up services at real postcodes, one stale, one paused, one online only. */
const DIRECTORY: DemoService[] = [
  { organisation: 'Ancholme Community Choir', owner: 'choir', name: 'Singing for Wellbeing', description: 'A friendly singing group on Tuesday mornings in the church hall. No experience or reading music needed; tea and a chat afterwards.', needs: ['loneliness', 'arts', 'mental_wellbeing'], delivery: 'in_person', free: true, verifiedDaysAgo: 20, type: '108-03-06', referral: 'anchorpoint_referral', venue: { name: 'St Hugh’s Church Hall', address: 'Ashby High Street', postcode: 'DN16 3DH' }, sessions: [['TU', '10:00', '12:00']] },
  { organisation: 'Ancholme Community Choir', owner: 'choir', name: 'Saturday Sing', description: 'An afternoon of popular songs for all ages and abilities, in the town centre. Come along, no need to book.', needs: ['arts', 'loneliness'], delivery: 'in_person', free: true, verifiedDaysAgo: 30, type: '108-03-06', referral: 'just_turn_up', venue: { name: 'Baths Hall foyer', address: 'Doncaster Road', postcode: 'DN15 7RG' }, sessions: [['SA', '14:00', '16:00']] },
  { organisation: 'Scunthorpe Choral Society', name: 'Community choir rehearsals', description: 'A mixed voice choir rehearsing for two concerts a year. New singers welcome; some singing experience helps.', needs: ['arts'], delivery: 'in_person', free: false, fees: '£3 a rehearsal', verifiedDaysAgo: 40, type: '108-03-06', referral: 'signpost', venue: { name: 'Trinity Methodist Church', address: 'Frodingham Road', postcode: 'DN15 7NH' }, sessions: [['WE', '19:00', '21:00']] },
  { organisation: 'Barton Singing Circle', name: 'Barton Singing Circle', description: 'Singing for fun and friendship by the Humber, every Thursday morning. Free, with tea and biscuits.', needs: ['arts', 'loneliness'], delivery: 'in_person', free: true, verifiedDaysAgo: 12, type: '108-03-06', referral: 'just_turn_up', venue: { name: 'Barton Assembly Rooms', address: 'Queen Street, Barton-upon-Humber', postcode: 'DN18 5BA' }, sessions: [['TH', '10:00', '11:30']] },
  { organisation: 'Brumby Men’s Shed', owner: 'shed', name: 'Shed workshop mornings', description: 'A workshop where men (and anyone who likes making and mending) share skills, work on projects and have a brew together. Weekday mornings.', needs: ['loneliness', 'employment'], delivery: 'in_person', free: true, verifiedDaysAgo: 200, minimumAge: 18, type: '108-07-07', referral: 'anchorpoint_referral', venue: { name: 'Brumby Men’s Shed', address: 'Cemetery Road', postcode: 'DN17 2HE' }, sessions: [['MO,WE,FR', '09:30', '12:30']] },
  { organisation: 'Scunthorpe Money and Debt Advice', owner: 'money', name: 'Money and debt advice', description: 'Free, confidential advice on debts, benefits, budgeting and energy bills, by phone or face to face at the advice centre.', needs: ['money', 'housing'], delivery: 'mixed', free: true, verifiedDaysAgo: 35, type: '107-05', referral: 'anchorpoint_referral', venue: { name: 'Advice Centre', address: 'Oswald Road', postcode: 'DN15 6SA' }, sessions: [['MO,TU,WE,TH', '09:00', '16:30']] },
  { organisation: 'Scunthorpe Walking Group', name: 'Weekday health walks', description: 'Gentle led walks of 30 to 60 minutes around the parks, every weekday at 10am. Walk at your own pace; walk leaders are trained in first aid.', needs: ['physical_activity', 'nature', 'loneliness'], delivery: 'in_person', free: true, verifiedDaysAgo: 10, type: '108-03-06', referral: 'just_turn_up', venue: { name: 'Central Park gates', address: 'Jubilee Way', postcode: 'DN15 6JR' }, sessions: [['MO,TU,WE,TH,FR', '10:00', '11:00']] },
  { organisation: 'Frodingham Bereavement Café', name: 'Bereavement café', description: 'A monthly café for anyone who has lost someone close, with volunteers trained in bereavement support.', needs: ['bereavement'], delivery: 'in_person', status: 'paused', free: true, verifiedDaysAgo: 60, type: '108-07-09-02', referral: 'signpost', venue: { name: 'Frodingham Community Centre', address: 'Frodingham Road', postcode: 'DN15 7QG' }, sessions: [['1TH', '14:00', '16:00']] },
  { organisation: 'Scunthorpe Central Library', name: 'Digital drop-in', description: 'Help with phones, tablets, email and getting online. Bring your own device or use ours. Thursdays 2pm to 4pm.', needs: ['digital'], delivery: 'in_person', free: true, verifiedDaysAgo: 45, type: '109-03', referral: 'just_turn_up', venue: { name: 'Central Library', address: 'Carlton Street', postcode: 'DN15 6SR' }, sessions: [['TH', '14:00', '16:00']] },
  { organisation: 'North Lincolnshire Carers’ Network', name: 'Carers’ coffee morning', description: 'A relaxed morning for unpaid carers to meet others, get information and have a break. Replacement care can be arranged.', needs: ['caring', 'loneliness'], delivery: 'in_person', free: true, verifiedDaysAgo: 15, type: '108-03-07', referral: 'anchorpoint_referral', venue: { name: 'Carers’ Centre', address: 'Ashby Road', postcode: 'DN16 2EE' }, sessions: [['2FR', '10:00', '12:00']] },
  { organisation: 'Together Online', name: 'Online peer support group', description: 'A weekly video call for people feeling low or anxious, led by trained peer supporters.', needs: ['mental_wellbeing'], delivery: 'online', status: 'online_only', free: true, verifiedDaysAgo: 5, type: '108-07-10', referral: 'signpost', sessions: [['MO', '18:30', '19:30']] },
  { organisation: 'Ancholme Leisure', name: 'Chair-based exercise class', description: 'A seated exercise class to build strength and balance, for people with limited mobility.', needs: ['physical_activity', 'long_term_condition'], delivery: 'in_person', free: false, fees: '£2 per session', verifiedDaysAgo: 25, minimumAge: 50, type: '106-04-02', referral: 'just_turn_up', venue: { name: 'Riddings Pool', address: 'Enderby Road', postcode: 'DN17 2JL' }, sessions: [['TU,TH', '13:30', '14:30']] },
];

async function seedDemoDirectory(trx: Transaction<Schema>, ids: Map<string, string>) {
  await loadDemoRegionPostcodes(trx);
  const organisations = new Map<string, string>();
  for (const entry of DIRECTORY) {
    let organisationId = organisations.get(entry.organisation);
    if (!organisationId) {
      organisationId = (
        await trx
          .insertInto('directory_organisation')
          .values({ name: entry.organisation, organisation_id: entry.owner ? ids.get(entry.owner)! : null })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      organisations.set(entry.organisation, organisationId);
    }
    const service = await trx
      .insertInto('directory_service')
      .values({
        directory_organisation_id: organisationId,
        name: entry.name,
        description: entry.description,
        status: entry.status ?? 'active',
        oruk_status: entry.status === 'paused' ? 'temporarily closed' : 'active',
        need_domains: entry.needs,
        delivery: entry.delivery,
        referral_mode: entry.referral,
        free: entry.free,
        fees: entry.fees ?? 'Free',
        minimum_age: entry.minimumAge ?? null,
        last_verified_at: entry.verifiedDaysAgo === null ? null : new Date(Date.now() - entry.verifiedDaysAgo * 86_400_000),
        verified_by: 'Directory editor (demo)',
        search_text: entry.organisation,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await replaceServiceDetails(
      trx,
      { id: service.id, source: 'anchorpoint', sourceId: null, organisationId },
      {
        locations: entry.venue
          ? [{ sourceId: null, name: entry.venue.name, description: null, address1: entry.venue.address, city: 'Scunthorpe', region: 'North Lincolnshire', postcode: entry.venue.postcode, latitude: null, longitude: null, accessibility: null }]
          : [],
        schedules: entry.sessions.map(([byday, opensAt, closesAt]) => ({
          locationIndex: entry.venue ? 0 : null,
          freq: /\d/.test(byday) ? 'MONTHLY' : 'WEEKLY',
          interval: 1,
          byday,
          opensAt,
          closesAt,
          validFrom: null,
          validTo: null,
          dtstart: null,
          description: null,
          notes: null,
        })),
        contacts: [],
        termIds: [termId(OPEN_ELIGIBILITY, entry.type)],
      },
    );
  }
  await rememberWords(trx, DIRECTORY.flatMap((entry) => [entry.name, entry.organisation, entry.description]));
}

/** True when the database holds no organisations or accounts, so seeding cannot overwrite anyone's data. */
export async function isEmpty(db: Kysely<Schema>): Promise<boolean> {
  const [organisations, users] = await Promise.all([
    db.selectFrom('organisation').select('id').limit(1).execute(),
    db.selectFrom('app_user').select('id').limit(1).execute(),
  ]);
  return organisations.length === 0 && users.length === 0;
}

export class NotEmptyError extends Error {
  constructor() {
    super('The database already has data, so the demo region was not seeded. Seeding only runs on an empty database.');
  }
}

/** Seeds the region; with `casework`, also synthetic people at every stage so every page has something real to show. */
export async function seedDemoRegion(db: Kysely<Schema>, options: { casework?: boolean } = {}): Promise<DemoAccount[]> {
  if (!(await isEmpty(db))) throw new NotEmptyError();
  const faker = new Faker({ locale: [en_GB, en, base] });
  faker.seed(2026);
  const passwordHash = await hashPassword(DEMO_PASSWORD);

  await db.transaction().execute(async (trx) => {
    const ids = new Map<string, string>();
    for (const organisation of ORGANISATIONS) {
      const row = await trx
        .insertInto('organisation')
        .values({
          kind: organisation.kind,
          name: organisation.name,
          ods_code: organisation.odsCode ?? null,
          postcode: organisation.postcode,
          parent_id: organisation.parent ? ids.get(organisation.parent)! : null,
          service_id: organisation.service ? ids.get(organisation.service)! : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      ids.set(organisation.key, row.id);
      if (organisation.kind === 'sp_service') {
        await trx.updateTable('organisation').set({ service_id: row.id }).where('id', '=', row.id).execute();
      }
    }
    for (const account of DEMO_ACCOUNTS) {
      const user = await trx
        .insertInto('app_user')
        .values({ email: account.email, display_name: `${faker.person.firstName()} ${faker.person.lastName()}`, password_hash: passwordHash })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('membership').values({ user_id: user.id, organisation_id: ids.get(account.organisation)!, role: account.role }).execute();
    }
    await seedDemoDirectory(trx, ids);
    await trx.insertInto('app_setting').values({ key: 'demo_region', value: new Date().toISOString() }).execute();
    await writeAudit(trx, { actor: null, action: 'system.seed_demo', serviceId: null, detail: { organisations: ORGANISATIONS.length, accounts: DEMO_ACCOUNTS.length } });
  });
  if (options.casework) await seedDemoCasework(db, DEMO_EMAIL_DOMAIN);
  return DEMO_ACCOUNTS;
}

export async function hasDemoRegion(db: Kysely<Schema>): Promise<boolean> {
  return Boolean(await db.selectFrom('app_setting').select('key').where('key', '=', 'demo_region').executeTakeFirst());
}

export function describeDemoAccounts(): string {
  const width = Math.max(...DEMO_ACCOUNTS.map((a) => a.email.length));
  return [
    `Demo accounts (password for all: ${DEMO_PASSWORD}):`,
    ...DEMO_ACCOUNTS.map((a) => `  ${a.email.padEnd(width)}  ${a.role}`),
  ].join('\n');
}

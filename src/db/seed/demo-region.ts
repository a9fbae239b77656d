import { Faker, base, en, en_GB } from '@faker-js/faker';
import type { Kysely } from 'kysely';
import { hashPassword } from '../../platform/auth/passwords.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import type { Role } from '../../platform/access/roles.js';
import type { Schema } from '../schema.js';
import { seedDemoCasework } from './demo-casework.js';

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

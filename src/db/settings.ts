import type { Kysely } from 'kysely';
import { randomToken } from '../platform/auth/secrets.js';
import type { Schema } from './schema.js';

/** A value generated once per installation and shared by every app copy (e.g. the cookie-signing secret). */
export async function getOrCreateSetting(db: Kysely<Schema>, key: string, generate = () => randomToken(48)): Promise<string> {
  await db.insertInto('app_setting').values({ key, value: generate() }).onConflict((oc) => oc.column('key').doNothing()).execute();
  const row = await db.selectFrom('app_setting').select('value').where('key', '=', key).executeTakeFirstOrThrow();
  return row.value;
}

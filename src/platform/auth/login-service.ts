import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Schema } from '../../db/schema.js';
import { findUserByEmail } from './auth-repository.js';
import { timingDecoy, verifyPassword } from './passwords.js';
import { sha256 } from './secrets.js';

export type LoginPolicy = Pick<Config, 'loginMaxFailures' | 'loginLockoutMinutes'>;

export type LoginResult =
  | { outcome: 'success'; userId: string }
  | { outcome: 'invalid' }
  | { outcome: 'locked'; retryAfterMinutes: number };

/**
 * Checks an e-mail address and password. Failures are counted per address whether or
 * not an account exists, and both cases take the same time and give the same answer,
 * so nobody can learn which addresses have accounts.
 */
export async function attemptLogin(
  db: Kysely<Schema>,
  policy: LoginPolicy,
  email: string,
  password: string,
  now = new Date(),
): Promise<LoginResult> {
  const keyHash = sha256(`login:${email.trim().toLowerCase()}`);
  const throttle = await db.selectFrom('login_throttle').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
  if (throttle?.locked_until && throttle.locked_until > now) {
    return { outcome: 'locked', retryAfterMinutes: Math.ceil((throttle.locked_until.getTime() - now.getTime()) / 60_000) };
  }

  const user = await findUserByEmail(db, email.trim());
  let valid = false;
  if (user?.password_hash) valid = await verifyPassword(user.password_hash, password);
  else await timingDecoy(password);

  if (valid && user && !user.disabled_at) {
    await db.deleteFrom('login_throttle').where('key_hash', '=', keyHash).execute();
    await db.updateTable('app_user').set({ last_sign_in_at: now }).where('id', '=', user.id).execute();
    return { outcome: 'success', userId: user.id };
  }

  const windowMs = policy.loginLockoutMinutes * 60_000;
  const freshWindow = !throttle || now.getTime() - throttle.window_started_at.getTime() > windowMs;
  const failures = freshWindow ? 1 : throttle.failures + 1;
  const lockedUntil = failures >= policy.loginMaxFailures ? new Date(now.getTime() + windowMs) : null;
  await db
    .insertInto('login_throttle')
    .values({ key_hash: keyHash, failures, window_started_at: freshWindow ? now : throttle.window_started_at, locked_until: lockedUntil })
    .onConflict((oc) =>
      oc.column('key_hash').doUpdateSet({
        failures,
        window_started_at: freshWindow ? now : throttle.window_started_at,
        locked_until: lockedUntil,
      }),
    )
    .execute();
  return lockedUntil ? { outcome: 'locked', retryAfterMinutes: policy.loginLockoutMinutes } : { outcome: 'invalid' };
}

import type { Kysely } from 'kysely';
import type { Config } from '../../config.js';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import {
  ORGANISATION_KIND_LABELS,
  ROLE_LABELS,
  ROLE_ORGANISATION_KINDS,
  isOrganisationKind,
  isRole,
  type OrganisationKind,
  type Role,
} from '../../platform/access/roles.js';
import { newApiToken } from '../../platform/auth/api-token-service.js';
import { hashPassword, passwordProblem } from '../../platform/auth/passwords.js';
import { randomToken, sha256 } from '../../platform/auth/secrets.js';
import { writeAudit, writeAuditAlone } from '../../platform/audit/audit-service.js';
import { conflict, notFound, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isEmailAddress } from '../../shared/email.js';
import { isUuid, text } from '../../shared/form.js';
import { normalisePostcode } from '../../shared/postcode.js';
import * as repo from './accounts-repository.js';

/** Who is doing this and in which request: passed explicitly to every use-case, for the audit trail. */
export interface Context {
  db: Kysely<Schema>;
  actor: Actor;
  requestId: string;
}

// ——— Organisations ———

export interface OrganisationInput {
  name: string;
  kind: OrganisationKind;
  odsCode: string | null;
  postcode: string | null;
  parentId: string | null;
  serviceId: string | null;
}

/** Which kinds of organisation may be served by a social prescribing service (and so carry its tenant key). */
const SERVED_KINDS: readonly OrganisationKind[] = ['pcn', 'gp_practice', 'agency'];

async function validateOrganisation(db: Kysely<Schema>, input: unknown): Promise<OrganisationInput> {
  const errors: FieldErrors = {};
  const name = text(input, 'name');
  const kind = text(input, 'kind');
  const odsCode = text(input, 'odsCode').toUpperCase();
  const postcodeText = text(input, 'postcode');
  const parentId = text(input, 'parentId');
  const serviceId = text(input, 'serviceId');

  if (!name) errors.name = 'Enter the organisation’s name';
  else if (name.length > 200) errors.name = 'Name must be 200 characters or fewer';
  if (!isOrganisationKind(kind)) errors.kind = 'Select the type of organisation';
  if (odsCode && !/^[A-Z0-9]{3,10}$/.test(odsCode)) errors.odsCode = 'ODS code must be 3 to 10 letters and numbers, like B82005';
  else if (odsCode && (await repo.findOrganisationByOdsCode(db, odsCode))) errors.odsCode = 'Another organisation already has this ODS code';
  const postcode = postcodeText ? (normalisePostcode(postcodeText) ?? null) : null;
  if (postcodeText && !postcode) errors.postcode = 'Enter a real postcode, like DN15 6ER';

  if (parentId) {
    const parent = isUuid(parentId) ? await repo.findOrganisation(db, parentId) : undefined;
    if (!parent) errors.parentId = 'Select a parent organisation from the list';
  }
  if (serviceId) {
    const service = isUuid(serviceId) ? await repo.findOrganisation(db, serviceId) : undefined;
    if (!service || service.kind !== 'sp_service') errors.serviceId = 'Select a social prescribing service from the list';
    else if (isOrganisationKind(kind) && !SERVED_KINDS.includes(kind)) {
      errors.serviceId = `A ${ORGANISATION_KIND_LABELS[kind].toLowerCase()} is not served by a social prescribing service: leave this empty`;
    }
  }
  if (Object.keys(errors).length) throw validationFailed(errors);
  return {
    name,
    kind: kind as OrganisationKind,
    odsCode: odsCode || null,
    postcode,
    parentId: parentId || null,
    serviceId: serviceId || null,
  };
}

export async function createOrganisation(ctx: Context, input: unknown): Promise<string> {
  const value = await validateOrganisation(ctx.db, input);
  return ctx.db.transaction().execute(async (trx) => {
    const id = await repo.insertOrganisation(trx, {
      name: value.name,
      kind: value.kind,
      ods_code: value.odsCode,
      postcode: value.postcode,
      parent_id: value.parentId,
      service_id: value.kind === 'sp_service' ? null : value.serviceId,
    });
    // A service is its own tenant.
    if (value.kind === 'sp_service') await repo.setOwnService(trx, id);
    await writeAudit(trx, {
      actor: ctx.actor,
      action: 'organisation.create',
      recordType: 'organisation',
      recordId: id,
      serviceId: value.kind === 'sp_service' ? id : value.serviceId,
      requestId: ctx.requestId,
      detail: { kind: value.kind },
    });
    return id;
  });
}

export async function getOrganisation(db: Kysely<Schema>, id: string) {
  const organisation = isUuid(id) ? await repo.findOrganisation(db, id) : undefined;
  if (!organisation) throw notFound('organisation');
  return organisation;
}

export const listOrganisations = (db: Kysely<Schema>, filter: { kind?: string; serviceId?: string; parentId?: string } = {}) =>
  repo.listOrganisations(db, filter);

// ——— Users and memberships ———

interface MembershipInput {
  organisationId: string;
  role: Role;
}

async function validateMembership(db: Kysely<Schema>, input: unknown, errors: FieldErrors): Promise<MembershipInput | undefined> {
  const organisationId = text(input, 'organisationId');
  const role = text(input, 'role');
  const organisation = organisationId && isUuid(organisationId) ? await repo.findOrganisation(db, organisationId) : undefined;
  if (!organisation) errors.organisationId = 'Select the organisation they work for';
  if (!isRole(role)) errors.role = 'Select their role';
  if (!organisation || !isRole(role)) return undefined;
  const allowed: readonly string[] = ROLE_ORGANISATION_KINDS[role];
  if (!allowed.includes(organisation.kind)) {
    const kinds = allowed.map((kind) => ORGANISATION_KIND_LABELS[kind as OrganisationKind].toLowerCase()).join(' or ');
    errors.role = `A ${ROLE_LABELS[role].toLowerCase()} must belong to a ${kinds}`;
    return undefined;
  }
  if (organisation.disabled_at) {
    errors.organisationId = 'That organisation is disabled';
    return undefined;
  }
  return { organisationId, role };
}

export interface PasswordLink {
  url: string;
  expiresAt: Date;
}

async function issuePasswordLink(
  trx: Kysely<Schema>,
  config: Pick<Config, 'publicUrl' | 'passwordTokenHours'>,
  userId: string,
  purpose: 'invite' | 'reset',
  createdBy: string | null,
): Promise<PasswordLink> {
  const token = randomToken();
  const expiresAt = new Date(Date.now() + config.passwordTokenHours * 3_600_000);
  await repo.usePasswordTokens(trx, userId);
  await repo.insertPasswordToken(trx, { token_hash: sha256(token), user_id: userId, purpose, created_by: createdBy, expires_at: expiresAt });
  return { url: `${config.publicUrl}/set-password/${token}`, expiresAt };
}

export interface NewUser {
  userId: string;
  passwordLink: PasswordLink;
}

/** Creates an account with its first role. The person sets their own password through the one-time link. */
export async function createUser(ctx: Context, config: Config, input: unknown): Promise<NewUser> {
  const errors: FieldErrors = {};
  const email = text(input, 'email');
  const displayName = text(input, 'displayName');
  if (!email) errors.email = 'Enter their email address';
  else if (!isEmailAddress(email)) errors.email = 'Enter an email address in the correct format, like name@example.nhs.uk';
  else if (await repo.findUserIdByEmail(ctx.db, email)) errors.email = 'An account with this email address already exists. To give them another role, find them in Users and add it there';
  if (!displayName) errors.displayName = 'Enter their full name';
  else if (displayName.length > 100) errors.displayName = 'Name must be 100 characters or fewer';
  const membership = await validateMembership(ctx.db, input, errors);
  if (Object.keys(errors).length || !membership) throw validationFailed(errors);

  return ctx.db.transaction().execute(async (trx) => {
    const userId = await repo.insertUser(trx, { email, display_name: displayName });
    const membershipId = await repo.insertMembership(trx, { user_id: userId, organisation_id: membership.organisationId, role: membership.role });
    const passwordLink = await issuePasswordLink(trx, config, userId, 'invite', ctx.actor.userId);
    const organisation = await repo.findOrganisation(trx, membership.organisationId);
    await writeAudit(trx, {
      actor: ctx.actor,
      action: 'user.create',
      recordType: 'user',
      recordId: userId,
      serviceId: organisation?.service_id ?? null,
      requestId: ctx.requestId,
      detail: { membership_id: membershipId, role: membership.role, organisation_id: membership.organisationId },
    });
    return { userId, passwordLink };
  });
}

export async function getUser(db: Kysely<Schema>, id: string) {
  const user = isUuid(id) ? await repo.findUser(db, id) : undefined;
  if (!user) throw notFound('user');
  const { password_hash, ...rest } = user;
  return { ...rest, hasPassword: password_hash !== null };
}

/** The user's details for the admin page, with the read audited. */
export async function readUser(ctx: Context, id: string) {
  const user = await getUser(ctx.db, id);
  const [memberships, tokens] = await Promise.all([repo.listMemberships(ctx.db, id), repo.listApiTokens(ctx.db, id)]);
  await writeAuditAlone(ctx.db, { actor: ctx.actor, action: 'user.read', recordType: 'user', recordId: id, serviceId: null, requestId: ctx.requestId });
  return { user, memberships, tokens };
}

export async function listUsers(db: Kysely<Schema>, filter: { organisationId?: string; serviceId?: string; search?: string }) {
  const rows = await repo.listUsers(db, { ...filter, limit: 500 });
  return rows.map(({ password_hash, ...row }) => ({ ...row, hasPassword: password_hash !== null }));
}

/** Everyone with a role in an organisation, one row per person with their roles there. */
export async function listTeam(db: Kysely<Schema>, organisationId: string) {
  const rows = await repo.listOrganisationMembers(db, organisationId);
  const people = new Map<string, { id: string; display_name: string; email: string; disabled_at: Date | null; last_sign_in_at: Date | null; roles: string[] }>();
  for (const row of rows) {
    const person = people.get(row.user_id) ?? {
      id: row.user_id,
      display_name: row.display_name,
      email: row.email,
      disabled_at: row.disabled_at,
      last_sign_in_at: row.last_sign_in_at,
      roles: [],
    };
    person.roles.push(row.role);
    people.set(row.user_id, person);
  }
  return [...people.values()];
}

export const listMemberships = (db: Kysely<Schema>, userId: string) => repo.listMemberships(db, userId);
export const userServiceIds = (db: Kysely<Schema>, userId: string) => repo.userServiceIds(db, userId);

export async function addMembership(ctx: Context, userId: string, input: unknown): Promise<string> {
  await getUser(ctx.db, userId);
  const errors: FieldErrors = {};
  const membership = await validateMembership(ctx.db, input, errors);
  if (membership && (await repo.findDuplicateMembership(ctx.db, userId, membership.organisationId, membership.role))) {
    errors.role = 'They already have this role in this organisation';
  }
  if (Object.keys(errors).length || !membership) throw validationFailed(errors);
  return ctx.db.transaction().execute(async (trx) => {
    const id = await repo.insertMembership(trx, { user_id: userId, organisation_id: membership.organisationId, role: membership.role });
    const organisation = await repo.findOrganisation(trx, membership.organisationId);
    await writeAudit(trx, {
      actor: ctx.actor,
      action: 'membership.create',
      recordType: 'user',
      recordId: userId,
      serviceId: organisation?.service_id ?? null,
      requestId: ctx.requestId,
      detail: { membership_id: id, role: membership.role, organisation_id: membership.organisationId },
    });
    return id;
  });
}

/** Removing a role that is already removed does nothing (a second click, or two administrators at once). */
export async function removeMembership(ctx: Context, userId: string, membershipId: string): Promise<void> {
  const membership = isUuid(membershipId) ? await repo.findMembership(ctx.db, membershipId) : undefined;
  if (!membership || membership.user_id !== userId) throw notFound('role');
  if (membership.removed_at) return;
  await ctx.db.transaction().execute(async (trx) => {
    await repo.removeMembership(trx, membershipId);
    // Sessions acting in that role end now rather than at their timeout.
    await trx.deleteFrom('session').where('membership_id', '=', membershipId).execute();
    await writeAudit(trx, {
      actor: ctx.actor,
      action: 'membership.remove',
      recordType: 'user',
      recordId: userId,
      serviceId: membership.service_id,
      requestId: ctx.requestId,
      detail: { membership_id: membershipId, role: membership.role },
    });
  });
}

/** Ends the user's sessions, clears their password and issues a new one-time link. */
export async function resetPassword(ctx: Context, config: Config, userId: string): Promise<PasswordLink> {
  const user = await getUser(ctx.db, userId);
  if (user.disabled_at) throw conflict('This account is disabled. Enable it before resetting the password.');
  return ctx.db.transaction().execute(async (trx) => {
    await repo.setPasswordHash(trx, userId, null);
    await repo.deleteUserSessions(trx, userId);
    const link = await issuePasswordLink(trx, config, userId, 'reset', ctx.actor.userId);
    await writeAudit(trx, { actor: ctx.actor, action: 'user.reset_password', recordType: 'user', recordId: userId, serviceId: null, requestId: ctx.requestId });
    return link;
  });
}

export async function setDisabled(ctx: Context, userId: string, disabled: boolean): Promise<void> {
  await getUser(ctx.db, userId);
  if (disabled && userId === ctx.actor.userId) throw conflict('You cannot disable your own account.');
  await ctx.db.transaction().execute(async (trx) => {
    await repo.setUserDisabled(trx, userId, disabled);
    if (disabled) {
      await repo.deleteUserSessions(trx, userId);
      await repo.usePasswordTokens(trx, userId);
    }
    await writeAudit(trx, {
      actor: ctx.actor,
      action: disabled ? 'user.disable' : 'user.enable',
      recordType: 'user',
      recordId: userId,
      serviceId: null,
      requestId: ctx.requestId,
    });
  });
}

// ——— API tokens ———

export interface NewApiToken {
  id: string;
  token: string;
}

export async function createApiToken(ctx: Context, userId: string, input: unknown): Promise<NewApiToken> {
  const errors: FieldErrors = {};
  const name = text(input, 'name');
  const membershipId = text(input, 'membershipId');
  const expiresInDays = text(input, 'expiresInDays');
  if (!name) errors.name = 'Enter a name that says what the token is for, like "GP system integration"';
  else if (name.length > 100) errors.name = 'Name must be 100 characters or fewer';
  const membership = membershipId && isUuid(membershipId) ? await repo.findActiveMembership(ctx.db, membershipId) : undefined;
  if (!membership || membership.user_id !== userId) errors.membershipId = 'Select the role the token acts in';
  let days: number | null = null;
  if (expiresInDays) {
    days = /^\d+$/.test(expiresInDays) ? Number(expiresInDays) : NaN;
    if (!Number.isInteger(days) || days < 1 || days > 730) errors.expiresInDays = 'Expiry must be a whole number of days from 1 to 730';
  }
  if (Object.keys(errors).length || !membership) throw validationFailed(errors);
  const { token, prefix, hash } = newApiToken();
  return ctx.db.transaction().execute(async (trx) => {
    const id = await repo.insertApiToken(trx, {
      membership_id: membership.id,
      name,
      token_hash: hash,
      token_prefix: prefix,
      created_by: ctx.actor.userId,
      expires_at: days ? new Date(Date.now() + days * 86_400_000) : null,
    });
    await writeAudit(trx, {
      actor: ctx.actor,
      action: 'api_token.create',
      recordType: 'user',
      recordId: userId,
      serviceId: membership.service_id,
      requestId: ctx.requestId,
      detail: { api_token_id: id, role: membership.role },
    });
    return { id, token };
  });
}

export async function revokeApiToken(ctx: Context, tokenId: string): Promise<string> {
  const token = isUuid(tokenId) ? await repo.findApiToken(ctx.db, tokenId) : undefined;
  if (!token) throw notFound('API token');
  if (!token.revoked_at) {
    await ctx.db.transaction().execute(async (trx) => {
      await repo.revokeApiToken(trx, tokenId);
      await writeAudit(trx, {
        actor: ctx.actor,
        action: 'api_token.revoke',
        recordType: 'user',
        recordId: token.user_id,
        serviceId: token.service_id,
        requestId: ctx.requestId,
        detail: { api_token_id: tokenId },
      });
    });
  }
  return token.user_id;
}

// ——— Setting a password through a one-time link ———

export type PasswordLinkState = { state: 'valid'; email: string; displayName: string } | { state: 'invalid' };

export async function checkPasswordLink(db: Kysely<Schema>, token: string): Promise<PasswordLinkState> {
  const row = await repo.findPasswordToken(db, sha256(token));
  if (!row || row.used_at || row.expires_at <= new Date() || row.disabled_at) return { state: 'invalid' };
  return { state: 'valid', email: row.email, displayName: row.display_name };
}

export async function setPasswordWithLink(db: Kysely<Schema>, token: string, input: unknown, requestId: string): Promise<void> {
  const tokenHash = sha256(token);
  const row = await repo.findPasswordToken(db, tokenHash);
  if (!row || row.used_at || row.expires_at <= new Date() || row.disabled_at) throw notFound('link');
  const password = typeof (input as Record<string, unknown>)?.password === 'string' ? ((input as Record<string, string>).password ?? '') : '';
  const confirm = typeof (input as Record<string, unknown>)?.confirmPassword === 'string' ? ((input as Record<string, string>).confirmPassword ?? '') : '';
  const errors: FieldErrors = {};
  if (!password) errors.password = 'Enter a password';
  else {
    const problem = passwordProblem(password, row.email);
    if (problem) errors.password = problem;
    else if (password !== confirm) errors.confirmPassword = 'The passwords do not match';
  }
  if (Object.keys(errors).length) throw validationFailed(errors);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    // Only one request can use the link: the update succeeds for the first.
    const used = await trx
      .updateTable('password_token')
      .set({ used_at: new Date() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    if (Number(used.numUpdatedRows) !== 1) throw notFound('link');
    await repo.usePasswordTokens(trx, row.user_id);
    await repo.setPasswordHash(trx, row.user_id, passwordHash);
    await repo.deleteUserSessions(trx, row.user_id);
    await writeAudit(trx, {
      actor: null,
      action: 'user.set_password',
      recordType: 'user',
      recordId: row.user_id,
      serviceId: null,
      requestId,
      detail: { purpose: row.purpose },
    });
  });
}

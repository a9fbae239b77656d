import type { Kysely } from 'kysely';
import type { Schema } from '../../db/schema.js';
import type { Actor } from '../../platform/access/policy.js';
import { writeAudit } from '../../platform/audit/audit-service.js';
import { notFound, validationFailed, type FieldErrors } from '../../platform/errors.js';
import { isEmailAddress } from '../../shared/email.js';
import { webAddress } from '../../shared/web-address.js';
import { isUuid, text } from '../../shared/form.js';

/** Directory organisations, as editors keep them: details, and which Anchorpoint organisation's providers may edit their services. */

export async function getDirectoryOrganisation(db: Kysely<Schema>, id: string) {
  const row = isUuid(id)
    ? await db
        .selectFrom('directory_organisation as d')
        .leftJoin('organisation as o', 'o.id', 'd.organisation_id')
        .select(['d.id', 'd.name', 'd.description', 'd.url', 'd.email', 'd.organisation_id', 'd.source', 'd.updated_at', 'o.name as owner_name'])
        .where('d.id', '=', id)
        .executeTakeFirst()
    : undefined;
  if (!row) throw notFound('organisation');
  return row;
}

/** Community organisations with Anchorpoint accounts, which a directory organisation can be linked to. */
export const linkableOrganisations = (db: Kysely<Schema>) =>
  db.selectFrom('organisation').select(['id', 'name']).where('kind', '=', 'community_org').where('disabled_at', 'is', null).orderBy('name').execute();

export async function updateDirectoryOrganisation(db: Kysely<Schema>, actor: Actor, id: string, input: unknown, requestId: string): Promise<void> {
  const current = await getDirectoryOrganisation(db, id);
  const errors: FieldErrors = {};
  const name = text(input, 'name');
  const description = text(input, 'description');
  const url = text(input, 'url');
  const email = text(input, 'email');
  const owner = text(input, 'organisationId');
  if (!name) errors.name = 'Enter the name of the organisation';
  else if (name.length > 300) errors.name = 'The name must be 300 characters or fewer';
  if (description.length > 5000) errors.description = 'About the organisation must be 5,000 characters or fewer';
  const website = url ? (webAddress(url) ?? null) : null;
  if (url && !website) errors.url = 'Enter a web address, like https://www.example.org.uk';
  if (email && !isEmailAddress(email)) errors.email = 'Enter an email address, like name@example.org.uk';
  if (owner && !(await linkableOrganisations(db)).some((o) => o.id === owner)) errors.organisationId = 'Select an organisation from the list';
  if (Object.keys(errors).length) throw validationFailed(errors);
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('directory_organisation')
      .set({ name, description: description || null, url: website, email: email || null, organisation_id: owner || null, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    await writeAudit(trx, {
      actor,
      action: 'directory.organisation_edit',
      recordType: 'directory_organisation',
      recordId: id,
      serviceId: null,
      requestId,
      detail: { owner_changed: (owner || null) !== current.organisation_id },
    });
  });
}

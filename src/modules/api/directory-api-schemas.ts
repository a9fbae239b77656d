import { Type } from '@fastify/type-provider-typebox';
import { NEED_DOMAINS } from '../../shared/vocabulary.js';
import { DELIVERY, REFERRAL_MODES, SERVICE_STATUS } from '../directory/search-query.js';
import { DateTime, Nullable, oneOf, Uuid } from './api-schemas.js';

/** What the directory operations answer. */


export const SearchResults = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  correctedTo: Nullable(Type.String({ description: 'The words searched instead, when the words asked for matched nothing and looked misspelt' })),
  origin: Nullable(Type.Object({ label: Type.String(), precision: Type.String({ enum: ['postcode', 'outcode'] }) }, { description: 'Where distances are measured from' })),
  services: Type.Array(
    Type.Object({
      id: Uuid,
      name: Type.String(),
      organisation: Type.String(),
      status: oneOf(SERVICE_STATUS),
      needDomains: Type.Array(oneOf(NEED_DOMAINS)),
      delivery: Nullable(oneOf(DELIVERY)),
      referralMode: Nullable(oneOf(REFERRAL_MODES)),
      free: Nullable(Type.Boolean()),
      miles: Nullable(Type.Number({ description: 'From the origin, to one decimal place' })),
      nextSession: Nullable(Type.Object({ date: Type.String({ format: 'date' }), time: Type.String({ description: 'Local time in England, 24-hour' }), closes: Nullable(Type.String()) })),
      stale: Type.Boolean({ description: 'Not checked within the entry’s review interval' }),
      lastVerifiedAt: Nullable(DateTime),
    }),
  ),
});

/** A directory entry: the Open Referral record, whose fields the standard describes, and what Anchorpoint adds. */
export const EntryRecord = Type.Object(
  {
    id: Uuid,
    name: Type.String(),
    anchorpoint: Type.Object({
      status: oneOf(SERVICE_STATUS),
      needDomains: Type.Array(oneOf(NEED_DOMAINS)),
      delivery: Nullable(oneOf(DELIVERY)),
      referralMode: Nullable(oneOf(REFERRAL_MODES)),
      capacityNote: Nullable(Type.String()),
      free: Nullable(Type.Boolean()),
      stale: Type.Boolean({ description: 'Not checked within reviewEveryDays' }),
      reviewEveryDays: Type.Integer(),
      lastVerifiedAt: Nullable(DateTime),
      verifiedBy: Nullable(Type.String()),
      version: Type.String({ description: 'Send it back to change the entry; a mismatch answers 409' }),
      dataIssues: Type.Array(Type.Object({ field: Type.String(), problem: Type.String(), value: Type.String() }), { description: 'Fields an import kept but could not use, for an editor to mend' }),
    }),
  },
  {
    additionalProperties: true,
    description: 'The Open Referral UK 3.0 service record, as `GET /openreferral/services/{id}` gives it (organization, locations, contacts, schedules, eligibility, cost, languages, taxonomy terms …), with `anchorpoint` added.',
  },
);

export const ImportReport = Type.Object({
  id: Type.Optional(Uuid),
  source: Type.String(),
  records: Type.Integer({ description: 'Records read from the feed' }),
  created: Type.Integer(),
  updated: Type.Integer({ description: 'Records with the same source and id as an earlier import' }),
  skipped: Type.Array(Type.Object({ index: Type.Integer(), id: Nullable(Type.String()), name: Nullable(Type.String()), reason: Type.String() }), { description: 'Every record not imported, with why' }),
  flagged: Type.Array(
    Type.Object({ id: Type.String(), name: Type.String(), issues: Type.Array(Type.Object({ field: Type.String(), problem: Type.String(), value: Type.String() })) }),
    { description: 'Records kept with a field that could not be used (a bad e-mail address, say)' },
  ),
});

import { Type, type TSchema } from '@fastify/type-provider-typebox';
import { ORGANISATION_KINDS, ROLES, type OrganisationKind, type Role } from '../../platform/access/roles.js';

const RoleSchema = Type.Unsafe<Role>(Type.String({ enum: [...ROLES] }));
const KindSchema = Type.Unsafe<OrganisationKind>(Type.String({ enum: [...ORGANISATION_KINDS] }));

/** What each error status means in this API; each route's schema says which ones it can answer. */
export const ERROR_MEANINGS = {
  400: 'The request could not be read: a field is missing, of the wrong type, or not one the operation takes. `fields` names each.',
  401: 'No token was sent, or it is not valid (revoked, expired or mistyped).',
  403: 'The token’s role may not do this.',
  404: 'There is no such record, or it is not one this token may see.',
  409: 'The record is not in a state that allows this now, for example an episode that has closed.',
  422: 'The request was read, but a value needs changing. `fields` says which and what to fix.',
} as const;

const errorResponse = (code: keyof typeof ERROR_MEANINGS) =>
  Type.Object(
    {
      error: Type.String({ description: 'What went wrong, in plain English' }),
      fields: Type.Record(Type.String(), Type.String(), { description: 'Field name → what to fix' }),
    },
    { description: ERROR_MEANINGS[code] },
  );

const errors = (...codes: (keyof typeof ERROR_MEANINGS)[]) => Object.fromEntries(codes.map((code) => [code, errorResponse(code)]));

export const Uuid = Type.String({ format: 'uuid' });
export const DateTime = Type.String({ format: 'date-time' });
/** A string that is one of a vocabulary's keys. */
export const oneOf = (list: Record<string, string>, description?: string) => Type.String({ enum: Object.keys(list), ...(description ? { description } : {}) });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Me = Type.Object({
  userId: Uuid,
  displayName: Type.String(),
  role: RoleSchema,
  organisationId: Uuid,
  organisationName: Type.String(),
  serviceId: Nullable(Uuid),
});

export const Organisation = Type.Object({
  id: Uuid,
  name: Type.String(),
  kind: Type.String(),
  odsCode: Nullable(Type.String()),
  postcode: Nullable(Type.String()),
  parentId: Nullable(Uuid),
  serviceId: Nullable(Uuid),
  createdAt: Type.String({ format: 'date-time' }),
  disabled: Type.Boolean(),
});

export const NewOrganisation = Type.Object(
  {
    name: Type.String({ maxLength: 200 }),
    kind: KindSchema,
    odsCode: Type.Optional(Type.String({ maxLength: 10 })),
    postcode: Type.Optional(Type.String({ maxLength: 10 })),
    parentId: Type.Optional(Uuid),
    serviceId: Type.Optional(Uuid),
  },
  { additionalProperties: false },
);

export const NewUser = Type.Object(
  {
    email: Type.String({ maxLength: 254 }),
    displayName: Type.String({ maxLength: 100 }),
    organisationId: Uuid,
    role: RoleSchema,
  },
  { additionalProperties: false },
);

export const CreatedUser = Type.Object({
  id: Uuid,
  setPasswordUrl: Type.String({ description: 'One-time link for the person to set their password. Shown only in this response.' }),
  setPasswordExpiresAt: Type.String({ format: 'date-time' }),
});

export const NewMembership = Type.Object(
  { organisationId: Uuid, role: RoleSchema },
  { additionalProperties: false },
);

export const User = Type.Object({
  id: Uuid,
  email: Type.String(),
  displayName: Type.String(),
  disabled: Type.Boolean(),
  hasPassword: Type.Boolean(),
  memberships: Type.Array(Type.Object({ id: Uuid, role: Type.String(), organisationId: Uuid, organisationName: Type.String() })),
});

export const AuditEvents = Type.Object({
  events: Type.Array(
    Type.Object({
      occurredAt: Type.String({ format: 'date-time' }),
      action: Type.String(),
      outcome: Type.String(),
      actorName: Nullable(Type.String()),
      actorRole: Nullable(Type.String()),
      actorOrganisationName: Nullable(Type.String()),
    }),
  ),
});

export const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });
export const Created = Type.Object({ id: Uuid });
export { errors };

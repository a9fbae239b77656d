import { Type } from '@fastify/type-provider-typebox';
import { CONNECTION_KINDS, CONNECTION_STATUS_LABELS } from '../connections/connection-lifecycle.js';
import { NEED_DOMAINS } from '../../shared/vocabulary.js';
import { DateTime, Nullable, Uuid } from './api-schemas.js';

/**
 * What the connections and gaps operations answer. A response schema is also an allow-list: a field
 * not named here is never sent, so what a provider sees cannot grow by accident.
 */

const Status = Type.String({ enum: Object.keys(CONNECTION_STATUS_LABELS) });
const Kind = Type.String({ enum: Object.keys(CONNECTION_KINDS) });
const Next = Type.Array(Type.String(), { description: 'The actions you may take now (send one as `action`)' });

const History = Type.Array(
  Type.Object({
    kind: Type.String({ description: 'What happened: referred, accepted, attended, message …' }),
    side: Type.String({ enum: ['link_worker', 'provider', 'system'] }),
    occurredAt: DateTime,
    reason: Nullable(Type.String()),
    note: Nullable(Type.String()),
    sessionDate: Nullable(Type.String({ format: 'date' })),
  }),
);

export const EpisodeConnections = Type.Object({
  connections: Type.Array(
    Type.Object({
      id: Uuid,
      kind: Kind,
      status: Status,
      service: Type.String(),
      createdAt: DateTime,
      unread: Type.Boolean({ description: 'The provider has replied since the link worker last looked' }),
    }),
  ),
});

export const ConnectionForService = Type.Object({
  id: Uuid,
  episodeId: Uuid,
  kind: Kind,
  status: Status,
  statusLabel: Type.String(),
  version: Type.Integer({ description: 'Send it back with an action; a mismatch answers 409' }),
  service: Type.Object({ id: Uuid, name: Type.String(), organisation: Type.String() }),
  reason: Type.String(),
  sharedNote: Nullable(Type.String()),
  shareContact: Type.Boolean(),
  expiresAt: Nullable(DateTime),
  next: Next,
  serviceAnswers: Type.Object(
    {
      referred: Type.Integer(),
      answered: Type.Integer(),
      expired: Type.Integer(),
      medianDays: Nullable(Type.Number()),
    },
    { description: 'How this service has answered referrals through Anchorpoint' },
  ),
  history: History,
});

export const ProviderInbox = Type.Object({
  referrals: Type.Array(
    Type.Object({
      id: Uuid,
      status: Status,
      service: Type.String(),
      person: Nullable(Type.String({ description: 'Only if the person agreed to share their name' })),
      referredAt: Nullable(DateTime),
      answerBy: Nullable(DateTime),
    }),
  ),
});

export const ReferralForProvider = Type.Object({
  id: Uuid,
  status: Status,
  version: Type.Integer({ description: 'Send it back with an action; a mismatch answers 409' }),
  reason: Type.String(),
  sharedNote: Nullable(Type.String()),
  referredAt: Nullable(DateTime),
  expiresAt: Nullable(DateTime),
  serviceName: Type.String(),
  referringService: Type.String(),
  person: Nullable(
    Type.Object(
      {
        name: Type.String(),
        phone: Nullable(Type.String()),
        email: Nullable(Type.String()),
        contactMethod: Nullable(Type.String()),
        contactTimes: Nullable(Type.String()),
      },
      { description: 'Null unless the person agreed to share their contact details' },
    ),
  ),
  actions: History,
  next: Next,
});

export const GapRegister = Type.Object({
  gaps: Type.Array(
    Type.Object({
      needDomain: Type.String({ enum: Object.keys(NEED_DOMAINS) }),
      area: Nullable(Type.String({ description: 'Outward code, like DN15' })),
      occurrences: Type.Integer(),
      people: Type.Integer(),
      waitingDays: Type.Integer({ description: 'Days since the oldest open gap was recorded' }),
      latestNote: Type.String(),
      lastRecordedAt: DateTime,
    }),
  ),
});

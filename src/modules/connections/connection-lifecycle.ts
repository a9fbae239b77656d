/**
 * A connection (a person put in touch with a community service) has its state derived from its
 * append-only actions by this pure function, with a typed table of who may do what next.
 */

export const CONNECTION_KINDS = {
  signpost: 'Signpost: information given, the person gets in touch',
  referral: 'Referral: sent to the provider through Anchorpoint',
  introduction: 'Introduction: the link worker goes with them or makes the first call',
} as const;
export type ConnectionKind = keyof typeof CONNECTION_KINDS;

export const CONNECTION_STATUS_LABELS = {
  suggested: 'Suggested',
  referred: 'Referred, awaiting reply',
  accepted: 'Accepted',
  declined: 'Declined',
  expired: 'No reply in time',
  withdrawn: 'Withdrawn',
  started: 'Started',
  attending: 'Attending',
  stopped: 'Stopped attending',
  did_not_start: 'Did not start',
  ended: 'Ended',
} as const;
export type ConnectionStatus = keyof typeof CONNECTION_STATUS_LABELS;

export const DECLINE_REASONS = {
  no_capacity: 'No capacity at the moment',
  not_eligible: 'Not eligible for this service',
  unreachable: 'Could not reach the person',
  other: 'Another reason',
} as const;
export type DeclineReason = keyof typeof DECLINE_REASONS;

export type ConnectionActionKind =
  | 'suggested'
  | 'referred'
  | 'accepted'
  | 'declined'
  | 'expired'
  | 'withdrawn'
  | 'started'
  | 'attended'
  | 'missed'
  | 'stopped'
  | 'did_not_start'
  | 'ended'
  | 'message';

/** Who acts: the link worker's side (link worker or manager), the provider, or the system (expiry). */
export type Side = 'link_worker' | 'provider' | 'system';

/** What may happen next, by status and side. Messages may be sent in any status but the first. */
export const CONNECTION_NEXT_ACTIONS: Record<ConnectionStatus, Partial<Record<Side, readonly ConnectionActionKind[]>>> = {
  suggested: { link_worker: ['referred', 'started', 'did_not_start', 'withdrawn'] },
  referred: { link_worker: ['withdrawn', 'message'], provider: ['accepted', 'declined', 'message'], system: ['expired'] },
  // Recording a session attended also says they started.
  accepted: { link_worker: ['started', 'attended', 'missed', 'did_not_start', 'withdrawn', 'message'], provider: ['started', 'attended', 'missed', 'did_not_start', 'message'] },
  started: { link_worker: ['attended', 'missed', 'stopped', 'ended', 'message'], provider: ['attended', 'missed', 'stopped', 'ended', 'message'] },
  attending: { link_worker: ['attended', 'missed', 'stopped', 'ended', 'message'], provider: ['attended', 'missed', 'stopped', 'ended', 'message'] },
  declined: { link_worker: ['message'], provider: ['message'] },
  expired: { link_worker: ['withdrawn'], provider: ['accepted', 'declined'] },
  withdrawn: {},
  stopped: { link_worker: ['message'], provider: ['message'] },
  did_not_start: {},
  ended: { link_worker: ['message'], provider: ['message'] },
};

export interface ConnectionActionRecord {
  kind: ConnectionActionKind;
  occurredAt: Date;
  side: Side;
  reason?: string | null;
  sessionDate?: string | null;
}

export interface ConnectionState {
  status: ConnectionStatus;
  referredAt: Date | null;
  respondedAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  declineReason: string | null;
  sessionsAttended: number;
  sessionsMissed: number;
}

const TRANSITIONS: Partial<Record<ConnectionActionKind, ConnectionStatus>> = {
  suggested: 'suggested',
  referred: 'referred',
  accepted: 'accepted',
  declined: 'declined',
  expired: 'expired',
  withdrawn: 'withdrawn',
  started: 'started',
  attended: 'attending',
  stopped: 'stopped',
  did_not_start: 'did_not_start',
  ended: 'ended',
};

export function connectionState(actions: readonly ConnectionActionRecord[]): ConnectionState {
  const state: ConnectionState = { status: 'suggested', referredAt: null, respondedAt: null, startedAt: null, endedAt: null, declineReason: null, sessionsAttended: 0, sessionsMissed: 0 };
  for (const action of actions) {
    const next = TRANSITIONS[action.kind];
    if (next) state.status = next;
    if (action.kind === 'referred') state.referredAt = action.occurredAt;
    if ((action.kind === 'accepted' || action.kind === 'declined') && !state.respondedAt) state.respondedAt = action.occurredAt;
    if (action.kind === 'declined') state.declineReason = action.reason ?? null;
    if (action.kind === 'started') state.startedAt = action.occurredAt;
    if (action.kind === 'attended') {
      state.sessionsAttended += 1;
      state.startedAt ??= action.occurredAt;
    }
    if (action.kind === 'missed') state.sessionsMissed += 1;
    if (action.kind === 'stopped' || action.kind === 'ended' || action.kind === 'did_not_start') state.endedAt = action.occurredAt;
  }
  return state;
}

/** May this side take this action now? Kind matters too: only referrals go to the provider. */
export function mayAct(status: ConnectionStatus, side: Side, action: ConnectionActionKind, kind: ConnectionKind): boolean {
  if (action === 'referred' && kind !== 'referral') return false;
  if (side === 'provider' && kind !== 'referral') return false;
  return (CONNECTION_NEXT_ACTIONS[status][side] ?? []).includes(action);
}

/** Statuses in which the provider has something to do: their inbox. */
export const PROVIDER_OPEN: readonly ConnectionStatus[] = ['referred', 'expired', 'accepted', 'started', 'attending'];
/** Statuses that are finished. */
export const CONNECTION_CLOSED: readonly ConnectionStatus[] = ['declined', 'withdrawn', 'stopped', 'did_not_start', 'ended'];

import type { CloseReason, HoldingReason } from '../../shared/vocabulary.js';

/**
 * An episode's state is derived from its append-only list of actions by this pure function,
 * with a typed table of what may happen next in each status.
 */

export const EpisodeStatus = {
  awaitingFirstContact: 'awaiting_first_contact',
  active: 'active',
  holding: 'holding',
  closed: 'closed',
} as const;
export type EpisodeStatus = (typeof EpisodeStatus)[keyof typeof EpisodeStatus];

export type EpisodeActionKind = 'opened' | 'first_contact' | 'holding_started' | 'holding_ended' | 'reallocated' | 'closed' | 'reopened';

export interface EpisodeActionRecord {
  kind: EpisodeActionKind;
  occurredAt: Date;
  holdingReason?: HoldingReason | null;
  closeReason?: CloseReason | null;
  linkWorkerUserId?: string | null;
  snomedCode?: string | null;
  note?: string | null;
}

export interface HoldingPeriod {
  reason: HoldingReason;
  startedAt: Date;
  endedAt: Date | null;
  note: string | null;
}

export interface EpisodeState {
  status: EpisodeStatus;
  openedAt: Date | null;
  firstContactAt: Date | null;
  holding: HoldingPeriod | null;
  holdingPeriods: HoldingPeriod[];
  closedAt: Date | null;
  closeReason: CloseReason | null;
  closingSummary: string | null;
  snomedCode: string | null;
}

/** What a user may do next, by status: the buttons an episode page offers and the API accepts. */
export const EPISODE_NEXT_ACTIONS = {
  awaiting_first_contact: ['record_contact', 'start_holding', 'close', 'reallocate'],
  active: ['record_contact', 'start_holding', 'close', 'reallocate'],
  holding: ['record_contact', 'end_holding', 'close', 'reallocate'],
  closed: ['reopen'],
} as const satisfies Record<EpisodeStatus, readonly EpisodeCommand[]>;

export type EpisodeCommand = 'record_contact' | 'start_holding' | 'end_holding' | 'close' | 'reopen' | 'reallocate';

export const EPISODE_STATUS_LABELS = {
  awaiting_first_contact: 'Awaiting first contact',
  active: 'Active',
  holding: 'Holding',
  closed: 'Closed',
} as const satisfies Record<EpisodeStatus, string>;

export function episodeState(actions: readonly EpisodeActionRecord[]): EpisodeState {
  const state: EpisodeState = {
    status: 'awaiting_first_contact',
    openedAt: null,
    firstContactAt: null,
    holding: null,
    holdingPeriods: [],
    closedAt: null,
    closeReason: null,
    closingSummary: null,
    snomedCode: null,
  };
  const endHolding = (at: Date) => {
    if (state.holding) state.holding.endedAt = at;
    state.holding = null;
  };
  for (const action of actions) {
    switch (action.kind) {
      case 'opened':
        state.openedAt = action.occurredAt;
        break;
      case 'first_contact':
        state.firstContactAt ??= action.occurredAt;
        break;
      case 'holding_started': {
        endHolding(action.occurredAt);
        const period: HoldingPeriod = { reason: action.holdingReason ?? 'no_provision', startedAt: action.occurredAt, endedAt: null, note: action.note ?? null };
        state.holding = period;
        state.holdingPeriods.push(period);
        break;
      }
      case 'holding_ended':
        endHolding(action.occurredAt);
        break;
      case 'reallocated':
        break;
      case 'closed':
        endHolding(action.occurredAt);
        state.closedAt = action.occurredAt;
        state.closeReason = action.closeReason ?? null;
        state.closingSummary = action.note ?? null;
        state.snomedCode = action.snomedCode ?? null;
        break;
      case 'reopened':
        state.closedAt = null;
        state.closeReason = null;
        state.closingSummary = null;
        break;
    }
    state.status = state.closedAt ? 'closed' : state.holding ? 'holding' : state.firstContactAt ? 'active' : 'awaiting_first_contact';
  }
  return state;
}

export function canDo(status: EpisodeStatus, command: EpisodeCommand): boolean {
  return (EPISODE_NEXT_ACTIONS[status] as readonly EpisodeCommand[]).includes(command);
}

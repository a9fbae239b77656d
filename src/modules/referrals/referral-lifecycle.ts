/** A referral's status is derived from its list of actions; history is never overwritten. */

export const ReferralStatus = { waiting: 'waiting', accepted: 'accepted', declined: 'declined', redirected: 'redirected' } as const;
export type ReferralStatus = (typeof ReferralStatus)[keyof typeof ReferralStatus];

export type ReferralActionKind = 'received' | 'accepted' | 'declined' | 'redirected';

export interface ReferralActionRecord {
  kind: ReferralActionKind;
  occurredAt: Date;
}

export const REFERRAL_STATUS_LABELS = {
  waiting: 'Waiting to be seen',
  accepted: 'Accepted',
  declined: 'Declined',
  redirected: 'Redirected',
} as const satisfies Record<ReferralStatus, string>;

/** What can happen next, by status. */
export const REFERRAL_NEXT_ACTIONS = {
  waiting: ['accepted', 'declined', 'redirected'],
  accepted: [],
  declined: [],
  redirected: [],
} as const satisfies Record<ReferralStatus, readonly ReferralActionKind[]>;

export function referralStatus(actions: readonly ReferralActionRecord[]): ReferralStatus {
  let status: ReferralStatus = 'waiting';
  for (const action of actions) {
    switch (action.kind) {
      case 'received':
        status = 'waiting';
        break;
      case 'accepted':
        status = 'accepted';
        break;
      case 'declined':
        status = 'declined';
        break;
      case 'redirected':
        status = 'redirected';
        break;
    }
  }
  return status;
}

export function canTakeReferralAction(status: ReferralStatus, kind: ReferralActionKind): boolean {
  return (REFERRAL_NEXT_ACTIONS[status] as readonly ReferralActionKind[]).includes(kind);
}

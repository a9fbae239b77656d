import { describe, expect, it } from 'vitest';
import { connectionState, mayAct, type ConnectionActionRecord } from './connection-lifecycle.js';

const at = (day: number) => new Date(Date.UTC(2026, 10, day, 10));
const act = (kind: ConnectionActionRecord['kind'], day: number, side: ConnectionActionRecord['side'] = 'provider', extra: Partial<ConnectionActionRecord> = {}): ConnectionActionRecord => ({ kind, occurredAt: at(day), side, ...extra });

describe('a connection’s lifecycle', () => {
  it('follows a referral from suggestion to attendance and an end', () => {
    const actions = [act('suggested', 1, 'link_worker'), act('referred', 1, 'link_worker'), act('accepted', 3), act('attended', 8), act('missed', 15), act('attended', 22), act('ended', 60)];
    expect(connectionState(actions.slice(0, 2))).toMatchObject({ status: 'referred', referredAt: at(1), respondedAt: null });
    expect(connectionState(actions.slice(0, 4))).toMatchObject({ status: 'attending', respondedAt: at(3), startedAt: at(8), sessionsAttended: 1 });
    expect(connectionState(actions)).toMatchObject({ status: 'ended', sessionsAttended: 2, sessionsMissed: 1, endedAt: at(60) });
  });

  it('records a decline with its reason, and a late answer after expiry', () => {
    expect(connectionState([act('referred', 1, 'link_worker'), act('declined', 2, 'provider', { reason: 'no_capacity' })])).toMatchObject({ status: 'declined', declineReason: 'no_capacity', respondedAt: at(2) });
    expect(connectionState([act('referred', 1, 'link_worker'), act('expired', 15, 'system'), act('accepted', 16)])).toMatchObject({ status: 'accepted', respondedAt: at(16) });
  });

  it('says who may do what next', () => {
    expect(mayAct('referred', 'provider', 'accepted', 'referral')).toBe(true);
    expect(mayAct('referred', 'link_worker', 'accepted', 'referral')).toBe(false);
    expect(mayAct('withdrawn', 'provider', 'accepted', 'referral')).toBe(false);
    expect(mayAct('suggested', 'link_worker', 'referred', 'signpost')).toBe(false);
    expect(mayAct('suggested', 'link_worker', 'started', 'signpost')).toBe(true);
    expect(mayAct('accepted', 'provider', 'started', 'signpost')).toBe(false);
    expect(mayAct('expired', 'provider', 'accepted', 'referral')).toBe(true);
    expect(mayAct('ended', 'provider', 'attended', 'referral')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { FeedError, feedRecords, mapFeedRecord, plainText } from './feed-mapping.js';

const v1 = {
  id: 'svc-1',
  name: 'Tuesday Singing Group',
  description: '<p>Sing with others &amp; make friends.</p><p>No experience&nbsp;needed.</p><script>alert(1)</script>',
  url: 'www.example.org/singing',
  email: 'not-an-email',
  status: '',
  fees: 'Free',
  deliverable_type: 'Social activity',
  attending_type: 'Venue',
  assured_date: '2024-12-10',
  organization: { id: 'org-1', name: 'Community Choir', url: 'https://choir.example.org' },
  pc_metadata: { assured_by: '[redacted]' },
};

describe('mapping Open Referral records', () => {
  it('keeps the text of HTML descriptions and drops the markup', () => {
    expect(plainText(v1.description)).toBe('Sing with others & make friends.\n\nNo experience needed.');
  });

  it('maps a UK v1 record, keeping it but flagging the bad e-mail and the empty status', () => {
    const mapped = mapFeedRecord(v1);
    expect(mapped.ok).toBe(true);
    if (!mapped.ok) return;
    expect(mapped.service).toMatchObject({
      sourceId: 'svc-1',
      name: 'Tuesday Singing Group',
      url: 'https://www.example.org/singing',
      email: null,
      orukStatus: 'active',
      status: 'active',
      free: true,
      delivery: 'in_person',
      needDomains: ['loneliness'],
      serviceTypes: ['Social activity'],
      lastVerifiedAt: '2024-12-10T00:00:00.000Z',
    });
    expect(mapped.organisation).toMatchObject({ sourceId: 'org-1', name: 'Community Choir' });
    expect(mapped.issues).toEqual([
      { field: 'status', problem: 'empty; treated as active', value: '' },
      { field: 'email', problem: 'not an email address', value: 'not-an-email' },
    ]);
  });

  it('maps a v3 record with ages and languages', () => {
    const mapped = mapFeedRecord({
      id: 'v3-1',
      name: 'Debt advice',
      organization_id: 'org-9',
      status: 'temporarily closed',
      minimum_age: 18,
      maximum_age: '200',
      languages: [{ name: 'English' }, { name: 'Polish' }],
    });
    expect(mapped.ok && mapped.service).toMatchObject({ status: 'paused', orukStatus: 'temporarily closed', minimumAge: 18, maximumAge: null, languages: ['English', 'Polish'] });
    expect(mapped.ok && mapped.issues.map((i) => i.field)).toEqual(['organization.name', 'maximum_age']);
  });

  it('skips a record without an id, a name or an organisation, saying why', () => {
    expect(mapFeedRecord({ name: 'x' })).toEqual({ ok: false, sourceId: null, name: 'x', reason: 'no id' });
    expect(mapFeedRecord({ id: 'a' })).toEqual({ ok: false, sourceId: 'a', name: null, reason: 'no name' });
    expect(mapFeedRecord({ id: 'a', name: 'b' })).toEqual({ ok: false, sourceId: 'a', name: 'b', reason: 'no organisation id' });
    expect(mapFeedRecord('text')).toEqual({ ok: false, sourceId: null, name: null, reason: 'not an object' });
  });

  it('reads a bare list or a page, and refuses anything else', () => {
    expect(feedRecords([1, 2])).toEqual([1, 2]);
    expect(feedRecords({ contents: [1] })).toEqual([1]);
    expect(feedRecords({ content: [2] })).toEqual([2]);
    expect(() => feedRecords({ hello: 'world' })).toThrow(FeedError);
  });
});

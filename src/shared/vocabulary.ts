/**
 * Coded lists used across the product: values stored in the database with the words people see.
 * Each is a const object (value → label) with a type of the same name.
 */

export const NEED_DOMAINS = {
  loneliness: 'Loneliness and social isolation',
  money: 'Money, debt and benefits',
  housing: 'Housing',
  employment: 'Employment, education and volunteering',
  physical_activity: 'Physical activity',
  mental_wellbeing: 'Mental wellbeing and emotional support',
  caring: 'Caring responsibilities',
  bereavement: 'Bereavement',
  relationships: 'Relationships and family',
  food: 'Food',
  digital: 'Digital inclusion',
  legal: 'Legal and immigration advice',
  addiction: 'Alcohol, drugs and gambling',
  arts: 'Arts, culture and creativity',
  nature: 'Nature and green activity',
  long_term_condition: 'Long-term condition self-management',
  transport: 'Transport and access',
} as const;
export type NeedDomain = keyof typeof NEED_DOMAINS;

/** NHS Data Dictionary ethnic category (2001 census categories), with Z not stated and 99 not known. */
export const ETHNIC_CATEGORIES = {
  A: 'White: British',
  B: 'White: Irish',
  C: 'White: any other White background',
  D: 'Mixed: White and Black Caribbean',
  E: 'Mixed: White and Black African',
  F: 'Mixed: White and Asian',
  G: 'Mixed: any other mixed background',
  H: 'Asian or Asian British: Indian',
  J: 'Asian or Asian British: Pakistani',
  K: 'Asian or Asian British: Bangladeshi',
  L: 'Asian or Asian British: any other Asian background',
  M: 'Black or Black British: Caribbean',
  N: 'Black or Black British: African',
  P: 'Black or Black British: any other Black background',
  R: 'Other ethnic groups: Chinese',
  S: 'Other ethnic groups: any other ethnic group',
  Z: 'Not stated',
  '99': 'Not known',
} as const;
export type EthnicCategory = keyof typeof ETHNIC_CATEGORIES;

/** Person stated sex, NHS Data Dictionary. */
export const SEXES = { female: 'Female', male: 'Male', indeterminate: 'Indeterminate', not_known: 'Not known' } as const;
export type Sex = keyof typeof SEXES;

export const CONTACT_METHODS = { phone: 'Phone call', text: 'Text message', email: 'Email', letter: 'Letter', in_person: 'In person' } as const;
export type ContactMethod = keyof typeof CONTACT_METHODS;

export const URGENCIES = { routine: 'Routine', urgent: 'Urgent' } as const;
export type Urgency = keyof typeof URGENCIES;

export const HOLDING_REASONS = {
  no_provision: 'Waiting for, or no suitable, community provision',
  preparing_for_change: 'Preparing for change: not yet ready or able to connect',
  reducing_practice_burden: 'Reducing the burden on practice staff',
  bearing_witness: 'Bearing witness to problems that cannot be fixed',
} as const;
export type HoldingReason = keyof typeof HOLDING_REASONS;

export const CLOSE_REASONS = {
  goals_met: 'Goals met',
  connected: 'Connected to community support',
  declined_support: 'Declined further support',
  disengaged: 'Disengaged',
  moved_away: 'Moved away',
  died: 'Died',
  redirected: 'Redirected to another service',
} as const;
export type CloseReason = keyof typeof CLOSE_REASONS;

export const CONTACT_MODES = {
  practice: 'Face to face at a practice',
  community_venue: 'Face to face at a community venue',
  home_visit: 'Home visit',
  phone: 'Phone',
  video: 'Video',
  text_email: 'Text or email',
  group: 'Group session',
} as const;
export type ContactMode = keyof typeof CONTACT_MODES;

export const CONTACT_STATUSES = { booked: 'Booked', attended: 'Attended', did_not_attend: 'Did not attend', cancelled: 'Cancelled' } as const;
export type ContactStatus = keyof typeof CONTACT_STATUSES;

export const CONTACT_TYPES = { assessment: 'Assessment', support: 'Support', review: 'Review', follow_up: 'Follow-up' } as const;
export type ContactType = keyof typeof CONTACT_TYPES;

export const READINESS = { ready_now: 'Ready now', thinking_about_it: 'Thinking about it', not_yet: 'Not yet' } as const;
export type Readiness = keyof typeof READINESS;

export const GOAL_STATUSES = { not_started: 'Not started', in_progress: 'In progress', achieved: 'Achieved', stopped: 'Stopped' } as const;
export type GoalStatus = keyof typeof GOAL_STATUSES;

export const PRIORITIES = { high: 'High', medium: 'Medium', low: 'Low' } as const;
export type Priority = keyof typeof PRIORITIES;

/**
 * SNOMED CT codes the practice records in the GP record (PCN contract): the referral accepted at
 * the first interaction of an episode, or social prescribing declined.
 */
export const SNOMED = {
  referralAccepted: { code: '871731000000106', display: 'Referral to social prescribing service (procedure)' },
  declined: { code: '871711000000103', display: 'Social prescribing declined (situation)' },
} as const;

export const isOneOf = <T extends Record<string, string>>(list: T, value: unknown): value is keyof T =>
  typeof value === 'string' && Object.prototype.hasOwnProperty.call(list, value);

export const itemsOf = <T extends Record<string, string>>(list: T, selected?: string | readonly string[]) =>
  Object.entries(list).map(([value, text]) => ({
    value,
    text,
    checked: Array.isArray(selected) ? selected.includes(value) : value === selected,
    selected: value === selected,
  }));

/** The benefits people describe from social prescribing (the national study), asked at discharge and follow-up. */
export const DESCRIBED_BENEFITS = {
  space_to_think: 'Space and permission to think more clearly',
  hope: 'Hope',
  valued_not_alone: 'Feeling valued and not alone',
  social_connections: 'New social connections',
  family_dynamics: 'Changes in how things are at home or with family',
  trust_in_services: 'Trust in services such as the GP, council or benefits again',
} as const;

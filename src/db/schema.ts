import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Kysely's view of the tables. Kept by hand beside the migrations; docs/DATABASE.md explains them. */

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;

export interface OrganisationTable {
  id: Generated<string>;
  kind: string;
  name: string;
  ods_code: string | null;
  postcode: string | null;
  parent_id: string | null;
  service_id: string | null;
  created_at: CreatedAt;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
  disabled_at: NullableTimestamp;
}

export interface AppUserTable {
  id: Generated<string>;
  email: string;
  display_name: string;
  password_hash: string | null;
  created_at: CreatedAt;
  last_sign_in_at: NullableTimestamp;
  disabled_at: NullableTimestamp;
}

export interface MembershipTable {
  id: Generated<string>;
  user_id: string;
  organisation_id: string;
  role: string;
  created_at: CreatedAt;
  removed_at: NullableTimestamp;
}

export interface SessionTable {
  id_hash: string;
  user_id: string;
  membership_id: string | null;
  created_at: CreatedAt;
  last_seen_at: ColumnType<Date, Date | string | undefined, Date | string>;
  expires_at: Timestamp;
}

export interface PasswordTokenTable {
  token_hash: string;
  user_id: string;
  purpose: 'invite' | 'reset';
  created_by: string | null;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface LoginThrottleTable {
  key_hash: string;
  failures: number;
  window_started_at: ColumnType<Date, Date | string | undefined, Date | string>;
  locked_until: NullableTimestamp;
}

export interface ApiTokenTable {
  id: Generated<string>;
  membership_id: string;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_by: string;
  created_at: CreatedAt;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AppSettingTable {
  key: string;
  value: string;
}

export interface AuditEventTable {
  seq: Generated<number>;
  chain: string;
  occurred_at: ColumnType<Date, Date | string, never>;
  actor_user_id: string | null;
  actor_role: string | null;
  actor_organisation_id: string | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  service_id: string | null;
  outcome: 'success' | 'denied' | 'failure';
  request_id: string | null;
  detail: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: string;
  hash: string;
}

export interface SchemaMigrationTable {
  name: string;
  checksum: string;
  applied_at: CreatedAt;
}

type CaseRow = { id: Generated<string>; service_id: string };
type Stamp = ColumnType<Date, Date | string | undefined, Date | string>;
type DateOnly = ColumnType<string, string, string>;

export interface ServiceSettingTable {
  service_id: string;
  standard_contacts: ColumnType<number, number | undefined, number>;
  standard_weeks: ColumnType<number, number | undefined, number>;
  standard_contact_minutes: ColumnType<number, number | undefined, number>;
  no_contact_days: ColumnType<number, number | undefined, number>;
  review_weeks: ColumnType<number, number | undefined, number>;
  follow_up_months: ColumnType<number, number | undefined, number>;
  referral_expiry_days: ColumnType<number, number | undefined, number>;
  signpost_follow_up_days: ColumnType<number, number | undefined, number>;
  updated_at: Stamp;
}

export interface PersonTable extends CaseRow {
  nhs_number: string | null;
  given_name: string;
  family_name: string;
  preferred_name: string | null;
  date_of_birth: DateOnly | null;
  sex: string | null;
  gender: string | null;
  postcode: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  contact_method: string | null;
  contact_times: string | null;
  interpreter_language: string | null;
  accessibility_needs: string | null;
  easy_read: ColumnType<boolean, boolean | undefined, boolean>;
  ethnicity: string | null;
  registered_practice_id: string | null;
  consent_referral: ColumnType<boolean, boolean | undefined, boolean>;
  consent_share_providers: ColumnType<boolean, boolean | undefined, boolean>;
  consent_evaluation: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: CreatedAt;
  updated_at: Stamp;
}

export interface ReferralTable extends CaseRow {
  person_id: string;
  reference: string;
  source: 'practice' | 'agency' | 'self';
  referring_organisation_id: string | null;
  referred_by_user_id: string | null;
  referrer_name: string | null;
  referrer_role: string | null;
  referrer_contact: string | null;
  need_domains: ColumnType<string[], string[] | undefined, string[]>;
  help_wanted: string;
  risks: string | null;
  urgency: ColumnType<'routine' | 'urgent', 'routine' | 'urgent' | undefined, 'routine' | 'urgent'>;
  person_agreed: boolean;
  idempotency_key: string | null;
  received_at: CreatedAt;
  status: ColumnType<string, string | undefined, string>;
}

export interface ReferralActionTable extends CaseRow {
  referral_id: string;
  kind: 'received' | 'accepted' | 'declined' | 'redirected';
  occurred_at: CreatedAt;
  actor_user_id: string | null;
  link_worker_user_id: string | null;
  episode_id: string | null;
  reason: string | null;
  redirected_to: string | null;
}

export interface EpisodeTable extends CaseRow {
  person_id: string;
  referral_id: string;
  link_worker_user_id: string;
  opened_at: CreatedAt;
  version: ColumnType<number, number | undefined, number>;
  status: ColumnType<string, string | undefined, string>;
  first_contact_at: NullableTimestamp;
  holding_reason: string | null;
  holding_since: NullableTimestamp;
  closed_at: NullableTimestamp;
  close_reason: string | null;
  last_contact_at: NullableTimestamp;
  next_contact_at: NullableTimestamp;
}

export interface EpisodeActionTable extends CaseRow {
  episode_id: string;
  kind: 'opened' | 'first_contact' | 'holding_started' | 'holding_ended' | 'reallocated' | 'closed' | 'reopened';
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
  actor_user_id: string | null;
  holding_reason: string | null;
  close_reason: string | null;
  link_worker_user_id: string | null;
  snomed_code: string | null;
  note: string | null;
}

export interface ContactTable extends CaseRow {
  episode_id: string;
  starts_at: Timestamp;
  mode: string;
  duration_minutes: number | null;
  practice_id: string | null;
  venue: string | null;
  status: string;
  contact_type: string;
  notes: string | null;
  recorded_by_user_id: string;
  link_worker_user_id: string;
  created_at: CreatedAt;
  updated_at: Stamp;
}

export interface DiscretionTable extends CaseRow {
  episode_id: string;
  contact_id: string | null;
  kind: 'extra_contact' | 'longer_contact' | 'beyond_period';
  reason: string;
  recorded_by_user_id: string;
  recorded_at: CreatedAt;
}

export interface WhatMattersTable extends CaseRow {
  episode_id: string;
  what_matters: string;
  recorded_by_user_id: string;
  recorded_at: CreatedAt;
}

export interface NeedAssessmentTable extends CaseRow {
  episode_id: string;
  assessed_at: CreatedAt;
  assessed_by_user_id: string;
  priorities: ColumnType<Record<string, string>, string, string>;
}

export interface GoalTable extends CaseRow {
  episode_id: string;
  goal: string;
  readiness: string;
  status: ColumnType<string, string | undefined, string>;
  owner: string | null;
  target_date: DateOnly | null;
  created_by_user_id: string;
  created_at: CreatedAt;
  updated_at: Stamp;
}

export interface GoalStepTable extends CaseRow {
  goal_id: string;
  step: string;
  owner: string | null;
  target_date: DateOnly | null;
  done_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface TaskTable extends CaseRow {
  episode_id: string | null;
  assigned_user_id: string;
  kind: 'manual' | 'no_contact' | 'review_plan' | 'follow_up' | 'signpost_follow_up' | 'referral_expired';
  title: string;
  due_on: DateOnly;
  generated_key: string | null;
  created_by_user_id: string | null;
  created_at: CreatedAt;
  done_at: NullableTimestamp;
  done_by_user_id: string | null;
}

export interface DirectoryOrganisationTable {
  id: Generated<string>;
  source: ColumnType<string, string | undefined, string>;
  source_id: string | null;
  name: string;
  description: string | null;
  url: string | null;
  email: string | null;
  logo: string | null;
  organisation_id: string | null;
  created_at: CreatedAt;
  updated_at: Stamp;
}

export interface DirectoryServiceTable {
  id: Generated<string>;
  directory_organisation_id: string;
  source: ColumnType<string, string | undefined, string>;
  source_id: string | null;
  name: string;
  description: string | null;
  url: string | null;
  email: string | null;
  phone: string | null;
  oruk_status: ColumnType<string, string | undefined, string>;
  status: ColumnType<string, string | undefined, string>;
  fees: string | null;
  free: boolean | null;
  accreditations: string | null;
  minimum_age: number | null;
  maximum_age: number | null;
  eligibility: string | null;
  delivery: string | null;
  referral_mode: string | null;
  capacity_note: string | null;
  need_domains: ColumnType<string[], string[] | undefined, string[]>;
  service_types: ColumnType<string[], string[] | undefined, string[]>;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  accessibility: string | null;
  service_area: string | null;
  last_verified_at: NullableTimestamp;
  verified_by: string | null;
  data_issues: ColumnType<unknown[], string | undefined, string>;
  search_text: ColumnType<string, string | undefined, string>;
  review_every_days: ColumnType<number, number | undefined, number>;
  alert: string | null;
  reminded_at: NullableTimestamp;
  created_at: CreatedAt;
  updated_at: Stamp;
}

export interface DirectoryLocationTable {
  id: Generated<string>;
  directory_organisation_id: string | null;
  source: ColumnType<string, string | undefined, string>;
  source_id: string | null;
  location_type: ColumnType<string, string | undefined, string>;
  name: string | null;
  description: string | null;
  address_1: string | null;
  city: string | null;
  region: string | null;
  postcode: string | null;
  country: ColumnType<string, string | undefined, string>;
  latitude: number | null;
  longitude: number | null;
  accessibility: string | null;
  created_at: CreatedAt;
  updated_at: Stamp;
}

export interface DirectoryServiceAtLocationTable {
  id: Generated<string>;
  directory_service_id: string;
  directory_location_id: string;
}

export interface DirectoryScheduleTable {
  id: Generated<string>;
  directory_service_id: string;
  service_at_location_id: string | null;
  freq: string;
  interval: ColumnType<number, number | undefined, number>;
  byday: string;
  weekdays: number[];
  opens_at: string;
  closes_at: string;
  dtstart: string | null;
  valid_from: string | null;
  valid_to: string | null;
  description: string | null;
  notes: string | null;
}

export interface DirectoryContactTable {
  id: Generated<string>;
  directory_service_id: string;
  name: string | null;
  title: string | null;
  email: string | null;
  phone: string | null;
}

export interface DirectoryTaxonomyTable {
  id: string;
  code: string;
  name: string;
  description: string;
  uri: string | null;
  version: string | null;
}

export interface DirectoryTaxonomyTermTable {
  id: string;
  directory_taxonomy_id: string;
  code: string;
  name: string;
  description: string;
  parent_id: string | null;
}

export interface DirectoryServiceTermTable {
  directory_service_id: string;
  directory_taxonomy_term_id: string;
}

export interface PostcodeTable {
  postcode: string;
  latitude: number;
  longitude: number;
}

export interface DirectoryWordTable {
  word: string;
}

export interface ConnectionTable {
  id: Generated<string>;
  service_id: string;
  episode_id: string;
  person_id: string;
  directory_service_id: string;
  provider_organisation_id: string | null;
  kind: string;
  status: ColumnType<string, string | undefined, string>;
  reason: string;
  shared_note: string | null;
  share_contact: ColumnType<boolean, boolean | undefined, boolean>;
  created_by_user_id: string;
  created_at: CreatedAt;
  referred_at: NullableTimestamp;
  responded_at: NullableTimestamp;
  expires_at: NullableTimestamp;
  version: ColumnType<number, number | undefined, number>;
  link_worker_unread: ColumnType<boolean, boolean | undefined, boolean>;
}

export interface ConnectionActionTable {
  id: Generated<string>;
  seq: ColumnType<number, never, never>;
  connection_id: string;
  kind: string;
  side: string;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
  actor_user_id: string | null;
  reason: string | null;
  note: string | null;
  session_date: string | null;
}

export interface MeasureSettingTable {
  service_id: string;
  instrument_code: string;
  timepoints: string[];
  enabled: ColumnType<boolean, boolean | undefined, boolean>;
  updated_at: Stamp;
}

export interface MeasureResponseTable {
  id: Generated<string>;
  service_id: string;
  episode_id: string;
  person_id: string;
  instrument_code: string;
  timepoint: string;
  answers: ColumnType<Record<string, unknown>, string, string>;
  status: string;
  score: ColumnType<string | number | null, number | null, number | null>;
  raw: number | null;
  item_results: ColumnType<Record<string, unknown>, string | undefined, string>;
  flags: ColumnType<string[], string | undefined, string>;
  completed_on: string;
  entered_by: string | null;
  measure_link_id: string | null;
  created_at: CreatedAt;
}

export interface MeasureLinkTable {
  id: Generated<string>;
  token_hash: string;
  service_id: string;
  episode_id: string;
  timepoint: string;
  instrument_codes: string[];
  with_benefits: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp;
  used_at: NullableTimestamp;
}

export interface BenefitResponseTable {
  id: Generated<string>;
  service_id: string;
  episode_id: string;
  person_id: string;
  timepoint: string;
  benefits: string[];
  own_words: string | null;
  completed_on: string;
  entered_by: string | null;
  measure_link_id: string | null;
  created_at: CreatedAt;
}

export interface GpAppointmentsTable {
  id: Generated<string>;
  service_id: string;
  episode_id: string;
  period: string;
  window_months: number;
  appointments: number;
  source: string;
  recorded_by: string | null;
  recorded_at: CreatedAt;
}

export interface NotificationTable {
  id: Generated<string>;
  user_id: string;
  kind: string;
  title: string;
  body: string;
  link: string | null;
  created_at: CreatedAt;
  read_at: NullableTimestamp;
  emailed_at: NullableTimestamp;
  email_tries: ColumnType<number, number | undefined, number>;
  email_error: string | null;
}

export interface DirectoryImportTable {
  id: Generated<string>;
  source: string;
  format: string;
  started_by: string | null;
  started_at: CreatedAt;
  finished_at: NullableTimestamp;
  records: number;
  created: number;
  updated: number;
  skipped: number;
  flagged: number;
  report: ColumnType<Record<string, unknown>, string | undefined, string>;
}

export interface ProvisionGapTable extends CaseRow {
  need_domain: string;
  outward_code: string | null;
  practice_id: string | null;
  note: string;
  search_text: string | null;
  episode_id: string | null;
  recorded_by_user_id: string;
  recorded_at: CreatedAt;
  source: ColumnType<string, string | undefined, string>;
  met_at: NullableTimestamp;
  met_by_user_id: string | null;
  met_directory_service_id: string | null;
}

export interface Schema {
  provision_gap: ProvisionGapTable;
  directory_organisation: DirectoryOrganisationTable;
  directory_service: DirectoryServiceTable;
  directory_location: DirectoryLocationTable;
  directory_service_at_location: DirectoryServiceAtLocationTable;
  directory_schedule: DirectoryScheduleTable;
  directory_contact: DirectoryContactTable;
  directory_taxonomy: DirectoryTaxonomyTable;
  directory_taxonomy_term: DirectoryTaxonomyTermTable;
  directory_service_term: DirectoryServiceTermTable;
  postcode: PostcodeTable;
  directory_word: DirectoryWordTable;
  notification: NotificationTable;
  measure_setting: MeasureSettingTable;
  measure_response: MeasureResponseTable;
  measure_link: MeasureLinkTable;
  benefit_response: BenefitResponseTable;
  gp_appointments: GpAppointmentsTable;
  connection: ConnectionTable;
  connection_action: ConnectionActionTable;
  directory_import: DirectoryImportTable;
  service_setting: ServiceSettingTable;
  person: PersonTable;
  referral: ReferralTable;
  referral_action: ReferralActionTable;
  episode: EpisodeTable;
  episode_action: EpisodeActionTable;
  contact: ContactTable;
  discretion: DiscretionTable;
  what_matters: WhatMattersTable;
  need_assessment: NeedAssessmentTable;
  goal: GoalTable;
  goal_step: GoalStepTable;
  task: TaskTable;
  organisation: OrganisationTable;
  app_user: AppUserTable;
  membership: MembershipTable;
  session: SessionTable;
  password_token: PasswordTokenTable;
  login_throttle: LoginThrottleTable;
  api_token: ApiTokenTable;
  app_setting: AppSettingTable;
  audit_event: AuditEventTable;
  schema_migration: SchemaMigrationTable;
}

export type Organisation = Selectable<OrganisationTable>;
export type NewOrganisation = Insertable<OrganisationTable>;
export type AppUser = Selectable<AppUserTable>;
export type Membership = Selectable<MembershipTable>;
export type AuditEventRow = Selectable<AuditEventTable>;

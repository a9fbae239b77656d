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

export interface Schema {
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

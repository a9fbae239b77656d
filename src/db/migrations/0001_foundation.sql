-- Foundation: organisations, people who use the app, their roles, sessions, API tokens and the audit trail.

CREATE TABLE organisation (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind        text NOT NULL CONSTRAINT organisation_kind_known
                CHECK (kind IN ('sp_service', 'pcn', 'gp_practice', 'community_org', 'council_icb', 'agency')),
  name        text NOT NULL CONSTRAINT organisation_name_length CHECK (char_length(name) BETWEEN 1 AND 200),
  ods_code    text CONSTRAINT organisation_ods_code_format CHECK (ods_code ~ '^[A-Z0-9]{3,10}$'),
  postcode    text,
  parent_id   uuid REFERENCES organisation (id),
  service_id  uuid REFERENCES organisation (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);
CREATE UNIQUE INDEX organisation_ods_code_unique ON organisation (ods_code) WHERE ods_code IS NOT NULL;
CREATE INDEX organisation_service_idx ON organisation (service_id);
CREATE INDEX organisation_parent_idx ON organisation (parent_id);
COMMENT ON TABLE organisation IS 'Every organisation the app knows: social prescribing services (the tenants), PCNs, GP practices, community organisations, councils/ICBs and referring agencies.';
COMMENT ON COLUMN organisation.service_id IS 'The social prescribing service this organisation belongs to or is served by; a service row points at itself. The tenant key for case data.';
COMMENT ON COLUMN organisation.parent_id IS 'Structure: a practice''s PCN, or the council/ICB that commissions a service.';

CREATE TABLE app_user (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email           text NOT NULL CONSTRAINT app_user_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
  display_name    text NOT NULL CONSTRAINT app_user_display_name_length CHECK (char_length(display_name) BETWEEN 1 AND 100),
  password_hash   text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  last_sign_in_at timestamptz,
  disabled_at     timestamptz
);
CREATE UNIQUE INDEX app_user_email_unique ON app_user (lower(email));
COMMENT ON TABLE app_user IS 'A person who signs in. password_hash is argon2id; null until they set a password through a one-time link.';

CREATE TABLE membership (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id         uuid NOT NULL REFERENCES app_user (id),
  organisation_id uuid NOT NULL REFERENCES organisation (id),
  role            text NOT NULL CONSTRAINT membership_role_known
                    CHECK (role IN ('link_worker', 'service_manager', 'referrer', 'provider', 'directory_editor', 'commissioner', 'admin')),
  created_at      timestamptz NOT NULL DEFAULT now(),
  removed_at      timestamptz
);
CREATE UNIQUE INDEX membership_active_unique ON membership (user_id, organisation_id, role) WHERE removed_at IS NULL;
CREATE INDEX membership_organisation_idx ON membership (organisation_id);
COMMENT ON TABLE membership IS 'A role a user holds within one organisation. A user may hold several; they choose one to act in after signing in.';

CREATE TABLE session (
  id_hash       text PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES app_user (id),
  membership_id uuid REFERENCES membership (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  last_seen_at  timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz NOT NULL
);
CREATE INDEX session_user_idx ON session (user_id);
CREATE INDEX session_expires_idx ON session (expires_at);
COMMENT ON TABLE session IS 'Server-side sessions. The cookie holds a random id; only its SHA-256 is stored. expires_at is the absolute limit; last_seen_at drives the idle limit.';

CREATE TABLE password_token (
  token_hash  text PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES app_user (id),
  purpose     text NOT NULL CONSTRAINT password_token_purpose_known CHECK (purpose IN ('invite', 'reset')),
  created_by  uuid REFERENCES app_user (id),
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);
CREATE INDEX password_token_user_idx ON password_token (user_id);
COMMENT ON TABLE password_token IS 'One-time links to set a password. Only the SHA-256 of the token is stored; a new link supersedes older unused ones.';

CREATE TABLE login_throttle (
  key_hash           text PRIMARY KEY,
  failures           integer NOT NULL DEFAULT 0,
  window_started_at  timestamptz NOT NULL DEFAULT now(),
  locked_until       timestamptz
);
COMMENT ON TABLE login_throttle IS 'Failed sign-ins per e-mail address (hashed), whether or not an account exists, so lockout reveals nothing.';

CREATE TABLE api_token (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  membership_id uuid NOT NULL REFERENCES membership (id),
  name          text NOT NULL CONSTRAINT api_token_name_length CHECK (char_length(name) BETWEEN 1 AND 100),
  token_hash    text NOT NULL UNIQUE,
  token_prefix  text NOT NULL,
  created_by    uuid NOT NULL REFERENCES app_user (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  expires_at    timestamptz,
  last_used_at  timestamptz,
  revoked_at    timestamptz
);
CREATE INDEX api_token_membership_idx ON api_token (membership_id);
COMMENT ON TABLE api_token IS 'Bearer tokens for machine clients. Each acts through one membership, so it is scoped to one organisation and one role. Stored as SHA-256.';

CREATE TABLE app_setting (
  key   text PRIMARY KEY,
  value text NOT NULL
);
COMMENT ON TABLE app_setting IS 'Installation-wide values generated once, such as the cookie-signing secret shared by every app copy.';

CREATE TABLE audit_event (
  seq                   bigserial PRIMARY KEY,
  chain                 text NOT NULL,
  occurred_at           timestamptz NOT NULL DEFAULT now(),
  actor_user_id         uuid,
  actor_role            text,
  actor_organisation_id uuid,
  action                text NOT NULL CONSTRAINT audit_event_action_format CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$'),
  record_type           text,
  record_id             text,
  service_id            uuid,
  outcome               text NOT NULL CONSTRAINT audit_event_outcome_known CHECK (outcome IN ('success', 'denied', 'failure')),
  request_id            text,
  detail                jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash             text NOT NULL,
  hash                  text NOT NULL
);
CREATE INDEX audit_event_record_idx ON audit_event (record_type, record_id, seq);
CREATE INDEX audit_event_chain_idx ON audit_event (chain, seq);
CREATE INDEX audit_event_actor_idx ON audit_event (actor_user_id, seq);
COMMENT ON TABLE audit_event IS 'Append-only trail of every read and write of a person''s data and every account change. Each row''s hash covers its content and the previous row''s hash in the same chain (one chain per service, and one for the platform), so editing or deleting a row breaks the chain. The app role may only INSERT and SELECT.';
COMMENT ON COLUMN audit_event.detail IS 'Structured context with no personal data: ids, field names, reasons.';

CREATE FUNCTION audit_event_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$;
CREATE TRIGGER audit_event_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_is_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_is_append_only();

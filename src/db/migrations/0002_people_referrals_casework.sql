-- People, referrals, and the link worker's casework. Every table of case data carries service_id, the tenant.

CREATE TABLE service_setting (
  service_id                uuid PRIMARY KEY REFERENCES organisation (id),
  standard_contacts         integer NOT NULL DEFAULT 6 CONSTRAINT service_setting_contacts_range CHECK (standard_contacts BETWEEN 1 AND 100),
  standard_weeks            integer NOT NULL DEFAULT 12 CONSTRAINT service_setting_weeks_range CHECK (standard_weeks BETWEEN 1 AND 104),
  standard_contact_minutes  integer NOT NULL DEFAULT 60 CONSTRAINT service_setting_minutes_range CHECK (standard_contact_minutes BETWEEN 5 AND 480),
  no_contact_days           integer NOT NULL DEFAULT 21 CONSTRAINT service_setting_no_contact_range CHECK (no_contact_days BETWEEN 1 AND 365),
  review_weeks              integer NOT NULL DEFAULT 6 CONSTRAINT service_setting_review_range CHECK (review_weeks BETWEEN 1 AND 52),
  follow_up_months          integer NOT NULL DEFAULT 12 CONSTRAINT service_setting_follow_up_range CHECK (follow_up_months BETWEEN 1 AND 36),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE service_setting IS 'Each service''s standard offer (contacts within weeks, contact length) and the intervals that generate tasks. Going beyond the offer is allowed and recorded as a discretion.';

CREATE TABLE person (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id                uuid NOT NULL REFERENCES organisation (id),
  nhs_number                text CONSTRAINT person_nhs_number_format CHECK (nhs_number ~ '^[0-9]{10}$'),
  given_name                text NOT NULL CONSTRAINT person_given_name_length CHECK (char_length(given_name) BETWEEN 1 AND 100),
  family_name               text NOT NULL CONSTRAINT person_family_name_length CHECK (char_length(family_name) BETWEEN 1 AND 100),
  preferred_name            text,
  date_of_birth             date,
  sex                       text CONSTRAINT person_sex_known CHECK (sex IN ('female', 'male', 'indeterminate', 'not_known')),
  gender                    text,
  postcode                  text,
  address                   text,
  phone                     text,
  email                     text,
  contact_method            text CONSTRAINT person_contact_method_known CHECK (contact_method IN ('phone', 'text', 'email', 'letter', 'in_person')),
  contact_times             text,
  interpreter_language      text,
  accessibility_needs       text,
  easy_read                 boolean NOT NULL DEFAULT false,
  ethnicity                 text,
  registered_practice_id    uuid REFERENCES organisation (id),
  consent_referral          boolean NOT NULL DEFAULT false,
  consent_share_providers   boolean NOT NULL DEFAULT false,
  consent_evaluation        boolean NOT NULL DEFAULT false,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX person_service_nhs_number_unique ON person (service_id, nhs_number) WHERE nhs_number IS NOT NULL;
CREATE INDEX person_service_name_dob_idx ON person (service_id, lower(family_name), date_of_birth);
CREATE INDEX person_service_practice_idx ON person (service_id, registered_practice_id);
COMMENT ON TABLE person IS 'Someone referred to a social prescribing service. Belongs to one service; the same NHS number may appear once per service.';
COMMENT ON COLUMN person.ethnicity IS 'NHS Data Dictionary ethnic category code (A–S, Z not stated, 99 not known).';

CREATE TABLE referral (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id                uuid NOT NULL REFERENCES organisation (id),
  person_id                 uuid NOT NULL REFERENCES person (id),
  reference                 text NOT NULL UNIQUE,
  source                    text NOT NULL CONSTRAINT referral_source_known CHECK (source IN ('practice', 'agency', 'self')),
  referring_organisation_id uuid REFERENCES organisation (id),
  referred_by_user_id       uuid REFERENCES app_user (id),
  referrer_name             text,
  referrer_role             text,
  referrer_contact          text,
  need_domains              text[] NOT NULL DEFAULT '{}',
  help_wanted               text NOT NULL,
  risks                     text,
  urgency                   text NOT NULL DEFAULT 'routine' CONSTRAINT referral_urgency_known CHECK (urgency IN ('routine', 'urgent')),
  person_agreed             boolean NOT NULL,
  idempotency_key           text,
  received_at               timestamptz NOT NULL DEFAULT now(),
  status                    text NOT NULL DEFAULT 'waiting' CONSTRAINT referral_status_known CHECK (status IN ('waiting', 'accepted', 'declined', 'redirected'))
);
CREATE INDEX referral_waiting_idx ON referral (service_id, received_at) WHERE status = 'waiting';
CREATE UNIQUE INDEX referral_idempotency_unique ON referral (service_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX referral_service_received_idx ON referral (service_id, received_at);
CREATE INDEX referral_person_idx ON referral (service_id, person_id);
CREATE INDEX referral_referring_org_idx ON referral (referring_organisation_id, received_at);
COMMENT ON TABLE referral IS 'A referral into the service. Its status is derived from referral_action.';
COMMENT ON COLUMN referral.status IS 'Read model: what referralStatus() derives from referral_action, written in the same transaction as each action, so lists can be queried by status.';

CREATE TABLE referral_action (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  referral_id          uuid NOT NULL REFERENCES referral (id),
  kind                 text NOT NULL CONSTRAINT referral_action_kind_known CHECK (kind IN ('received', 'accepted', 'declined', 'redirected')),
  occurred_at          timestamptz NOT NULL DEFAULT now(),
  actor_user_id        uuid REFERENCES app_user (id),
  link_worker_user_id  uuid REFERENCES app_user (id),
  episode_id           uuid,
  reason               text,
  redirected_to        text
);
CREATE INDEX referral_action_referral_idx ON referral_action (referral_id, occurred_at);
COMMENT ON TABLE referral_action IS 'Append-only history of a referral: received, then accepted (allocated), declined or redirected.';

CREATE TABLE episode (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  person_id            uuid NOT NULL REFERENCES person (id),
  referral_id          uuid NOT NULL REFERENCES referral (id),
  link_worker_user_id  uuid NOT NULL REFERENCES app_user (id),
  opened_at            timestamptz NOT NULL DEFAULT now(),
  version              integer NOT NULL DEFAULT 1,
  status               text NOT NULL DEFAULT 'awaiting_first_contact'
                         CONSTRAINT episode_status_known CHECK (status IN ('awaiting_first_contact', 'active', 'holding', 'closed')),
  first_contact_at     timestamptz,
  holding_reason       text,
  holding_since        timestamptz,
  closed_at            timestamptz,
  close_reason         text,
  last_contact_at      timestamptz,
  next_contact_at      timestamptz
);
CREATE INDEX episode_caseload_idx ON episode (service_id, link_worker_user_id, status);
CREATE INDEX episode_service_status_idx ON episode (service_id, status);
CREATE UNIQUE INDEX episode_referral_unique ON episode (referral_id);
CREATE INDEX episode_person_idx ON episode (service_id, person_id);
COMMENT ON TABLE episode IS 'One period of support for one person with one named link worker. Status is derived from episode_action; link_worker_user_id is the current named link worker (changes are in the log).';
COMMENT ON COLUMN episode.status IS 'Read model: what episodeState() derives from episode_action (status, first contact, holding, closing), with the last and next contact from contact; written in the same transaction as each change, for caseload queries.';
COMMENT ON COLUMN episode.version IS 'Bumped on every action, for optimistic concurrency between two people working on the same episode.';

CREATE TABLE episode_action (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  episode_id           uuid NOT NULL REFERENCES episode (id),
  kind                 text NOT NULL CONSTRAINT episode_action_kind_known
                         CHECK (kind IN ('opened', 'first_contact', 'holding_started', 'holding_ended', 'reallocated', 'closed', 'reopened')),
  occurred_at          timestamptz NOT NULL DEFAULT now(),
  actor_user_id        uuid REFERENCES app_user (id),
  holding_reason       text CONSTRAINT episode_action_holding_reason_known
                         CHECK (holding_reason IN ('no_provision', 'preparing_for_change', 'reducing_practice_burden', 'bearing_witness')),
  close_reason         text CONSTRAINT episode_action_close_reason_known
                         CHECK (close_reason IN ('goals_met', 'connected', 'declined_support', 'disengaged', 'moved_away', 'died', 'redirected')),
  link_worker_user_id  uuid REFERENCES app_user (id),
  snomed_code          text,
  note                 text
);
CREATE INDEX episode_action_episode_idx ON episode_action (episode_id, occurred_at);
COMMENT ON TABLE episode_action IS 'Append-only history of an episode. Holding periods, closing (with reason, summary for the referrer and SNOMED code) and re-opening are rows here.';

CREATE TABLE contact (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  episode_id           uuid NOT NULL REFERENCES episode (id),
  starts_at            timestamptz NOT NULL,
  mode                 text NOT NULL CONSTRAINT contact_mode_known
                         CHECK (mode IN ('practice', 'community_venue', 'home_visit', 'phone', 'video', 'text_email', 'group')),
  duration_minutes     integer CONSTRAINT contact_duration_range CHECK (duration_minutes BETWEEN 1 AND 600),
  practice_id          uuid REFERENCES organisation (id),
  venue                text,
  status               text NOT NULL CONSTRAINT contact_status_known CHECK (status IN ('booked', 'attended', 'did_not_attend', 'cancelled')),
  contact_type         text NOT NULL CONSTRAINT contact_type_known CHECK (contact_type IN ('assessment', 'support', 'review', 'follow_up')),
  notes                text,
  recorded_by_user_id  uuid NOT NULL REFERENCES app_user (id),
  link_worker_user_id  uuid NOT NULL REFERENCES app_user (id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_episode_idx ON contact (service_id, episode_id, starts_at);
CREATE INDEX contact_link_worker_diary_idx ON contact (service_id, link_worker_user_id, starts_at) WHERE status = 'booked';
COMMENT ON TABLE contact IS 'A contact between link worker and person: booked ahead (the diary), then recorded as attended, did not attend or cancelled.';

CREATE TABLE discretion (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  episode_id           uuid NOT NULL REFERENCES episode (id),
  contact_id           uuid REFERENCES contact (id),
  kind                 text NOT NULL CONSTRAINT discretion_kind_known CHECK (kind IN ('extra_contact', 'longer_contact', 'beyond_period')),
  reason               text NOT NULL CONSTRAINT discretion_reason_length CHECK (char_length(reason) BETWEEN 1 AND 500),
  recorded_by_user_id  uuid NOT NULL REFERENCES app_user (id),
  recorded_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX discretion_episode_idx ON discretion (service_id, episode_id);
COMMENT ON TABLE discretion IS 'Going beyond the service''s standard offer, with the link worker''s one-line reason. Never blocked; always recorded.';

CREATE TABLE what_matters (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  episode_id           uuid NOT NULL REFERENCES episode (id),
  what_matters         text NOT NULL,
  recorded_by_user_id  uuid NOT NULL REFERENCES app_user (id),
  recorded_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX what_matters_episode_idx ON what_matters (service_id, episode_id, recorded_at);
COMMENT ON TABLE what_matters IS 'The "what matters to me" conversation, in the person''s words. Newest is current; older entries are history.';

CREATE TABLE need_assessment (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  episode_id           uuid NOT NULL REFERENCES episode (id),
  assessed_at          timestamptz NOT NULL DEFAULT now(),
  assessed_by_user_id  uuid NOT NULL REFERENCES app_user (id),
  priorities           jsonb NOT NULL
);
CREATE INDEX need_assessment_episode_idx ON need_assessment (service_id, episode_id, assessed_at);
COMMENT ON TABLE need_assessment IS 'A needs assessment across need domains: priorities is { domain: "high" | "medium" | "low" }, absent domains are not a need.';

CREATE TABLE goal (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  episode_id           uuid NOT NULL REFERENCES episode (id),
  goal                 text NOT NULL CONSTRAINT goal_length CHECK (char_length(goal) BETWEEN 1 AND 1000),
  readiness            text NOT NULL CONSTRAINT goal_readiness_known CHECK (readiness IN ('ready_now', 'thinking_about_it', 'not_yet')),
  status               text NOT NULL DEFAULT 'not_started' CONSTRAINT goal_status_known CHECK (status IN ('not_started', 'in_progress', 'achieved', 'stopped')),
  owner                text,
  target_date          date,
  created_by_user_id   uuid NOT NULL REFERENCES app_user (id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX goal_episode_idx ON goal (service_id, episode_id);
COMMENT ON TABLE goal IS 'A goal of the support plan, in the person''s own words, with their readiness.';

CREATE TABLE goal_step (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  goal_id              uuid NOT NULL REFERENCES goal (id),
  step                 text NOT NULL CONSTRAINT goal_step_length CHECK (char_length(step) BETWEEN 1 AND 500),
  owner                text,
  target_date          date,
  done_at              timestamptz,
  created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX goal_step_goal_idx ON goal_step (service_id, goal_id);

CREATE TABLE task (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  episode_id           uuid REFERENCES episode (id),
  assigned_user_id     uuid NOT NULL REFERENCES app_user (id),
  kind                 text NOT NULL CONSTRAINT task_kind_known CHECK (kind IN ('manual', 'no_contact', 'review_plan', 'follow_up')),
  title                text NOT NULL CONSTRAINT task_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
  due_on               date NOT NULL,
  generated_key        text,
  created_by_user_id   uuid REFERENCES app_user (id),
  created_at           timestamptz NOT NULL DEFAULT now(),
  done_at              timestamptz,
  done_by_user_id      uuid REFERENCES app_user (id)
);
CREATE UNIQUE INDEX task_generated_unique ON task (service_id, generated_key) WHERE generated_key IS NOT NULL;
CREATE INDEX task_assignee_due_idx ON task (service_id, assigned_user_id, due_on) WHERE done_at IS NULL;
CREATE INDEX task_episode_idx ON task (service_id, episode_id);
COMMENT ON TABLE task IS 'Follow-ups, reviews and reminders. Generated tasks carry a generated_key so the sweep that makes them is idempotent.';

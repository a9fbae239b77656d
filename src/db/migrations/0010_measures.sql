-- Outcome measures: which instruments each service uses at which timepoints, the answers as given
-- with their scores, single-use links for people to answer on their own device, the benefits people
-- describe, and GP appointments before and after.

CREATE TABLE measure_setting (
  service_id       uuid NOT NULL REFERENCES organisation (id),
  instrument_code  text NOT NULL,
  timepoints       text[] NOT NULL CONSTRAINT measure_setting_timepoints_known CHECK (timepoints <@ ARRAY['baseline', 'review', 'discharge', 'follow_up']::text[]),
  enabled          boolean NOT NULL DEFAULT true,
  updated_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (service_id, instrument_code)
);
COMMENT ON TABLE measure_setting IS 'Which instruments a service uses, at which timepoints. Switching one off keeps what was collected.';

CREATE TABLE measure_response (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id       uuid NOT NULL REFERENCES organisation (id),
  episode_id       uuid NOT NULL REFERENCES episode (id),
  person_id        uuid NOT NULL REFERENCES person (id),
  instrument_code  text NOT NULL,
  timepoint        text NOT NULL CONSTRAINT measure_response_timepoint_known CHECK (timepoint IN ('baseline', 'review', 'discharge', 'follow_up')),
  answers          jsonb NOT NULL,
  status           text NOT NULL CONSTRAINT measure_response_status_known CHECK (status IN ('scored', 'items', 'category', 'incomplete', 'invalid')),
  score            numeric(6, 2),
  raw              integer,
  item_results     jsonb NOT NULL DEFAULT '{}'::jsonb,
  flags            jsonb NOT NULL DEFAULT '[]'::jsonb,
  completed_on     date NOT NULL,
  entered_by       uuid REFERENCES app_user (id),
  measure_link_id  uuid,
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX measure_response_episode_idx ON measure_response (service_id, episode_id, instrument_code, completed_on);
CREATE INDEX measure_response_report_idx ON measure_response (service_id, instrument_code, timepoint, completed_on);
COMMENT ON TABLE measure_response IS 'One completion of an instrument: the answers exactly as given, and the score when the published rule allows one (status says why not).';

CREATE TABLE measure_link (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  token_hash       text NOT NULL UNIQUE,
  service_id       uuid NOT NULL REFERENCES organisation (id),
  episode_id       uuid NOT NULL REFERENCES episode (id),
  timepoint        text NOT NULL,
  instrument_codes text[] NOT NULL,
  with_benefits    boolean NOT NULL DEFAULT false,
  created_by       uuid NOT NULL REFERENCES app_user (id),
  created_at       timestamptz NOT NULL DEFAULT now(),
  expires_at       timestamptz NOT NULL,
  used_at          timestamptz
);
COMMENT ON TABLE measure_link IS 'A single-use, expiring link for a person to answer on their own device without an account. Only the SHA-256 of the token is kept.';

CREATE TABLE benefit_response (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id       uuid NOT NULL REFERENCES organisation (id),
  episode_id       uuid NOT NULL REFERENCES episode (id),
  person_id        uuid NOT NULL REFERENCES person (id),
  timepoint        text NOT NULL CONSTRAINT benefit_response_timepoint_known CHECK (timepoint IN ('discharge', 'follow_up')),
  benefits         text[] NOT NULL,
  own_words        text CONSTRAINT benefit_response_own_words_length CHECK (char_length(own_words) <= 2000),
  completed_on     date NOT NULL,
  entered_by       uuid REFERENCES app_user (id),
  measure_link_id  uuid REFERENCES measure_link (id),
  created_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX benefit_response_episode_idx ON benefit_response (service_id, episode_id);
COMMENT ON TABLE benefit_response IS 'The benefits a person describes (from the national study), and in their own words.';

CREATE TABLE gp_appointments (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id       uuid NOT NULL REFERENCES organisation (id),
  episode_id       uuid NOT NULL REFERENCES episode (id),
  period           text NOT NULL CONSTRAINT gp_appointments_period_known CHECK (period IN ('before', 'after')),
  window_months    integer NOT NULL CONSTRAINT gp_appointments_window_range CHECK (window_months BETWEEN 1 AND 24),
  appointments     integer NOT NULL CONSTRAINT gp_appointments_count_range CHECK (appointments BETWEEN 0 AND 500),
  source           text NOT NULL CONSTRAINT gp_appointments_source_known CHECK (source IN ('entered', 'imported')),
  recorded_by      uuid REFERENCES app_user (id),
  recorded_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT gp_appointments_once UNIQUE (episode_id, period)
);
COMMENT ON TABLE gp_appointments IS 'GP appointments in a window before the referral and after the episode, entered or imported from a practice CSV.';

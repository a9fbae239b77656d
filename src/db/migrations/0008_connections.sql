-- Connections: a person put in touch with a community service from their episode, as a signpost, a
-- referral through Anchorpoint or an introduction, with the provider's replies closing the loop.

ALTER TABLE service_setting
  ADD COLUMN referral_expiry_days integer NOT NULL DEFAULT 14
    CONSTRAINT service_setting_referral_expiry_range CHECK (referral_expiry_days BETWEEN 1 AND 90),
  ADD COLUMN signpost_follow_up_days integer NOT NULL DEFAULT 14
    CONSTRAINT service_setting_signpost_follow_up_range CHECK (signpost_follow_up_days BETWEEN 1 AND 90);
COMMENT ON COLUMN service_setting.referral_expiry_days IS 'A referral the provider has not answered in this many days expires: the link worker gets a task.';

ALTER TABLE task DROP CONSTRAINT task_kind_known;
ALTER TABLE task ADD CONSTRAINT task_kind_known CHECK (kind IN ('manual', 'no_contact', 'review_plan', 'follow_up', 'signpost_follow_up', 'referral_expired'));

CREATE TABLE connection (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id                uuid NOT NULL REFERENCES organisation (id),
  episode_id                uuid NOT NULL REFERENCES episode (id),
  person_id                 uuid NOT NULL REFERENCES person (id),
  directory_service_id      uuid NOT NULL REFERENCES directory_service (id),
  provider_organisation_id  uuid REFERENCES organisation (id),
  kind                      text NOT NULL CONSTRAINT connection_kind_known CHECK (kind IN ('signpost', 'referral', 'introduction')),
  status                    text NOT NULL DEFAULT 'suggested'
                              CONSTRAINT connection_status_known CHECK (status IN ('suggested', 'referred', 'accepted', 'declined', 'expired', 'withdrawn', 'started', 'attending', 'stopped', 'did_not_start', 'ended')),
  reason                    text NOT NULL CONSTRAINT connection_reason_length CHECK (char_length(reason) BETWEEN 1 AND 1000),
  shared_note               text CONSTRAINT connection_shared_note_length CHECK (char_length(shared_note) <= 2000),
  share_contact             boolean NOT NULL DEFAULT false,
  created_by_user_id        uuid NOT NULL REFERENCES app_user (id),
  created_at                timestamptz NOT NULL DEFAULT now(),
  referred_at               timestamptz,
  responded_at              timestamptz,
  expires_at                timestamptz,
  version                   integer NOT NULL DEFAULT 1,
  link_worker_unread        boolean NOT NULL DEFAULT false
);
CREATE INDEX connection_episode_idx ON connection (service_id, episode_id);
CREATE INDEX connection_provider_inbox_idx ON connection (provider_organisation_id, status, referred_at) WHERE kind = 'referral';
CREATE INDEX connection_expiry_idx ON connection (expires_at) WHERE status = 'referred';
CREATE INDEX connection_directory_service_idx ON connection (directory_service_id);
COMMENT ON TABLE connection IS 'A person connected to a directory service from their episode. Status is derived from connection_action. provider_organisation_id is the Anchorpoint organisation whose providers see a referral: only its reason, the note the link worker chose to share, and the person''s name and contact details if they agreed.';
COMMENT ON COLUMN connection.link_worker_unread IS 'The provider has replied or recorded something the link worker has not yet seen.';

CREATE TABLE connection_action (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  seq            bigint GENERATED ALWAYS AS IDENTITY,
  connection_id  uuid NOT NULL REFERENCES connection (id),
  kind           text NOT NULL CONSTRAINT connection_action_kind_known CHECK (kind IN ('suggested', 'referred', 'accepted', 'declined', 'expired', 'withdrawn', 'started', 'attended', 'missed', 'stopped', 'did_not_start', 'ended', 'message')),
  side           text NOT NULL CONSTRAINT connection_action_side_known CHECK (side IN ('link_worker', 'provider', 'system')),
  occurred_at    timestamptz NOT NULL DEFAULT now(),
  actor_user_id  uuid REFERENCES app_user (id),
  reason         text CONSTRAINT connection_action_reason_length CHECK (char_length(reason) <= 100),
  note           text CONSTRAINT connection_action_note_length CHECK (char_length(note) <= 2000),
  session_date   date
);
CREATE INDEX connection_action_connection_idx ON connection_action (connection_id, seq);
COMMENT ON TABLE connection_action IS 'Append-only history of a connection, in seq order (actions in one transaction share a time): each step, who took it (which side), a reason (declines, stops), a short note or message, and for attendance the session date.';

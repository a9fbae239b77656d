-- Notifications: an in-app inbox for every user, and e-mail through SMTP when it is configured.

CREATE TABLE notification (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES app_user (id),
  kind        text NOT NULL,
  title       text NOT NULL CONSTRAINT notification_title_length CHECK (char_length(title) BETWEEN 1 AND 200),
  body        text NOT NULL CONSTRAINT notification_body_length CHECK (char_length(body) <= 4000),
  link        text CONSTRAINT notification_link_local CHECK (link LIKE '/%' AND link NOT LIKE '//%'),
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz,
  emailed_at  timestamptz,
  email_tries integer NOT NULL DEFAULT 0,
  email_error text
);
CREATE INDEX notification_inbox_idx ON notification (user_id, created_at DESC);
CREATE INDEX notification_unread_idx ON notification (user_id) WHERE read_at IS NULL;
CREATE INDEX notification_email_queue_idx ON notification (created_at) WHERE emailed_at IS NULL AND email_tries < 5;
COMMENT ON TABLE notification IS 'A message to one user: in their inbox, and e-mailed when SMTP is configured. Holds only what that user may see; the link is a path in the app.';
COMMENT ON COLUMN notification.email_error IS 'The last delivery error (no message content), kept for the administrator.';

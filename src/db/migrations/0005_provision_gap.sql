-- "No suitable service": what a link worker looked for and could not find. The register itself comes with connections.

CREATE TABLE provision_gap (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  service_id           uuid NOT NULL REFERENCES organisation (id),
  need_domain          text NOT NULL,
  outward_code         text CONSTRAINT provision_gap_outward_code_format CHECK (outward_code ~ '^[A-Z]{1,2}[0-9][A-Z0-9]?$'),
  practice_id          uuid REFERENCES organisation (id),
  note                 text NOT NULL CONSTRAINT provision_gap_note_length CHECK (char_length(note) BETWEEN 1 AND 1000),
  search_text          text,
  episode_id           uuid REFERENCES episode (id),
  recorded_by_user_id  uuid NOT NULL REFERENCES app_user (id),
  recorded_at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX provision_gap_service_need_idx ON provision_gap (service_id, need_domain, recorded_at);
COMMENT ON TABLE provision_gap IS 'A provision gap as recorded: a need, an area (outward code and practice) and what was missing, with the search that found nothing. Counted, never named, outside the service.';

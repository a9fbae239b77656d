-- The provision gaps register: where each gap came from, and when a new service met it.

ALTER TABLE provision_gap
  ADD COLUMN source text NOT NULL DEFAULT 'search' CONSTRAINT provision_gap_source_known CHECK (source IN ('search', 'holding', 'manual')),
  ADD COLUMN met_at timestamptz,
  ADD COLUMN met_by_user_id uuid REFERENCES app_user (id),
  ADD COLUMN met_directory_service_id uuid REFERENCES directory_service (id);
CREATE INDEX provision_gap_open_idx ON provision_gap (service_id, need_domain, outward_code) WHERE met_at IS NULL;
COMMENT ON COLUMN provision_gap.source IS 'search: "No suitable service" from the directory; holding: a holding period for want of provision; manual: recorded by hand.';
COMMENT ON COLUMN provision_gap.met_directory_service_id IS 'The directory service that now meets the gap, when a manager marked it met.';

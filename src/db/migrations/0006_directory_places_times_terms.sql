-- Where and when services run, who to contact, the taxonomies they are filed under, full postcodes for
-- distance, and the words of the directory for typo-tolerant search. Follows HSDS 3.0 / ORUK 3.0.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER TABLE directory_service
  ADD COLUMN review_every_days integer NOT NULL DEFAULT 90
    CONSTRAINT directory_service_review_every_days_range CHECK (review_every_days BETWEEN 7 AND 730),
  ADD COLUMN alert text,
  ADD COLUMN reminded_at timestamptz;
COMMENT ON COLUMN directory_service.review_every_days IS 'How often the entry must be checked; after this many days without verification it shows as stale.';
COMMENT ON COLUMN directory_service.reminded_at IS 'When the provider was last reminded that the entry needs checking.';
CREATE INDEX directory_service_name_trgm_idx ON directory_service USING gin (name gin_trgm_ops);

CREATE TABLE directory_location (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  directory_organisation_id uuid REFERENCES directory_organisation (id),
  source                    text NOT NULL DEFAULT 'anchorpoint',
  source_id                 text,
  location_type             text NOT NULL DEFAULT 'physical'
                              CONSTRAINT directory_location_type_known CHECK (location_type IN ('physical', 'postal', 'virtual')),
  name                      text CONSTRAINT directory_location_name_length CHECK (char_length(name) <= 300),
  description               text,
  address_1                 text,
  city                      text,
  region                    text,
  postcode                  text,
  country                   text NOT NULL DEFAULT 'GB',
  latitude                  double precision CONSTRAINT directory_location_latitude_range CHECK (latitude BETWEEN -90 AND 90),
  longitude                 double precision CONSTRAINT directory_location_longitude_range CHECK (longitude BETWEEN -180 AND 180),
  accessibility             text,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX directory_location_source_unique ON directory_location (source, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX directory_location_position_idx ON directory_location (latitude, longitude);
COMMENT ON TABLE directory_location IS 'A place where services are delivered (HSDS location with its physical address). latitude/longitude come from the feed, or from the postcode.';

CREATE TABLE directory_service_at_location (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  directory_service_id  uuid NOT NULL REFERENCES directory_service (id) ON DELETE CASCADE,
  directory_location_id uuid NOT NULL REFERENCES directory_location (id) ON DELETE CASCADE,
  CONSTRAINT directory_service_at_location_unique UNIQUE (directory_service_id, directory_location_id)
);
CREATE INDEX directory_service_at_location_location_idx ON directory_service_at_location (directory_location_id);
COMMENT ON TABLE directory_service_at_location IS 'A service delivered at a location (HSDS service_at_location).';

CREATE TABLE directory_schedule (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  directory_service_id   uuid NOT NULL REFERENCES directory_service (id) ON DELETE CASCADE,
  service_at_location_id uuid REFERENCES directory_service_at_location (id) ON DELETE CASCADE,
  freq                   text NOT NULL CONSTRAINT directory_schedule_freq_known CHECK (freq IN ('WEEKLY', 'MONTHLY')),
  "interval"             integer NOT NULL DEFAULT 1 CONSTRAINT directory_schedule_interval_range CHECK ("interval" BETWEEN 1 AND 52),
  byday                  text NOT NULL CONSTRAINT directory_schedule_byday_length CHECK (char_length(byday) BETWEEN 2 AND 40),
  weekdays               smallint[] NOT NULL,
  opens_at               time NOT NULL,
  closes_at              time NOT NULL,
  dtstart                date,
  valid_from             date,
  valid_to               date,
  description            text,
  notes                  text,
  CONSTRAINT directory_schedule_closes_after_opens CHECK (closes_at > opens_at),
  CONSTRAINT directory_schedule_valid_order CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);
CREATE INDEX directory_schedule_service_idx ON directory_schedule (directory_service_id);
COMMENT ON TABLE directory_schedule IS 'A regular session (HSDS schedule), e.g. Tuesdays 10:00-12:00. byday is the iCalendar BYDAY list (TU, MO,WE, or 4TH for the fourth Thursday of a monthly schedule).';
COMMENT ON COLUMN directory_schedule.weekdays IS 'The ISO days of the week (1 Monday … 7 Sunday) the sessions fall on, derived from byday, for the day filter.';

CREATE TABLE directory_contact (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  directory_service_id uuid NOT NULL REFERENCES directory_service (id) ON DELETE CASCADE,
  name                 text,
  title                text,
  email                text,
  phone                text
);
CREATE INDEX directory_contact_service_idx ON directory_contact (directory_service_id);
COMMENT ON TABLE directory_contact IS 'A named contact for a service (HSDS contact, with its phone).';

CREATE TABLE directory_taxonomy (
  id          uuid PRIMARY KEY,
  code        text NOT NULL UNIQUE,
  name        text NOT NULL,
  description text NOT NULL,
  uri         text,
  version     text
);
COMMENT ON TABLE directory_taxonomy IS 'A vocabulary services are filed under (HSDS taxonomy): Open Eligibility, and Anchorpoint''s need domains.';

CREATE TABLE directory_taxonomy_term (
  id                    uuid PRIMARY KEY,
  directory_taxonomy_id uuid NOT NULL REFERENCES directory_taxonomy (id),
  code                  text NOT NULL,
  name                  text NOT NULL,
  description           text NOT NULL,
  parent_id             uuid REFERENCES directory_taxonomy_term (id),
  CONSTRAINT directory_taxonomy_term_code_unique UNIQUE (directory_taxonomy_id, code)
);
CREATE INDEX directory_taxonomy_term_parent_idx ON directory_taxonomy_term (parent_id);
COMMENT ON TABLE directory_taxonomy_term IS 'A term of a taxonomy. Ids are name-based UUIDs of the taxonomy and code, so they are the same in every installation.';

CREATE TABLE directory_service_term (
  directory_service_id       uuid NOT NULL REFERENCES directory_service (id) ON DELETE CASCADE,
  directory_taxonomy_term_id uuid NOT NULL REFERENCES directory_taxonomy_term (id),
  PRIMARY KEY (directory_service_id, directory_taxonomy_term_id)
);
CREATE INDEX directory_service_term_term_idx ON directory_service_term (directory_taxonomy_term_id);

CREATE TABLE postcode (
  postcode  text PRIMARY KEY,
  latitude  double precision NOT NULL,
  longitude double precision NOT NULL
);
COMMENT ON TABLE postcode IS 'Every UK postcode''s location (ONS Postcode Lookup), loaded by `cli import-postcodes`. Empty until then; distance falls back to the shipped outward-code centroids.';

CREATE TABLE directory_word (
  word text PRIMARY KEY
);
CREATE INDEX directory_word_trgm_idx ON directory_word USING gin (word gin_trgm_ops);
COMMENT ON TABLE directory_word IS 'Every word used in the directory, so a misspelt search word can be corrected to the nearest one (pg_trgm).';

-- The community directory, following HSDS 3.0 / Open Referral UK 3.0, with what social prescribing adds.
-- Directory data is shared by every service in the installation (it is about community organisations, not people).

CREATE TABLE directory_organisation (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source          text NOT NULL DEFAULT 'anchorpoint',
  source_id       text,
  name            text NOT NULL CONSTRAINT directory_organisation_name_length CHECK (char_length(name) BETWEEN 1 AND 300),
  description     text,
  url             text,
  email           text,
  logo            text,
  organisation_id uuid REFERENCES organisation (id),
  created_at      timestamptz NOT NULL DEFAULT now(),
  updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX directory_organisation_source_unique ON directory_organisation (source, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX directory_organisation_owner_idx ON directory_organisation (organisation_id);
COMMENT ON TABLE directory_organisation IS 'An organisation in the community directory (HSDS organization). organisation_id links it to the Anchorpoint organisation whose provider users may edit its services.';
COMMENT ON COLUMN directory_organisation.source IS 'Where the record came from: anchorpoint for records made here, or the name given to an imported feed. With source_id, the key that makes re-imports update instead of duplicate.';

CREATE TABLE directory_service (
  id                        uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  directory_organisation_id uuid NOT NULL REFERENCES directory_organisation (id),
  source                    text NOT NULL DEFAULT 'anchorpoint',
  source_id                 text,
  name                      text NOT NULL CONSTRAINT directory_service_name_length CHECK (char_length(name) BETWEEN 1 AND 300),
  description               text,
  url                       text,
  email                     text,
  phone                     text,
  oruk_status               text NOT NULL DEFAULT 'active'
                              CONSTRAINT directory_service_oruk_status_known CHECK (oruk_status IN ('active', 'inactive', 'defunct', 'temporarily closed')),
  status                    text NOT NULL DEFAULT 'active'
                              CONSTRAINT directory_service_status_known CHECK (status IN ('active', 'paused', 'online_only', 'closed')),
  fees                      text,
  free                      boolean,
  accreditations            text,
  minimum_age               integer CONSTRAINT directory_service_minimum_age_range CHECK (minimum_age BETWEEN 0 AND 130),
  maximum_age               integer CONSTRAINT directory_service_maximum_age_range CHECK (maximum_age BETWEEN 0 AND 130),
  eligibility               text,
  delivery                  text CONSTRAINT directory_service_delivery_known CHECK (delivery IN ('in_person', 'online', 'phone', 'mixed')),
  referral_mode             text CONSTRAINT directory_service_referral_mode_known CHECK (referral_mode IN ('just_turn_up', 'signpost', 'anchorpoint_referral')),
  capacity_note             text,
  need_domains              text[] NOT NULL DEFAULT '{}',
  service_types             text[] NOT NULL DEFAULT '{}',
  languages                 text[] NOT NULL DEFAULT '{}',
  accessibility             text,
  service_area              text,
  last_verified_at          timestamptz,
  verified_by               text,
  data_issues               jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_at                timestamptz NOT NULL DEFAULT now(),
  updated_at                timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX directory_service_source_unique ON directory_service (source, source_id) WHERE source_id IS NOT NULL;
CREATE INDEX directory_service_organisation_idx ON directory_service (directory_organisation_id);
COMMENT ON TABLE directory_service IS 'A service in the community directory (HSDS service), with what social prescribing needs: need domains, delivery, status, how to refer, capacity, and when it was last verified and by whom.';
COMMENT ON COLUMN directory_service.oruk_status IS 'The Open Referral status, as published in the ORUK API.';
COMMENT ON COLUMN directory_service.status IS 'What link workers see: active, paused, online only or closed.';
COMMENT ON COLUMN directory_service.data_issues IS 'Fields an import kept but flagged: [{ field, problem, value }]. Nothing is silently dropped.';

CREATE TABLE directory_import (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  source       text NOT NULL,
  format       text NOT NULL,
  started_by   uuid REFERENCES app_user (id),
  started_at   timestamptz NOT NULL DEFAULT now(),
  finished_at  timestamptz,
  records      integer NOT NULL DEFAULT 0,
  created      integer NOT NULL DEFAULT 0,
  updated      integer NOT NULL DEFAULT 0,
  skipped      integer NOT NULL DEFAULT 0,
  flagged      integer NOT NULL DEFAULT 0,
  report       jsonb NOT NULL DEFAULT '{}'::jsonb
);
COMMENT ON TABLE directory_import IS 'Each import of a directory feed, with its report: counts, and every skipped record and flagged field with its reason.';

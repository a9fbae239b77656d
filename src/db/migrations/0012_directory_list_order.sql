-- Browsing the directory without words or a distance lists services by name: with this index the
-- first pages come straight off it, instead of sorting every service in the country (ADR 17).
CREATE INDEX directory_service_name_idx ON directory_service (name, id);
CREATE INDEX directory_organisation_name_idx ON directory_organisation (name, id);
-- Counting a broad search ("every open service", tens of thousands) from this small index rather
-- than reading every row of the table.
CREATE INDEX directory_service_status_idx ON directory_service (status);

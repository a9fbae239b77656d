-- Free-text search of the directory with English stemming, weighted: name, then organisation and types, then description.

ALTER TABLE directory_service ADD COLUMN search_text text NOT NULL DEFAULT '';
COMMENT ON COLUMN directory_service.search_text IS 'The organisation name and service types, kept with the service so the search vector can be a generated column.';

ALTER TABLE directory_service ADD COLUMN search tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', coalesce(name, '')), 'A') ||
  setweight(to_tsvector('english', coalesce(search_text, '')), 'B') ||
  setweight(to_tsvector('english', coalesce(description, '')), 'C')
) STORED;
CREATE INDEX directory_service_search_idx ON directory_service USING gin (search);
CREATE INDEX directory_service_need_domains_idx ON directory_service USING gin (need_domains);
COMMENT ON COLUMN directory_service.search IS 'English-stemmed search vector (generated).';

-- A deep page of a broad list (an ORUK harvester's page 1,000) finds its services' ids off this index
-- alone, status included so that "open services only" needs no row reads, and then reads just the
-- page's rows (ADR 19). It replaces the plain (name, id) index of 0012.
CREATE INDEX directory_service_name_status_idx ON directory_service (name, id) INCLUDE (status);
DROP INDEX directory_service_name_idx;

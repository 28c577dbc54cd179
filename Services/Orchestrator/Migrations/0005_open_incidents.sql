-- How many incidents an instance has open, so lists can find those that need help.
ALTER TABLE instances ADD COLUMN open_incidents int NOT NULL DEFAULT 0;
CREATE INDEX instances_incidents ON instances (process_id) WHERE open_incidents > 0;

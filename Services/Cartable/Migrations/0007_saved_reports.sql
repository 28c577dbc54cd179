-- The reports employees saved from the report builder: the definition as Reports runs it,
-- kept by its owner and, when shared, shown to every member of one group.
CREATE TABLE saved_reports (
    report_id   uuid PRIMARY KEY,
    owner       text NOT NULL REFERENCES users (username),
    title       text NOT NULL,
    definition  jsonb NOT NULL,
    shared_with text REFERENCES groups (name),
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX saved_reports_by_owner ON saved_reports (owner, created_at);
CREATE INDEX saved_reports_by_group ON saved_reports (shared_with, created_at) WHERE shared_with IS NOT NULL;

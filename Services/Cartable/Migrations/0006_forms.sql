-- A task's form from the process model (Camunda Forms JSON), when the model holds one: the
-- cartable draws it and checks a completion against it.
ALTER TABLE tasks ADD COLUMN form jsonb;

-- The instances each employee started from the cartable: the starter may follow them.
CREATE TABLE started_instances (
    instance_id uuid PRIMARY KEY,
    username    text NOT NULL,
    process_id  text NOT NULL,
    started_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX started_instances_user ON started_instances (username, started_at);

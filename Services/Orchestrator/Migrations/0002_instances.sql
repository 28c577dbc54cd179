-- Process instances: the executor's state of each (compact JSON, the same bytes for the same
-- state), advanced under a row lock so that replicas never lose an update.
CREATE TABLE instances (
    id           uuid        PRIMARY KEY,
    process_id   text        NOT NULL,
    version      int         NOT NULL,
    business_key text,
    status       text        NOT NULL CHECK (status IN ('active', 'completed', 'terminated')),
    state        text        NOT NULL,
    revision     int         NOT NULL DEFAULT 1,
    started_by   text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT now(),
    ended_at     timestamptz,
    FOREIGN KEY (process_id, version) REFERENCES definitions (process_id, version)
);
CREATE INDEX instances_business_key ON instances (business_key) WHERE business_key IS NOT NULL;
CREATE INDEX instances_process ON instances (process_id, status);

-- The audit trail of each instance: every element activated, completed or terminated, by whom,
-- when, with the variables it changed. Rows are only ever added.
CREATE TABLE history (
    instance_id  uuid        NOT NULL REFERENCES instances (id),
    seq          bigserial,
    element_key  int         NOT NULL,
    element_id   text        NOT NULL,
    element_type text        NOT NULL,
    event        text        NOT NULL,
    actor        text        NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    variables    jsonb,
    PRIMARY KEY (instance_id, seq)
);

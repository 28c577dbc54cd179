-- Open jobs and when each is handed out again: at its timeout when no answer came, or after
-- its backoff when it failed with retries left.
CREATE TABLE job_retries (
    instance_id uuid        NOT NULL REFERENCES instances (id),
    job_key     int         NOT NULL,
    attempt     int         NOT NULL DEFAULT 1,
    due_at      timestamptz NOT NULL,
    PRIMARY KEY (instance_id, job_key)
);
CREATE INDEX job_retries_due ON job_retries (due_at);

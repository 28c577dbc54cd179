-- Timers waiting to fire, one row each; the scheduler takes due ones with FOR UPDATE SKIP LOCKED,
-- so replicas share the work, and a timer due while no orchestrator ran fires late, not never.
CREATE TABLE timers (
    instance_id uuid        NOT NULL REFERENCES instances (id),
    timer_key   int         NOT NULL,
    element_id  text        NOT NULL,
    due_at      timestamptz NOT NULL,
    PRIMARY KEY (instance_id, timer_key)
);
CREATE INDEX timers_due ON timers (due_at);

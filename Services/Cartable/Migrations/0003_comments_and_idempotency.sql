-- Comments on a task, by whoever may see it: how employees refer work to the next expert.
CREATE TABLE task_comments (
    task_id text        NOT NULL REFERENCES tasks (id),
    seq     bigserial,
    author  text        NOT NULL,
    text    text        NOT NULL CHECK (length(text) BETWEEN 1 AND 4000),
    at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, seq)
);

-- The answers to changing requests sent with an `Idempotency-Key`, by user and key: the same
-- request sent again gets the same answer and changes nothing. Kept a day.
CREATE TABLE idempotency_keys (
    username   text        NOT NULL,
    key        text        NOT NULL CHECK (length(key) BETWEEN 1 AND 200),
    request    text        NOT NULL,
    status     int,
    body       text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (username, key)
);
CREATE INDEX idempotency_keys_age ON idempotency_keys (created_at);

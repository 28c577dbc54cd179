-- What instances wait for, by message or signal name and correlation key.
CREATE TABLE subscriptions (
    instance_id     uuid        NOT NULL REFERENCES instances (id),
    subscription_key int        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('message', 'signal')),
    name            text        NOT NULL,
    correlation_key text,
    element_id      text        NOT NULL,
    opened_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (instance_id, subscription_key)
);
CREATE INDEX subscriptions_name ON subscriptions (kind, name, correlation_key);

-- Messages that came before anything waited for them, kept until they expire.
CREATE TABLE buffered_messages (
    message_id      uuid        PRIMARY KEY,
    name            text        NOT NULL,
    correlation_key text,
    variables       text        NOT NULL,
    received_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    expires_at      timestamptz NOT NULL
);
CREATE INDEX buffered_messages_name ON buffered_messages (name, correlation_key, received_at);

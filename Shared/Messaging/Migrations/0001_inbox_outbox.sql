-- Messages a consumer has handled, by message id: a redelivered or repeated message is skipped.
CREATE TABLE inbox (
    consumer    text        NOT NULL,
    message_id  uuid        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, message_id)
);
CREATE INDEX inbox_received_at ON inbox (received_at);

-- Messages to publish, written in the same transaction as the state change that caused them.
CREATE TABLE outbox (
    id             bigserial   PRIMARY KEY,
    message_id     uuid        NOT NULL UNIQUE,
    exchange       text        NOT NULL,
    routing_key    text        NOT NULL,
    type           text        NOT NULL,
    correlation_id text,
    causation_id   text,
    actor          text,
    traceparent    text,
    mandatory      boolean     NOT NULL DEFAULT false,
    body           text        NOT NULL,
    created_at     timestamptz NOT NULL DEFAULT now(),
    sent_at        timestamptz,
    -- Set when the broker returned a mandatory message: no queue was bound for its routing key.
    returned       text
);
CREATE INDEX outbox_unsent ON outbox (id) WHERE sent_at IS NULL;

-- Wakes the relay as soon as a transaction that wrote to the outbox commits.
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('utilis_outbox', '');
    RETURN NULL;
END $$;
CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

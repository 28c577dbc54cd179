-- The assignments (claim, unclaim, hand-over) the cartable sent the orchestrator; a row goes
-- when its echo comes. The orchestrator's task-assigned events that these caused (their
-- causation id) repeat changes the cartable already made and may arrive after a later one:
-- they are passed by, so they never undo it.
CREATE TABLE sent_commands (
    message_id uuid        PRIMARY KEY,
    sent_at    timestamptz NOT NULL DEFAULT now()
);

-- The user tasks of the orchestrator, as its events tell them: open ones are the inboxes,
-- ended ones the history. Who may see a task is decided in each query from assignee,
-- candidate users and candidate groups.
CREATE TABLE tasks (
    id               text PRIMARY KEY,
    instance_id      uuid NOT NULL,
    process_id       text NOT NULL,
    process_name     text,
    version          int  NOT NULL,
    element_id       text NOT NULL,
    name             text,
    business_key     text,
    assignee         text,
    candidate_users  text[] NOT NULL,
    candidate_groups text[] NOT NULL,
    due_at           timestamptz,
    follow_up_at     timestamptz,
    priority         int  NOT NULL,
    form_key         text,
    variables        jsonb NOT NULL,
    -- open; completing (sent to the orchestrator, not yet confirmed); completed; cancelled
    status           text NOT NULL CHECK (status IN ('open', 'completing', 'completed', 'cancelled')),
    created_at       timestamptz NOT NULL DEFAULT now(),
    ended_at         timestamptz,
    ended_by         text
);
CREATE INDEX tasks_open_assignee ON tasks (assignee) WHERE status IN ('open', 'completing');
CREATE INDEX tasks_open_users ON tasks USING gin (candidate_users) WHERE status IN ('open', 'completing');
CREATE INDEX tasks_open_groups ON tasks USING gin (candidate_groups) WHERE status IN ('open', 'completing');
CREATE INDEX tasks_instance ON tasks (instance_id);

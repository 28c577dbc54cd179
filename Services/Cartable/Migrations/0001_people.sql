-- The employees who work from the cartable and the groups (roles) they belong to. A group's
-- name is what process models name as candidate groups (`field-technician`).
CREATE TABLE groups (
    name        text PRIMARY KEY CHECK (name ~ '^[a-z0-9][a-z0-9-]*$'),
    title       text NOT NULL
);

CREATE TABLE users (
    username      text PRIMARY KEY CHECK (username ~ '^[a-z0-9][a-z0-9._-]*$'),
    display_name  text NOT NULL,
    password_hash text NOT NULL,
    active        boolean NOT NULL DEFAULT true,
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE memberships (
    username   text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    group_name text NOT NULL REFERENCES groups (name) ON DELETE CASCADE,
    -- A supervisor of a group may hand its tasks to any of its members.
    supervises boolean NOT NULL DEFAULT false,
    PRIMARY KEY (username, group_name)
);

-- Sessions by the SHA-256 of their token: the token itself is only ever in the client's hands.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    username   text NOT NULL REFERENCES users (username) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (username);

-- Failed sign-ins, to throttle guessing: counted per username over a quarter of an hour.
CREATE TABLE sign_in_failures (
    username  text NOT NULL,
    failed_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_user ON sign_in_failures (username, failed_at);

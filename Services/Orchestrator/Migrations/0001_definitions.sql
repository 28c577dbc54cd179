-- Process definitions: each deployed version of each process id, with the whole document kept
-- for drawing diagrams. Versions are never changed or deleted: running instances stay on theirs.
CREATE TABLE definitions (
    process_id  text        NOT NULL,
    version     int         NOT NULL CHECK (version >= 1),
    name        text,
    file_name   text        NOT NULL,
    checksum    text        NOT NULL,
    xml         text        NOT NULL,
    deployed_by text        NOT NULL,
    deployed_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (process_id, version)
);

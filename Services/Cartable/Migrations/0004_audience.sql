-- Who an open task is for, one row per principal: `assignee:<user>` for its assignee,
-- `user:<user>` for each candidate user, `group:<group>` for each candidate group. An inbox
-- page reads, for each of the employee's principals, the first rows of its index range and
-- merges them: a page costs the same with ten tasks or ten million (a filter over the tasks
-- table read every task of a large group first). Ended tasks have no rows here.
CREATE TABLE task_audience (
    principal  text        NOT NULL,
    created_at timestamptz NOT NULL,
    task_id    text        NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    assigned   boolean     NOT NULL,
    PRIMARY KEY (principal, created_at, task_id) INCLUDE (assigned)
);
CREATE INDEX task_audience_task ON task_audience (task_id);

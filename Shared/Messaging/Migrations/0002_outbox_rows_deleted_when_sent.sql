-- The outbox holds only what is still to publish: the relay deletes a row once the broker
-- confirmed it. Marking it sent wrote the whole row again (its body too) with new entries in
-- both indexes, and housekeeping deleted it a day later.
DELETE FROM outbox WHERE sent_at IS NOT NULL;
DROP INDEX outbox_unsent;
ALTER TABLE outbox DROP COLUMN sent_at, DROP COLUMN returned;

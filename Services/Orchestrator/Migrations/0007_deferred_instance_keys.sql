-- An instance's row is written at the end of the transaction that started or advanced it, in
-- one statement with the others' (PendingWrites): the rows that refer to it are checked then.
ALTER TABLE history ALTER CONSTRAINT history_instance_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE timers ALTER CONSTRAINT timers_instance_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE subscriptions ALTER CONSTRAINT subscriptions_instance_id_fkey DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE job_retries ALTER CONSTRAINT job_retries_instance_id_fkey DEFERRABLE INITIALLY DEFERRED;

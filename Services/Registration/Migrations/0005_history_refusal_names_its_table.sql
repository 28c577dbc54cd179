-- The append-only trigger serves both history tables: its refusal names the one written to.
CREATE OR REPLACE FUNCTION installation_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END $$;

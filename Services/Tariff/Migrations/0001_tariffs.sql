-- Tariffs, their versions and the audit of who changed which fee when. Versions and audit rows
-- are never changed: a new fee is a new version, a mistake a later one.
CREATE TABLE tariffs (
    code         text PRIMARY KEY,
    utility      text NOT NULL CHECK (utility IN ('electricity', 'water', 'gas', 'heat')),
    tariff       jsonb NOT NULL,
    retired_from date,
    -- Counts every change, so each replica's priced tariffs know when to be built again.
    revision     bigint NOT NULL DEFAULT 1,
    created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE tariff_versions (
    code           text NOT NULL REFERENCES tariffs (code),
    effective_from date NOT NULL,
    version        jsonb NOT NULL,
    PRIMARY KEY (code, effective_from)
);

CREATE TABLE tariff_audit (
    id             bigserial PRIMARY KEY,
    code           text NOT NULL REFERENCES tariffs (code),
    action         text NOT NULL CHECK (action IN ('created', 'published', 'retired')),
    actor          text NOT NULL,
    at             timestamptz NOT NULL DEFAULT now(),
    reason         text NOT NULL,
    effective_from date NOT NULL,
    changes        jsonb NOT NULL
);
CREATE INDEX tariff_audit_by_code ON tariff_audit (code, id);

CREATE OR REPLACE FUNCTION tariff_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is never changed: publish a new version', TG_TABLE_NAME;
END $$;
CREATE TRIGGER tariff_versions_append_only BEFORE UPDATE OR DELETE ON tariff_versions
    FOR EACH ROW EXECUTE FUNCTION tariff_history_is_append_only();
CREATE TRIGGER tariff_audit_append_only BEFORE UPDATE OR DELETE ON tariff_audit
    FOR EACH ROW EXECUTE FUNCTION tariff_history_is_append_only();

-- Premises, service points, meters and subscriptions, and the installation history that is
-- never changed. Numbers people read out carry a Luhn check digit: P-…, SP-…, S-….
CREATE SEQUENCE premises_numbers;
CREATE SEQUENCE service_point_numbers;
CREATE SEQUENCE subscription_numbers;

CREATE TABLE premises (
    id              uuid PRIMARY KEY,
    premises_number text NOT NULL UNIQUE,
    address         jsonb NOT NULL,
    -- The tariff region the premises lies in.
    region          text NOT NULL,
    latitude        double precision NOT NULL CHECK (latitude BETWEEN -90 AND 90),
    longitude       double precision NOT NULL CHECK (longitude BETWEEN -180 AND 180),
    -- line1, line2 and city, lower-cased, for search.
    address_text    text NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX premises_address_trgm ON premises USING gin (address_text gin_trgm_ops);

CREATE TABLE meters (
    id              uuid PRIMARY KEY,
    manufacturer    text NOT NULL,
    serial_number   text NOT NULL,
    utility         text NOT NULL CHECK (utility IN ('electricity', 'water', 'gas', 'heat')),
    specification   jsonb NOT NULL,
    status          text NOT NULL CHECK (status IN ('in-stock', 'installed', 'removed', 'under-test', 'scrapped')),
    next_test_due   date NOT NULL,
    -- A failed test: due for replacement, and suspect since when.
    replacement_due boolean NOT NULL DEFAULT false,
    suspect_since   timestamptz,
    received_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (manufacturer, serial_number)
);
CREATE INDEX meters_serial ON meters (serial_number);

CREATE TABLE service_points (
    id                   uuid PRIMARY KEY,
    service_point_number text NOT NULL UNIQUE,
    premises_id          uuid NOT NULL REFERENCES premises (id),
    -- Who asked for the connection.
    requested_by         uuid NOT NULL REFERENCES customers (id),
    utility              text NOT NULL CHECK (utility IN ('electricity', 'water', 'gas', 'heat')),
    capacity_value       double precision NOT NULL CHECK (capacity_value > 0),
    capacity_unit        text NOT NULL,
    -- Where the meter is: the premises' location until it is relocated.
    latitude             double precision NOT NULL,
    longitude            double precision NOT NULL,
    -- At most one meter on a service point, and a meter on at most one.
    meter_id             uuid UNIQUE REFERENCES meters (id),
    meter_installed_at   timestamptz,
    created_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX service_points_requested_by ON service_points (requested_by);

CREATE TABLE subscriptions (
    id                  uuid PRIMARY KEY,
    subscription_number text NOT NULL UNIQUE,
    customer_id         uuid NOT NULL REFERENCES customers (id),
    service_point_id    uuid NOT NULL REFERENCES service_points (id),
    use_type            text NOT NULL CHECK (use_type IN ('residential', 'commercial', 'industrial', 'agricultural', 'public')),
    tariff_code         text NOT NULL,
    billing_cycle       text NOT NULL,
    start_date          date NOT NULL,
    end_date            date,
    deposit_amount      bigint NOT NULL CHECK (deposit_amount >= 0),
    deposit_currency    text NOT NULL,
    status              text NOT NULL CHECK (status IN ('pending', 'active', 'suspended', 'terminated')),
    -- The subscription this one took over from, on a change of ownership.
    previous_id         uuid REFERENCES subscriptions (id),
    created_at          timestamptz NOT NULL DEFAULT now(),
    CHECK ((status = 'terminated') = (end_date IS NOT NULL))
);
-- A service point has at most one subscription that is not terminated.
CREATE UNIQUE INDEX subscriptions_live ON subscriptions (service_point_id) WHERE status <> 'terminated';
CREATE INDEX subscriptions_customer ON subscriptions (customer_id);

-- Every installation change, with the facts of the moment (readings, places, test results).
CREATE TABLE installation_history (
    seq              bigserial PRIMARY KEY,
    change           text NOT NULL,
    at               timestamptz NOT NULL,
    actor            text NOT NULL,
    customer_id      uuid REFERENCES customers (id),
    subscription_id  uuid REFERENCES subscriptions (id),
    service_point_id uuid REFERENCES service_points (id),
    meter_id         uuid REFERENCES meters (id),
    details          jsonb NOT NULL,
    recorded_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX installation_history_customer ON installation_history (customer_id, seq);
CREATE INDEX installation_history_meter ON installation_history (meter_id, seq);

-- The history is the legal record: rows are added, never changed or removed.
CREATE FUNCTION installation_history_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'installation_history is append-only: % refused', TG_OP;
END $$;
CREATE TRIGGER installation_history_append_only BEFORE UPDATE OR DELETE ON installation_history
    FOR EACH ROW EXECUTE FUNCTION installation_history_is_append_only();
CREATE TRIGGER customer_history_append_only BEFORE UPDATE OR DELETE ON customer_history
    FOR EACH ROW EXECUTE FUNCTION installation_history_is_append_only();

-- The utility's customers. A customer is known by a number with a check digit (C-00000421-7)
-- and, uniquely, by their national id (a person) or company registration number (an
-- organisation). The details are the latest; every version of them stays in customer_history.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE SEQUENCE customer_numbers;

CREATE TABLE customers (
    id              uuid PRIMARY KEY,
    customer_number text NOT NULL UNIQUE,
    kind            text NOT NULL CHECK (kind IN ('person', 'organisation')),
    -- The national id or company registration number, with the kind: unique per kind.
    identifier      text NOT NULL,
    name            text NOT NULL,
    city            text NOT NULL,
    phones          text[] NOT NULL,
    details         jsonb NOT NULL,
    registered_at   timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (kind, identifier)
);
-- Search by any part of the name or the address, and by phone.
CREATE INDEX customers_name_trgm ON customers USING gin (lower(name) gin_trgm_ops);
CREATE INDEX customers_address_trgm ON customers USING gin (lower(details->'address'->>'line1' || ' ' || city) gin_trgm_ops);
CREATE INDEX customers_phones ON customers USING gin (phones);
CREATE INDEX customers_identifier ON customers (identifier);

-- Never overwritten: each registration and change, with who made it and the details after it.
CREATE TABLE customer_history (
    seq         bigserial PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id),
    change      text NOT NULL CHECK (change IN ('registered', 'updated')),
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now(),
    details     jsonb NOT NULL
);
CREATE INDEX customer_history_customer ON customer_history (customer_id, seq);

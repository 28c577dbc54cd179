-- Billing: what it knows of subscriptions, meters and tariffs (from the other services'
-- events), the readings it takes in, and the runs and bills it makes.
CREATE TABLE subscriptions (
    number          text PRIMARY KEY,
    customer_number text NOT NULL,
    service_point   text NOT NULL,
    utility         text NOT NULL,
    use_type        text NOT NULL,
    region          text NOT NULL,
    tariff_code     text NOT NULL,
    billing_cycle   text NOT NULL,
    start_date      date NOT NULL,
    status          text NOT NULL,
    -- The last day billed, the last bill and what it left due: where the next bill starts.
    billed_to       date,
    last_bill_id    text,
    last_due        bigint NOT NULL DEFAULT 0,
    last_issue      date,
    -- Average consumption a day by register, as JSON {"total": 8.2}.
    daily_usage     text NOT NULL DEFAULT '{}'
) WITH (fillfactor = 80);
CREATE INDEX subscriptions_by_cycle ON subscriptions (billing_cycle, number) WHERE status = 'active';
CREATE INDEX subscriptions_by_point ON subscriptions (service_point);

-- A meter's time on a service point; moments are seconds since 1970.
CREATE TABLE meters (
    manufacturer  text NOT NULL,
    serial_number text NOT NULL,
    installed_at  bigint NOT NULL,
    service_point text NOT NULL,
    dials         int NOT NULL CHECK (dials BETWEEN 1 AND 15),
    multiplier    float8 NOT NULL CHECK (multiplier > 0),
    registers     text[] NOT NULL,
    removed_at    bigint,
    PRIMARY KEY (manufacturer, serial_number, installed_at)
);
CREATE INDEX meters_by_point ON meters (service_point);

CREATE TABLE readings (
    reading_id    text PRIMARY KEY,
    manufacturer  text NOT NULL,
    serial_number text NOT NULL,
    register      text NOT NULL,
    index         float8 NOT NULL,
    -- The index with every rollover of the dials added back: consumption is a subtraction.
    unwound       float8 NOT NULL,
    read_at       bigint NOT NULL,
    source        text NOT NULL CHECK (source IN ('actual', 'customer', 'estimated', 'registration')),
    status        text NOT NULL CHECK (status IN ('valid', 'flagged', 'rejected', 'superseded')),
    flags         text[] NOT NULL DEFAULT '{}',
    consumption   float8,
    note          text,
    recorded_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX readings_by_register ON readings (manufacturer, serial_number, register, read_at DESC);

CREATE TABLE intervals (
    series_id     text PRIMARY KEY,
    manufacturer  text NOT NULL,
    serial_number text NOT NULL,
    start_minute  bigint NOT NULL,
    minutes       int NOT NULL,
    values        float8[] NOT NULL
);
CREATE INDEX intervals_by_meter ON intervals (manufacturer, serial_number, start_minute);

-- Where each register's next bill opens: the last bill's closing, or a subscription's first.
CREATE TABLE billed_registers (
    subscription_number text NOT NULL,
    manufacturer        text NOT NULL,
    serial_number       text NOT NULL,
    register            text NOT NULL,
    reading_id          text NOT NULL,
    index               float8 NOT NULL,
    unwound             float8 NOT NULL,
    read_at             bigint NOT NULL,
    source              text NOT NULL,
    PRIMARY KEY (subscription_number, manufacturer, serial_number, register)
);

-- Tariffs as the Tariff service announced them, priced here with the pricing library.
CREATE TABLE tariffs (
    code       text PRIMARY KEY,
    tariff     text NOT NULL,
    versions   text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Payments as the ledger announced them: "payments since" on the next bill.
CREATE TABLE payments (
    payment_id          text PRIMARY KEY,
    subscription_number text NOT NULL,
    amount              bigint NOT NULL,
    value_date          date NOT NULL
);
CREATE INDEX payments_by_subscription ON payments (subscription_number, value_date);

-- Bill numbers are sequential without gaps in their series: the counter moves in the
-- transaction that stores the bills.
CREATE TABLE bill_series (
    series text PRIMARY KEY,
    last   bigint NOT NULL
);

CREATE TABLE bills (
    bill_id             text PRIMARY KEY,
    subscription_number text NOT NULL,
    customer_number     text NOT NULL,
    run_id              text,
    kind                text NOT NULL,
    status              text NOT NULL CHECK (status IN ('issued', 'cancelled')),
    period_from         date NOT NULL,
    period_to           date NOT NULL,
    issue_date          date NOT NULL,
    currency            char(3) NOT NULL,
    charges             bigint NOT NULL,
    amount_due          bigint NOT NULL,
    consumption         float8 NOT NULL,
    estimated           boolean NOT NULL,
    -- The whole bill as JSON (Contracts' Bill), as it was issued; its status is the column's.
    document            text NOT NULL,
    -- Where each register opened, as JSON: a cancelled bill's subscription is billed from them again.
    openings            text NOT NULL,
    issued_at           timestamptz NOT NULL DEFAULT now()
);
-- A subscription's period is billed once: a repeated or resumed run cannot bill it twice.
CREATE UNIQUE INDEX one_bill_a_period ON bills (subscription_number, period_to) WHERE status = 'issued';
CREATE INDEX bills_by_subscription ON bills (subscription_number, period_to DESC);
CREATE INDEX bills_by_customer ON bills (customer_number, issue_date DESC);

CREATE TABLE runs (
    run_id        text PRIMARY KEY,
    cycle         text NOT NULL,
    period_end    date NOT NULL,
    issue_date    date NOT NULL,
    due_days      int NOT NULL,
    chunks        int NOT NULL,
    chunks_done   int NOT NULL DEFAULT 0,
    subscriptions int NOT NULL,
    billed        int NOT NULL DEFAULT 0,
    skipped       int NOT NULL DEFAULT 0,
    exceptions    int NOT NULL DEFAULT 0,
    started_at    timestamptz NOT NULL DEFAULT now(),
    completed_at  timestamptz
);
CREATE TABLE run_chunks (
    run_id text NOT NULL,
    chunk  int NOT NULL,
    done_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (run_id, chunk)
);
CREATE TABLE run_exceptions (
    run_id              text NOT NULL,
    subscription_number text NOT NULL,
    reason              text NOT NULL,
    PRIMARY KEY (run_id, subscription_number)
);
CREATE TABLE run_charges (
    run_id   text NOT NULL,
    currency char(3) NOT NULL,
    amount   bigint NOT NULL,
    PRIMARY KEY (run_id, currency)
);

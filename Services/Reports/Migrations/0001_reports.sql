-- Reports: the read model of the whole business, fed by every service's events. Each table
-- of facts is one row per thing (customer, bill, task…) as the last event left it; every
-- event is also kept in event_log, so the model can be rebuilt from scratch by replaying it.
CREATE TABLE event_log (
    seq         bigserial PRIMARY KEY,
    message_id  text NOT NULL,
    type        text NOT NULL,
    sent_at     timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    body        text NOT NULL
);

CREATE TABLE customers (
    customer_number text PRIMARY KEY,
    kind            text,
    city            text,
    country         text,
    language        text,
    registered_on   date
);

CREATE TABLE subscriptions (
    subscription_number  text PRIMARY KEY,
    customer_number      text,
    service_point_number text,
    utility              text,
    region               text,
    use_type             text,
    tariff_code          text,
    billing_cycle        text,
    start_date           date,
    status               text,
    status_since         date
);
CREATE INDEX subscriptions_by_customer ON subscriptions (customer_number);

CREATE TABLE meters (
    manufacturer         text NOT NULL,
    serial_number        text NOT NULL,
    utility              text,
    model                text,
    year_of_manufacture  int,
    next_test_due        date,
    status               text,
    subscription_number  text,
    service_point_number text,
    -- From the subscription: where the meter is.
    region               text,
    last_tested_on       date,
    last_test_passed     bool,
    PRIMARY KEY (manufacturer, serial_number)
);

CREATE TABLE bills (
    bill_id             text PRIMARY KEY,
    kind                text,
    status              text,
    subscription_number text,
    customer_number     text,
    utility             text,
    region              text,
    -- From the subscription: a bill's event does not carry it.
    use_type            text,
    tariff_code         text,
    period_from         date,
    period_to           date,
    issued_on           date,
    due_on              date,
    currency            text,
    charges             bigint,
    amount_due          bigint,
    consumption         float8,
    estimated           bool,
    -- What payments settled of this bill (ledger.payment-received's allocation).
    settled             bigint NOT NULL DEFAULT 0
);
CREATE INDEX bills_by_issue ON bills (issued_on);
CREATE INDEX bills_open ON bills (region, due_on) WHERE status = 'issued' AND charges > settled;

-- Bills summed by month of issue and every dimension the summary keeps: what a report of billed
-- amounts by month, region or tariff reads instead of the bills (see ReportSummary). Kept in
-- the transaction that changes the bills.
CREATE TABLE bill_months (
    month       date NOT NULL,
    status      text NOT NULL,
    kind        text NOT NULL,
    utility     text NOT NULL,
    region      text NOT NULL,
    use_type    text NOT NULL,
    tariff_code text NOT NULL,
    currency    text NOT NULL,
    bills       bigint NOT NULL,
    charges     bigint NOT NULL,
    amount_due  bigint NOT NULL,
    consumption float8 NOT NULL,
    PRIMARY KEY (month, status, kind, utility, region, use_type, tariff_code, currency)
);
CREATE INDEX bill_months_empty ON bill_months (month) WHERE bills = 0;

CREATE TABLE payments (
    payment_id          text PRIMARY KEY,
    subscription_number text,
    customer_number     text,
    region              text,
    utility             text,
    channel             text,
    currency            text,
    amount              bigint,
    credited            bigint,
    value_date          date,
    received_at         timestamptz
);
CREATE INDEX payments_by_day ON payments (value_date);

CREATE TABLE balances (
    subscription_number text PRIMARY KEY,
    customer_number     text,
    region              text,
    utility             text,
    use_type            text,
    currency            text,
    due                 bigint,
    overdue             bigint,
    held                bigint,
    credit              bigint,
    deposit             bigint,
    as_of               date
);

CREATE TABLE disputes (
    dispute_id          text PRIMARY KEY,
    subscription_number text,
    bill_id             text,
    region              text,
    utility             text,
    currency            text,
    amount              bigint,
    status              text,
    accepted            bigint,
    opened_on           date,
    resolved_on         date
);

CREATE TABLE processes (
    instance_id  text PRIMARY KEY,
    process_id   text,
    process_name text,
    version      int,
    business_key text,
    started_by   text,
    status       text,
    started_at   timestamptz,
    ended_at     timestamptz
);

CREATE TABLE tasks (
    task_id      text PRIMARY KEY,
    instance_id  text,
    process_id   text,
    process_name text,
    step         text,
    step_name    text,
    group_name   text,
    assignee     text,
    status       text,
    created_at   timestamptz,
    due_at       timestamptz,
    ended_at     timestamptz,
    ended_by     text
);
CREATE INDEX tasks_open ON tasks (due_at) WHERE status = 'open';

CREATE TABLE reading_checks (
    message_id text PRIMARY KEY,
    checked_at timestamptz,
    stored     int,
    duplicates int,
    flagged    int,
    refused    int
);

-- The ledger: accounts with their balances, the journal (requests, entries, postings), open
-- items and dispute holds. The journal is append-only: a mistake is a reversing entry.
CREATE TABLE accounts (
    code                text PRIMARY KEY,
    kind                text NOT NULL CHECK (kind IN ('receivable', 'credit', 'deposit', 'revenue', 'tax', 'cash', 'suspense', 'write-off')),
    currency            char(3) NOT NULL,
    name                text NOT NULL,
    subscription_number text,
    customer_number     text,
    -- Kept current in the transaction that posts; the check query proves them against postings.
    debits              bigint NOT NULL DEFAULT 0 CHECK (debits >= 0),
    credits             bigint NOT NULL DEFAULT 0 CHECK (credits >= 0),
    pending             bigint NOT NULL DEFAULT 0,
    opened_at           timestamptz NOT NULL DEFAULT now(),
    CHECK ((kind IN ('receivable', 'credit', 'deposit')) = (subscription_number IS NOT NULL))
) WITH (fillfactor = 80);  -- room on each page, so a balance's update stays on it (a HOT update, no index touched)
CREATE INDEX accounts_by_customer ON accounts (customer_number, code) WHERE customer_number IS NOT NULL;
CREATE INDEX accounts_by_subscription ON accounts (subscription_number) WHERE subscription_number IS NOT NULL;

-- Each client id answers once: the same content is "already recorded", other content refused.
CREATE TABLE requests (
    key         text PRIMARY KEY,
    content     text NOT NULL,
    entries     text[] NOT NULL,
    actor       text NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE entries (
    id                  text PRIMARY KEY,
    seq                 bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    kind                text NOT NULL,
    subscription_number text,
    currency            char(3) NOT NULL,
    value_date          date NOT NULL,
    reverses            text UNIQUE REFERENCES entries (id),
    memo                text NOT NULL,
    -- What the entry did to open items, as JSON [{"item", "open", "held", "adjusted"}], for its
    -- reversal; text, read only by the service, as parsing it into jsonb cost every insert.
    items               text NOT NULL,
    actor               text NOT NULL,
    recorded_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE postings (
    entry_id   text NOT NULL,
    position   smallint NOT NULL,
    account    text NOT NULL,
    amount     bigint NOT NULL CHECK (amount <> 0),
    pending    boolean NOT NULL,
    value_date date NOT NULL,
    PRIMARY KEY (entry_id, position)
);
-- Statements: an account's postings by date.
CREATE INDEX postings_by_account ON postings (account, value_date);

CREATE TABLE open_items (
    id                  text PRIMARY KEY,
    bill_id             text,
    subscription_number text NOT NULL,
    currency            char(3) NOT NULL,
    issue_date          date NOT NULL,
    due_date            date NOT NULL,
    amount              bigint NOT NULL,
    open                bigint NOT NULL,
    held                bigint NOT NULL DEFAULT 0,
    adjusted            bigint NOT NULL DEFAULT 0,
    -- The accounts it was charged to, as JSON [{"account", "amount"}].
    lines               text NOT NULL,
    cancelled           boolean NOT NULL DEFAULT false,
    CHECK (open >= held AND held >= 0 AND adjusted >= 0)
) WITH (fillfactor = 80);
-- A subscription's items still open, which every payment reads; ageing and the debtors list
-- read every item anyway.
CREATE INDEX open_items_by_subscription ON open_items (subscription_number) WHERE open > 0 OR held > 0;

CREATE TABLE dispute_holds (
    id                  text PRIMARY KEY,
    subscription_number text NOT NULL,
    bill_id             text,
    currency            char(3) NOT NULL,
    amount              bigint NOT NULL CHECK (amount > 0),
    parts               jsonb NOT NULL,
    status              text NOT NULL CHECK (status IN ('open', 'accepted', 'rejected')),
    accepted            bigint NOT NULL DEFAULT 0,
    reason              text NOT NULL,
    opened_on           date NOT NULL
);

CREATE OR REPLACE FUNCTION ledger_journal_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is never changed or deleted: correct a mistake with a reversing entry', TG_TABLE_NAME;
END $$;
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries FOR EACH ROW EXECUTE FUNCTION ledger_journal_is_append_only();
CREATE TRIGGER postings_append_only BEFORE UPDATE OR DELETE ON postings FOR EACH ROW EXECUTE FUNCTION ledger_journal_is_append_only();
CREATE TRIGGER requests_append_only BEFORE UPDATE OR DELETE ON requests FOR EACH ROW EXECUTE FUNCTION ledger_journal_is_append_only();

-- Issue 23 item 9: card statements (what a card system states each month: the balance, the
-- repayment, the minimum due and the days past due), which the behaviour risk grade learns
-- from, and each customer's behaviour types and risk grade as an analysis keeps them.

-- One account's statement of one cycle, amounts in minor units; a statement stated again
-- (a corrected extract) replaces the earlier one.
CREATE TABLE account_statement (
    account_id     INTEGER NOT NULL REFERENCES account(id),
    statement_date TEXT NOT NULL,
    due_date       TEXT,
    previous_balance_minor INTEGER,
    purchases_minor INTEGER,
    cash_advances_minor INTEGER,
    interest_fees_minor INTEGER,
    payments_minor INTEGER,
    balance_minor  INTEGER NOT NULL,
    credit_limit_minor INTEGER,
    minimum_due_minor INTEGER,
    days_past_due  INTEGER NOT NULL DEFAULT 0 CHECK (days_past_due >= 0),
    source         TEXT NOT NULL,
    job_id         INTEGER REFERENCES load_job(id),
    PRIMARY KEY (account_id, statement_date)
);

-- A behaviour analysis's customer: the behaviour types that apply (codes, comma-separated, in
-- the rules' order), the first of them, and the risk grade with the probability it came from
-- (none without a risk model's scoring).
CREATE TABLE customer_behaviour (
    run_id       INTEGER NOT NULL REFERENCES analysis_run(id),
    customer_id  INTEGER NOT NULL REFERENCES party(id),
    types        TEXT NOT NULL,
    primary_type TEXT,
    risk_grade   TEXT,
    risk_p       REAL,
    PRIMARY KEY (run_id, customer_id)
);
CREATE INDEX customer_behaviour_customer ON customer_behaviour(customer_id, run_id);

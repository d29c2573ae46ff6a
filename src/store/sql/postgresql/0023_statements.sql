-- Issue 23 item 9: card statements (what a card system states each month: the balance, the
-- repayment, the minimum due and the days past due), which the behaviour risk grade learns
-- from, and each customer's behaviour types and risk grade as an analysis keeps them.
--
-- PostgreSQL (what differs from ../sqlite/0023_statements.sql):
--   INTEGER: BIGINT (the code binds int64)
--   REAL: DOUBLE PRECISION

-- One account's statement of one cycle, amounts in minor units; a statement stated again
-- (a corrected extract) replaces the earlier one.
CREATE TABLE account_statement (
    account_id     BIGINT NOT NULL REFERENCES account(id),
    statement_date TEXT NOT NULL,
    due_date       TEXT,
    previous_balance_minor BIGINT,
    purchases_minor BIGINT,
    cash_advances_minor BIGINT,
    interest_fees_minor BIGINT,
    payments_minor BIGINT,
    balance_minor  BIGINT NOT NULL,
    credit_limit_minor BIGINT,
    minimum_due_minor BIGINT,
    days_past_due  BIGINT NOT NULL DEFAULT 0 CHECK (days_past_due >= 0),
    source         TEXT NOT NULL,
    job_id         BIGINT REFERENCES load_job(id),
    PRIMARY KEY (account_id, statement_date)
);

-- A behaviour analysis's customer: the behaviour types that apply (codes, comma-separated, in
-- the rules' order), the first of them, and the risk grade with the probability it came from
-- (none without a risk model's scoring).
CREATE TABLE customer_behaviour (
    run_id       BIGINT NOT NULL REFERENCES analysis_run(id),
    customer_id  BIGINT NOT NULL REFERENCES party(id),
    types        TEXT NOT NULL,
    primary_type TEXT,
    risk_grade   TEXT,
    risk_p       DOUBLE PRECISION,
    PRIMARY KEY (run_id, customer_id)
);
CREATE INDEX customer_behaviour_customer ON customer_behaviour(customer_id, run_id);

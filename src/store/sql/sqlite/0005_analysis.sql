-- Customer value and segmentation analytics (issue 6): every run of an
-- analysis is kept with its parameters and as-of date, so that the API and
-- the web application can show it and months can be compared.

-- One run: which analysis, as of when, with what parameters (JSON), and its
-- aggregate result (JSON: the Pareto curve, the pyramid's levels, the gains
-- and losses table, the migration matrix and its rules, segment checks,
-- cluster profiles, the quality report).
CREATE TABLE analysis_run (
    id          INTEGER PRIMARY KEY,
    job         TEXT NOT NULL,
    as_of       TEXT NOT NULL,              -- YYYY-MM-DD, inclusive
    params      TEXT NOT NULL,              -- JSON
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    started_by  TEXT,
    customers   INTEGER NOT NULL DEFAULT 0,
    seconds     REAL NOT NULL DEFAULT 0,
    summary     TEXT                        -- JSON
);
CREATE INDEX analysis_run_job ON analysis_run(job, as_of);

-- Per customer: value (revenue, cost to serve, profit) with its decile and
-- pyramid level; written by value, pareto and pyramid runs.
CREATE TABLE customer_value (
    run_id        INTEGER NOT NULL REFERENCES analysis_run(id) ON DELETE CASCADE,
    customer_id   INTEGER NOT NULL,
    revenue_minor INTEGER NOT NULL,
    cost_minor    INTEGER NOT NULL,
    profit_minor  INTEGER NOT NULL,
    margin_minor  INTEGER NOT NULL,         -- interest margin on average balances
    fees_minor    INTEGER NOT NULL,         -- fees, card interchange and product charges
    transactions  INTEGER NOT NULL,
    decile        INTEGER,                  -- 1 the top tenth
    level         TEXT,                     -- the pyramid level
    PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_value_customer ON customer_value(customer_id);

CREATE TABLE customer_rfm (
    run_id         INTEGER NOT NULL REFERENCES analysis_run(id) ON DELETE CASCADE,
    customer_id    INTEGER NOT NULL,
    recency_days   INTEGER NOT NULL,
    frequency      INTEGER NOT NULL,
    monetary_minor INTEGER NOT NULL,
    r INTEGER NOT NULL, f INTEGER NOT NULL, m INTEGER NOT NULL,
    cell           INTEGER NOT NULL,
    PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_rfm_customer ON customer_rfm(customer_id);

CREATE TABLE customer_clv (
    run_id          INTEGER NOT NULL REFERENCES analysis_run(id) ON DELETE CASCADE,
    customer_id     INTEGER NOT NULL,
    x               INTEGER NOT NULL,       -- repeat purchase days in the calibration period
    t_x             REAL NOT NULL,          -- weeks from the first to the last
    t_cal           REAL NOT NULL,          -- weeks from the first to the end of calibration
    p_alive         REAL NOT NULL,
    expected        REAL NOT NULL,          -- transactions over the horizon
    expected_value  REAL NOT NULL,          -- value of one transaction (Gamma-Gamma)
    clv_minor       INTEGER NOT NULL,       -- discounted lifetime value over the horizon
    PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_clv_customer ON customer_clv(customer_id);

-- Segment or cluster membership of each customer in a run.
CREATE TABLE customer_segment (
    run_id      INTEGER NOT NULL REFERENCES analysis_run(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL,
    segment     TEXT NOT NULL,
    PRIMARY KEY (run_id, customer_id)
) WITHOUT ROWID;
CREATE INDEX customer_segment_customer ON customer_segment(customer_id);

-- Predictive models kept (issue 23 item 6): every model trained with --save, by name and version,
-- with what made it (learner, settings, the columns it reads, a fingerprint of the data) and how it
-- measured, until retired; each scoring of the customers a run; each customer's score of a run.
--
-- doc is the model itself (models.h, mdl_model_save: learner, schema, body) with, beside it, the
-- training distributions the drift of a later scoring is measured against (profile).  The report is
-- the training report (hold-out metrics, cross-validation, importance, the settings tried).
CREATE TABLE model (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    learner     TEXT NOT NULL,
    target      TEXT NOT NULL,
    positive    TEXT NOT NULL,
    params      TEXT NOT NULL,
    features    INTEGER NOT NULL,
    data_file   TEXT,
    data_sha256 TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    positives   INTEGER NOT NULL,
    auc         REAL,
    doc         TEXT NOT NULL,
    profile     TEXT NOT NULL,
    report      TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'retired')),
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    retired_at  TEXT,
    retired_by  TEXT,
    UNIQUE (name, version)
);

-- A scoring of the warehouse's customers (source 'warehouse') or of a file ('file:PATH') by a model:
-- when, by whom, the as-of day of the customer signature, how many, and the drift from the training data (population stability
-- index per feature and of the score, JSON).
CREATE TABLE model_run (
    id          INTEGER PRIMARY KEY,
    model_id    INTEGER NOT NULL REFERENCES model(id),
    as_of       TEXT,
    source      TEXT NOT NULL,
    rows        INTEGER NOT NULL,
    psi         TEXT NOT NULL,
    scored_at   TEXT NOT NULL,
    scored_by   TEXT NOT NULL
);
CREATE INDEX model_run_model ON model_run(model_id, id);

-- Each customer's score of a run: the probability, its decile among the run's customers (1 the
-- highest) and the features that raise it most (JSON: [{feature, value, effect}]).
CREATE TABLE customer_score (
    run_id      INTEGER NOT NULL REFERENCES model_run(id),
    customer_id INTEGER NOT NULL REFERENCES party(id),
    score       REAL NOT NULL,
    decile      INTEGER NOT NULL CHECK (decile BETWEEN 1 AND 10),
    reasons     TEXT,
    PRIMARY KEY (run_id, customer_id)
);
CREATE INDEX customer_score_customer ON customer_score(customer_id, run_id);

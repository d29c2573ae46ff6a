-- Who is who (issue 5): source parties found to be one person are joined
-- under a person party that identity resolution made; nothing of a source
-- party is rewritten, so a merge can be undone and lineage stays whole.

-- merged_into: the person this source party was found to be.  resolved: 1
-- for a person made by identity resolution (its values chosen from its
-- source parties by the survivorship rules).
ALTER TABLE party ADD COLUMN merged_into INTEGER REFERENCES party(id);
ALTER TABLE party ADD COLUMN resolved INTEGER NOT NULL DEFAULT 0;
CREATE INDEX party_merged_into ON party(merged_into) WHERE merged_into IS NOT NULL;

-- One run of resolution: what it compared and decided, and the weights it used.
CREATE TABLE match_run (
    id          INTEGER PRIMARY KEY,
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    started_by  TEXT,
    records     INTEGER NOT NULL DEFAULT 0,
    pairs       INTEGER NOT NULL DEFAULT 0,
    links       INTEGER NOT NULL DEFAULT 0,
    reviews     INTEGER NOT NULL DEFAULT 0,
    persons     INTEGER NOT NULL DEFAULT 0,
    seconds     REAL NOT NULL DEFAULT 0,
    model       TEXT                       -- JSON: thresholds, m and u per field and level
);

-- A pair of source parties a run scored: linked, or waiting for a person's
-- decision, with the evidence field by field.  A person's decision stays
-- with the pair through later runs.
CREATE TABLE match_pair (
    id          INTEGER PRIMARY KEY,
    a_party     INTEGER NOT NULL REFERENCES party(id),
    b_party     INTEGER NOT NULL REFERENCES party(id),
    run_id      INTEGER REFERENCES match_run(id),
    weight      REAL,
    probability REAL,
    evidence    TEXT,                      -- JSON: each field's level and both values
    status      TEXT NOT NULL DEFAULT 'review'
                CHECK (status = 'review' OR status = 'accepted' OR status = 'rejected' OR status = 'linked'),
    decided_by  TEXT,
    decided_at  TEXT,
    CHECK (a_party < b_party),
    UNIQUE (a_party, b_party)
);
CREATE INDEX match_pair_status ON match_pair(status);

-- Every decision, by whom and when: accepted and rejected pairs, merges and
-- unmerges by hand.  Append-only.
CREATE TABLE match_decision (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    by_user   TEXT,
    action    TEXT NOT NULL CHECK (action = 'accept' OR action = 'reject' OR action = 'merge' OR action = 'unmerge'),
    pair_id   INTEGER REFERENCES match_pair(id),
    party     INTEGER REFERENCES party(id),
    other     INTEGER REFERENCES party(id),
    note      TEXT
);

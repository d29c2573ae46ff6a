-- Loading source extracts (DOMAIN W6-W13): jobs that can resume, rejects a
-- data steward can query and re-submit, the history of changed attributes,
-- and the sources' behavioural records that are not money movements.

-- Until identity resolution merges them, the host's, the card system's and
-- internet banking's records of one person are separate source parties,
-- each holding the same national ID: the ID is unique per party, not per
-- store.  Curated entry (import, API) still refuses a second holder.
DROP INDEX party_identifier_lookup;
CREATE INDEX party_identifier_lookup ON party_identifier(lookup);
CREATE UNIQUE INDEX party_identifier_once ON party_identifier(party_id, lookup);

-- A job loads one file with one spec.  records/offset are the checkpoint:
-- the records read and the byte just after the last committed batch, so
-- that a load interrupted by Ctrl-C or kill -9 resumes where it stopped.
ALTER TABLE load_job ADD COLUMN spec TEXT;
ALTER TABLE load_job ADD COLUMN bytes INTEGER;
ALTER TABLE load_job ADD COLUMN records INTEGER NOT NULL DEFAULT 0;
ALTER TABLE load_job ADD COLUMN offset INTEGER NOT NULL DEFAULT 0;
ALTER TABLE load_job ADD COLUMN rows_fixed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE load_job ADD COLUMN rows_unchanged INTEGER NOT NULL DEFAULT 0;
ALTER TABLE load_job ADD COLUMN pid INTEGER;
ALTER TABLE load_job ADD COLUMN seconds REAL NOT NULL DEFAULT 0;
ALTER TABLE load_job ADD COLUMN message TEXT;
ALTER TABLE load_job ADD COLUMN resubmits INTEGER REFERENCES load_job(id);
ALTER TABLE load_job ADD COLUMN path TEXT;        -- the file's absolute path when loaded
ALTER TABLE load_job ADD COLUMN spec_text TEXT;   -- the spec exactly as it was read (lineage, re-submission)
ALTER TABLE load_job ADD COLUMN header BLOB;      -- the header row as it was in the file
CREATE INDEX load_job_fingerprint ON load_job(fingerprint, spec);

-- Counts per rule and field: what was rejected and what cleansing fixed.
CREATE TABLE load_rule (
    job_id   INTEGER NOT NULL REFERENCES load_job(id),
    outcome  TEXT NOT NULL CHECK (outcome = 'rejected' OR outcome = 'fixed'),
    rule     TEXT NOT NULL,
    field    TEXT NOT NULL DEFAULT '',
    count    INTEGER NOT NULL,
    PRIMARY KEY (job_id, outcome, rule, field)
) WITHOUT ROWID;

-- Every rejected record, with its raw bytes so that it can be corrected and
-- re-submitted.  value is printable: bytes that are not UTF-8 text are
-- written \xHH.
CREATE TABLE reject (
    id        INTEGER PRIMARY KEY,
    job_id    INTEGER NOT NULL REFERENCES load_job(id),
    file      TEXT NOT NULL,
    record    INTEGER NOT NULL,
    offset    INTEGER NOT NULL,
    field     TEXT NOT NULL DEFAULT '',
    value     TEXT,
    rule      TEXT NOT NULL,
    message   TEXT NOT NULL,
    raw       BLOB,
    status    TEXT NOT NULL DEFAULT 'open'
              CHECK (status = 'open' OR status = 'resubmitted' OR status = 'loaded' OR status = 'dismissed'),
    resolved_by_job INTEGER REFERENCES load_job(id),
    resolved_at TEXT,
    resolved_by TEXT,                      -- who dismissed it, and why (note)
    note      TEXT,
    UNIQUE (job_id, record)
);
CREATE INDEX reject_open ON reject(status, job_id);

-- Keys seen by a running job: a record whose key came earlier in the same
-- file is a duplicate.  Emptied when the job ends.
CREATE TABLE load_seen (
    job_id INTEGER NOT NULL,
    key    BLOB NOT NULL,
    record INTEGER NOT NULL,
    PRIMARY KEY (job_id, key)
) WITHOUT ROWID;

-- What an upsert changed: the old value held from valid_from until
-- valid_to, when the new value came from job_id.
CREATE TABLE attribute_history (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL CHECK (entity = 'party' OR entity = 'account'),
    entity_id  INTEGER NOT NULL,
    attribute  TEXT NOT NULL,
    old_value  TEXT,
    new_value  TEXT,
    valid_from TEXT,
    valid_to   TEXT NOT NULL,
    job_id     INTEGER REFERENCES load_job(id)
);
CREATE INDEX attribute_history_entity ON attribute_history(entity, entity_id, attribute);

-- Transactions, rebuilt: how many items and which (a product code, a
-- merchant category), as shops and card issuers report them; and the channel
-- check written as comparisons, because `IN (list)` makes SQLite build a
-- temporary index for every row inserted, a third of a bulk load's time.
CREATE TABLE txn_new (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES account(id),
    posted_at    TEXT NOT NULL,
    value_date   TEXT,
    amount_minor INTEGER NOT NULL,         -- signed: credit > 0, debit < 0
    currency     TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel = 'branch' OR channel = 'atm' OR channel = 'internet' OR
                     channel = 'mobile' OR channel = 'phone' OR channel = 'pos' OR channel = 'batch'),
    class        TEXT NOT NULL,            -- deposit, withdrawal, transfer_in, salary, purchase, ...
    description  TEXT,
    counterparty TEXT,
    source       TEXT,
    source_key   TEXT,
    job_id       INTEGER REFERENCES load_job(id),
    quantity     INTEGER,
    item         TEXT
);
INSERT INTO txn_new(id, account_id, posted_at, value_date, amount_minor, currency, channel, class,
                    description, counterparty, source, source_key, job_id)
    SELECT id, account_id, posted_at, value_date, amount_minor, currency, channel, class,
           description, counterparty, source, source_key, job_id FROM txn;
DROP TABLE txn;
ALTER TABLE txn_new RENAME TO txn;
CREATE INDEX txn_account_time ON txn(account_id, posted_at);
CREATE UNIQUE INDEX txn_source_key ON txn(source, source_key) WHERE source_key IS NOT NULL;

-- Accounts: the interest rate (percent a year) and the interest accrued,
-- as the host reports them: what an account earns or costs the bank.
ALTER TABLE account ADD COLUMN interest_rate REAL;
ALTER TABLE account ADD COLUMN accrued_interest_minor INTEGER;

-- A relationship to a party that has not arrived yet (a spouse further on
-- in the file, or in a later extract): made when it arrives.
CREATE TABLE pending_link (
    id         INTEGER PRIMARY KEY,
    from_party INTEGER NOT NULL REFERENCES party(id),
    to_source  TEXT NOT NULL,
    to_key     TEXT NOT NULL,
    kind       TEXT NOT NULL,
    since      TEXT,
    job_id     INTEGER REFERENCES load_job(id),
    UNIQUE (from_party, to_source, to_key, kind)
);
CREATE INDEX pending_link_to ON pending_link(to_source, to_key);

-- Digital behaviour that is not a money movement: log-ins, pages viewed,
-- transfer instructions as the online system saw them.
CREATE TABLE activity (
    id          INTEGER PRIMARY KEY,
    party_id    INTEGER NOT NULL REFERENCES party(id),
    at          TEXT NOT NULL,
    kind        TEXT NOT NULL,             -- login, page, transfer, ...
    channel     TEXT,
    detail      TEXT,                      -- page, device, address, outcome
    amount_minor INTEGER,
    currency    TEXT,
    source      TEXT NOT NULL,
    source_key  TEXT NOT NULL,
    job_id      INTEGER REFERENCES load_job(id),
    UNIQUE (source, source_key)
);
CREATE INDEX activity_party_time ON activity(party_id, at);

-- The contact centre's call detail records (C-series KPIs), identified or
-- not; an identified call also appears in the customer's contact history.
CREATE TABLE call_record (
    id          INTEGER PRIMARY KEY,
    call_id     TEXT NOT NULL,
    source      TEXT NOT NULL,
    arrival     TEXT NOT NULL,
    caller      TEXT,                      -- E.164
    ivr_path    TEXT,
    party_id    INTEGER REFERENCES party(id),
    queue       TEXT,
    wait_s      INTEGER,
    talk_s      INTEGER,
    wrap_s      INTEGER,
    abandoned   INTEGER NOT NULL DEFAULT 0 CHECK (abandoned = 0 OR abandoned = 1),
    agent       TEXT,
    reason      TEXT,
    note        TEXT,
    note_category TEXT,
    note_at     TEXT,
    interaction_id INTEGER REFERENCES interaction(id),
    job_id      INTEGER REFERENCES load_job(id),
    UNIQUE (source, call_id)
);
CREATE INDEX call_record_arrival ON call_record(arrival);
CREATE INDEX call_record_party ON call_record(party_id);

-- Campaigns (K-series), their target lists with control groups, responses.
CREATE TABLE campaign (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    offer       TEXT,
    channel     TEXT,
    start_date  TEXT,
    end_date    TEXT,
    response_deadline TEXT,
    job_id      INTEGER REFERENCES load_job(id)
);

CREATE TABLE campaign_target (
    campaign    TEXT NOT NULL REFERENCES campaign(code),
    party_id    INTEGER NOT NULL REFERENCES party(id),
    grp         TEXT NOT NULL CHECK (grp = 'treatment' OR grp = 'control'),
    contacted_at TEXT,
    channel     TEXT,
    job_id      INTEGER REFERENCES load_job(id),
    PRIMARY KEY (campaign, party_id)
);
CREATE INDEX campaign_target_party ON campaign_target(party_id);

CREATE TABLE campaign_response (
    campaign    TEXT NOT NULL REFERENCES campaign(code),
    party_id    INTEGER NOT NULL REFERENCES party(id),
    response    TEXT NOT NULL CHECK (response = 'positive' OR response = 'negative'),
    responded_at TEXT,
    job_id      INTEGER REFERENCES load_job(id),
    PRIMARY KEY (campaign, party_id)
);

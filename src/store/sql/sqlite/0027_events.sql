-- Issue 24: events, leads and the next-best offer (DOMAIN M12, K7, C6).
--
-- The warehouse learns who each customer's relationship manager is (from the bank's CRM: the
-- manager's sign-in name in Rapport, so "my leads" finds them).  Marketing keeps its event rules
-- (one row each: a detector of events.c with its parameters, the offer it suggests, where the lead
-- goes and for how long it stands), the events they found (one per rule and fact, however often
-- and by whichever path the fact was seen: a load, the event feed, a run), the leads they made and
-- what became of each, and the capacity of each outbound channel a day until the contact centre
-- tells it.
--
-- Written in the SQL both stores run: no SQLite-only types or functions.

-- ---- the warehouse's ----

CREATE TABLE party_manager (
    party_id  INTEGER PRIMARY KEY REFERENCES party(id),
    manager   TEXT NOT NULL,          -- the relationship manager's user name
    since     TEXT,
    source    TEXT,
    job_id    INTEGER REFERENCES load_job(id)
);
CREATE INDEX party_manager_manager ON party_manager(manager);

-- ---- marketing's ----

CREATE TABLE event_rule (
    code         TEXT PRIMARY KEY,
    detector     TEXT NOT NULL,       -- a row of events.c's detectors
    name_zh      TEXT NOT NULL,
    name_en      TEXT NOT NULL,
    params       TEXT NOT NULL DEFAULT '{}',  -- the detector's parameters, a JSON object
    offer        TEXT REFERENCES offer(code),
    route        TEXT NOT NULL DEFAULT 'manager' CHECK (route IN ('manager', 'branch', 'outbound')),
    expires_days INTEGER NOT NULL DEFAULT 14 CHECK (expires_days BETWEEN 1 AND 366),
    priority     INTEGER NOT NULL DEFAULT 50 CHECK (priority BETWEEN 0 AND 100),
    control_pct  REAL NOT NULL DEFAULT 0 CHECK (control_pct >= 0 AND control_pct < 100),
    enabled      INTEGER NOT NULL DEFAULT 1 CHECK (enabled IN (0, 1)),
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT NOT NULL
);

CREATE TABLE customer_event (
    id           INTEGER PRIMARY KEY,
    rule         TEXT NOT NULL REFERENCES event_rule(code),
    party_id     INTEGER NOT NULL REFERENCES party(id),
    account_id   INTEGER REFERENCES account(id),
    occurred_at  TEXT NOT NULL,
    detected_at  TEXT NOT NULL,
    via          TEXT NOT NULL CHECK (via IN ('load', 'feed', 'run')),
    fact         TEXT NOT NULL,       -- what it was seen in: one event per rule and fact
    amount_minor INTEGER,
    reason_zh    TEXT NOT NULL,
    reason_en    TEXT NOT NULL,
    UNIQUE (rule, fact)
);
CREATE INDEX customer_event_party ON customer_event(party_id, occurred_at);

CREATE TABLE lead (
    id           INTEGER PRIMARY KEY,
    event_id     INTEGER REFERENCES customer_event(id),
    party_id     INTEGER NOT NULL REFERENCES party(id),
    rule         TEXT REFERENCES event_rule(code),
    offer        TEXT REFERENCES offer(code),
    queue        TEXT NOT NULL CHECK (queue IN ('manager', 'branch', 'outbound')),
    assigned_to  TEXT,                -- the manager's user name (queue manager)
    branch       TEXT,                -- the customer's home branch
    priority     INTEGER NOT NULL,
    status       TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'worked', 'converted', 'declined',
                     'expired', 'control')),
    created_at   TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    worked_at    TEXT,
    worked_by    TEXT,
    note         TEXT
);
CREATE INDEX lead_assigned ON lead(assigned_to, status);
CREATE INDEX lead_branch ON lead(branch, queue, status);
CREATE INDEX lead_party ON lead(party_id, status);
CREATE INDEX lead_open ON lead(status, expires_at);

-- How far the rules have read: the greatest transaction id and the time of the last run.
CREATE TABLE event_state (
    name   TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE channel_capacity (
    channel    TEXT PRIMARY KEY CHECK (channel IN ('direct_mail', 'email', 'sms', 'outbound_call', 'branch_lead',
                   'banner')),
    per_day    INTEGER NOT NULL CHECK (per_day >= 0),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);

-- The single customer view (DOMAIN W1-W5, W14).  Times are ISO 8601 UTC
-- text, dates YYYY-MM-DD text, money INTEGER minor units with a currency.

-- Facts about this store: the sealing key's check value, its creation.
CREATE TABLE store_meta (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- A load job: one file (or fixture, or manual entry session) brought in.
CREATE TABLE load_job (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,            -- source system code: host, card, online, fixture...
    file        TEXT,
    fingerprint TEXT,                     -- SHA-256 of the file
    started_at  TEXT NOT NULL,
    finished_at TEXT,
    status      TEXT NOT NULL DEFAULT 'running'
                CHECK (status IN ('running', 'done', 'failed')),
    rows_loaded INTEGER NOT NULL DEFAULT 0,
    rows_rejected INTEGER NOT NULL DEFAULT 0,
    started_by  TEXT
);

CREATE TABLE branch (
    code     TEXT PRIMARY KEY,
    name_zh  TEXT NOT NULL,
    name_en  TEXT,
    county   TEXT,
    district TEXT,
    address  TEXT,
    postal_code TEXT,
    phone    TEXT,
    opened_on TEXT,
    closed_on TEXT
);

-- Parties: people and organisations, current and former (W1).
CREATE TABLE party (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('person', 'organisation')),
    name_zh     TEXT,
    name_latin  TEXT,
    birth_date  TEXT,                     -- birth or founding date
    gender      TEXT CHECK (gender IN ('F', 'M', 'X')),
    occupation  TEXT,
    income_band TEXT,
    status      TEXT NOT NULL DEFAULT 'active'
                CHECK (status IN ('prospect', 'active', 'dormant', 'closed', 'deceased', 'merged')),
    status_since TEXT,
    home_branch TEXT REFERENCES branch(code),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    CHECK (name_zh IS NOT NULL OR name_latin IS NOT NULL)
);
CREATE INDEX party_name_zh ON party(name_zh);
CREATE INDEX party_name_latin ON party(name_latin);

-- Identifiers.  Sealed types (national_id, resident_cert, passport, tax_id)
-- keep only ciphertext, a keyed hash for exact lookup and a masked form.
CREATE TABLE party_identifier (
    id        INTEGER PRIMARY KEY,
    party_id  INTEGER NOT NULL REFERENCES party(id),
    type      TEXT NOT NULL CHECK (type IN ('national_id', 'resident_cert', 'passport', 'tax_id',
                  'ubn', 'source_customer_no', 'card_customer_no', 'online_user_id')),
    issuer    TEXT NOT NULL DEFAULT '',    -- source system, or passport country
    value     TEXT,                        -- plain value for unsealed types
    sealed    BLOB,                        -- ciphertext for sealed types
    lookup    BLOB NOT NULL,               -- keyed hash of type, issuer and value
    masked    TEXT NOT NULL,
    valid_from TEXT,
    valid_to   TEXT,
    CHECK ((value IS NULL) <> (sealed IS NULL))
);
CREATE UNIQUE INDEX party_identifier_lookup ON party_identifier(lookup);
CREATE INDEX party_identifier_party ON party_identifier(party_id);
CREATE INDEX party_identifier_value ON party_identifier(value) WHERE value IS NOT NULL;

-- Contact points with validity periods: phones in E.164, e-mails, addresses.
CREATE TABLE contact_point (
    id          INTEGER PRIMARY KEY,
    party_id    INTEGER NOT NULL REFERENCES party(id),
    kind        TEXT NOT NULL CHECK (kind IN ('mobile', 'phone', 'fax', 'email', 'address')),
    purpose     TEXT NOT NULL DEFAULT 'home' CHECK (purpose IN ('home', 'work', 'mail', 'other')),
    value       TEXT NOT NULL,             -- E.164 phone, e-mail, or the address line
    lookup      TEXT,                      -- normalised key for exact search (phone, e-mail)
    postal_code TEXT,
    county      TEXT,
    district    TEXT,
    is_primary  INTEGER NOT NULL DEFAULT 0 CHECK (is_primary IN (0, 1)),
    valid_from  TEXT,
    valid_to    TEXT,
    source      TEXT
);
CREATE INDEX contact_point_lookup ON contact_point(lookup) WHERE lookup IS NOT NULL;
CREATE INDEX contact_point_party ON contact_point(party_id);

-- Product catalogue (W5): several categories per product, features,
-- business constraints, cost and revenue, sales priority.
CREATE TABLE product_category (
    code    TEXT PRIMARY KEY,
    name_zh TEXT NOT NULL,
    name_en TEXT,
    parent  TEXT REFERENCES product_category(code)
);

CREATE TABLE product (
    code           TEXT PRIMARY KEY,
    name_zh        TEXT NOT NULL,
    name_en        TEXT,
    description    TEXT,
    kind           TEXT NOT NULL CHECK (kind IN ('deposit', 'time_deposit', 'loan', 'card',
                       'investment', 'insurance', 'service')),
    features       TEXT,                   -- JSON object
    constraints    TEXT,                   -- JSON object: min_age, max_age, min_income_band, ...
    currency       TEXT NOT NULL DEFAULT 'TWD',
    monthly_cost_minor    INTEGER NOT NULL DEFAULT 0,
    monthly_revenue_minor INTEGER NOT NULL DEFAULT 0,
    sales_priority INTEGER NOT NULL DEFAULT 0,
    launched_on    TEXT,
    withdrawn_on   TEXT
);

CREATE TABLE product_category_member (
    product  TEXT NOT NULL REFERENCES product(code),
    category TEXT NOT NULL REFERENCES product_category(code),
    PRIMARY KEY (product, category)
);

CREATE TABLE account (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL UNIQUE,
    product      TEXT NOT NULL REFERENCES product(code),
    branch       TEXT REFERENCES branch(code),
    currency     TEXT NOT NULL,
    opened_on    TEXT NOT NULL,
    closed_on    TEXT,
    status       TEXT NOT NULL DEFAULT 'active'
                 CHECK (status IN ('active', 'dormant', 'frozen', 'closed', 'written_off')),
    balance_minor INTEGER NOT NULL DEFAULT 0,
    limit_minor  INTEGER,
    balance_at   TEXT,
    updated_at   TEXT NOT NULL,
    CHECK (closed_on IS NULL OR closed_on >= opened_on)
);

CREATE TABLE party_account (
    party_id   INTEGER NOT NULL REFERENCES party(id),
    account_id INTEGER NOT NULL REFERENCES account(id),
    role       TEXT NOT NULL CHECK (role IN ('owner', 'joint', 'guarantor', 'authorised', 'beneficiary')),
    since      TEXT,
    until      TEXT,
    PRIMARY KEY (party_id, account_id, role)
);
CREATE INDEX party_account_account ON party_account(account_id);

CREATE TABLE party_link (
    id        INTEGER PRIMARY KEY,
    from_party INTEGER NOT NULL REFERENCES party(id),
    to_party   INTEGER NOT NULL REFERENCES party(id),
    kind      TEXT NOT NULL CHECK (kind IN ('household', 'spouse', 'parent', 'child', 'sibling',
                  'employer', 'employee', 'introducer', 'introduced', 'guardian', 'ward', 'other')),
    since     TEXT,
    until     TEXT,
    CHECK (from_party <> to_party),
    UNIQUE (from_party, to_party, kind)
);
CREATE INDEX party_link_to ON party_link(to_party);

CREATE TABLE account_link (
    id        INTEGER PRIMARY KEY,
    from_account INTEGER NOT NULL REFERENCES account(id),
    to_account   INTEGER NOT NULL REFERENCES account(id),
    kind      TEXT NOT NULL CHECK (kind IN ('sweep', 'collateral', 'repayment', 'linked_card',
                  'overdraft_cover', 'other')),
    since     TEXT,
    CHECK (from_account <> to_account),
    UNIQUE (from_account, to_account, kind)
);
CREATE INDEX account_link_to ON account_link(to_account);

-- Transactions from every channel (W3), classified; lineage inline because
-- there are many.
CREATE TABLE txn (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES account(id),
    posted_at    TEXT NOT NULL,
    value_date   TEXT,
    amount_minor INTEGER NOT NULL,         -- signed: credit > 0, debit < 0
    currency     TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('branch', 'atm', 'internet', 'mobile', 'phone',
                     'pos', 'batch')),
    class        TEXT NOT NULL,            -- deposit, withdrawal, transfer_in, salary, fee, ...
    description  TEXT,
    counterparty TEXT,
    source       TEXT,
    source_key   TEXT,
    job_id       INTEGER REFERENCES load_job(id)
);
CREATE INDEX txn_account_time ON txn(account_id, posted_at);
CREATE UNIQUE INDEX txn_source_key ON txn(source, source_key) WHERE source_key IS NOT NULL;

-- Contact history (W14): every conversation, with follow-up.
CREATE TABLE interaction (
    id          INTEGER PRIMARY KEY,
    party_id    INTEGER NOT NULL REFERENCES party(id),
    at          TEXT NOT NULL,
    channel     TEXT NOT NULL CHECK (channel IN ('branch', 'phone', 'email', 'chat', 'letter',
                    'visit', 'internet', 'mobile', 'sms', 'other')),
    direction   TEXT NOT NULL DEFAULT 'inbound' CHECK (direction IN ('inbound', 'outbound')),
    staff       TEXT,
    reason      TEXT,
    outcome     TEXT,
    notes       TEXT,
    follow_up_on TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT
);
CREATE INDEX interaction_party_time ON interaction(party_id, at);

-- Consents (S1): purpose x channel, append-only; the latest row is in force.
CREATE TABLE consent (
    id          INTEGER PRIMARY KEY,
    party_id    INTEGER NOT NULL REFERENCES party(id),
    purpose     TEXT NOT NULL CHECK (purpose IN ('marketing', 'profiling', 'third_party',
                    'cross_group', 'research')),
    channel     TEXT NOT NULL CHECK (channel IN ('any', 'mail', 'email', 'sms', 'phone', 'app')),
    granted     INTEGER NOT NULL CHECK (granted IN (0, 1)),
    evidence    TEXT,
    effective_at TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by TEXT
);
CREATE INDEX consent_party ON consent(party_id, purpose, channel);

-- Lineage: which source record made (or contributed to) a party or account.
CREATE TABLE source_record (
    id         INTEGER PRIMARY KEY,
    entity     TEXT NOT NULL CHECK (entity IN ('party', 'account')),
    entity_id  INTEGER NOT NULL,
    source     TEXT NOT NULL,
    source_key TEXT NOT NULL,
    job_id     INTEGER REFERENCES load_job(id),
    loaded_at  TEXT NOT NULL,
    UNIQUE (entity, source, source_key)
);
CREATE INDEX source_record_entity ON source_record(entity, entity_id);

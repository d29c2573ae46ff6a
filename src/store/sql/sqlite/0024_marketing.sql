-- Issue 24: database marketing (DOMAIN K1-K7, M11, M12).
--
-- The warehouse learns what suppression needs and it lacked: who is staff, who asked not to be
-- contacted (or whose number is on a regulator's list), when a deposit matures, and complaints
-- as a kind of interaction that stays open until it is resolved.  Marketing keeps its own
-- tables: offers, the design and lifecycle of each campaign (the campaign table of migration
-- 0002 stays the register of every campaign, loaded or designed), its cells (champion and
-- challenger), the history of every change, uploaded lists, and each selection's waterfall.
--
-- Written in the SQL both stores run: no SQLite-only types or functions.

-- ---- the warehouse's ----

-- Staff of the bank or the group (a staff member is not marketed to as a customer).
CREATE TABLE staff_member (
    party_id    INTEGER NOT NULL REFERENCES party(id),
    employee_no TEXT NOT NULL,
    since       TEXT,
    until       TEXT,
    source      TEXT,
    job_id      INTEGER REFERENCES load_job(id),
    PRIMARY KEY (party_id, employee_no)
);

-- Do not contact: a customer (party_id) or a phone number or e-mail address (lookup, the
-- contact point's normalised key: a national do-not-call registry lists numbers, not
-- customers), on a channel or on all of them, from a day, until a day or for ever.
CREATE TABLE do_not_contact (
    id        INTEGER PRIMARY KEY,
    party_id  INTEGER REFERENCES party(id),
    lookup    TEXT,
    channel   TEXT NOT NULL DEFAULT 'any' CHECK (channel IN ('any', 'mail', 'email', 'sms', 'phone', 'app')),
    reason    TEXT NOT NULL CHECK (reason IN ('customer_request', 'registry', 'legal', 'complaint',
                  'bereavement', 'other')),
    since     TEXT NOT NULL,
    until     TEXT,
    source    TEXT,
    note      TEXT,
    job_id    INTEGER REFERENCES load_job(id),
    CHECK ((party_id IS NULL) <> (lookup IS NULL))
);
CREATE INDEX do_not_contact_party ON do_not_contact(party_id) WHERE party_id IS NOT NULL;
CREATE INDEX do_not_contact_lookup ON do_not_contact(lookup) WHERE lookup IS NOT NULL;

-- A time deposit's (or a loan's, a bond's) maturity date.
ALTER TABLE account ADD COLUMN matures_on TEXT;

-- What an interaction was: a complaint stays open until it is resolved (resolved_at).
ALTER TABLE interaction ADD COLUMN kind TEXT NOT NULL DEFAULT 'contact'
    CHECK (kind IN ('contact', 'enquiry', 'request', 'complaint', 'compliment', 'sale', 'campaign'));
ALTER TABLE interaction ADD COLUMN resolved_at TEXT;
CREATE INDEX interaction_open_complaint ON interaction(party_id) WHERE kind = 'complaint' AND resolved_at IS NULL;

-- A designed campaign's target: its cell (the offer and channel it was given) and wave.
ALTER TABLE campaign_target ADD COLUMN cell TEXT;
ALTER TABLE campaign_target ADD COLUMN offer TEXT;
ALTER TABLE campaign_target ADD COLUMN wave INTEGER;
ALTER TABLE campaign_target ADD COLUMN stratum TEXT;
CREATE INDEX campaign_target_contacted ON campaign_target(party_id, contacted_at);

-- ---- marketing's ----

-- An offer: a product with an incentive, what a contact costs, what a take-up is worth, and who
-- may be offered it (a rule in the selection language; empty: everyone).
CREATE TABLE offer (
    code         TEXT PRIMARY KEY,
    name         TEXT NOT NULL,
    product      TEXT NOT NULL REFERENCES product(code),
    incentive    TEXT,
    currency     TEXT NOT NULL DEFAULT 'TWD',
    cost_minor   INTEGER NOT NULL DEFAULT 0 CHECK (cost_minor >= 0),
    value_minor  INTEGER NOT NULL DEFAULT 0,
    eligibility  TEXT,
    valid_from   TEXT,
    valid_to     TEXT,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from)
);

-- A designed campaign (its code, name, first offer and channel, dates in campaign): the
-- objective, the consent purpose it contacts for, the selection, the suppression policy, the
-- control group, the budget, the owner and where it is in its lifecycle.
CREATE TABLE campaign_plan (
    code         TEXT PRIMARY KEY REFERENCES campaign(code),
    objective    TEXT NOT NULL,
    purpose      TEXT NOT NULL CHECK (purpose IN ('marketing', 'profiling', 'third_party', 'cross_group',
                     'research', 'service')),
    status       TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'approved', 'running',
                     'paused', 'closed', 'cancelled')),
    owner        TEXT NOT NULL,
    created_by   TEXT NOT NULL,
    budget_minor INTEGER CHECK (budget_minor IS NULL OR budget_minor >= 0),
    currency     TEXT NOT NULL DEFAULT 'TWD',
    rule         TEXT,                    -- the selection, in the selection language
    model        TEXT,                    -- a kept model whose top deciles are taken
    top_deciles  INTEGER CHECK (top_deciles IS NULL OR top_deciles BETWEEN 1 AND 10),
    list         TEXT,                    -- an uploaded list, all of whose members are candidates
    policy       TEXT NOT NULL DEFAULT '{}', -- the suppression policy, a JSON object (marketing.h)
    control_pct  REAL CHECK (control_pct IS NULL OR (control_pct >= 0 AND control_pct < 100)),
    control_rate REAL,                    -- sample size: the expected response rate
    control_margin REAL,                  -- and the margin of error, at confidence control_conf
    control_conf INTEGER,
    stratify     TEXT,                    -- an attribute the control group is stratified by
    seed         INTEGER NOT NULL DEFAULT 1,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    submitted_by TEXT,
    approved_by  TEXT,
    approved_at  TEXT,
    selected_at  TEXT,
    targets      INTEGER
);

-- A campaign's cells: the offer and channel each treated customer is given; several cells with
-- shares test two offers or messages against each other (champion and challenger).
CREATE TABLE campaign_cell (
    campaign  TEXT NOT NULL REFERENCES campaign(code),
    cell      TEXT NOT NULL,
    offer     TEXT NOT NULL REFERENCES offer(code),
    channel   TEXT NOT NULL CHECK (channel IN ('direct_mail', 'email', 'sms', 'outbound_call', 'branch_lead',
                  'banner')),
    share     REAL NOT NULL DEFAULT 1 CHECK (share > 0),
    message   TEXT,
    cap       INTEGER CHECK (cap IS NULL OR cap >= 0),
    paused    INTEGER NOT NULL DEFAULT 0 CHECK (paused IN (0, 1)),
    PRIMARY KEY (campaign, cell)
);

-- A campaign's waves: the days its contacts go out, and the share of its treated customers each takes.
CREATE TABLE campaign_wave (
    campaign  TEXT NOT NULL REFERENCES campaign(code),
    wave      INTEGER NOT NULL CHECK (wave >= 1),
    starts_on TEXT NOT NULL,
    ends_on   TEXT,
    share     REAL NOT NULL DEFAULT 1 CHECK (share > 0),
    PRIMARY KEY (campaign, wave)
);

-- Every change to a campaign: who, when, what, the status before and after, and the detail.
-- Append-only, like the audit trail.
CREATE TABLE campaign_change (
    id        INTEGER PRIMARY KEY,
    campaign  TEXT NOT NULL REFERENCES campaign(code),
    at        TEXT NOT NULL,
    by_user   TEXT NOT NULL,
    action    TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    detail    TEXT
);
CREATE INDEX campaign_change_campaign ON campaign_change(campaign, id);
CREATE TRIGGER campaign_change_append_only_update BEFORE UPDATE ON campaign_change
BEGIN
    SELECT RAISE(ABORT, 'the campaign history is append-only');
END;
CREATE TRIGGER campaign_change_append_only_delete BEFORE DELETE ON campaign_change
BEGIN
    SELECT RAISE(ABORT, 'the campaign history is append-only');
END;

-- Uploaded lists of customers (a branch's invitation list, a partner's list matched to customers).
CREATE TABLE target_list (
    name      TEXT NOT NULL,
    party_id  INTEGER NOT NULL REFERENCES party(id),
    added_at  TEXT NOT NULL,
    added_by  TEXT NOT NULL,
    PRIMARY KEY (name, party_id)
);

-- The waterfall of a campaign's selection: each step, how many it took out and how many remain.
CREATE TABLE campaign_waterfall (
    campaign  TEXT NOT NULL REFERENCES campaign(code),
    step      INTEGER NOT NULL,
    name      TEXT NOT NULL,
    removed   INTEGER NOT NULL,
    remaining INTEGER NOT NULL,
    PRIMARY KEY (campaign, step)
);

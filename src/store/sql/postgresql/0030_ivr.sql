-- Issue 25 item 4: the IVR, run by Rapport and driven over the CTI interface.
--
-- Flows as data (one JSON document a flow: menus and prompts in zh-TW and English, identification,
-- PINs, self-service, the queue at the end); the queue a dialled number reaches may send its callers
-- through a flow first.  Each call in a flow has a session: where it is, the path it took, the customer
-- identified, the tries left.  Customers' telephone PINs are kept under a slow keyed hash (Argon2id
-- over a hash keyed with the store's key: a stolen store alone guesses no PIN), with the failures and
-- a lock; they are issued and reset by staff (audited).  The contact centre's tables.
--
-- Written in the SQL both stores run.
--
-- PostgreSQL (what differs from ../sqlite/0030_ivr.sql):
--   an INTEGER PRIMARY KEY that holds another table's id: BIGINT PRIMARY KEY, no identity (its value is always given)
--   INTEGER: BIGINT (the code binds int64)

CREATE TABLE cc_ivr (
    name        TEXT PRIMARY KEY,
    flow        TEXT NOT NULL,          -- the JSON document, checked when it was put
    changed_at  TEXT NOT NULL,
    changed_by  TEXT NOT NULL
);

ALTER TABLE cc_queue ADD COLUMN ivr TEXT REFERENCES cc_ivr(name);

CREATE TABLE cc_ivr_session (
    interaction  BIGINT PRIMARY KEY REFERENCES cc_interaction(id),
    flow         TEXT NOT NULL,
    node         TEXT NOT NULL,
    path         TEXT NOT NULL DEFAULT '',
    lang         TEXT NOT NULL DEFAULT 'zh-TW',
    party_id     BIGINT REFERENCES party(id),
    verified     BIGINT NOT NULL DEFAULT 0,   -- the PIN was right
    tries        BIGINT NOT NULL DEFAULT 0,   -- wrong inputs at this node
    updated_at   TEXT NOT NULL
);

CREATE TABLE cc_pin (
    party_id      BIGINT PRIMARY KEY REFERENCES party(id),
    hash          TEXT NOT NULL,              -- Argon2id (libsodium's string form) of the keyed hash
    failures      BIGINT NOT NULL DEFAULT 0,
    locked_until  TEXT,
    set_at        TEXT NOT NULL,
    set_by        TEXT NOT NULL
);

-- Users, sessions and the audit trail (issue 7, DOMAIN S1-S3).

-- People who use Rapport through the API: a role from the permission matrix
-- (src/security/security.h), a home branch for branch staff, an argon2id
-- password hash (libsodium), and whether they are disabled.
CREATE TABLE app_user (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role        TEXT NOT NULL,
    branch      TEXT,
    pw_hash     TEXT NOT NULL,
    disabled    INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    changed_at  TEXT,
    changed_by  TEXT
);

-- A signed-in session: the hash of the cookie's token (never the token), its
-- CSRF token, when it began and was last used (seconds since 1970).
CREATE TABLE app_session (
    token_hash  TEXT PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES app_user(id),
    csrf        TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    last_seen   INTEGER NOT NULL,
    address     TEXT
) WITHOUT ROWID;
CREATE INDEX app_session_user ON app_session(user_id);

-- The audit trail (S3): who did what, when, from where, to which customer
-- and why.  Append-only: the triggers refuse every change and deletion,
-- whatever program tries.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    user_name   TEXT,
    address     TEXT,
    action      TEXT NOT NULL,            -- login, login_failed, search, view, reveal, export, change, denied, ...
    customer_id INTEGER,
    target      TEXT,                     -- the route or object
    reason      TEXT,
    outcome     TEXT NOT NULL,            -- ok, refused, failed
    detail      TEXT
);
CREATE INDEX audit_at ON audit(at);
CREATE INDEX audit_user ON audit(user_name, at);
CREATE INDEX audit_customer ON audit(customer_id, at) WHERE customer_id IS NOT NULL;

CREATE TRIGGER audit_append_only_update BEFORE UPDATE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

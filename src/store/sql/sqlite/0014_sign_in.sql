-- Failed sign-ins, counted in the store (issue 21; src/security/signin.c).
--
-- One row per user name (kind 'user') and per address (kind 'address')
-- that has failed to sign in.  Names nobody has are counted too, so that
-- the answers do not tell which names exist.  Times are seconds since 1970.
--   window_start, window_failures  the throttle: failures since window_start
--   failures                       failures in a row since the last success
--                                  or unlock (a name is locked after
--                                  [security] lock_after of them)
--   locked_at, locked_until        the lock: until locked_until, or until an
--                                  administrator unlocks it when that is NULL
-- A row goes only when a day has passed since its last failure and no lock
-- holds it; nothing an attacker sends pushes another name's row out.
CREATE TABLE sign_in_failure (
    kind            TEXT NOT NULL CHECK (kind IN ('user', 'address')),
    name            TEXT NOT NULL,
    window_start    INTEGER NOT NULL,
    window_failures INTEGER NOT NULL,
    failures        INTEGER NOT NULL,
    first_at        INTEGER NOT NULL,
    last_at         INTEGER NOT NULL,
    locked_at       INTEGER,
    locked_until    INTEGER,
    PRIMARY KEY (kind, name)
);
CREATE INDEX sign_in_failure_last ON sign_in_failure(last_at);

-- Passwords (issue 21 item 5; src/security/password.c).  A user's earlier
-- password hashes, newest last, so that a new password is none of the last
-- [security] password_history; when the password was last set (seconds
-- since 1970; NULL: when the user was created), for its expiry; and
-- whether a session was begun with an expired password, which may then
-- only change it.
CREATE TABLE password_history (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL REFERENCES app_user(id),
    pw_hash     TEXT NOT NULL,
    replaced_at INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);
ALTER TABLE app_user ADD COLUMN pw_changed_at INTEGER;
ALTER TABLE app_session ADD COLUMN must_change INTEGER NOT NULL DEFAULT 0;

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

-- Separation of duties (issue 21 item 6; src/security/approval.c): a change
-- an administrator may not make alone through the API, waiting for a second
-- administrator.  One row per request:
--   kind            add (a new user), role (a user's role and branch
--                   changed), disable (a user disabled)
--   user_name       the user it is about
--   role, branch    the role and branch asked for (add, role)
--   from_role       the role the user had when it was asked (role, disable)
--   pw_hash         a new user's argon2id password hash, never the password;
--                   emptied once the request is decided or expires
--   requested_by/at who asked and when (UTC ISO 8601)
--   expires_at      when it expires undecided ([security] request_days after)
--   status          pending, approved, rejected or expired
--   decided_by/at   who approved or rejected it, and when (expired: when it
--                   expired, and nobody)
--   note            the decider's note
-- A user name has one pending request at a time.
CREATE TABLE user_request (
    id           INTEGER PRIMARY KEY,
    kind         TEXT NOT NULL CHECK (kind IN ('add', 'role', 'disable')),
    user_name    TEXT NOT NULL,
    role         TEXT,
    from_role    TEXT,
    branch       TEXT,
    pw_hash      TEXT,
    requested_by TEXT NOT NULL,
    requested_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'approved', 'rejected', 'expired')),
    decided_by   TEXT,
    decided_at   TEXT,
    note         TEXT
);
CREATE UNIQUE INDEX user_request_pending ON user_request(user_name) WHERE status = 'pending';
CREATE INDEX user_request_status ON user_request(status, expires_at);

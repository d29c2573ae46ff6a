-- Tokens for other programs (issue 21 item 6a): the telephone switch,
-- internet banking, a scheduler call the API with "Authorization: Bearer
-- rpt_...".  A token belongs to a named service, holds its own narrow
-- permissions (never users), may be limited to one branch's customers, and
-- expires.  Only the token's BLAKE2b hash is kept: it is shown once, when
-- made.  Revoking keeps the row, for the audit trail's sake.  Every call
-- made with a token is audited under "token:NAME".
CREATE TABLE api_token (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,      -- the service, as the trail names it
    permissions TEXT NOT NULL,             -- permission names separated by blanks
    branch      TEXT,                      -- the only branch whose customers it sees, if any
    token_hash  TEXT NOT NULL UNIQUE,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    revoked_by  TEXT,
    revoked_at  TEXT
);

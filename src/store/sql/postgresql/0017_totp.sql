-- The second factor (issue 21 item 7; src/security/totp.c): a user's TOTP
-- secret (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), sealed with the
-- store's key (core/seal.h) and never shown again after enrolment, and the
-- last time step a code was accepted for, so that no code signs in twice
-- (a code of an earlier or the same step is refused).  Times are seconds
-- since 1970.  Numbered 0017: 0015 is the audit trail's chain, 0016 the tokens.
--
-- PostgreSQL (what differs from ../sqlite/0017_totp.sql):
--   an INTEGER PRIMARY KEY that holds another table's id: BIGINT PRIMARY KEY, no identity (its value is always given)
--   INTEGER: BIGINT (the code binds int64)
--   BLOB: BYTEA
CREATE TABLE user_totp (
    user_id     BIGINT PRIMARY KEY REFERENCES app_user(id),
    secret      BYTEA NOT NULL,
    last_step   BIGINT NOT NULL DEFAULT 0,
    enrolled_at BIGINT NOT NULL,
    enrolled_by TEXT NOT NULL
);

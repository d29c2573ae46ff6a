-- The second factor (issue 21 item 7; src/security/totp.c): a user's TOTP
-- secret (RFC 6238: HMAC-SHA1, 6 digits, 30-second steps), sealed with the
-- store's key (core/seal.h) and never shown again after enrolment, and the
-- last time step a code was accepted for, so that no code signs in twice
-- (a code of an earlier or the same step is refused).  Times are seconds
-- since 1970.  Numbered 0017: 0015 is the audit trail's chain, 0016 the tokens.
CREATE TABLE user_totp (
    user_id     INTEGER PRIMARY KEY REFERENCES app_user(id),
    secret      BLOB NOT NULL,
    last_step   INTEGER NOT NULL DEFAULT 0,
    enrolled_at INTEGER NOT NULL,
    enrolled_by TEXT NOT NULL
);

-- The audit trail chained (issue 21, S3): each entry's SHA-256 over the
-- previous entry's and its own fields, kept beside it, so that an entry
-- changed or removed behind Rapport's back (the triggers dropped, the file
-- edited) breaks the chain from there on, and an archived part of the trail
-- can be verified on its own (`rapport audit verify`).  The chain is
-- brought up to date in bulk, in id order, with the trail by customer
-- (security.c: sec_audit_index), before every check.
--
-- Retention: entries older than the bank keeps online are archived to a
-- file (`rapport audit archive --before DATE`) and only then removed; the
-- store remembers the last archived entry and its hash, from which the
-- chain goes on (store_meta 'audit_archived_upto', 'audit_archived_head').
-- Nothing else may remove an entry: the triggers below refuse any deletion
-- past the archived mark, and any change.
CREATE TABLE audit_chain (
    audit_id INTEGER PRIMARY KEY,
    hash     BLOB NOT NULL
);

CREATE TRIGGER audit_chain_append_only_update BEFORE UPDATE ON audit_chain
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_chain_append_only_delete BEFORE DELETE ON audit_chain
    WHEN old.audit_id > (SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM store_meta
                         WHERE name = 'audit_archived_upto')
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

DROP TRIGGER audit_append_only_delete;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit
    WHEN old.id > (SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM store_meta
                   WHERE name = 'audit_archived_upto')
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

DROP TRIGGER audit_customer_append_only_delete;
CREATE TRIGGER audit_customer_append_only_delete BEFORE DELETE ON audit_customer
    WHEN old.audit_id > (SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM store_meta
                         WHERE name = 'audit_archived_upto')
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

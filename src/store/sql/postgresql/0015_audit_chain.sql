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
--
-- PostgreSQL (what differs from ../sqlite/0015_audit_chain.sql):
--   an INTEGER PRIMARY KEY that holds another table's id: BIGINT PRIMARY KEY, no identity (its value is always given)
--   BLOB: BYTEA
--   each trigger a PL/pgSQL function of its name and a FOR EACH ROW trigger; its WHEN is an IF in the function (PostgreSQL allows no subquery, and no OLD in an insert's, in a trigger's WHEN)
--   RAISE(ABORT, msg): RAISE EXCEPTION with the same message, SQLSTATE 23000 (pg.c: a constraint error)
--   DROP TRIGGER names its table (DROP TRIGGER ... ON audit); the function is replaced
CREATE TABLE audit_chain (
    audit_id BIGINT PRIMARY KEY,
    hash     BYTEA NOT NULL
);

CREATE OR REPLACE FUNCTION audit_chain_append_only_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = '23000';
    RETURN NEW;
END $$;
CREATE TRIGGER audit_chain_append_only_update BEFORE UPDATE ON audit_chain FOR EACH ROW EXECUTE FUNCTION audit_chain_append_only_update();

CREATE OR REPLACE FUNCTION audit_chain_append_only_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF old.audit_id > (SELECT coalesce(max(CAST(value AS BIGINT)), 0) FROM store_meta WHERE name = 'audit_archived_upto') THEN
        RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = '23000';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER audit_chain_append_only_delete BEFORE DELETE ON audit_chain FOR EACH ROW EXECUTE FUNCTION audit_chain_append_only_delete();

DROP TRIGGER audit_append_only_delete ON audit;
CREATE OR REPLACE FUNCTION audit_append_only_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF old.id > (SELECT coalesce(max(CAST(value AS BIGINT)), 0) FROM store_meta WHERE name = 'audit_archived_upto') THEN
        RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = '23000';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER audit_append_only_delete BEFORE DELETE ON audit FOR EACH ROW EXECUTE FUNCTION audit_append_only_delete();

DROP TRIGGER audit_customer_append_only_delete ON audit_customer;
CREATE OR REPLACE FUNCTION audit_customer_append_only_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF old.audit_id > (SELECT coalesce(max(CAST(value AS BIGINT)), 0) FROM store_meta WHERE name = 'audit_archived_upto') THEN
        RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = '23000';
    END IF;
    RETURN OLD;
END $$;
CREATE TRIGGER audit_customer_append_only_delete BEFORE DELETE ON audit_customer FOR EACH ROW EXECUTE FUNCTION audit_customer_append_only_delete();

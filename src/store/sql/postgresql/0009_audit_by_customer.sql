-- Who looked at a customer (S3), without slowing down every look.
--
-- An index of the audit trail by customer takes one random page of the
-- index per entry, and `rapport serve` writes an entry for every customer
-- record it shows: at thousands of views a second, keeping that index up to
-- date took more of the machine than answering the views.  So the trail by
-- customer is kept in its own table, brought up to date in bulk, sorted,
-- which touches each page of it once: before every query by customer
-- (security.c: sec_audit_index), and by the server now and then.
-- store_meta 'audit_customer_upto' is the last audit entry it holds.
--
-- PostgreSQL (what differs from ../sqlite/0009_audit_by_customer.sql):
--   INTEGER: BIGINT (the code binds int64)
--   WITHOUT ROWID left out (a PostgreSQL table is a heap and its primary key an index)
--   INSERT OR REPLACE INTO store_meta: INSERT ... ON CONFLICT (name) DO UPDATE
--   each trigger a PL/pgSQL function of its name and a FOR EACH ROW trigger; its WHEN is an IF in the function (PostgreSQL allows no subquery, and no OLD in an insert's, in a trigger's WHEN)
--   RAISE(ABORT, msg): RAISE EXCEPTION with the same message, SQLSTATE 23000 (pg.c: a constraint error)
DROP INDEX audit_customer;

CREATE TABLE audit_customer (
    customer_id BIGINT NOT NULL,
    audit_id    BIGINT NOT NULL REFERENCES audit(id),
    PRIMARY KEY (customer_id, audit_id)
);

INSERT INTO audit_customer(customer_id, audit_id)
    SELECT customer_id, id FROM audit WHERE customer_id IS NOT NULL ORDER BY customer_id, id;
INSERT INTO store_meta(name, value)
    VALUES ('audit_customer_upto', (SELECT coalesce(max(id), 0) FROM audit)) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;

-- as append-only as the trail it indexes
CREATE OR REPLACE FUNCTION audit_customer_append_only_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = '23000';
    RETURN NEW;
END $$;
CREATE TRIGGER audit_customer_append_only_update BEFORE UPDATE ON audit_customer FOR EACH ROW EXECUTE FUNCTION audit_customer_append_only_update();

CREATE OR REPLACE FUNCTION audit_customer_append_only_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the audit trail is append-only' USING ERRCODE = '23000';
    RETURN OLD;
END $$;
CREATE TRIGGER audit_customer_append_only_delete BEFORE DELETE ON audit_customer FOR EACH ROW EXECUTE FUNCTION audit_customer_append_only_delete();

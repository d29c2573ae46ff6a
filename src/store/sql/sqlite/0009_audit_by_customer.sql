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
DROP INDEX audit_customer;

CREATE TABLE audit_customer (
    customer_id INTEGER NOT NULL,
    audit_id    INTEGER NOT NULL REFERENCES audit(id),
    PRIMARY KEY (customer_id, audit_id)
) WITHOUT ROWID;

INSERT INTO audit_customer(customer_id, audit_id)
    SELECT customer_id, id FROM audit WHERE customer_id IS NOT NULL ORDER BY customer_id, id;
INSERT OR REPLACE INTO store_meta(name, value)
    VALUES ('audit_customer_upto', (SELECT coalesce(max(id), 0) FROM audit));

-- as append-only as the trail it indexes
CREATE TRIGGER audit_customer_append_only_update BEFORE UPDATE ON audit_customer
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

CREATE TRIGGER audit_customer_append_only_delete BEFORE DELETE ON audit_customer
BEGIN
    SELECT RAISE(ABORT, 'the audit trail is append-only');
END;

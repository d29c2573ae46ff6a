-- Transactions are appended, never changed, by everything in Rapport.  So
-- that a copy of them kept beside the store (the analytics' column copy,
-- issue 6) can tell when that promise was broken by another tool, every
-- deletion or update of a transaction counts up txn_generation.  Inserts do
-- not fire anything: loading stays as fast as it was.
INSERT OR IGNORE INTO store_meta(name, value) VALUES ('txn_generation', '0');

CREATE TRIGGER txn_generation_delete AFTER DELETE ON txn
BEGIN
    UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'txn_generation';
END;

CREATE TRIGGER txn_generation_update AFTER UPDATE ON txn
BEGIN
    UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'txn_generation';
END;

-- Transactions are appended, never changed, by everything in Rapport.  So
-- that a copy of them kept beside the store (the analytics' column copy,
-- issue 6) can tell when that promise was broken by another tool, every
-- deletion or update of a transaction counts up txn_generation.  Inserts do
-- not fire anything: loading stays as fast as it was.
--
-- PostgreSQL (what differs from ../sqlite/0006_txn_generation.sql):
--   INSERT OR IGNORE: INSERT ... ON CONFLICT DO NOTHING
--   each trigger a PL/pgSQL function of its name and a FOR EACH ROW trigger; its WHEN is an IF in the function (PostgreSQL allows no subquery, and no OLD in an insert's, in a trigger's WHEN)
INSERT INTO store_meta(name, value) VALUES ('txn_generation', '0') ON CONFLICT DO NOTHING;

CREATE OR REPLACE FUNCTION txn_generation_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_meta SET value = CAST(value AS BIGINT) + 1 WHERE name = 'txn_generation';
    RETURN NULL;
END $$;
CREATE TRIGGER txn_generation_delete AFTER DELETE ON txn FOR EACH ROW EXECUTE FUNCTION txn_generation_delete();

CREATE OR REPLACE FUNCTION txn_generation_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_meta SET value = CAST(value AS BIGINT) + 1 WHERE name = 'txn_generation';
    RETURN NULL;
END $$;
CREATE TRIGGER txn_generation_update AFTER UPDATE ON txn FOR EACH ROW EXECUTE FUNCTION txn_generation_update();

-- Issue 26: the greatest transaction id there is, kept in store_meta ('txn_top') by the statement trigger
-- that already sees every row added (0033's txn_keys), in the same transaction: a reader has the greatest
-- id committed in one row, where max(id) on a table partitioned by month looks into every month (2 ms and
-- more at two years; the customer 360 asks it before each document it makes, to drop what new
-- transactions made stale).  A deletion leaves it where it was (greater than the greatest then: the
-- readers' "after the last id I saw" still holds).  A reader without the row (a store copied from SQLite,
-- whose store_meta has none) asks max(id), as before.
--
-- PostgreSQL only; ../sqlite/0035_txn_top.sql changes nothing (its blocks answer it with one index step).
CREATE OR REPLACE FUNCTION txn_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (TG_OP = 'UPDATE' OR coalesce(current_setting('rapport.txn_checked', true), '') <> 'on') AND EXISTS (
           SELECT 1 FROM txn_new n JOIN txn t ON t.account_id = n.account_id AND t.source_key = n.source_key
                                           AND t.source IS NOT DISTINCT FROM n.source AND t.id <> n.id
            WHERE n.source_key IS NOT NULL) THEN
        RAISE EXCEPTION 'UNIQUE constraint failed: txn.source, txn.source_key' USING ERRCODE = '23505';
    END IF;
    INSERT INTO txn_account_key(account_id, max_key)
        SELECT account_id, max(source_key) FROM txn_new WHERE source_key IS NOT NULL GROUP BY account_id
        ON CONFLICT (account_id) DO UPDATE SET max_key = GREATEST(txn_account_key.max_key, excluded.max_key);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO store_meta(name, value) SELECT 'txn_top', CAST(max(id) AS TEXT) FROM txn_new HAVING count(*) > 0
            ON CONFLICT (name) DO UPDATE
            SET value = CAST(GREATEST(CAST(store_meta.value AS BIGINT), CAST(excluded.value AS BIGINT)) AS TEXT);
    END IF;
    RETURN NULL;
END $$;
INSERT INTO store_meta(name, value) SELECT 'txn_top', CAST(max(id) AS TEXT) FROM txn HAVING count(*) > 0;

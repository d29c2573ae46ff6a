-- Transactions in a table partitioned by month (issue 26): what PostgreSQL keeps in place of
-- SQLite's blocks (0012).  A block row of JSON costs SQLite one index entry for thousands of
-- transactions; PostgreSQL loads rows through COPY as fast as it would the blocks, reads them
-- without parsing JSON, prunes a month's partition from a query that names the time, and drops
-- or archives a month whole.  SQLite keeps its blocks: its 0033 changes nothing.
--
-- txn has the columns the view had, in the same order, so that every query reads both stores
-- alike; it is written by Rapport through COPY (txn.c) and by another tool through INSERT, UPDATE
-- and DELETE like any table.
--
--   id           from the sequence txn_id.  Rapport reserves a run of ids for a batch under an
--                advisory lock held to the end of its transaction (txn_reserve), so that the
--                transactions of several servers' loads commit in the order of their ids and a
--                reader that goes on from the last id it saw misses none.  Another tool's INSERT
--                takes the sequence's next.
--   the key      (id, posted_at): a partitioned table's keys include its partition key.  The id
--                stays unique by the sequence; a source key is unique per account (as a block's
--                load checks it, txn.c), through txn_account_key below, not by an index (none can
--                span partitions).
--   partitions   txn_YYYY_MM for each month (posted_at is canonical UTC, so its first seven
--                characters are the month), made by txn_reserve as loads need them, as the owner
--                (SECURITY DEFINER: the application role owns nothing); txn_other, the default,
--                holds what no month's partition does (another tool's rows for a month not yet
--                made), and moves them out when that month is made.
--   txn_account_key  each account's greatest source key: a load whose keys of an account are all
--                above it cannot repeat one and looks up none (the blocks' max_key, kept by a
--                statement trigger whoever inserts).
-- Differences in shape from SQLite's 0012 are listed in tests/store/schema_compare.py (EXPECTED).
ALTER VIEW txn RENAME TO txn_blocks_view;

CREATE SEQUENCE txn_id AS BIGINT;
CREATE TABLE txn (
    id           BIGINT NOT NULL DEFAULT nextval('txn_id'),
    account_id   BIGINT NOT NULL REFERENCES account(id),
    posted_at    TEXT NOT NULL,
    value_date   TEXT,
    amount_minor BIGINT NOT NULL,
    currency     TEXT NOT NULL,
    channel      TEXT NOT NULL CHECK (channel IN ('branch', 'atm', 'internet', 'mobile', 'phone', 'pos', 'batch')),
    class        TEXT NOT NULL,
    description  TEXT,
    counterparty TEXT,
    source       TEXT,
    source_key   TEXT,
    job_id       BIGINT REFERENCES load_job(id),
    quantity     BIGINT,
    item         TEXT,
    PRIMARY KEY (id, posted_at)
) PARTITION BY RANGE (posted_at);
ALTER SEQUENCE txn_id OWNED BY txn.id;
CREATE TABLE txn_other PARTITION OF txn DEFAULT;
CREATE INDEX txn_account_time ON txn(account_id, posted_at);
CREATE INDEX txn_source_key ON txn(account_id, source_key) WHERE source_key IS NOT NULL;

CREATE TABLE txn_account_key (
    account_id BIGINT PRIMARY KEY,
    max_key    TEXT NOT NULL
);

-- the month's partition of m ('YYYY-MM'), made if missing, with the default's rows of that month
CREATE OR REPLACE FUNCTION txn_month(m TEXT) RETURNS VOID LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
DECLARE
    part TEXT := 'txn_' || replace(m, '-', '_');
    upto TEXT;
BEGIN
    IF m !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN
        RAISE EXCEPTION 'txn: % is not a month (YYYY-MM)', m USING ERRCODE = '22007';
    END IF;
    IF to_regclass(part) IS NOT NULL THEN
        RETURN;
    END IF;
    upto := to_char(to_date(m || '-01', 'YYYY-MM-DD') + INTERVAL '1 month', 'YYYY-MM');
    EXECUTE format('CREATE TABLE %I (LIKE txn INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part);
    EXECUTE format('WITH moved AS (DELETE FROM txn_other WHERE posted_at >= %L AND posted_at < %L RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', m, upto, part);
    EXECUTE format('ALTER TABLE txn ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', part, m, upto);
END $$;

-- n ids in a run for a batch of transactions of the months named (comma-separated): the months'
-- partitions made, the first id returned; the lock is held until the caller's transaction ends, and
-- so is rapport.txn_checked: Rapport has looked up the batch's source keys itself (txn.c), the
-- statement trigger below need not
CREATE OR REPLACE FUNCTION txn_reserve(n BIGINT, months TEXT) RETURNS BIGINT LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
DECLARE
    m TEXT;
    first BIGINT;
BEGIN
    IF n < 1 THEN
        RAISE EXCEPTION 'txn: % ids', n USING ERRCODE = '22023';
    END IF;
    PERFORM pg_advisory_xact_lock(hashtext('txn')); -- rp_store_lock(s, "txn")
    FOREACH m IN ARRAY string_to_array(coalesce(months, ''), ',') LOOP
        PERFORM txn_month(m);
    END LOOP;
    PERFORM set_config('rapport.txn_checked', 'on', true);
    first := nextval('txn_id');
    IF n > 1 THEN
        PERFORM setval('txn_id', first + n - 1);
    END IF;
    RETURN first;
END $$;

-- the latest posting day there is: the newest month's partition that has rows (no index on
-- posted_at alone is kept for this), the default's rows too
CREATE OR REPLACE FUNCTION txn_newest() RETURNS TEXT LANGUAGE plpgsql STABLE AS $$
DECLARE
    part TEXT;
    newest TEXT;
    other TEXT;
BEGIN
    SELECT max(posted_at) INTO other FROM txn_other;
    FOR part IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'txn'::regclass AND c.relname ~ '^txn_[0-9]{4}_[0-9]{2}$'
                 ORDER BY c.relname DESC LOOP
        EXECUTE format('SELECT max(posted_at) FROM %I', part) INTO newest;
        EXIT WHEN newest IS NOT NULL;
    END LOOP;
    RETURN substr(GREATEST(newest, other), 1, 10);
END $$;

-- another tool's rows, as 0012's view takes them: a source key the account has from the same source is
-- refused (Rapport's COPY has looked them up already and says so: rapport.txn_checked), and a currency
-- left out is the account's
-- (one function for rows added and rows changed: each trigger names its new rows txn_new; a change is
-- always checked, as Rapport's COPY adds rows only)
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
    RETURN NULL;
END $$;
CREATE TRIGGER txn_keys_added AFTER INSERT ON txn REFERENCING NEW TABLE AS txn_new
    FOR EACH STATEMENT EXECUTE FUNCTION txn_keys();
CREATE TRIGGER txn_keys_changed AFTER UPDATE ON txn REFERENCING NEW TABLE AS txn_new
    FOR EACH STATEMENT EXECUTE FUNCTION txn_keys();

CREATE OR REPLACE FUNCTION txn_currency() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.currency := (SELECT currency FROM account WHERE id = NEW.account_id);
    RETURN NEW;
END $$;
CREATE TRIGGER txn_currency BEFORE INSERT ON txn FOR EACH ROW WHEN (NEW.currency IS NULL)
    EXECUTE FUNCTION txn_currency();

-- the transactions there are, under the ids they had, each in its month
INSERT INTO txn(id, account_id, posted_at, value_date, amount_minor, currency, channel, class, description,
                counterparty, source, source_key, job_id, quantity, item)
    SELECT id, account_id, posted_at, value_date, amount_minor, currency, channel, class, description,
           counterparty, source, source_key, job_id, quantity, item FROM txn_blocks_view;
SELECT txn_month(m) FROM (SELECT DISTINCT substr(posted_at, 1, 7) AS m FROM txn_other
                           WHERE posted_at ~ '^[0-9]{4}-(0[1-9]|1[0-2])') AS months;
SELECT setval('txn_id', (SELECT max(id) FROM txn)) WHERE EXISTS (SELECT 1 FROM txn);

DROP VIEW txn_blocks_view;   -- its triggers go with it
DROP TABLE txn_block;        -- and its own
DROP FUNCTION txn_insert(), txn_delete(), txn_update(), txn_generation_delete(), txn_generation_update(),
              c360_txn_changed(), c360_txn_gone();

-- what 0012 watched on the blocks, now on the table: another tool that changes or deletes
-- transactions counts up txn_generation (the analytics' column copy is then rebuilt) and drops the
-- kept 360s of the accounts
CREATE OR REPLACE FUNCTION txn_generation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE store_meta SET value = CAST(value AS BIGINT) + 1 WHERE name = 'txn_generation';
    RETURN NULL;
END $$;
CREATE TRIGGER txn_generation AFTER UPDATE OR DELETE ON txn FOR EACH STATEMENT EXECUTE FUNCTION txn_generation();
-- what stays of a transaction, as 0012's view kept it
CREATE OR REPLACE FUNCTION txn_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.id IS DISTINCT FROM OLD.id OR NEW.account_id IS DISTINCT FROM OLD.account_id OR NEW.currency IS DISTINCT FROM OLD.currency
            OR NEW.source IS DISTINCT FROM OLD.source OR NEW.job_id IS DISTINCT FROM OLD.job_id THEN
        RAISE EXCEPTION 'txn: the id, account, currency, source and job of a transaction stay; delete it and add it again' USING ERRCODE = '23000';
    END IF;
    RETURN NEW;
END $$;
CREATE TRIGGER txn_update BEFORE UPDATE ON txn FOR EACH ROW EXECUTE FUNCTION txn_update();
CREATE OR REPLACE FUNCTION c360_txn_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM c360_doc WHERE person IN (SELECT d.person FROM c360_dep_account d
                                           WHERE d.account IN (SELECT account_id FROM txn_changed_old));
    RETURN NULL;
END $$;
CREATE TRIGGER c360_txn_changed AFTER UPDATE ON txn REFERENCING OLD TABLE AS txn_changed_old
    FOR EACH STATEMENT EXECUTE FUNCTION c360_txn_changed();
CREATE OR REPLACE FUNCTION c360_txn_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM c360_doc WHERE person IN (SELECT d.person FROM c360_dep_account d
                                           WHERE d.account IN (SELECT account_id FROM txn_gone));
    RETURN NULL;
END $$;
CREATE TRIGGER c360_txn_gone AFTER DELETE ON txn REFERENCING OLD TABLE AS txn_gone
    FOR EACH STATEMENT EXECUTE FUNCTION c360_txn_gone();

-- Transactions kept in blocks (issue 4): one row of txn_block holds up to a
-- few thousand transactions of one account, loaded by one job, as a JSON
-- array of rows.  A bank's transactions outnumber everything else in the
-- store a hundred times over; a row and two index entries for each one held
-- a load to SQLite's ceiling for keyed inserts (355,000 a second on the
-- project's machine), while a block costs SQLite one row and one index entry
-- for all its transactions.
--
-- Each row of a block is
--   [posted_at, amount_minor, channel, class, source_key, value_date,
--    description, counterparty, quantity, item]
-- with trailing nulls left out.  The block's transactions have the ids
-- id .. id + n - 1, in the order of its array.  min_key and max_key bound
-- the block's source keys (a zone map): a load finds the stored
-- transactions its own might repeat by reading only the blocks of the same
-- account whose key range overlaps.
--
-- `txn` is now a view with the columns it always had, so that every query,
-- and any SQLite tool (json_each needs SQLite 3.38), still reads
-- transactions as rows.  Rapport writes them through txn_block (wh_txn_add
-- and the loader); another tool may insert, update and delete through the
-- view as before, by the triggers below.  A deleted transaction leaves a
-- null in its block's array, so that the ids of the others stay.
CREATE TABLE txn_block (
    id         INTEGER PRIMARY KEY,        -- the id of its first transaction
    n          INTEGER NOT NULL CHECK (n BETWEEN 1 AND 4096), -- WH_TXN_BLOCK_ROWS
    account_id INTEGER NOT NULL REFERENCES account(id),
    currency   TEXT NOT NULL,
    source     TEXT,
    job_id     INTEGER REFERENCES load_job(id),
    first_at   TEXT NOT NULL,              -- the earliest and latest posting time
    last_at    TEXT NOT NULL,
    min_key    TEXT,                       -- the least and greatest source key
    max_key    TEXT,
    rows       TEXT NOT NULL
);
CREATE INDEX txn_block_account ON txn_block(account_id, max_key);

-- the transactions there are: a block of one each, under the ids they had
INSERT INTO txn_block(id, n, account_id, currency, source, job_id, first_at, last_at, min_key, max_key, rows)
    SELECT id, 1, account_id, currency, source, job_id, posted_at, posted_at, source_key, source_key,
           json_array(json_array(posted_at, amount_minor, channel, class, source_key, value_date,
                                 description, counterparty, quantity, item))
    FROM txn ORDER BY id;

DROP TABLE txn;   -- its indexes and triggers (0006, 0008) go with it

CREATE VIEW txn(id, account_id, posted_at, value_date, amount_minor, currency, channel, class, description,
                counterparty, source, source_key, job_id, quantity, item) AS
    SELECT b.id + j.key, b.account_id, j.value ->> 0, j.value ->> 5, j.value ->> 1, b.currency,
           j.value ->> 2, j.value ->> 3, j.value ->> 6, j.value ->> 7, b.source, j.value ->> 4, b.job_id,
           j.value ->> 8, j.value ->> 9
    FROM txn_block b, json_each(b.rows) j
    WHERE j.type = 'array';

-- another tool's writes through the view: an insert is a block of its own
CREATE TRIGGER txn_insert INSTEAD OF INSERT ON txn
BEGIN
    SELECT RAISE(ABORT, 'txn: posted_at, amount_minor, channel and class are required')
     WHERE NEW.posted_at IS NULL OR NEW.amount_minor IS NULL OR NEW.channel IS NULL OR NEW.class IS NULL;
    SELECT RAISE(ABORT, 'txn.channel: not one of branch, atm, internet, mobile, phone, pos, batch')
     WHERE NEW.channel NOT IN ('branch', 'atm', 'internet', 'mobile', 'phone', 'pos', 'batch');
    SELECT RAISE(ABORT, 'UNIQUE constraint failed: txn.source, txn.source_key')
     WHERE NEW.source_key IS NOT NULL AND EXISTS (
           SELECT 1 FROM txn_block b, json_each(b.rows) j
            WHERE b.account_id = NEW.account_id AND b.max_key >= NEW.source_key AND b.min_key <= NEW.source_key
              AND b.source IS NEW.source AND j.value ->> 4 = NEW.source_key);
    INSERT INTO txn_block(id, n, account_id, currency, source, job_id, first_at, last_at, min_key, max_key, rows)
    VALUES ((SELECT coalesce((SELECT id + n FROM txn_block ORDER BY id DESC LIMIT 1), 1)), 1, NEW.account_id,
            coalesce(NEW.currency, (SELECT currency FROM account WHERE id = NEW.account_id)), NEW.source,
            NEW.job_id, NEW.posted_at, NEW.posted_at, NEW.source_key, NEW.source_key,
            json_array(json_array(NEW.posted_at, NEW.amount_minor, NEW.channel, NEW.class, NEW.source_key,
                                  NEW.value_date, NEW.description, NEW.counterparty, NEW.quantity, NEW.item)));
END;

CREATE TRIGGER txn_delete INSTEAD OF DELETE ON txn
BEGIN
    UPDATE txn_block SET rows = json_replace(rows, '$[' || (OLD.id - id) || ']', NULL)
     WHERE id = (SELECT id FROM txn_block WHERE id <= OLD.id ORDER BY id DESC LIMIT 1);
END;

CREATE TRIGGER txn_update INSTEAD OF UPDATE ON txn
BEGIN
    SELECT RAISE(ABORT, 'txn: the id, account, currency, source and job of a transaction stay; delete it and add it again')
     WHERE NEW.id IS NOT OLD.id OR NEW.account_id IS NOT OLD.account_id OR NEW.currency IS NOT OLD.currency
        OR NEW.source IS NOT OLD.source OR NEW.job_id IS NOT OLD.job_id;
    UPDATE txn_block
       SET rows = json_replace(rows, '$[' || (OLD.id - id) || ']',
                               json_array(NEW.posted_at, NEW.amount_minor, NEW.channel, NEW.class, NEW.source_key,
                                          NEW.value_date, NEW.description, NEW.counterparty, NEW.quantity,
                                          NEW.item)),
           first_at = min(first_at, NEW.posted_at), last_at = max(last_at, NEW.posted_at),
           min_key = CASE WHEN NEW.source_key IS NULL THEN min_key WHEN min_key IS NULL THEN NEW.source_key
                          ELSE min(min_key, NEW.source_key) END,
           max_key = CASE WHEN NEW.source_key IS NULL THEN max_key WHEN max_key IS NULL THEN NEW.source_key
                          ELSE max(max_key, NEW.source_key) END
     WHERE id = (SELECT id FROM txn_block WHERE id <= OLD.id ORDER BY id DESC LIMIT 1);
END;

-- what 0006 and 0008 watched on txn, now on its blocks: another tool that
-- changes or deletes transactions counts up txn_generation (the analytics'
-- column copy is then rebuilt) and drops the kept 360s of the account
CREATE TRIGGER txn_generation_delete AFTER DELETE ON txn_block
BEGIN
    UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'txn_generation';
END;
CREATE TRIGGER txn_generation_update AFTER UPDATE ON txn_block
BEGIN
    UPDATE store_meta SET value = CAST(value AS INTEGER) + 1 WHERE name = 'txn_generation';
END;
CREATE TRIGGER c360_txn_changed AFTER UPDATE ON txn_block
    WHEN EXISTS (SELECT 1 FROM c360_dep_account WHERE account = NEW.account_id OR account = OLD.account_id)
BEGIN
    DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_account
                                          WHERE account = NEW.account_id OR account = OLD.account_id);
END;
CREATE TRIGGER c360_txn_gone AFTER DELETE ON txn_block
    WHEN EXISTS (SELECT 1 FROM c360_dep_account WHERE account = OLD.account_id)
BEGIN
    DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_account WHERE account = OLD.account_id);
END;

-- Issue 26 item 5: an account carries its primary holder's party id, the column a distributed store
-- (Citus, or the postgres_fdw shards of docs/scale.md) keeps an account, its roles and its
-- transactions on the same node by, beside the party's own rows.
--
-- The primary holder is the party of the first role given to the account (its owner, in every spec
-- Rapport ships), set once and never changed, so that a distributed row never moves: a later owner,
-- a merge of parties (which changes only party.merged_into) or a role ended leave it as it is.  An
-- account loaded before any holder has none until its first role (wh.c).  Accounts already there
-- take their owner, else the holder of the earliest role.
--
-- PostgreSQL (what differs from ../sqlite/0034_holder_party.sql): BIGINT for INTEGER; and the
-- transactions carry the holder too (txn.holder_party, the table's last column), written by Rapport's
-- COPY (txn.c); a row another tool adds without it takes its account's (txn_fill, which also fills a
-- currency left out, as 0033's txn_currency did), and an account's first holder given after its
-- transactions is written into them (txn.c).  SQLite's view txn has no such column: its blocks are
-- never distributed (schema_compare.py says so).
ALTER TABLE account ADD COLUMN holder_party BIGINT REFERENCES party(id);
UPDATE account SET holder_party = (
    SELECT pa.party_id FROM party_account pa WHERE pa.account_id = account.id
     ORDER BY pa.role <> 'owner', coalesce(pa.since, ''), pa.party_id LIMIT 1);
CREATE UNIQUE INDEX account_holder ON account(holder_party, id);

ALTER TABLE party_account ADD COLUMN holder_party BIGINT REFERENCES party(id);
UPDATE party_account SET holder_party = (SELECT a.holder_party FROM account a WHERE a.id = party_account.account_id);
CREATE INDEX party_account_holder ON party_account(holder_party, account_id);

ALTER TABLE txn ADD COLUMN holder_party BIGINT;
-- the rows there are, their triggers (a change checks every source key again, counts a generation
-- and drops the kept 360s) left out: nothing a trigger watches changes
ALTER TABLE txn DISABLE TRIGGER USER;
UPDATE txn t SET holder_party = a.holder_party FROM account a WHERE a.id = t.account_id AND a.holder_party IS NOT NULL;
ALTER TABLE txn ENABLE TRIGGER USER;

DROP TRIGGER txn_currency ON txn;
DROP FUNCTION txn_currency();
CREATE OR REPLACE FUNCTION txn_fill() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    SELECT coalesce(NEW.currency, a.currency), coalesce(NEW.holder_party, a.holder_party)
      INTO NEW.currency, NEW.holder_party FROM account a WHERE a.id = NEW.account_id;
    RETURN NEW;
END $$;
CREATE TRIGGER txn_fill BEFORE INSERT ON txn FOR EACH ROW WHEN (NEW.currency IS NULL OR NEW.holder_party IS NULL)
    EXECUTE FUNCTION txn_fill();

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
-- Written in the SQL both stores run.  SQLite's transactions (blocks behind the view txn, 0012) do not
-- carry it: only PostgreSQL's table txn is distributed (../postgresql/0034_holder_party.sql).
ALTER TABLE account ADD COLUMN holder_party INTEGER REFERENCES party(id);
UPDATE account SET holder_party = (
    SELECT pa.party_id FROM party_account pa WHERE pa.account_id = account.id
     ORDER BY pa.role <> 'owner', coalesce(pa.since, ''), pa.party_id LIMIT 1);
CREATE UNIQUE INDEX account_holder ON account(holder_party, id);

ALTER TABLE party_account ADD COLUMN holder_party INTEGER REFERENCES party(id);
UPDATE party_account SET holder_party = (SELECT a.holder_party FROM account a WHERE a.id = party_account.account_id);
CREATE INDEX party_account_holder ON party_account(holder_party, account_id);

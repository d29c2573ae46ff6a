-- What the sealing design says cannot be in clear (issue 21).
--
-- Card numbers (PCI DSS 3.5.1): account.number holds a card's "pan:" and
-- the keyed hash of its digits, which finds it by number; the number itself
-- is sealed in account.sealed and shown as account.masked (first six, last
-- four).  Other account numbers stay as they are, with masked empty.  A
-- store that kept card numbers in clear has them sealed by the next command
-- that opens it to write (warehouse: wh_open, store_meta 'cards_sealed').
--
-- PostgreSQL (what differs from ../sqlite/0013_sealed_at_rest.sql):
--   BLOB: BYTEA
ALTER TABLE account ADD COLUMN sealed BYTEA;
ALTER TABLE account ADD COLUMN masked TEXT;

-- A rejected record is personal data: reject.raw, the value and the
-- message are kept sealed together in reject.sealed (etl: ledger.c);
-- reject.value and reject.message hold them masked, and raw is empty.
-- Rejects kept in clear before are sealed the same way when a command next
-- opens the store to write (store_meta 'rejects_sealed').
ALTER TABLE reject ADD COLUMN sealed BYTEA;

-- The customers an audited action showed besides its one customer_id (a
-- search's hits), as their ids separated by blanks: the trail by customer
-- (audit_customer) takes them in too, so that `rapport audit --customer N`
-- finds every search that showed N.
ALTER TABLE audit ADD COLUMN customers TEXT;

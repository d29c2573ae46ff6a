-- The customer 360 as the API serves it, kept per customer (issue 7).
--
-- Building a 360 takes eight queries; serving a kept one takes one.  A kept
-- document is only ever a copy of what the queries would say now: every
-- change to anything a document shows deletes that document, here, in the
-- same transaction, whatever program makes the change (the ETL, identity
-- resolution, the API, the sqlite3 shell).  A deleted document is built
-- again on its next view, or by `rapport serve` in the background, or by
-- `rapport customer refresh`.
--
-- main:     the masked document as JSON without its contact_points member
--           and without the closing brace;
-- contacts, contacts_masked: that member's array, in full and masked, for
--           roles that may and may not see phones, e-mails and addresses;
-- fresh_until: the first date (Taipei) on which the document is out of date
--           by itself (the customer's age changes), or NULL.
--
-- PostgreSQL (what differs from ../sqlite/0008_c360_doc.sql):
--   an INTEGER PRIMARY KEY that holds another table's id: BIGINT PRIMARY KEY, no identity (its value is always given)
--   INTEGER: BIGINT (the code binds int64)
--   WITHOUT ROWID left out (a PostgreSQL table is a heap and its primary key an index)
--   INSERT OR IGNORE: INSERT ... ON CONFLICT DO NOTHING
--   INSERT OR REPLACE INTO store_meta: INSERT ... ON CONFLICT (name) DO UPDATE
--   IS NOT and IS between two values: IS DISTINCT FROM and IS NOT DISTINCT FROM
--   each trigger a PL/pgSQL function of its name and a FOR EACH ROW trigger; its WHEN is an IF in the function (PostgreSQL allows no subquery, and no OLD in an insert's, in a trigger's WHEN)
CREATE TABLE c360_doc (
    person          BIGINT PRIMARY KEY,
    home_branch     TEXT,
    fresh_until     TEXT,
    built_at        TEXT NOT NULL,
    main            TEXT NOT NULL,
    contacts        TEXT NOT NULL,
    contacts_masked TEXT NOT NULL
);

-- What each kept document was built from: the parties (its own source
-- records, the parties it is linked to, and the customers those belong to)
-- and the accounts.  A change to one of them deletes the documents listed.
CREATE TABLE c360_dep_party (
    party  BIGINT NOT NULL,
    person BIGINT NOT NULL,
    PRIMARY KEY (party, person)
);
CREATE INDEX c360_dep_party_person ON c360_dep_party(person);

CREATE TABLE c360_dep_account (
    account BIGINT NOT NULL,
    person  BIGINT NOT NULL,
    PRIMARY KEY (account, person)
);
CREATE INDEX c360_dep_account_person ON c360_dep_account(person);

-- A document out of date by age is found by its date.
CREATE INDEX c360_doc_fresh_until ON c360_doc(fresh_until) WHERE fresh_until IS NOT NULL;

-- Customers whose document is to be built: those a change deleted and new
-- ones.  `rapport serve` works through them in the background; building a
-- document takes its customer off.
CREATE TABLE c360_stale (
    person BIGINT PRIMARY KEY
);
INSERT INTO c360_stale(person) SELECT id FROM party WHERE merged_into IS NULL;

CREATE OR REPLACE FUNCTION c360_doc_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM c360_dep_party WHERE person = OLD.person;
    DELETE FROM c360_dep_account WHERE person = OLD.person;
    INSERT INTO c360_stale(person) VALUES (OLD.person) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_doc_gone AFTER DELETE ON c360_doc FOR EACH ROW EXECUTE FUNCTION c360_doc_gone();

-- Each trigger below asks first whether any kept document depends on the
-- row (an index probe), so that a bulk load into a store with none kept
-- pays one probe a row.

-- parties: a merge or an undo also changes the customer it joins
CREATE OR REPLACE FUNCTION c360_party_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM c360_doc WHERE person = NEW.merged_into;
    INSERT INTO c360_stale(person) VALUES (coalesce(NEW.merged_into, NEW.id)) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_party_new AFTER INSERT ON party FOR EACH ROW EXECUTE FUNCTION c360_party_new();
CREATE OR REPLACE FUNCTION c360_party_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = OLD.id)
            OR person = NEW.merged_into OR person = NEW.id;
    -- one taken out of a customer is a customer again
        INSERT INTO c360_stale(person) VALUES (coalesce(NEW.merged_into, NEW.id)) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_party_changed AFTER UPDATE ON party FOR EACH ROW EXECUTE FUNCTION c360_party_changed();
CREATE OR REPLACE FUNCTION c360_party_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = OLD.id)
            OR person = OLD.merged_into;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_party_gone AFTER DELETE ON party FOR EACH ROW EXECUTE FUNCTION c360_party_gone();

-- what hangs off a party
CREATE OR REPLACE FUNCTION c360_identifier_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = NEW.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_identifier_new AFTER INSERT ON party_identifier FOR EACH ROW EXECUTE FUNCTION c360_identifier_new();
CREATE OR REPLACE FUNCTION c360_identifier_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id OR party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                                                  WHERE party = NEW.party_id OR party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_identifier_changed AFTER UPDATE ON party_identifier FOR EACH ROW EXECUTE FUNCTION c360_identifier_changed();
CREATE OR REPLACE FUNCTION c360_identifier_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_identifier_gone AFTER DELETE ON party_identifier FOR EACH ROW EXECUTE FUNCTION c360_identifier_gone();

CREATE OR REPLACE FUNCTION c360_contact_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = NEW.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_contact_new AFTER INSERT ON contact_point FOR EACH ROW EXECUTE FUNCTION c360_contact_new();
CREATE OR REPLACE FUNCTION c360_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id OR party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                                                  WHERE party = NEW.party_id OR party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_contact_changed AFTER UPDATE ON contact_point FOR EACH ROW EXECUTE FUNCTION c360_contact_changed();
CREATE OR REPLACE FUNCTION c360_contact_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_contact_gone AFTER DELETE ON contact_point FOR EACH ROW EXECUTE FUNCTION c360_contact_gone();

CREATE OR REPLACE FUNCTION c360_role_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = NEW.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_role_new AFTER INSERT ON party_account FOR EACH ROW EXECUTE FUNCTION c360_role_new();
CREATE OR REPLACE FUNCTION c360_role_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id OR party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                                                  WHERE party = NEW.party_id OR party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_role_changed AFTER UPDATE ON party_account FOR EACH ROW EXECUTE FUNCTION c360_role_changed();
CREATE OR REPLACE FUNCTION c360_role_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_role_gone AFTER DELETE ON party_account FOR EACH ROW EXECUTE FUNCTION c360_role_gone();

CREATE OR REPLACE FUNCTION c360_link_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.from_party OR party = NEW.to_party) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                                                  WHERE party = NEW.from_party OR party = NEW.to_party);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_link_new AFTER INSERT ON party_link FOR EACH ROW EXECUTE FUNCTION c360_link_new();
CREATE OR REPLACE FUNCTION c360_link_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party IN (NEW.from_party, NEW.to_party, OLD.from_party, OLD.to_party)) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                                                  WHERE party IN (NEW.from_party, NEW.to_party, OLD.from_party, OLD.to_party));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_link_changed AFTER UPDATE ON party_link FOR EACH ROW EXECUTE FUNCTION c360_link_changed();
CREATE OR REPLACE FUNCTION c360_link_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = OLD.from_party OR party = OLD.to_party) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                                                  WHERE party = OLD.from_party OR party = OLD.to_party);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_link_gone AFTER DELETE ON party_link FOR EACH ROW EXECUTE FUNCTION c360_link_gone();

CREATE OR REPLACE FUNCTION c360_interaction_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = NEW.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_interaction_new AFTER INSERT ON interaction FOR EACH ROW EXECUTE FUNCTION c360_interaction_new();
CREATE OR REPLACE FUNCTION c360_interaction_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id OR party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                                                  WHERE party = NEW.party_id OR party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_interaction_changed AFTER UPDATE ON interaction FOR EACH ROW EXECUTE FUNCTION c360_interaction_changed();
CREATE OR REPLACE FUNCTION c360_interaction_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_interaction_gone AFTER DELETE ON interaction FOR EACH ROW EXECUTE FUNCTION c360_interaction_gone();

CREATE OR REPLACE FUNCTION c360_consent_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = NEW.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_consent_new AFTER INSERT ON consent FOR EACH ROW EXECUTE FUNCTION c360_consent_new();
CREATE OR REPLACE FUNCTION c360_consent_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id OR party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                                                  WHERE party = NEW.party_id OR party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_consent_changed AFTER UPDATE ON consent FOR EACH ROW EXECUTE FUNCTION c360_consent_changed();
CREATE OR REPLACE FUNCTION c360_consent_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE party = OLD.party_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = OLD.party_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_consent_gone AFTER DELETE ON consent FOR EACH ROW EXECUTE FUNCTION c360_consent_gone();

CREATE OR REPLACE FUNCTION c360_lineage_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.entity = 'party' AND EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.entity_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = NEW.entity_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_lineage_new AFTER INSERT ON source_record FOR EACH ROW EXECUTE FUNCTION c360_lineage_new();
CREATE OR REPLACE FUNCTION c360_lineage_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_party WHERE (party = NEW.entity_id AND NEW.entity = 'party') OR (party = OLD.entity_id AND OLD.entity = 'party')) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                WHERE (party = NEW.entity_id AND NEW.entity = 'party') OR (party = OLD.entity_id AND OLD.entity = 'party'));
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_lineage_changed AFTER UPDATE ON source_record FOR EACH ROW EXECUTE FUNCTION c360_lineage_changed();
CREATE OR REPLACE FUNCTION c360_lineage_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.entity = 'party' AND EXISTS (SELECT 1 FROM c360_dep_party WHERE party = OLD.entity_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = OLD.entity_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_lineage_gone AFTER DELETE ON source_record FOR EACH ROW EXECUTE FUNCTION c360_lineage_gone();

-- accounts and their transactions.  A new transaction fires nothing: any
-- trigger on txn inserts, even one that does nothing, costs a bulk load a
-- third of its speed.  Instead whoever adds transactions calls
-- wh_c360_catch_up() before committing (the ETL, import), and the server
-- does so every tick for any other program: the documents of the accounts
-- with transactions past store_meta 'c360_txn_upto' are deleted.
INSERT INTO store_meta(name, value) VALUES ('c360_txn_upto', (SELECT coalesce(max(id), 0) FROM txn)) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value;
CREATE OR REPLACE FUNCTION c360_account_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_account WHERE account = OLD.id OR account = NEW.id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_account
                                                  WHERE account = OLD.id OR account = NEW.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_account_changed AFTER UPDATE ON account FOR EACH ROW EXECUTE FUNCTION c360_account_changed();
CREATE OR REPLACE FUNCTION c360_account_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_account WHERE account = OLD.id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_account WHERE account = OLD.id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_account_gone AFTER DELETE ON account FOR EACH ROW EXECUTE FUNCTION c360_account_gone();

CREATE OR REPLACE FUNCTION c360_txn_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_account WHERE account = NEW.account_id OR account = OLD.account_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_account
                                                  WHERE account = NEW.account_id OR account = OLD.account_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_txn_changed AFTER UPDATE ON txn FOR EACH ROW EXECUTE FUNCTION c360_txn_changed();
CREATE OR REPLACE FUNCTION c360_txn_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM c360_dep_account WHERE account = OLD.account_id) THEN
        DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_account WHERE account = OLD.account_id);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_txn_gone AFTER DELETE ON txn FOR EACH ROW EXECUTE FUNCTION c360_txn_gone();

-- names every document shows: a change to one is rare, and starts all over
CREATE OR REPLACE FUNCTION c360_branch_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.name_zh IS DISTINCT FROM NEW.name_zh OR OLD.code IS DISTINCT FROM NEW.code THEN
        DELETE FROM c360_doc;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_branch_changed AFTER UPDATE ON branch FOR EACH ROW EXECUTE FUNCTION c360_branch_changed();
CREATE OR REPLACE FUNCTION c360_branch_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM c360_doc;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_branch_gone AFTER DELETE ON branch FOR EACH ROW EXECUTE FUNCTION c360_branch_gone();
CREATE OR REPLACE FUNCTION c360_product_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.name_zh IS DISTINCT FROM NEW.name_zh OR OLD.kind IS DISTINCT FROM NEW.kind OR OLD.code IS DISTINCT FROM NEW.code THEN
        DELETE FROM c360_doc;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_product_changed AFTER UPDATE ON product FOR EACH ROW EXECUTE FUNCTION c360_product_changed();
CREATE OR REPLACE FUNCTION c360_product_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM c360_doc;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_product_gone AFTER DELETE ON product FOR EACH ROW EXECUTE FUNCTION c360_product_gone();
CREATE OR REPLACE FUNCTION c360_job_file_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM c360_doc;
    RETURN NULL;
END $$;
CREATE TRIGGER c360_job_file_changed AFTER UPDATE OF file ON load_job FOR EACH ROW EXECUTE FUNCTION c360_job_file_changed();

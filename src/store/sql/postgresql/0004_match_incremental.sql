-- Incremental identity resolution (issue 5): every source party that is
-- added, or whose name, birth date, gender, identifiers or contact points
-- change, is queued here by the triggers below, whichever program changed
-- it; the next `rapport match` resolves the queued records and their
-- neighbours only, and empties the queue of what it resolved.
--
-- PostgreSQL (what differs from ../sqlite/0004_match_incremental.sql):
--   an INTEGER PRIMARY KEY that holds another table's id: BIGINT PRIMARY KEY, no identity (its value is always given)
--   INTEGER: BIGINT (the code binds int64)
--   INSERT OR IGNORE: INSERT ... ON CONFLICT DO NOTHING
--   IS NOT and IS between two values: IS DISTINCT FROM and IS NOT DISTINCT FROM
--   each trigger a PL/pgSQL function of its name and a FOR EACH ROW trigger; its WHEN is an IF in the function (PostgreSQL allows no subquery, and no OLD in an insert's, in a trigger's WHEN)
CREATE TABLE match_queue (
    party_id BIGINT PRIMARY KEY
);

CREATE OR REPLACE FUNCTION match_queue_party_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF new.resolved = 0 THEN
        INSERT INTO match_queue(party_id) VALUES (new.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER match_queue_party_new AFTER INSERT ON party FOR EACH ROW EXECUTE FUNCTION match_queue_party_new();

-- a person made by resolution is inserted unresolved, then marked
CREATE OR REPLACE FUNCTION match_queue_party_person() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF new.resolved = 1 THEN
        DELETE FROM match_queue WHERE party_id = new.id;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER match_queue_party_person AFTER UPDATE OF resolved ON party FOR EACH ROW EXECUTE FUNCTION match_queue_party_person();

CREATE OR REPLACE FUNCTION match_queue_party_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF new.resolved = 0 AND (old.kind IS DISTINCT FROM new.kind OR old.name_zh IS DISTINCT FROM new.name_zh OR old.name_latin IS DISTINCT FROM new.name_latin OR old.birth_date IS DISTINCT FROM new.birth_date OR old.gender IS DISTINCT FROM new.gender) THEN
        INSERT INTO match_queue(party_id) VALUES (new.id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER match_queue_party_changed AFTER UPDATE OF kind, name_zh, name_latin, birth_date, gender ON party FOR EACH ROW EXECUTE FUNCTION match_queue_party_changed();

CREATE OR REPLACE FUNCTION match_queue_identifier_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF new.type IN ('national_id', 'resident_cert', 'ubn') THEN
        INSERT INTO match_queue(party_id) VALUES (new.party_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER match_queue_identifier_new AFTER INSERT ON party_identifier FOR EACH ROW EXECUTE FUNCTION match_queue_identifier_new();

CREATE OR REPLACE FUNCTION match_queue_identifier_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF old.type IN ('national_id', 'resident_cert', 'ubn') THEN
        INSERT INTO match_queue(party_id) VALUES (old.party_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER match_queue_identifier_gone AFTER DELETE ON party_identifier FOR EACH ROW EXECUTE FUNCTION match_queue_identifier_gone();

CREATE OR REPLACE FUNCTION match_queue_identifier_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF new.type IN ('national_id', 'resident_cert', 'ubn') THEN
        INSERT INTO match_queue(party_id) VALUES (new.party_id) ON CONFLICT DO NOTHING;
        INSERT INTO match_queue(party_id) VALUES (old.party_id) ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER match_queue_identifier_changed AFTER UPDATE OF lookup, party_id ON party_identifier FOR EACH ROW EXECUTE FUNCTION match_queue_identifier_changed();

CREATE OR REPLACE FUNCTION match_queue_contact_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO match_queue(party_id) VALUES (new.party_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER match_queue_contact_new AFTER INSERT ON contact_point FOR EACH ROW EXECUTE FUNCTION match_queue_contact_new();

CREATE OR REPLACE FUNCTION match_queue_contact_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO match_queue(party_id) VALUES (new.party_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE TRIGGER match_queue_contact_changed AFTER UPDATE OF value, lookup, valid_to, party_id ON contact_point FOR EACH ROW EXECUTE FUNCTION match_queue_contact_changed();

-- full: every record compared and the model estimated; incremental: the
-- changed records and their neighbours, scored with the last full model
ALTER TABLE match_run ADD COLUMN mode TEXT NOT NULL DEFAULT 'full'
    CHECK (mode = 'full' OR mode = 'incremental');
ALTER TABLE match_run ADD COLUMN changed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN compared BIGINT NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN customers BIGINT NOT NULL DEFAULT 0;

-- parties queued before this migration: everything not yet resolved
INSERT INTO match_queue(party_id)
    SELECT id FROM party WHERE resolved = 0 AND merged_into IS NULL
    AND NOT EXISTS (SELECT 1 FROM match_run WHERE finished_at IS NOT NULL) ON CONFLICT DO NOTHING;

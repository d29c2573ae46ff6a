-- Incremental identity resolution (issue 5): every source party that is
-- added, or whose name, birth date, gender, identifiers or contact points
-- change, is queued here by the triggers below, whichever program changed
-- it; the next `rapport match` resolves the queued records and their
-- neighbours only, and empties the queue of what it resolved.
CREATE TABLE match_queue (
    party_id INTEGER PRIMARY KEY
);

CREATE TRIGGER match_queue_party_new AFTER INSERT ON party
WHEN new.resolved = 0
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (new.id);
END;

-- a person made by resolution is inserted unresolved, then marked
CREATE TRIGGER match_queue_party_person AFTER UPDATE OF resolved ON party
WHEN new.resolved = 1
BEGIN
    DELETE FROM match_queue WHERE party_id = new.id;
END;

CREATE TRIGGER match_queue_party_changed AFTER UPDATE OF kind, name_zh, name_latin, birth_date, gender ON party
WHEN new.resolved = 0 AND (old.kind IS NOT new.kind OR old.name_zh IS NOT new.name_zh
    OR old.name_latin IS NOT new.name_latin OR old.birth_date IS NOT new.birth_date OR old.gender IS NOT new.gender)
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (new.id);
END;

CREATE TRIGGER match_queue_identifier_new AFTER INSERT ON party_identifier
WHEN new.type IN ('national_id', 'resident_cert', 'ubn')
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (new.party_id);
END;

CREATE TRIGGER match_queue_identifier_gone AFTER DELETE ON party_identifier
WHEN old.type IN ('national_id', 'resident_cert', 'ubn')
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (old.party_id);
END;

CREATE TRIGGER match_queue_identifier_changed AFTER UPDATE OF lookup, party_id ON party_identifier
WHEN new.type IN ('national_id', 'resident_cert', 'ubn')
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (new.party_id);
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (old.party_id);
END;

CREATE TRIGGER match_queue_contact_new AFTER INSERT ON contact_point
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (new.party_id);
END;

CREATE TRIGGER match_queue_contact_changed AFTER UPDATE OF value, lookup, valid_to, party_id ON contact_point
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (new.party_id);
END;

-- full: every record compared and the model estimated; incremental: the
-- changed records and their neighbours, scored with the last full model
ALTER TABLE match_run ADD COLUMN mode TEXT NOT NULL DEFAULT 'full'
    CHECK (mode = 'full' OR mode = 'incremental');
ALTER TABLE match_run ADD COLUMN changed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN compared INTEGER NOT NULL DEFAULT 0;
ALTER TABLE match_run ADD COLUMN customers INTEGER NOT NULL DEFAULT 0;

-- parties queued before this migration: everything not yet resolved
INSERT OR IGNORE INTO match_queue(party_id)
    SELECT id FROM party WHERE resolved = 0 AND merged_into IS NULL
    AND NOT EXISTS (SELECT 1 FROM match_run WHERE finished_at IS NOT NULL);

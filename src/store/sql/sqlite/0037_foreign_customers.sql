-- Who is who on any bank's data (issue 28).
--
-- The country of a contact point: ISO 3166 alpha-2 of an address or a phone, by which its postal code and
-- its number are checked and read (warehouse.h, wh_contact); none is Taiwan, as every contact point
-- loaded before this was.
ALTER TABLE contact_point ADD COLUMN country TEXT;

-- Every identifier is evidence for identity resolution now (a passport, a tax number, a customer number two
-- sources share), not the national ones alone: a change of any queues its party for the next run.
DROP TRIGGER match_queue_identifier_new;
DROP TRIGGER match_queue_identifier_gone;
DROP TRIGGER match_queue_identifier_changed;
CREATE TRIGGER match_queue_identifier_new AFTER INSERT ON party_identifier
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (new.party_id);
END;
CREATE TRIGGER match_queue_identifier_gone AFTER DELETE ON party_identifier
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (old.party_id);
END;
CREATE TRIGGER match_queue_identifier_changed AFTER UPDATE OF lookup, party_id ON party_identifier
BEGIN
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (new.party_id);
    INSERT OR IGNORE INTO match_queue(party_id) VALUES (old.party_id);
END;

-- Who is who on any bank's data (issue 28); what differs from ../sqlite/0037_foreign_customers.sql: the
-- triggers' functions replaced in place (the triggers stay).
--
-- The country of a contact point: ISO 3166 alpha-2 of an address or a phone, by which its postal code and
-- its number are checked and read (warehouse.h, wh_contact); none is Taiwan, as every contact point
-- loaded before this was.
ALTER TABLE contact_point ADD COLUMN country TEXT;

-- Every identifier is evidence for identity resolution now (a passport, a tax number, a customer number two
-- sources share), not the national ones alone: a change of any queues its party for the next run.
CREATE OR REPLACE FUNCTION match_queue_identifier_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO match_queue(party_id) VALUES (new.party_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION match_queue_identifier_gone() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO match_queue(party_id) VALUES (old.party_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION match_queue_identifier_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO match_queue(party_id) VALUES (new.party_id) ON CONFLICT DO NOTHING;
    INSERT INTO match_queue(party_id) VALUES (old.party_id) ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

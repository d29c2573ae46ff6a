-- Issue 24: campaign responses (DOMAIN K3) and how each came.
--
-- A response is read from a file (the ETL: the load job), told by staff through the CLI or the API
-- ("accepted at the counter", with who recorded it and a note), or seen in behaviour: the offered
-- product opened within the response window.  A target without a response has none while the window
-- is open and is neutral after the deadline (derived, not stored).  Results (marketing) read these.
--
-- Written in the SQL both stores run.
--
-- PostgreSQL: the same statements as ../sqlite/0025_responses.sql.

ALTER TABLE campaign_response ADD COLUMN source TEXT
    CHECK (source IS NULL OR source IN ('file', 'staff', 'behaviour'));
ALTER TABLE campaign_response ADD COLUMN recorded_by TEXT;
ALTER TABLE campaign_response ADD COLUMN note TEXT;
-- The product taken, when known (behaviour: the one opened; a control-group customer's response
-- counts for the cells that offered it).
ALTER TABLE campaign_response ADD COLUMN product TEXT;
UPDATE campaign_response SET source = 'file' WHERE source IS NULL;

-- Issue 24: the messages a campaign sent (e-mail through SMTP; SMS gateways later).
--
-- One row per customer and channel: sent (the server took it, with its Message-ID) or failed (with
-- the server's or the network's answer), so that a run stopped half-way, or one that met a refused
-- address, is taken up again without sending anything twice.  The address itself is not kept here:
-- it is the customer's contact point, in the warehouse.  Marketing's table.
--
-- Written in the SQL both stores run.
--
-- PostgreSQL (what differs from ../sqlite/0026_sends.sql):
--   INTEGER: BIGINT (the code binds int64)

CREATE TABLE campaign_send (
    campaign    TEXT NOT NULL REFERENCES campaign(code),
    party_id    BIGINT NOT NULL REFERENCES party(id),
    channel     TEXT NOT NULL,
    cell        TEXT NOT NULL,
    at          TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('sent', 'failed')),
    message_id  TEXT,
    error       TEXT,
    by_user     TEXT NOT NULL,
    PRIMARY KEY (campaign, party_id, channel)
);

-- Calling lists (issue 22 item 13): the customers an outbound agent (a TSR)
-- has been given to call.  Such an agent sees no customer's phone numbers
-- but those of the customers on their own list, while it runs: a number
-- they may dial, and no other.  A supervisor makes the lists (the campaigns
-- issue will fill them from an outbound campaign's targets as well).
--
-- One row per list, agent and customer.  until: the last day (Taipei) the
-- customer may be called from the list; NULL while the list runs.  A row
-- taken off the list keeps when and by whom (removed_at, removed_by): who
-- could dial whom, and when, stays on record.
CREATE TABLE calling_list (
    id         INTEGER PRIMARY KEY,
    list       TEXT NOT NULL,
    agent      TEXT NOT NULL,
    party_id   INTEGER NOT NULL REFERENCES party(id),
    until      TEXT,
    added_at   TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    removed_at TEXT,
    removed_by TEXT
);
-- on a list at most once while there
CREATE UNIQUE INDEX calling_list_entry ON calling_list(list, agent, party_id) WHERE removed_at IS NULL;
-- is this customer on this agent's list (each 360 a TSR opens)
CREATE INDEX calling_list_agent ON calling_list(agent, party_id) WHERE removed_at IS NULL;

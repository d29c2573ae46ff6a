-- Issue 25 item 9: surges.  When the calls offered to a queue pass what the agents on duty can answer
-- at its target (Erlang C on the last fifteen minutes), the contact centre acts by itself and says so:
-- a row here for each surge, from its start to its end, with the load that started it and what was
-- done (outbound campaign cells paused and resumed, heavy batch work deferred, the queue's skills
-- widened, call-backs offered to callers).  The contact centre's table.
--
-- Written in the SQL both stores run.

CREATE TABLE cc_surge (
    id               INTEGER PRIMARY KEY,
    queue            TEXT NOT NULL REFERENCES cc_queue(code),
    started_at       TEXT NOT NULL,
    ended_at         TEXT,
    offered_15m      INTEGER NOT NULL,      -- calls offered in the fifteen minutes before it started
    aht_s            REAL NOT NULL,         -- the handle time it was judged with
    agents_needed    INTEGER NOT NULL,      -- by Erlang C, for the queue's target
    agents_on_duty   INTEGER NOT NULL,
    actions          TEXT NOT NULL          -- JSON: {outbound_paused: [campaign/cell], batch_deferred, skills_widened, callbacks_offered}
);
CREATE INDEX cc_surge_open ON cc_surge(queue, ended_at);

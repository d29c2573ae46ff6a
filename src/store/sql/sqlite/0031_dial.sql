-- Issue 25 item 10: outbound dialling from campaigns.
--
-- A dialler works through one running campaign's outbound_call cell: its customers, chosen as the
-- cell's calling list is (consent, reach, do-not-call, a phone), each an entry dialled when an agent
-- of its queue is free (progressive: the agent first, then the number, so that no customer who
-- answers hears silence), within the calling hours and days, again after no answer or busy up to a
-- number of attempts, and ended by the call's outcome: no answer, busy, wrong number, contact, sale
-- or refused (the last two the campaign's responses).  Consent and do-not-call are asked again at
-- each dial.  The contact centre's tables.
--
-- Written in the SQL both stores run.

CREATE TABLE cc_dialler (
    id          INTEGER PRIMARY KEY,
    campaign    TEXT NOT NULL,
    cell        TEXT NOT NULL,
    queue       TEXT NOT NULL REFERENCES cc_queue(code),
    purpose     TEXT NOT NULL,                      -- the campaign's consent purpose, asked at each dial
    hours_from  TEXT NOT NULL DEFAULT '09:00',      -- calling hours, Taipei time, [from, to)
    hours_to    TEXT NOT NULL DEFAULT '21:00',
    days        TEXT NOT NULL DEFAULT '1234567',    -- ISO weekdays dialled (1 Monday .. 7 Sunday)
    attempts    INTEGER NOT NULL DEFAULT 3 CHECK (attempts BETWEEN 1 AND 10),
    retry_min   INTEGER NOT NULL DEFAULT 60 CHECK (retry_min BETWEEN 1 AND 10080),
    state       TEXT NOT NULL DEFAULT 'running' CHECK (state IN ('running', 'paused', 'stopped', 'done')),
    started_at  TEXT NOT NULL,
    started_by  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    changed_by  TEXT NOT NULL,
    ended_at    TEXT
);
-- one dialler at a time for a cell (a stopped or finished one may be followed by another)
CREATE UNIQUE INDEX cc_dialler_cell ON cc_dialler(campaign, cell) WHERE state IN ('running', 'paused');

CREATE TABLE cc_dial (
    dialler      INTEGER NOT NULL REFERENCES cc_dialler(id),
    party_id    INTEGER NOT NULL REFERENCES party(id),
    seq         INTEGER NOT NULL,                   -- the list's order
    phone       TEXT NOT NULL,
    state       TEXT NOT NULL DEFAULT 'waiting' CHECK (state IN ('waiting', 'dialling', 'done')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     TEXT,                               -- not dialled before this (a retry, a call-back)
    interaction INTEGER REFERENCES cc_interaction(id),
    agent       TEXT,                               -- who made the last attempt
    outcome     TEXT,                               -- the last attempt's
    response    TEXT CHECK (response IN ('positive', 'negative')),
    detail      TEXT,                               -- why it ended so (not allowed, a response refused)
    updated_at  TEXT,
    PRIMARY KEY (dialler, party_id)
);
CREATE INDEX cc_dial_next ON cc_dial(dialler, state, next_at, seq);
CREATE INDEX cc_dial_interaction ON cc_dial(interaction);

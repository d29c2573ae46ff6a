-- Issue 25: the contact centre live (DOMAIN C1-C4, C6, C10, C12, C13).
--
-- Skills (a language, a product, a segment), queues (the skill and level they need, the strategy
-- that routes them, when they overflow, their service-level target and wrap-up time, the number a
-- caller dials to reach them), agents (a Rapport user with a phone's SIP address, skills with a
-- proficiency 1-5, how much of each channel at once, and a state: ready, wrap-up, break with a
-- reason, offline), every change of an agent's state, and the interactions: one row each, offered ->
-- queued -> assigned -> connected -> wrap_up -> done, or abandoned or transferred, each step's time
-- kept on the row and, with who and why, in cc_event.  Times are UTC with milliseconds
-- ("2026-12-04T10:00:00.125Z"), so that they sort as text.  The contact centre's tables.
--
-- Written in the SQL both stores run: no SQLite-only types or functions.

CREATE TABLE cc_skill (
    id     INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 63),   -- the routing engine's index
    name   TEXT NOT NULL UNIQUE,
    kind   TEXT NOT NULL DEFAULT 'product' CHECK (kind IN ('language', 'product', 'segment', 'other'))
);

CREATE TABLE cc_queue (
    code           TEXT PRIMARY KEY,
    name           TEXT NOT NULL,
    channel        TEXT NOT NULL CHECK (channel IN ('voice', 'email', 'chat', 'callback', 'outbound', 'webform')),
    skill          INTEGER NOT NULL REFERENCES cc_skill(id),
    min_level      INTEGER NOT NULL DEFAULT 1 CHECK (min_level BETWEEN 1 AND 5),
    strategy       TEXT NOT NULL DEFAULT 'skills',
    priority       INTEGER NOT NULL DEFAULT 0,          -- across queues: higher first
    overflow_s     INTEGER NOT NULL DEFAULT 0,          -- 0: never
    overflow_skill INTEGER REFERENCES cc_skill(id),     -- NULL: any level of the queue's own skill
    target_s       INTEGER NOT NULL DEFAULT 15,         -- the service level's target (the seeds': 15 s)
    target_level   REAL NOT NULL DEFAULT 0.8,
    wrap_up_s      INTEGER NOT NULL DEFAULT 60,         -- an agent's wrap-up ends by itself after it
    number         TEXT UNIQUE,                         -- the number dialled to reach it (voice)
    active         INTEGER NOT NULL DEFAULT 1,
    changed_at     TEXT NOT NULL,
    changed_by     TEXT NOT NULL
);

CREATE TABLE cc_agent (
    id          INTEGER PRIMARY KEY,
    login       TEXT NOT NULL UNIQUE,                   -- the agent's Rapport user name
    name        TEXT NOT NULL,
    sip         TEXT,                                   -- the phone: sip:1001@pbx.bank
    state       TEXT NOT NULL DEFAULT 'offline' CHECK (state IN ('ready', 'wrap_up', 'break', 'offline')),
    reason      TEXT,                                   -- a break's
    state_at    TEXT NOT NULL,
    idle_since  TEXT,                                   -- free since (the longest idle is first)
    wrap_until  TEXT,                                   -- wrap-up ends by itself then
    session     TEXT,                                   -- the sign-in that holds the state (a hash)
    seen_at     TEXT,                                   -- that sign-in's last sign of life
    cap_voice   INTEGER NOT NULL DEFAULT 1 CHECK (cap_voice BETWEEN 0 AND 1),
    cap_email   INTEGER NOT NULL DEFAULT 1 CHECK (cap_email BETWEEN 0 AND 5),
    cap_chat    INTEGER NOT NULL DEFAULT 3 CHECK (cap_chat BETWEEN 0 AND 5),
    cap_callback INTEGER NOT NULL DEFAULT 1 CHECK (cap_callback BETWEEN 0 AND 1),
    cap_outbound INTEGER NOT NULL DEFAULT 1 CHECK (cap_outbound BETWEEN 0 AND 1),
    cap_webform INTEGER NOT NULL DEFAULT 1 CHECK (cap_webform BETWEEN 0 AND 5),
    active      INTEGER NOT NULL DEFAULT 1,
    changed_at  TEXT NOT NULL,
    changed_by  TEXT NOT NULL
);

CREATE TABLE cc_agent_skill (
    agent  INTEGER NOT NULL REFERENCES cc_agent(id),
    skill  INTEGER NOT NULL REFERENCES cc_skill(id),
    level  INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    PRIMARY KEY (agent, skill)
);

-- every state an agent was in, from when (occupancy, adherence, the agents' report)
CREATE TABLE cc_agent_state (
    id      INTEGER PRIMARY KEY,
    agent   INTEGER NOT NULL REFERENCES cc_agent(id),
    at      TEXT NOT NULL,
    state   TEXT NOT NULL,
    reason  TEXT,
    by_user TEXT NOT NULL
);
CREATE INDEX cc_agent_state_agent ON cc_agent_state(agent, at);

CREATE TABLE cc_interaction (
    id           INTEGER PRIMARY KEY,
    channel      TEXT NOT NULL,
    direction    TEXT NOT NULL CHECK (direction IN ('in', 'out')),
    queue        TEXT NOT NULL REFERENCES cc_queue(code),
    external_id  TEXT NOT NULL,                         -- the switch's Call-ID, a chat's session, a message's id
    leg          INTEGER NOT NULL DEFAULT 0,            -- 0; each transfer of it one more (the same Call-ID)
    address      TEXT,                                  -- who: the calling number, an e-mail address
    party_id     INTEGER REFERENCES party(id),          -- the customer, when known
    parties      INTEGER NOT NULL DEFAULT 0,            -- how many customers the address named
    priority     INTEGER NOT NULL DEFAULT 0,            -- the customer's value tier (value_priority)
    last_agent   INTEGER REFERENCES cc_agent(id),       -- who served the customer last
    state        TEXT NOT NULL CHECK (state IN ('offered', 'queued', 'assigned', 'connected', 'wrap_up', 'done',
                                                'abandoned', 'transferred')),
    agent        INTEGER REFERENCES cc_agent(id),
    target_agent INTEGER REFERENCES cc_agent(id),       -- transferred to this agent: only they take it
    why          TEXT,                                  -- the routing decision, explained
    switch_ref   TEXT,                                  -- where the switch holds the call (Kamailio: index:label)
    told_at      TEXT,                                  -- when the switch and the agent's screen were told of
                                                        -- its assignment (NULL: not yet, whoever assigned it)
    ivr_path     TEXT,
    reason       TEXT,                                  -- why the customer called, as told or guessed
    disposition  TEXT,                                  -- the agent's wrap-up code
    note         TEXT,
    parent       INTEGER REFERENCES cc_interaction(id), -- transferred from
    campaign     TEXT,
    callback_at  TEXT,                                  -- a call-back: not before
    offered_at   TEXT NOT NULL,
    queued_at    TEXT,
    assigned_at  TEXT,
    connected_at TEXT,
    wrap_at      TEXT,
    ended_at     TEXT,
    UNIQUE (channel, external_id, leg)
);
CREATE INDEX cc_interaction_open ON cc_interaction(state, queue);
CREATE INDEX cc_interaction_untold ON cc_interaction(state, told_at);
CREATE INDEX cc_interaction_agent ON cc_interaction(agent, state);
CREATE INDEX cc_interaction_party ON cc_interaction(party_id, id);
CREATE INDEX cc_interaction_offered ON cc_interaction(offered_at);

-- every step of every interaction: when, what, which agent, and the detail (a transfer's target,
-- a wrap-up's code, the switch's own words)
CREATE TABLE cc_event (
    id           INTEGER PRIMARY KEY,
    interaction  INTEGER NOT NULL REFERENCES cc_interaction(id),
    at           TEXT NOT NULL,
    event        TEXT NOT NULL,
    agent        INTEGER REFERENCES cc_agent(id),
    detail       TEXT
);
CREATE INDEX cc_event_interaction ON cc_event(interaction, id);

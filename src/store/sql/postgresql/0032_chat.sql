-- Issue 25 items 5 and 7: the customer-side chat.
--
-- A chat is an interaction of channel 'chat' (cc_interaction); a customer starts it from the public
-- chat page served by Rapport and keeps it by a signed session (a token naming the interaction and an
-- expiry, keyed with the store's key: nothing of it is kept here).  Its messages, customer's, agent's
-- and the centre's own, are numbered within the chat (seq, from 1) and kept by the chat's first leg: a
-- chat transferred goes on as the same conversation.  The contact centre's tables.
--
-- Written in the SQL both stores run.
--
-- PostgreSQL (what differs from ../sqlite/0032_chat.sql):
--   an INTEGER PRIMARY KEY that holds another table's id: BIGINT PRIMARY KEY, no identity (its value is always given)
--   INTEGER: BIGINT (the code binds int64)

CREATE TABLE cc_chat (
    interaction  BIGINT PRIMARY KEY REFERENCES cc_interaction(id),   -- the chat's first leg
    name         TEXT,                                                -- as the customer gave it (optional)
    lang         TEXT NOT NULL DEFAULT 'zh-TW' CHECK (lang IN ('zh-TW', 'en')),
    started_at   TEXT NOT NULL
);

CREATE TABLE cc_chat_message (
    interaction  BIGINT NOT NULL REFERENCES cc_interaction(id),      -- the chat's first leg
    seq          BIGINT NOT NULL CHECK (seq >= 1),
    sender       TEXT NOT NULL CHECK (sender IN ('customer', 'agent', 'system')),
    agent        TEXT,                                                -- the agent's login (sender 'agent')
    text         TEXT NOT NULL,                                       -- at most 2000 characters
    at           TEXT NOT NULL,
    PRIMARY KEY (interaction, seq)
);

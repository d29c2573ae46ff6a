-- How a customer wishes to be contacted, and who changed what (issue 7, DOMAIN S1, K4, W14).
--
-- party_preference: the preferences in force, one row per customer and name:
--   language  the language to speak and write in (zh-TW, en, ...);
--   channel   the channel the customer prefers (mobile, phone, email, sms, mail, branch, app);
--   hours     the hours in which to call, Taipei time, "09:00-18:00";
--   days      the days on which to call, "mon,tue,wed,thu,fri".
-- customer_change: every change a person made to a customer's contact points
--   and preferences, with who, when, the old and the new value, and why.
--   Append-only, like the audit trail; consents keep their own history (the
--   consent table is append-only already).
CREATE TABLE party_preference (
    party_id  INTEGER NOT NULL REFERENCES party(id),
    name      TEXT NOT NULL CHECK (name IN ('language', 'channel', 'hours', 'days')),
    value     TEXT NOT NULL,
    since     TEXT NOT NULL,
    set_by    TEXT,
    PRIMARY KEY (party_id, name)
) WITHOUT ROWID;

CREATE TABLE customer_change (
    id         INTEGER PRIMARY KEY,
    party_id   INTEGER NOT NULL REFERENCES party(id),
    at         TEXT NOT NULL,
    by_user    TEXT NOT NULL,
    what       TEXT NOT NULL CHECK (what IN ('contact', 'preference')),
    field      TEXT NOT NULL,             -- mobile/home, email/work, language, hours, ...
    old_value  TEXT,
    new_value  TEXT,
    reason     TEXT
);
CREATE INDEX customer_change_party ON customer_change(party_id, id);

CREATE TRIGGER customer_change_append_only_update BEFORE UPDATE ON customer_change
BEGIN
    SELECT RAISE(ABORT, 'the change history is append-only');
END;
CREATE TRIGGER customer_change_append_only_delete BEFORE DELETE ON customer_change
BEGIN
    SELECT RAISE(ABORT, 'the change history is append-only');
END;

-- The kept 360 shows the preferences (migration 0008): a change deletes it.
CREATE TRIGGER c360_preference_new AFTER INSERT ON party_preference
    WHEN EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id)
BEGIN
    DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = NEW.party_id);
END;
CREATE TRIGGER c360_preference_changed AFTER UPDATE ON party_preference
    WHEN EXISTS (SELECT 1 FROM c360_dep_party WHERE party = NEW.party_id OR party = OLD.party_id)
BEGIN
    DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party
                                          WHERE party = NEW.party_id OR party = OLD.party_id);
END;
CREATE TRIGGER c360_preference_gone AFTER DELETE ON party_preference
    WHEN EXISTS (SELECT 1 FROM c360_dep_party WHERE party = OLD.party_id)
BEGIN
    DELETE FROM c360_doc WHERE person IN (SELECT person FROM c360_dep_party WHERE party = OLD.party_id);
END;

-- Every kept document lacks the new member: build them again (the server
-- does so in the background; `rapport customer refresh` at full speed).
DELETE FROM c360_doc;

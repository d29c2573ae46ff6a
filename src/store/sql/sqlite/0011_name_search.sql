-- Search by any part of a name (issue 8, DOMAIN W14): 怡君 finds 陳怡君,
-- "yi-chun", "Yichun Chen" and "chun" find "CHEN, YI-CHUN".
--
-- party_name_key holds, for each party, the keys a name can be found by; a
-- search is a range scan of the keys starting with what was typed
-- (wh_search_name), so it costs the same whatever the store's size.
--   rank 0  the whole name: 陳怡君, CHENYICHUN
--   rank 1  the given name first: YICHUNCHEN, YICHUN
--   rank 2  a later part: 怡君, 君, CHUN; a romanised name from its second,
--           third, fourth or fifth word on (TAIWAN SEMICONDUCTOR
--           MANUFACTURING CO., LTD. -> SEMICONDUCTORMANUFACTURINGCOLTD, ...)
-- Latin keys are upper case with blanks, hyphens, commas, full stops and
-- apostrophes taken out; Chinese keys have blanks (also full-width) taken
-- out.  Triggers keep the keys whatever program writes the party, so the
-- sqlite3 shell and the ETL need nothing of their own.
CREATE TABLE party_name_key (
    rank      INTEGER NOT NULL,
    key       TEXT NOT NULL,
    party_id  INTEGER NOT NULL,
    PRIMARY KEY (rank, key, party_id)
) WITHOUT ROWID;
CREATE INDEX party_name_key_party ON party_name_key(party_id);

CREATE VIEW party_name_keys(party_id, rank, key) AS
    SELECT id, 0, replace(replace(name_zh, ' ', ''), '　', '') FROM party WHERE name_zh IS NOT NULL
    UNION ALL
    SELECT p.id, 2, substr(replace(replace(p.name_zh, ' ', ''), '　', ''), k.n)
      FROM party p, (SELECT 2 AS n UNION ALL SELECT 3 UNION ALL SELECT 4 UNION ALL SELECT 5 UNION ALL SELECT 6
                     UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9 UNION ALL SELECT 10
                     UNION ALL SELECT 11 UNION ALL SELECT 12 UNION ALL SELECT 13 UNION ALL SELECT 14
                     UNION ALL SELECT 15 UNION ALL SELECT 16) k
     WHERE p.name_zh IS NOT NULL AND length(replace(replace(p.name_zh, ' ', ''), '　', '')) >= k.n
    UNION ALL
    SELECT id, 0, upper(replace(replace(replace(replace(replace(name_latin, ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE name_latin IS NOT NULL
    UNION ALL
    SELECT id, 1, upper(replace(replace(replace(replace(replace(
                   substr(name_latin, instr(name_latin, ',') + 1) || substr(name_latin, 1, instr(name_latin, ',') - 1),
                   ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE instr(name_latin, ',') > 0
    UNION ALL
    SELECT id, 1, upper(replace(replace(replace(replace(replace(substr(name_latin, instr(name_latin, ',') + 1),
                   ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE instr(name_latin, ',') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(
                   substr(substr(name_latin, instr(name_latin, ',') + 1),
                          instr(substr(name_latin, instr(name_latin, ',') + 1), '-') + 1),
                   ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE instr(name_latin, ',') > 0 AND instr(substr(name_latin, instr(name_latin, ',') + 1), '-') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE name_latin IS NOT NULL AND instr(trim(name_latin), ' ') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE name_latin IS NOT NULL AND instr(trim(name_latin), ' ') > 0 AND instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE name_latin IS NOT NULL AND instr(trim(name_latin), ' ') > 0 AND instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') > 0 AND instr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE name_latin IS NOT NULL AND instr(trim(name_latin), ' ') > 0 AND instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') > 0 AND instr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') > 0 AND instr(ltrim(substr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), instr(ltrim(substr(trim(name_latin), instr(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ') > 0;

INSERT OR IGNORE INTO party_name_key(party_id, rank, key) SELECT party_id, rank, key FROM party_name_keys WHERE key <> '';

-- A row written to party_name_input becomes its party's keys and is gone:
-- the insert and update triggers of party both write one, so the keys are
-- worked out in one place.  This computes the same keys as the view from
-- the row alone.  Loading 8,500 card customers takes 0.35 s more with the
-- keys (about 40 microseconds a party, against 0.8 s without them); through
-- the view it took 0.6 s more.  Test names_by_any_part checks that the
-- table and the view agree.
CREATE TABLE party_name_input (party_id INTEGER NOT NULL, name_zh TEXT, name_latin TEXT);

CREATE TRIGGER party_name_input_keys AFTER INSERT ON party_name_input BEGIN
    INSERT OR IGNORE INTO party_name_key(rank, key, party_id)
        SELECT column1, column2, new.party_id FROM (VALUES
            (0, replace(replace(new.name_zh, ' ', ''), '　', '')),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 2)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 3)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 4)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 5)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 6)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 7)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 8)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 9)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 10)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 11)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 12)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 13)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 14)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 15)),
            (2, substr(replace(replace(new.name_zh, ' ', ''), '　', ''), 16)),
            (0, upper(replace(replace(replace(replace(replace(new.name_latin, ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))),
            (1, CASE WHEN instr(new.name_latin, ',') > 0 THEN upper(replace(replace(replace(replace(replace(substr(new.name_latin, instr(new.name_latin, ',') + 1) || substr(new.name_latin, 1, instr(new.name_latin, ',') - 1), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
            (1, CASE WHEN instr(new.name_latin, ',') > 0 THEN upper(replace(replace(replace(replace(replace(substr(new.name_latin, instr(new.name_latin, ',') + 1), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
            (2, CASE WHEN instr(new.name_latin, ',') > 0 AND instr(substr(new.name_latin, instr(new.name_latin, ',') + 1), '-') > 0 THEN upper(replace(replace(replace(replace(replace(substr(substr(new.name_latin, instr(new.name_latin, ',') + 1), instr(substr(new.name_latin, instr(new.name_latin, ',') + 1), '-') + 1), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
            (2, CASE WHEN instr(trim(new.name_latin), ' ') > 0 THEN upper(replace(replace(replace(replace(replace(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
            (2, CASE WHEN instr(trim(new.name_latin), ' ') > 0 AND instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') > 0 THEN upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
            (2, CASE WHEN instr(trim(new.name_latin), ' ') > 0 AND instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') > 0 AND instr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') > 0 THEN upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
            (2, CASE WHEN instr(trim(new.name_latin), ' ') > 0 AND instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') > 0 AND instr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') > 0 AND instr(ltrim(substr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ') > 0 THEN upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), instr(ltrim(substr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), instr(ltrim(substr(trim(new.name_latin), instr(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END))
        WHERE column2 IS NOT NULL AND column2 <> '';
    DELETE FROM party_name_input WHERE rowid = new.rowid;
END;

CREATE TRIGGER party_name_key_insert AFTER INSERT ON party BEGIN
    INSERT INTO party_name_input VALUES (new.id, new.name_zh, new.name_latin);
END;

CREATE TRIGGER party_name_key_update AFTER UPDATE OF name_zh, name_latin ON party
WHEN old.name_zh IS NOT new.name_zh OR old.name_latin IS NOT new.name_latin BEGIN
    DELETE FROM party_name_key WHERE party_id = old.id;
    INSERT INTO party_name_input VALUES (new.id, new.name_zh, new.name_latin);
END;

CREATE TRIGGER party_name_key_delete AFTER DELETE ON party BEGIN
    DELETE FROM party_name_key WHERE party_id = old.id;
END;

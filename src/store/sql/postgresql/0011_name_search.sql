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
--
-- PostgreSQL (what differs from ../sqlite/0011_name_search.sql):
--   INTEGER: BIGINT (the code binds int64)
--   WITHOUT ROWID left out (a PostgreSQL table is a heap and its primary key an index)
--   INSERT OR IGNORE: INSERT ... ON CONFLICT DO NOTHING
--   IS NOT and IS between two values: IS DISTINCT FROM and IS NOT DISTINCT FROM
--   instr(): strpos()
--   each trigger a PL/pgSQL function of its name and a FOR EACH ROW trigger; its WHEN is an IF in the function (PostgreSQL allows no subquery, and no OLD in an insert's, in a trigger's WHEN)
--   party_name_input's trigger runs BEFORE INSERT and returns NULL, so that the row is never kept
--   (SQLite's deletes it by rowid, which PostgreSQL has not); the VALUES list named k(column1, column2)
CREATE TABLE party_name_key (
    rank      BIGINT NOT NULL,
    key       TEXT NOT NULL,
    party_id  BIGINT NOT NULL,
    PRIMARY KEY (rank, key, party_id)
);
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
                   substr(name_latin, strpos(name_latin, ',') + 1) || substr(name_latin, 1, strpos(name_latin, ',') - 1),
                   ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE strpos(name_latin, ',') > 0
    UNION ALL
    SELECT id, 1, upper(replace(replace(replace(replace(replace(substr(name_latin, strpos(name_latin, ',') + 1),
                   ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE strpos(name_latin, ',') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(
                   substr(substr(name_latin, strpos(name_latin, ',') + 1),
                          strpos(substr(name_latin, strpos(name_latin, ',') + 1), '-') + 1),
                   ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE strpos(name_latin, ',') > 0 AND strpos(substr(name_latin, strpos(name_latin, ',') + 1), '-') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE name_latin IS NOT NULL AND strpos(trim(name_latin), ' ') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE name_latin IS NOT NULL AND strpos(trim(name_latin), ' ') > 0 AND strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE name_latin IS NOT NULL AND strpos(trim(name_latin), ' ') > 0 AND strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') > 0 AND strpos(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') > 0
    UNION ALL
    SELECT id, 2, upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', ''))
      FROM party WHERE name_latin IS NOT NULL AND strpos(trim(name_latin), ' ') > 0 AND strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') > 0 AND strpos(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') > 0 AND strpos(ltrim(substr(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), strpos(ltrim(substr(trim(name_latin), strpos(trim(name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ') > 0;

INSERT INTO party_name_key(party_id, rank, key) SELECT party_id, rank, key FROM party_name_keys WHERE key <> '' ON CONFLICT DO NOTHING;

-- A row written to party_name_input becomes its party's keys and is gone:
-- the insert and update triggers of party both write one, so the keys are
-- worked out in one place.  This computes the same keys as the view from
-- the row alone.  Loading 8,500 card customers takes 0.35 s more with the
-- keys (about 40 microseconds a party, against 0.8 s without them); through
-- the view it took 0.6 s more.  Test names_by_any_part checks that the
-- table and the view agree.
CREATE TABLE party_name_input (party_id BIGINT NOT NULL, name_zh TEXT, name_latin TEXT);

CREATE OR REPLACE FUNCTION party_name_input_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO party_name_key(rank, key, party_id)
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
                (1, CASE WHEN strpos(new.name_latin, ',') > 0 THEN upper(replace(replace(replace(replace(replace(substr(new.name_latin, strpos(new.name_latin, ',') + 1) || substr(new.name_latin, 1, strpos(new.name_latin, ',') - 1), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
                (1, CASE WHEN strpos(new.name_latin, ',') > 0 THEN upper(replace(replace(replace(replace(replace(substr(new.name_latin, strpos(new.name_latin, ',') + 1), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
                (2, CASE WHEN strpos(new.name_latin, ',') > 0 AND strpos(substr(new.name_latin, strpos(new.name_latin, ',') + 1), '-') > 0 THEN upper(replace(replace(replace(replace(replace(substr(substr(new.name_latin, strpos(new.name_latin, ',') + 1), strpos(substr(new.name_latin, strpos(new.name_latin, ',') + 1), '-') + 1), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
                (2, CASE WHEN strpos(trim(new.name_latin), ' ') > 0 THEN upper(replace(replace(replace(replace(replace(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
                (2, CASE WHEN strpos(trim(new.name_latin), ' ') > 0 AND strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') > 0 THEN upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
                (2, CASE WHEN strpos(trim(new.name_latin), ' ') > 0 AND strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') > 0 AND strpos(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') > 0 THEN upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END),
                (2, CASE WHEN strpos(trim(new.name_latin), ' ') > 0 AND strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') > 0 AND strpos(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') > 0 AND strpos(ltrim(substr(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ') > 0 THEN upper(replace(replace(replace(replace(replace(ltrim(substr(ltrim(substr(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), strpos(ltrim(substr(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), strpos(ltrim(substr(trim(new.name_latin), strpos(trim(new.name_latin), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ') + 1)), ' ', ''), '-', ''), ',', ''), '.', ''), '''', '')) END)) AS k(column1, column2)
            WHERE column2 IS NOT NULL AND column2 <> '' ON CONFLICT DO NOTHING;
    RETURN NULL;  -- the row is not kept
END $$;
CREATE TRIGGER party_name_input_keys BEFORE INSERT ON party_name_input FOR EACH ROW EXECUTE FUNCTION party_name_input_keys();

CREATE OR REPLACE FUNCTION party_name_key_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO party_name_input VALUES (new.id, new.name_zh, new.name_latin);
    RETURN NULL;
END $$;
CREATE TRIGGER party_name_key_insert AFTER INSERT ON party FOR EACH ROW EXECUTE FUNCTION party_name_key_insert();

CREATE OR REPLACE FUNCTION party_name_key_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF old.name_zh IS DISTINCT FROM new.name_zh OR old.name_latin IS DISTINCT FROM new.name_latin THEN
        DELETE FROM party_name_key WHERE party_id = old.id;
        INSERT INTO party_name_input VALUES (new.id, new.name_zh, new.name_latin);
    END IF;
    RETURN NULL;
END $$;
CREATE TRIGGER party_name_key_update AFTER UPDATE OF name_zh, name_latin ON party FOR EACH ROW EXECUTE FUNCTION party_name_key_update();

CREATE OR REPLACE FUNCTION party_name_key_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM party_name_key WHERE party_id = old.id;
    RETURN NULL;
END $$;
CREATE TRIGGER party_name_key_delete AFTER DELETE ON party FOR EACH ROW EXECUTE FUNCTION party_name_key_delete();

-- The statistics the planner works from, brought up to date by Rapport at the end of a large load or
-- match (rp_store_optimize, store.h), as autovacuum would a minute or more later: every table changed
-- by more than a thousand rows and a tenth of its own since it was last analyzed (autovacuum's rule,
-- with a larger floor), a partition's whole partitioned table (which autovacuum never analyzes).  A
-- customer 360 planned with the statistics of a load's first batches took 59 requests/s, not 350
-- (docs/scale.md).  SECURITY DEFINER: ANALYZE wants the table's owner, and the application role owns
-- nothing.  SQLite's 0036 changes nothing (it keeps no statistics unless asked).
CREATE OR REPLACE FUNCTION store_analyze() RETURNS INTEGER LANGUAGE plpgsql SECURITY DEFINER
    SET search_path FROM CURRENT AS $$
DECLARE
    t REGCLASS;
    n INTEGER := 0;
BEGIN
    FOR t IN
        SELECT DISTINCT coalesce(pg_partition_root(s.relid), s.relid)
        FROM pg_stat_user_tables s
        WHERE s.schemaname = current_schema()
          AND s.n_mod_since_analyze > 1000 + 0.1 * greatest(s.n_live_tup, 0)
    LOOP
        EXECUTE format('ANALYZE %s', t);
        n := n + 1;
    END LOOP;
    RETURN n;
END $$;

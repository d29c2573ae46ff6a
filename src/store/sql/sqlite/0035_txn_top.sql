-- The greatest transaction id there is, kept (issue 26) is PostgreSQL's 0035: there the transactions are
-- partitioned by month and max(id) looks into every month.  SQLite's blocks answer it with one index step
-- (the newest block); nothing changes here, and the two stores' schema versions stay in step.
SELECT 1;

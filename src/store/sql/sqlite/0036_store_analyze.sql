-- The statistics PostgreSQL plans by, brought up to date after a large load or match (issue 26), is
-- PostgreSQL's 0036 (store_analyze).  SQLite plans by its indexes and keeps no statistics unless asked;
-- nothing changes here, and the two stores' schema versions stay in step.
SELECT 1;

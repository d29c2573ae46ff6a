-- Which process runs a load (issue 21 item 12): with its host and its start
-- (the boot's id and the start time in clock ticks, /proc/PID/stat field 22)
-- beside the PID, a job still 'running' whose process has ended, or whose
-- PID now belongs to another process, is shown as interrupted.  The status
-- column and its CHECK list stay as they are: 'interrupted' is worked out
-- when a job is read (etl's listing.c), never stored; 'running' stored means
-- begun and not ended, and a load stopped by Ctrl-C keeps it, with
-- finished_at set.  Both statements are SQLite's and PostgreSQL's alike.
--
-- PostgreSQL: the same statements as ../sqlite/0018_job_process.sql.
ALTER TABLE load_job ADD COLUMN host TEXT;
ALTER TABLE load_job ADD COLUMN pid_start TEXT;

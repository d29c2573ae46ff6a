-- Transactions in a table partitioned by month (issue 26) is PostgreSQL's 0033: there a table
-- partitioned by month, loaded through COPY, takes the place of the blocks.  SQLite keeps its
-- blocks (0012), which are its fast path; nothing changes here, and the two stores' schema
-- versions stay in step.
SELECT 1;

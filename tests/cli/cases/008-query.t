# ad-hoc read-only SQL; anything that writes is refused and nothing changes
$ rapport init >/dev/null && cp "$FIXTURES/bank.json" . && rapport import bank.json >/dev/null
$ rapport query "SELECT code, name_zh, name_en FROM branch ORDER BY code"
> code  name_zh   name_en
> 0012  大安分行  Da-an Branch
> 0345  台中分行  Taichung Branch
> (2 rows)
# CSV rows end in CRLF, as RFC 4180 asks
$ rapport query "SELECT id, name_zh, birth_date FROM party WHERE id <= 2" --csv | od -c | head -2 | tail -1 | grep -c '\\r  \\n'
> 1
$ rapport query "SELECT id, name_zh, birth_date FROM party WHERE id <= 2" --csv | tr -d '\r'
> id,name_zh,birth_date
> 1,陳怡君,1985-03-14
> 2,林志明,1982-11-02
$ rapport query "SELECT number, balance_minor, limit_minor FROM account WHERE number LIKE '0012-5%'" --json
> [
>   {
>     "number": "0012-500-000003",
>     "balance_minor": -1250000000,
>     "limit_minor": 1500000000
>   }
> ]
$ rapport query "SELECT 'a,b' AS x, 'say \"hi\"' AS y" --csv | tr -d '\r'
> x,y
> "a,b","say ""hi"""
$ rapport query "SELECT id FROM party ORDER BY id" --limit 2
> id
> 1
> 2
> (2 rows)
! rapport: query: stopped after 2 rows; use --limit N or --limit 0
$ rapport query "DELETE FROM party"
? 1
! rapport: query: refused: only read-only statements (SELECT, WITH, VALUES, EXPLAIN) are allowed
$ rapport query "WITH x AS (SELECT 1) DELETE FROM interaction"
? 1
! rapport: query: refused: only read-only statements (SELECT, WITH, VALUES, EXPLAIN) are allowed
$ rapport query "/* a comment */ UPDATE party SET status = 'closed'"
? 1
! rapport: query: refused: only read-only statements (SELECT, WITH, VALUES, EXPLAIN) are allowed
$ rapport query "SELECT 1; DROP TABLE party"
? 1
! rapport: query: only one SQL statement is allowed
$ rapport query "PRAGMA writable_schema = ON"
? 1
! rapport: query: refused: only read-only statements (SELECT, WITH, VALUES, EXPLAIN) are allowed
$ rapport query "ATTACH 'x.db' AS x"
? 1
! rapport: query: refused: only read-only statements (SELECT, WITH, VALUES, EXPLAIN) are allowed
$ ls x.db
? 2
!~ No such file
$ rapport query "SELEC 1"
? 1
! rapport: query: refused: only read-only statements (SELECT, WITH, VALUES, EXPLAIN) are allowed
# the database's own words, which differ between the stores
$ rapport query "SELECT 1 FROM FROM party"
? 1
!~ ^rapport: query: (near "FROM": syntax error|syntax error at or near "FROM")$
$ rapport query "SELECT * FROM nowhere"
? 1
!~ ^rapport: query: (no such table: nowhere|relation "nowhere" does not exist)$
$ rapport query "SELECT 1" --csv --json
? 2
! rapport: query: --csv and --json exclude each other
! usage: rapport query SQL [--csv|--json] [--limit N] [--db PATH] [--config FILE]
$ rapport query "SELECT count(*) AS n FROM party" --csv | tr -d '\r'
> n
> 6

# users, the HTTP API through the binary, and the audit trail
$ rapport init >/dev/null && rapport import $FIXTURES/bank.json >/dev/null
$ echo 'a long password 1' | rapport user add mei --role supervisor
> user mei added: supervisor
$ echo 'a long password 1' | rapport user add tom --role teller --branch 0345
> user tom added: teller / branch staff, branch 0345
# bad input: named, and nobody added
$ echo 'a long password 1' | rapport user add ted --role teller
! rapport: user add: branch: a teller / branch staff works at a branch; give --branch CODE
? 1
$ echo 'a long password 1' | rapport user add Tom --role csr
! rapport: user add: user name 'Tom': only a-z, 0-9, '.', '_' and '-'
? 1
$ echo 'a long password 1' | rapport user add zed --role boss
! rapport: user add: role 'boss': one of teller, rm, csr, tsr, supervisor, analyst, steward, admin, auditor
? 1
$ echo 'short' | rapport user add zed --role csr
! rapport: user add: password: at least 10 characters
? 1
$ echo 'a long password 1' | rapport user add mei --role csr
! rapport: user add: user 'mei' already exists
? 1
$ rapport user add kim --role csr < /dev/null
! rapport: user add: no password given: type it when asked, or give it on standard input
? 1
$ rapport user list
> user  role        branch  state   totp  since
> mei   supervisor          active        2026-11-23T04:00:00Z
> tom   teller      0345    active        2026-11-23T04:00:00Z
# the server, on any free port; stopped by SIGTERM at the end
$ (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && curl -s "http://127.0.0.1:$(cat port)/healthz"
> {"status":"ok"}
$ curl -s "http://127.0.0.1:$(cat port)/api/v1/customers/1"
> {"error":{"code":"unauthenticated","message":"sign in first (POST /api/v1/session)","reason":"signed_out"}}
$ curl -s -c jar -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" | grep -o '"user":"mei","role":"supervisor"'
> "user":"mei","role":"supervisor"
$ curl -s -b jar "http://127.0.0.1:$(cat port)/api/v1/customers?q=0912-345-678"
> {"customers":[{"id":1,"name_zh":"陳怡君","name_latin":"CHEN, YI-CHUN","birth_date":"1985-03-14","home_branch":"0012","status":"active","matched":"phone"}],"more":false,"limit":50}
$ curl -s -b jar "http://127.0.0.1:$(cat port)/api/v1/customers/1" | grep -o '"value":"A22\*\*\*\*781"'
> "value":"A22****781"
$ csrf=$(curl -s -b jar "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/') && curl -s -b jar -H "X-CSRF-Token: $csrf" -H 'Content-Type: application/json' -d '{"reason":"客戶臨櫃申請對帳單"}' "http://127.0.0.1:$(cat port)/api/v1/customers/1/reveal" | grep -o '"value":"A223456781"'
> "value":"A223456781"
# a teller of another branch is refused, and that is audited too
$ curl -s -c jt -H 'Content-Type: application/json' -d '{"name":"tom","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" >/dev/null && curl -s -b jt "http://127.0.0.1:$(cat port)/api/v1/customers/1"
> {"error":{"code":"forbidden","message":"customer 1 belongs to another branch","reason":"another_branch"}}
$ kill -TERM $(cat pid) && for i in $(seq 100); do grep -q stopped serve.log && break; sleep 0.1; done && tail -1 serve.log
> stopped
$ rapport audit --customer 1
> at                    user  from       action  customer  outcome  what
> 2026-11-23T04:00:00Z  tom   127.0.0.1  denied  1         refused  /api/v1/customers/1
> 2026-11-23T04:00:00Z  mei   127.0.0.1  reveal  1         ok       /api/v1/customers/1/reveal  reason: 客戶臨櫃申請對帳單
> 2026-11-23T04:00:00Z  mei   127.0.0.1  view    1         ok       /api/v1/customers/1
> 2026-11-23T04:00:00Z  mei   127.0.0.1  search  1         ok       /api/v1/customers  q=091******678
$ rapport audit --action login --json | grep -c '"action": "login"'
> 2
# nothing can change the trail
$ rapport query "SELECT count(*) FROM audit" --csv | tail -1 | tr -d '\r'
> 12
# the command line is in the trail too: who ran what, the query itself (identifiers in it masked)
$ rapport query "SELECT count(*) FROM party_identifier WHERE masked = 'A223456781'" >/dev/null && rapport audit --user tester --limit 4
> at                    user    from  action      customer  outcome  what
> 2026-11-23T04:00:00Z  tester  cli   audit_read            ok       rapport audit  since= until= user=tester action= customer=0
> 2026-11-23T04:00:00Z  tester  cli   query                 ok       rapport query  SELECT count(*) FROM party_identifier WHERE masked = 'A22****781'
> 2026-11-23T04:00:00Z  tester  cli   query                 ok       rapport query  SELECT count(*) FROM audit
> 2026-11-23T04:00:00Z  tester  cli   audit_read            ok       rapport audit  since= until= user= action=login customer=0
$ rapport query "DELETE FROM audit"
! rapport: query: refused: only read-only statements (SELECT, WITH, VALUES, EXPLAIN) are allowed
? 1
$ echo 'a long password 2' | rapport user passwd mei && rapport user disable mei
> password of mei changed; their sessions are ended
> user mei disabled; their sessions are ended
$ rapport audit --customer x
! rapport: audit: --customer: 'x' is not a customer id
? 1
# the trail is a hash chain: it verifies, an entry changed behind Rapport's back is found, and an archive verifies on its own
$ rapport audit verify
>~ ^the audit trail: [0-9]+ entries verify; head [0-9a-f]{64}$
$ rapport audit archive --before 2026-11-24 --out old.jsonl && stat -c '%a' old.jsonl && rapport audit verify --file old.jsonl | cut -d';' -f1
>~ ^archived [0-9]+ entries before 2026-11-24T00:00:00Z to old.jsonl$
>~ ^600$
>~ ^old.jsonl: [0-9]+ entries verify$
$ rapport audit verify | cut -d';' -f1
> the audit trail: 0 entries verify (after the archived ones)
$ sed -i '3s/"outcome":"ok"/"outcome":"failed"/' old.jsonl && rapport audit verify --file old.jsonl
>~ ^old.jsonl: BROKEN at entry 2
? 1

# issue 22 items 6 and 7: a job of 13,662 rejects listed by pages with the true total and
# exported whole (the command line and the API's streamed CSV, masked as listed, audited
# with the count); the audit trail by pages and exported; users only at branches the
# store has; an administrator's password reset; "an administrator", not "a administrator"
$ rapport init >/dev/null && rapport import $FIXTURES/bank.json >/dev/null && cp "$FIXTURES"/etl/customers.json .
$ { echo 'cust_id,name,id_no,birth,mobile,email,address,segment'; echo 'K0001,陳怡君,A123456707,1980-05-01,0912345678,,,P'; echo 'K0002,林志明,B234567805,1979-03-15,,,,M'; seq 1 13661 | awk '{printf "X%05d,王小明,,1990-12-31,,,,M\n", $1}'; } > many.csv
$ rapport load --spec customers.json many.csv --rejects rejects.csv
>~ ^many\.csv: 13,663 records: 1 loaded \(0 fixed\), 13,662 rejected
>~ ^  rejected  pattern        cust_id                13,661$
>~ ^  rejected  checksum       id_no                  1$
# the command line writes every reject, past 10,000
$ tr -d '\r' < rejects.csv | wc -l && tr -d '\r' < rejects.csv | sed -n '2p;$p'
> 13663
> many.csv,2,107,id_no,B23****805,checksum,id_no: 'B23****805' is not a valid national ID
> many.csv,13663,464590,cust_id,X13661,pattern,cust_id: 'X13661' does not match ^K[0-9]{4}$
$ rapport rejects export 2 --out again.csv --reason "correct the keys" && wc -l < again.csv
> wrote again.csv: 13662 open rejected records of job 2, in the file's own format
> 13663
$ rapport rejects --job 2 --csv --limit 20000 | tr -d '\r' | wc -l
> 13663
# users: only at a branch the store has; nothing written otherwise
$ for u in stew:steward adm:admin aud:auditor c1:csr sup:supervisor; do echo 'a long password 1' | rapport user add ${u%%:*} --role ${u##*:}; done
> user stew added: data steward
> user adm added: administrator
> user aud added: auditor
> user c1 added: contact-centre agent (CSR)
> user sup added: supervisor
$ echo 'a long password 1' | rapport user add t9 --role teller --branch 9999
! rapport: user add: branch: no branch '9999'
? 1
$ rapport user role c1 --role teller --branch 9999
! rapport: user role: branch: no branch '9999'
? 1
$ rapport query "SELECT count(*) AS users, count(*) FILTER (WHERE name = 't9') AS t9, max(role) FILTER (WHERE name = 'c1') AS c1_role FROM app_user" --csv | tr -d '\r'
> users,t9,c1_role
> 5,0,csr
$ (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done
$ curl -s -c sj -H 'Content-Type: application/json' -d '{"name":"stew","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" >/dev/null
# a page, the true total, and the cursor of the next page; the last page has none
$ curl -s -b sj "http://127.0.0.1:$(cat port)/api/v1/rejects?job=2&limit=2"
> {"rejects":[{"job":2,"file":"many.csv","record":2,"offset":107,"field":"id_no","value":"B23****805","rule":"checksum","message":"id_no: 'B23****805' is not a valid national ID","status":"open"},{"job":2,"file":"many.csv","record":3,"offset":150,"field":"cust_id","value":"X00001","rule":"pattern","message":"cust_id: 'X00001' does not match ^K[0-9]{4}$","status":"open"}],"total":13662,"next":"2.3"}
$ curl -s -b sj "http://127.0.0.1:$(cat port)/api/v1/rejects?job=2&limit=5000&after=2.10003" | grep -o '"record":[0-9]*' | sed -n '1p;$p' && curl -s -b sj "http://127.0.0.1:$(cat port)/api/v1/rejects?job=2&limit=5000&after=2.10003" | grep -o '"total":.*'
> "record":10004
> "record":13663
> "total":13662,"next":null}
$ curl -s -w '%{http_code}\n' -b sj "http://127.0.0.1:$(cat port)/api/v1/rejects?job=2&after=two&status=shut"
> {"error":{"code":"invalid","message":"status: one of open, loaded, resubmitted, dismissed, all","member":"status"}}
> 422
$ curl -s -w '%{http_code}\n' -b sj "http://127.0.0.1:$(cat port)/api/v1/rejects?job=2&after=two"
> {"error":{"code":"invalid","message":"after: a cursor as the listing's next gave it (JOB.RECORD)","member":"after"}}
> 422
# the export: streamed (chunked), every reject, masked as listed
$ curl -s -D head -b sj "http://127.0.0.1:$(cat port)/api/v1/rejects/export.csv?job=2" > export.csv && tr -d '\r' < head | grep -E '^(HTTP|Content-Type|Content-Disposition|Transfer-Encoding)'
> HTTP/1.1 200 OK
> Content-Type: text/csv; charset=utf-8
> Content-Disposition: attachment; filename="rejects-job2.csv"
> Transfer-Encoding: chunked
$ tr -d '\r' < export.csv | wc -l && tr -d '\r' < export.csv | sed -n '1p;2p;$p' | sed 's/^\xEF\xBB\xBF/BOM /'
> 13663
> BOM job,file,record,offset,field,value,rule,message,status
> 2,many.csv,2,107,id_no,B23****805,checksum,id_no: 'B23****805' is not a valid national ID,open
> 2,many.csv,13663,464590,cust_id,X13661,pattern,cust_id: 'X13661' does not match ^K[0-9]{4}$,open
$ curl -s -b sj "http://127.0.0.1:$(cat port)/api/v1/rejects/export.csv?job=2&rule=checksum" | tr -d '\r' | wc -l
> 2
$ rapport audit --action rejects_export --json | grep -E '"detail"'
>     "detail": "job=2 rule=checksum status=open: 1 rejects exported",
>     "detail": "job=2 rule= status=open: 13662 rejects exported",
>     "detail": "job 2 to again.csv",
# an administrator: "an", not "a"; a branch the store has not is 422 naming the member, nothing written
$ curl -s -c aj -H 'Content-Type: application/json' -d '{"name":"adm","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > csrf
$ curl -s -w '%{http_code}\n' -b aj "http://127.0.0.1:$(cat port)/api/v1/audit"
> {"error":{"code":"forbidden","message":"an administrator may not do this (audit)","reason":"not_permitted"}}
> 403
$ curl -s -w '%{http_code}\n' -b aj -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d '{"name":"t9","role":"teller","branch":"9999","password":"jade river lamps 47"}' "http://127.0.0.1:$(cat port)/api/v1/users"
> {"error":{"code":"invalid","message":"body.branch: no branch '9999'","member":"body.branch","reason":"unknown_branch"}}
> 422
$ curl -s -w '%{http_code}\n' -b aj -H "X-CSRF-Token: $(cat csrf)" -X PUT -H 'Content-Type: application/json' -d '{"role":"teller","branch":"9999"}' "http://127.0.0.1:$(cat port)/api/v1/users/c1/role"
> {"error":{"code":"invalid","message":"body.branch: no branch '9999'","member":"body.branch","reason":"unknown_branch"}}
> 422
$ curl -s -w '%{http_code}\n' -b aj -H "X-CSRF-Token: $(cat csrf)" -X PUT -H 'Content-Type: application/json' -d '{"role":"teller","branch":"0345"}' "http://127.0.0.1:$(cat port)/api/v1/users/c1/role"
> {"name":"c1","role":"teller","branch":"0345"}
> 200
$ rapport query "SELECT count(*), count(*) FILTER (WHERE name = 't9') FROM app_user" --csv | tr -d '\r' | tail -1
> 5,0
# a password reset by an administrator: shown once, changed at the next sign-in; not a supervisor's
$ curl -s -w '%{http_code}\n' -b aj -H "X-CSRF-Token: $(cat csrf)" -X POST "http://127.0.0.1:$(cat port)/api/v1/users/sup/password"
> {"error":{"code":"forbidden","message":"the password of a supervisor is reset by the system's operator (rapport user passwd), not by one administrator alone"}}
> 403
$ curl -s -w '%{http_code}\n' -b aj -H "X-CSRF-Token: $(cat csrf)" -X POST "http://127.0.0.1:$(cat port)/api/v1/users/adm/password"
> {"error":{"code":"forbidden","message":"your own password is changed with PUT /api/v1/session/password"}}
> 403
$ curl -s -b aj -H "X-CSRF-Token: $(cat csrf)" -X POST "http://127.0.0.1:$(cat port)/api/v1/users/c1/password" > reset && grep -oE '"name":"c1","password":"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}","must_change":true' reset | wc -l
> 1
$ curl -s -H 'Content-Type: application/json' -d "{\"name\":\"c1\",\"password\":\"$(sed 's/.*"password":"\([^"]*\)".*/\1/' reset)\"}" "http://127.0.0.1:$(cat port)/api/v1/session" | grep -o '"password_expired":[a-z]*'
> "password_expired":true
$ curl -s -b aj "http://127.0.0.1:$(cat port)/api/v1/users" | grep -o '"name":"c1"[^}]*' | grep -o '"must_change":[a-z]*'
> "must_change":true
$ rapport audit --action user_passwd --json | grep -E '"(user|target|detail)"'
>     "user": "adm",
>     "target": "c1",
>     "detail": "reset by an administrator: to be changed at the next sign-in",
# the audit trail by pages, its total whatever the page, and exported whole
$ curl -s -c dj -H 'Content-Type: application/json' -d '{"name":"aud","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" >/dev/null
$ curl -s -b dj "http://127.0.0.1:$(cat port)/api/v1/audit?action=login&limit=2" > p1 && curl -s -b dj "http://127.0.0.1:$(cat port)/api/v1/audit?action=login&limit=2&after=$(grep -o '"next":[0-9]*' p1 | cut -d: -f2)" > p2 && grep -o '"total":[0-9]*,"next":[0-9a-z]*' p1 p2 | sed 's/"next":[0-9]\+/"next":N/'
> p1:"total":4,"next":N
> p2:"total":4,"next":null
$ grep -o '"user":"[a-z0-9]*"' p1 p2
> p1:"user":"aud"
> p1:"user":"c1"
> p2:"user":"adm"
> p2:"user":"stew"
$ curl -s -b dj "http://127.0.0.1:$(cat port)/api/v1/audit/export.csv" | tr -d '\r' > trail.csv && head -1 trail.csv | sed 's/^\xEF\xBB\xBF/BOM /' && rapport audit --action audit_export --json | grep -oE '"detail": "[^"]*: [0-9]+ entries exported"' | grep -oE '[0-9]+ entries' | cut -d' ' -f1 > counted && { [ $(( $(wc -l < trail.csv) - 1 )) = $(cat counted) ] || echo "$(wc -l < trail.csv) lines, $(cat counted) counted"; } && { [ $(cat counted) -gt 20 ] || echo "only $(cat counted)"; } && echo whole
> BOM id,at,user,address,action,customer,target,reason,outcome,detail,customers
> whole
$ kill -TERM $(cat pid) && for i in $(seq 100); do grep -q stopped serve.log && break; sleep 0.1; done

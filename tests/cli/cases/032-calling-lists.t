# issue 22 item 13: calling lists.  An outbound agent (tsr) sees no customer's phone numbers but
# those of the customers on their own calling list while it runs; the operator (the command line)
# or a supervisor (the API) makes the lists, whole or not at all, each key that fails named with
# its line; every change audited.
$ rapport init >/dev/null && rapport import $FIXTURES/bank.json >/dev/null
$ for u in t1:tsr sup:supervisor; do echo 'a long password 1' | rapport user add ${u%%:*} --role ${u##*:}; done && echo 'a long password 1' | rapport user add tel --role teller --branch 0012
> user t1 added: outbound agent (TSR)
> user sup added: supervisor
> user tel added: teller / branch staff, branch 0012
# bad lists: the agent must dial; every key must find one customer; nothing is written otherwise
$ rapport calllist add "2026-12 定存到期" --agent tel A223456781
! rapport: calllist add: --agent: 'tel' is a teller / branch staff, whose role has no 'dial'
? 1
$ rapport calllist add "2026-12 定存到期" --agent t1 A223456781 A123456789
! rapport: calllist add: customer 2: no customer 'A123456789'
? 1
$ printf '# keys\nA223456781\n\n  id:2  \nnope\n' > keys.txt && rapport calllist add L2 --agent t1 --file keys.txt
! rapport: calllist add: keys.txt:5: no customer 'nope'
? 1
$ rapport calllist add L2 --agent t1 --until 2026-02-30 id:1
! rapport: calllist add: until: '2026-02-30' is not a date (YYYY-MM-DD)
? 1
$ rapport query "SELECT count(*) AS entries FROM calling_list" --csv | tr -d '\r'
> entries
> 0
# a file of keys (a national ID, an id, an account number), once each
$ printf '# keys\nA223456781\n\n  id:2  \n0012-100-000009\n' > keys.txt && rapport calllist add L2 --agent t1 --file keys.txt --until 2099-12-31
> list L2 for t1: 3 added, 0 already on it; runs until 2099-12-31
$ rapport calllist add L2 --agent t1 id:1
> list L2 for t1: 0 added, 1 already on it
$ rapport calllist show --csv | tr -d '\r'
> list,agent,customer,name_zh,name_latin,home_branch,until,last_contact,phones
> L2,t1,1,陳怡君,"CHEN, YI-CHUN",0012,2099-12-31,2026-11-02T02:05:00Z,+886*******78 +886*******89
> L2,t1,2,林志明,"LIN, CHIH-MING",0012,2099-12-31,,+886*******22 +886*******89
> L2,t1,3,王小華,,,2099-12-31,,
# through the API: the agent's own list with the numbers to dial, and the 360's mobile in full
$ (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done
$ curl -s -c tj -H 'Content-Type: application/json' -d '{"name":"t1","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" >/dev/null && curl -s -b tj "http://127.0.0.1:$(cat port)/api/v1/calling-list" | grep -o '"customer":[0-9]*\|"value":"[^"]*"'
> "customer":1
> "value":"+886912345678"
> "value":"+886223456789"
> "customer":2
> "value":"+886933111222"
> "value":"+886223456789"
> "customer":3
$ curl -s -b tj "http://127.0.0.1:$(cat port)/api/v1/customers/1" | grep -o '"kind":"mobile","purpose":"[a-z]*","value":"[^"]*"'
> "kind":"mobile","purpose":"home","value":"+886912345678"
# a supervisor takes her off: masked again; the entry stays on record
$ curl -s -c sj -H 'Content-Type: application/json' -d '{"name":"sup","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" > s.json && curl -s -b sj -X DELETE -H "X-CSRF-Token: $(grep -o '"csrf":"[^"]*"' s.json | cut -d'"' -f4)" "http://127.0.0.1:$(cat port)/api/v1/calling-lists/L2?customer=1"
> {"list":"L2","removed":1}
$ curl -s -b tj "http://127.0.0.1:$(cat port)/api/v1/customers/1" | grep -o '"kind":"mobile","purpose":"[a-z]*","value":"[^"]*"'
> "kind":"mobile","purpose":"home","value":"+886*******78"
$ kill $(cat pid) && rapport query "SELECT party_id, removed_by IS NOT NULL AS removed FROM calling_list ORDER BY id" --csv | tr -d '\r'
> party_id,removed
> 1,1
> 2,0
> 3,0
$ rapport calllist remove L2 --customer 1
! rapport: calllist remove: list 'L2' has no such entry running
? 1
$ rapport calllist remove L2
> list L2: 2 taken off
$ rapport calllist show
> no calling list runs today
$ rapport audit --action calling_list_add --json | grep -o '"detail": "[^"]*"'
> "detail": "list L2 for t1: 0 added of 1"
> "detail": "list L2 for t1: 3 added of 3"
# an entry follows the person: given as a record merged into another customer, it is that customer
# while merged, and the record's own customer again after an unmerge (never the other's numbers)
$ rapport match merge id:3 id:1 > /dev/null && rapport calllist add M --agent t1 id:3 && rapport calllist show --list M --csv | tr -d '\r' | cut -d, -f3,4
> list M for t1: 1 added, 0 already on it
> customer,name_zh
> 7,陳怡君
$ rapport calllist add M --agent t1 id:1
> list M for t1: 0 added, 1 already on it
$ rapport match unmerge id:7 host:0000012347 > /dev/null && rapport calllist show --list M --csv | tr -d '\r' | cut -d, -f3,4
> customer,name_zh
> 3,王小華
$ rapport calllist remove M --customer 3
> list M: 1 taken off
# an entry that has ended does not keep the customer off the list; a name with '/' is refused
$ rapport calllist add E --agent t1 id:2 --until 2020-01-01 && rapport calllist add E --agent t1 id:2 --until 2099-12-31 && rapport query "SELECT party_id, until, removed_by IS NOT NULL AS removed FROM calling_list WHERE list = 'E' ORDER BY id" --csv | tr -d '\r'
> list E for t1: 1 added, 0 already on it; runs until 2020-01-01
> list E for t1: 1 added, 0 already on it; runs until 2099-12-31
> party_id,until,removed
> 2,2020-01-01,1
> 2,2099-12-31,0
$ rapport calllist add a/b --agent t1 id:2
! rapport: calllist add: list: 'a/b': a list's name may not hold '/'
? 1

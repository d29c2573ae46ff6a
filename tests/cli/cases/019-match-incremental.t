# match, incremental: after a first full run, only what was loaded or changed since is resolved again
$ rapport init >/dev/null && rapport gen --customers 300 --months 3 --seed 11 --out bank >/dev/null && head -n 150 bank/online/users.jsonl > users_a.jsonl && tail -n 18 bank/online/users.jsonl > users_b.jsonl
$ rapport load bank/host/BRANCH.dat bank/host/CIF.dat bank/card/card_customers.csv >/dev/null && rapport load --source online-users users_a.jsonl >/dev/null
$ rapport match | sed 's/\[[0-9.]* s\]//'
> run 1: 581 source records are 300 customers (208 of them in more than one source); 380 candidate pairs compared, 1 waiting for review  
# the last 18 internet-banking users arrive: they and their neighbours are compared, nothing else
$ rapport load --source online-users users_b.jsonl | tail -1
> total: 18 records: 18 loaded (0 fixed), 0 rejected
$ rapport match | sed 's/\[[0-9.]* s\]//'
> run 2, incremental: 18 new or changed records, 44 resolved again with their neighbours; 599 source records are 300 customers (221 of them in more than one source); 36 candidate pairs compared, 1 waiting for review  
$ rapport match
> nothing new or changed since the last run: 599 source records are 300 customers (221 of them in more than one source)
$ rapport match --json | grep -E '"(run|mode|changed|compared|customers)"' | tr -d ' ,'
> "run":null
> "mode":"none"
> "changed":0
> "compared":0
> "customers":300
# the same result as resolving everything again: every person one customer, no customer two people
$ rapport match export | tail -n +2 | tr -d '\r' | sort > found.csv && tail -n +2 bank/truth/identity.csv | sort > truth.csv && join -t, -j1 <(awk -F, '{print $1":"$2","$3}' found.csv | sort) <(awk -F, '{print $1":"$2","$3}' truth.csv | sort) | awk -F, '{print $2","$3}' | sort -u | awk -F, '{c[$1]++; p[$2]++} END {n=0; for (k in c) if (c[k] > 1) n++; m=0; for (k in p) if (p[k] > 1) m++; print "customers with two people:", n, "; people in two customers:", m}'
> customers with two people: 0 ; people in two customers: 0
# a changed mobile number queues the record it belongs to
$ grep tsung600 users_a.jsonl | sed 's/0910031337/0933123456/' > users_c.jsonl && rapport load --source online-users users_c.jsonl | tail -1
> total: 1 records: 1 loaded (0 fixed), 0 rejected
$ rapport match | sed 's/\[[0-9.]* s\]//'
> run 3, incremental: 1 new or changed records, 2 resolved again with their neighbours; 599 source records are 300 customers (221 of them in more than one source); 1 candidate pairs compared, 1 waiting for review  
$ rapport customer show online:tsung600 | head -1
> Customer #582  蔡宗建  TSAI, TSUNG-CHIEN
# a record with nothing to tell people apart (a name, no ID, phone, e-mail or address) is not merged: it waits for a person
$ echo '{"user_id":"walkin01","name":"蔡偉傑","registered_at":"2026-11-01T10:00:00+08:00"}' > users_d.jsonl && rapport load --source online-users users_d.jsonl | tail -1
> total: 1 records: 1 loaded (0 fixed), 0 rejected
$ rapport match | sed 's/\[[0-9.]* s\]//'
> run 4, incremental: 1 new or changed records, 3 resolved again with their neighbours; 600 source records are 301 customers (221 of them in more than one source); 3 candidate pairs compared, 3 waiting for review  
$ rapport match review --json | grep -E '"(name|national_id)"|walkin01' | tr -d ' ,' | head -6
> "name":"same"
> "online:walkin01蔡偉傑"
> "national_id":"missing"
> "name":"same"
> "online:walkin01蔡偉傑"
> "national_id":"missing"
$ rapport customer show online:walkin01 | head -1
> Customer #821  蔡偉傑
# survivorship by configuration: trust the card system's spelling first; --full applies it to everyone
$ rapport customer show cust:0013890351 | head -1
> Customer #601  蔡偉傑  TSAI, WEI-CHIEH
$ printf '[survivorship]\ntrust = card, host, online\nincome_band = recent\n' > rapport.ini && rapport match --full --config rapport.ini | sed 's/\[[0-9.]* s\]//'
> run 5: 600 source records are 301 customers (221 of them in more than one source); 408 candidate pairs compared, 3 waiting for review  
$ rapport customer show cust:0013890351 | head -1
> Customer #601  蔡偉杰  TSAI, WEI-CHIEH
$ rapport query "SELECT mode, changed, compared, customers FROM match_run ORDER BY id" --csv | tr -d '\r'
> mode,changed,compared,customers
> full,581,581,300
> incremental,18,44,300
> incremental,1,2,300
> incremental,1,3,301
> full,0,600,301
# bad rules are named
$ printf '[survivorship]\noccupaton = recent\n' > bad.ini && rapport match --config bad.ini
? 1
! rapport: match: [survivorship] occupaton: no such attribute (trust, default, kind, name_zh, name_latin, birth_date, gender, occupation, income_band, home_branch)
$ printf '[survivorship]\ndefault = newest\n' > bad.ini && rapport match --config bad.ini
? 1
! rapport: match: [survivorship] default: 'newest' is not a rule (trusted, recent or complete)
$ printf '[survivorship]\ntrust = ,\n' > bad.ini && rapport match --config bad.ini
? 1
! rapport: match: [survivorship] trust: no source named (e.g. host, card, online)
$ rapport query "SELECT count(*) AS runs FROM match_run" --csv | tr -d '\r'
> runs
> 5

# issue 24 items 5, 6 and 11 through the API: a draft optimised from a kept model's scores (or a CSV sent
# in the body), the call centre's capacity taken from the channel table; its vendor's list exported as
# CSV and XLSX under its own permission, with a reason, audited; its e-mail sent in batches through the
# server's [mail] settings to a real SMTP server; its outbound cell given to an agent, who then sees it.
#! timeout 600
$ rapport gen --customers 3000 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ rapport features --as-of 2026-09-30 --label churn --out f.csv >/dev/null 2>&1 && rapport model train --data f.csv --target churn --learner logit --folds 0 --save takeup >/dev/null 2>&1 && rapport model score takeup --as-of 2026-10-31 >/dev/null 2>&1; echo $?
> 0
$ rapport offer put FUND1 --name 基金 --product FND001 --cost 15 --value 1200 >/dev/null && rapport offer put PLAT1 --name 白金卡 --product PLAT --cost 8 --value 2000 >/dev/null && RAPPORT_USER=ann rapport campaign create X1 --name 執行 --objective cross-sell --purpose marketing --rule "balance > 100000" --control-pct 10 --seed 5 --start 2026-11-23 --end 2026-11-27 >/dev/null && for c in "A --offer FUND1 --channel email" "B --offer PLAT1 --channel direct_mail" "C --offer FUND1 --channel outbound_call"; do RAPPORT_USER=ann rapport campaign cell X1 $c >/dev/null; done && RAPPORT_USER=ann rapport campaign select X1 >/dev/null; echo $?
> 0
$ for u in "ann analyst" "sam supervisor" "tom tsr"; do set -- $u; echo 'a long password 1' | rapport user add $1 --role $2 >/dev/null; done; (timeout 300 /usr/bin/python3 $FIXTURES/marketing/smtp_sink.py mail smtp.port > sink.log 2>&1 & echo $! > sink.pid) && for i in $(seq 100); do [ -s smtp.port ] && break; sleep 0.1; done && printf '[mail]\nsmtp = smtp://127.0.0.1:%s\nfrom = Bank <news@bank.example>\nunsubscribe_url = https://bank.example\ntls = none\n' $(cat smtp.port) > rapport.ini && (timeout 300 rapport serve --config rapport.ini --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && for u in ann sam tom; do curl -s -c $u.jar -H 'Content-Type: application/json' -d "{\"name\":\"$u\",\"password\":\"a long password 1\"}" "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > $u.csrf; done; echo up
> up
# the call centre takes five calls a day: the supervisor says so, the analyst may not
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"per_day":5}' "$P/channel-capacity/outbound_call" | python3 -c 'import json,sys; print([(c["channel"], c["per_day"]) for c in json.load(sys.stdin)["channels"]])'; curl -s -b ann.jar -H "X-CSRF-Token: $(cat ann.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"per_day":500}' "$P/channel-capacity/outbound_call" -w ' %{http_code}\n' | tail -1; curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -X PUT -d '{"per_day":-1}' "$P/channel-capacity/outbound_call"
> [('outbound_call', 5)]
>  403
> {"error":{"code":"invalid","message":"body.per_day: -1 is not from 0 to 100,000,000","member":"body.per_day"}}
# level 4 from the kept model's scores: the capacity is five a day for the campaign's five days
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b ann.jar -H "X-CSRF-Token: $(cat ann.csrf)" -H 'Content-Type: application/json' -d '{"models":{"FUND1":"takeup","B":"takeup"},"budget":4000,"min":{"A":20}}' "$P/campaigns/X1/optimise" | python3 -c 'import json,sys; r = json.load(sys.stdin); c = {x["cell"]: x["customers"] for x in r["by_cell"]}; print(r["level"], r["applied"], r["cost"] <= 4000, c["A"] >= 20, c["C"] <= 25, sorted(r["models"]), r["models"]["B"]["model"], r["capacity_from_table"])'
> 4 False True True True ['B', 'FUND1'] takeup {'outbound_call': {'per_day': 5, 'days': 5, 'contacts': 25}}
# the table's capacity is a constraint like the caller's: a minimum beyond it conflicts, naming it; a
# caller's own capacity stands in for the table's
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b ann.jar -H "X-CSRF-Token: $(cat ann.csrf)" -H 'Content-Type: application/json' -d '{"models":{"FUND1":"takeup"},"min":{"C":30}}' "$P/campaigns/X1/optimise" | python3 -c 'import json,sys; m = json.load(sys.stdin)["error"]["message"]; print("capacity outbound_call" in m, "minimums" in m)'; curl -s -b ann.jar -H "X-CSRF-Token: $(cat ann.csrf)" -H 'Content-Type: application/json' -d '{"models":{"FUND1":"takeup"},"min":{"C":30},"capacity":{"outbound_call":40}}' "$P/campaigns/X1/optimise" | python3 -c 'import json,sys; r = json.load(sys.stdin); print({x["cell"]: x["customers"] for x in r["by_cell"]}["C"] >= 30, "capacity_from_table" in r)'
> True True
> True False
# or a CSV in the body; errors name the body's member, its line and field
$ P=http://127.0.0.1:$(cat port)/api/v1; H="X-CSRF-Token: $(cat ann.csrf)"; for b in '{"models":{"A":"nope"}}' '{"models":{"A":"takeup"},"min":{"Z":3}}' '{"scores":"customer,cell,score\n1,A,1.5\n"}' '{"models":{"A":"takeup"},"scores":"customer,cell,score\n1,A,0.5\n"}' '{}' '{"models":{"A":"takeup"},"level":7}' '{"models":{"A":5}}'; do curl -s -b ann.jar -H "$H" -H 'Content-Type: application/json' -d "$b" "$P/campaigns/X1/optimise"; done
> {"error":{"code":"invalid","message":"body.models: A: no kept model is named 'nope'","member":"body.models"}}
> {"error":{"code":"invalid","message":"body.min: campaign X1 has no cell 'Z'","member":"body.min"}}
> {"error":{"code":"invalid","message":"body.scores:1: score: '1.5' is not a probability from 0 to 1"}}
> {"error":{"code":"invalid","message":"body.scores:1: cell A is scored by model takeup, not by the file"}}
> {"error":{"code":"invalid","message":"body.scores: a file of customer, cell (or offer) and score, or models (CELL=MODEL), is required","member":"body.scores"}}
> {"error":{"code":"invalid","message":"body.level: 1, 2, 3 or 4","member":"body.level"}}
> {"error":{"code":"invalid","message":"body.models.A: a kept model's name","member":"body.models.A"}}
$ rapport campaign show X1 --json | python3 -c 'import json,sys; print([h["action"] for h in json.load(sys.stdin)["history"]][-1])'
> select
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b ann.jar -H "X-CSRF-Token: $(cat ann.csrf)" -H 'Content-Type: application/json' -d '{"models":{"FUND1":"takeup","PLAT1":"takeup"},"budget":4000,"min":{"A":20},"apply":true}' "$P/campaigns/X1/optimise" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["applied"], r["assigned"] > 20)'; rapport campaign show X1 --json | python3 -c 'import json,sys; print([h["action"] for h in json.load(sys.stdin)["history"]][-1])'
> True True
> optimise
# approved and launched, the list goes to the vendor: only with export_lists and a reason, audited
$ P=http://127.0.0.1:$(cat port)/api/v1; for s in "ann submit" "sam approve" "sam launch"; do set -- $s; curl -s -b $1.jar -H "X-CSRF-Token: $(cat $1.csrf)" -H 'Content-Type: application/json' -d '{}' "$P/campaigns/X1/$2"; done
> {"campaign":"X1","status":"submitted"}
> {"campaign":"X1","status":"approved"}
> {"campaign":"X1","status":"running"}
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b ann.jar -H "X-CSRF-Token: $(cat ann.csrf)" -H 'Content-Type: application/json' -d '{"cell":"B","reason":"mail house run"}' "$P/campaigns/X1/export" -w ' %{http_code}\n' | tail -1; curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"cell":"B"}' "$P/campaigns/X1/export"; curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"reason":"mail house run"}' "$P/campaigns/X1/export"; curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"cell":"Q","reason":"mail house run"}' "$P/campaigns/X1/export"
>  403
> {"error":{"code":"invalid","message":"body.reason: required","member":"body.reason"}}
> {"error":{"code":"invalid","message":"body.cell: name a cell or a channel: each channel has its own layout","member":"body.cell"}}
> {"error":{"code":"not_found","message":"campaign X1 has no cell 'Q'"}}
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -D h.txt -o b.csv -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"cell":"B","reason":"mail house run"}' "$P/campaigns/X1/export" && grep -i '^content-disposition' h.txt | tr -d '\r' && rapport query "SELECT count(*) FROM campaign_target WHERE campaign = 'X1' AND cell = 'B' AND grp = 'treatment'" --csv | tail -1 | tr -d '\r' > n.txt && /usr/bin/python3 -c 'import csv; r = list(csv.DictReader(open("b.csv", encoding="utf-8-sig"))); print(0 < len(r) <= int(open("n.txt").read()), "postal_code" in r[0], "address" in r[0])'
> Content-Disposition: attachment; filename="X1-B.csv"
> True True True
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -o b.xlsx -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"channel":"direct_mail","format":"xlsx","reason":"mail house run"}' "$P/campaigns/X1/export" && /usr/bin/python3 -c 'import openpyxl, csv; ws = openpyxl.load_workbook("b.xlsx").active; rows = list(ws.iter_rows(values_only=True)); print(len(rows) - 1 == len(list(csv.DictReader(open("b.csv", encoding="utf-8-sig")))))'
> True
$ rapport audit --action campaign_export --json | python3 -c 'import json,sys; e = json.load(sys.stdin); print([(x["user"], x["reason"], x["outcome"], (x["detail"] or "").split(" rows=")[0]) for x in e])'
> [('sam', 'mail house run', 'ok', 'campaign=X1 cell= channel=direct_mail wave=0'), ('sam', 'mail house run', 'ok', 'campaign=X1 cell=B channel=direct_mail wave=0'), ('sam', 'mail house run', 'failed', ''), ('sam', 'mail house run', 'failed', ''), ('sam', None, 'failed', '')]
# e-mail in batches through the server's settings: nobody twice; the analyst may not send
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b ann.jar -H "X-CSRF-Token: $(cat ann.csrf)" -H 'Content-Type: application/json' -d '{"cell":"A"}' "$P/campaigns/X1/send" -w ' %{http_code}\n' | tail -1; curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"cell":"A","limit":5000}' "$P/campaigns/X1/send"; for i in 1 2; do curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"cell":"A","limit":4}' "$P/campaigns/X1/send" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["sent"], r["not_sent"]["left_for_later"] > 0)'; done; ls mail | wc -l
>  403
> {"error":{"code":"invalid","message":"body.limit: 1 to 2000 messages a request","member":"body.limit"}}
> 4 True
> 4 True
> 8
# a token of one branch may not take the whole bank's list; a server without [mail] says so
$ rapport token add branchlists --permissions export_lists --branch "$(rapport query "SELECT code FROM branch ORDER BY code LIMIT 1" --csv | tail -1 | tr -d '\r')" --days 5 2>/dev/null | grep -o 'rpt_[A-Za-z0-9_-]*' > tok && curl -s -H "Authorization: Bearer $(cat tok)" -H 'Content-Type: application/json' -d '{"cell":"B","reason":"mail house run"}' "http://127.0.0.1:$(cat port)/api/v1/campaigns/X1/export" -w ' %{http_code}\n' | tail -1
>  403
# the outbound cell given to an agent, who sees the customers on their list
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"cell":"C","agents":["tom"]}' "$P/campaigns/X1/dial" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["list"], r["customers"] > 0, list(r["by_agent"]))'; curl -s -b tom.jar "$P/calling-list" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(len(r["entries"]) > 0, {e["list"] for e in r["entries"]} if r["entries"] and "list" in r["entries"][0] else "")'; curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"cell":"C","agents":[]}' "$P/campaigns/X1/dial"
> X1-C True ['tom']
> True {'X1-C'}
> {"error":{"code":"invalid","message":"body.agents: the outbound agents' user names, 1 to 64","member":"body.agents"}}
$ P=http://127.0.0.1:$(cat port)/api/v1; for b in '{"cell":"C","agents":["nobody"]}' '{"cell":"C","agents":["ann"]}' '{"cell":"C","agents":["tom"],"until":"2026-11-01"}'; do curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d "$b" "$P/campaigns/X1/dial" | python3 -c 'import json,sys; e = json.load(sys.stdin)["error"]; print(e["code"], e.get("member"), e["message"][:60])'; done
> invalid body.agents[0] body.agents[0]: no user 'nobody'
> invalid body.agents[0] body.agents[0]: 'ann' is a marketing analyst, whose role has
> invalid body.until body.until: 2026-11-01 is before today (2026-11-23): the lis
$ kill -TERM $(cat serve.pid) $(cat sink.pid); echo stopped
> stopped
# a server without [mail] says so
$ (sleep 1; timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port2 > serve2.log 2>&1 & echo $! > serve2.pid) && for i in $(seq 100); do [ -s port2 ] && break; sleep 0.1; done && curl -s -c sam2.jar -H 'Content-Type: application/json' -d '{"name":"sam","password":"a long password 1"}' "http://127.0.0.1:$(cat port2)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > sam2.csrf && curl -s -b sam2.jar -H "X-CSRF-Token: $(cat sam2.csrf)" -H 'Content-Type: application/json' -d '{"cell":"A"}' "http://127.0.0.1:$(cat port2)/api/v1/campaigns/X1/send"; kill $(cat serve2.pid)
> {"error":{"code":"not_configured","message":"this server sends no e-mail: its configuration has no [mail] smtp, from and unsubscribe_url"}}
# a surge in the contact centre pauses the running campaign's outbound call cell, and its end resumes it
$ echo '{"skills":[{"name":"cards"}],"queues":[{"code":"q1","skill":"cards","number":"7001"}],"agents":[{"login":"tom","skills":{"cards":3}}]}' > centre.json && rapport contact setup centre.json >/dev/null && for i in 1 2 3 4 5 6; do rapport contact offer --to 7001 --id s$i --at 2026-11-23T09:0$i:00Z >/dev/null; done && rapport contact tick --at 2026-11-23T09:07:00Z --json | python3 -c 'import json,sys; print([(s["queue"], s["surge"], s["actions"]["outbound_paused"]) for s in json.load(sys.stdin)["surges"]])'; rapport campaign show X1 --json | python3 -c 'import json,sys; print([(c["cell"], c["paused"]) for c in json.load(sys.stdin)["cells"]])'
> [('q1', 'started', ['X1/C'])]
> [('A', False), ('B', False), ('C', True)]
$ for i in 1 2 3 4 5 6; do rapport contact event --id s$i abandoned --at 2026-11-23T09:08:00Z >/dev/null; done && rapport contact tick --at 2026-11-23T09:40:00Z --json | python3 -c 'import json,sys; print([(s["queue"], s["surge"]) for s in json.load(sys.stdin)["surges"]])'; rapport campaign show X1 --json | python3 -c 'import json,sys; print([(c["cell"], c["paused"]) for c in json.load(sys.stdin)["cells"]])'
> [('q1', 'ended')]
> [('A', False), ('B', False), ('C', False)]

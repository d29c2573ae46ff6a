# issue 24 items 9, 10 and 12: event rules (one row each, a detector and its parameters) run at the
# end of a load, by hand and through the event feed; each event kept once whichever path saw it; a
# lead routed to the relationship manager, else the branch, else the outbound queue, held out or
# suppressed; leads worked into the contact history; the next-best offer with its reasons.  What
# the rules found is checked against an independent reading of the store (events_check.py).
#! timeout 600
$ rapport gen --customers 3000 --out bank >/dev/null && rapport init >/dev/null; echo $?
> 0
# rules that need no offer can wait for the first load, which runs them at its end
$ rapport event rule ODD --detector unusual_amount --name-zh 異常交易 --name-en "unusual amount" --route outbound --control-pct 20 && rapport event rule COMPL --detector complaint --name-zh 客訴 --name-en complaint
> event rule ODD created
> event rule COMPL created
$ rapport load bank 2>&1 | grep '^events:' | sed 's/over [0-9]* transactions (as of [0-9-]*): [0-9]* new/over N transactions: M new/; s/ \[.*//'
>~ ^events: 2 rules over N transactions: M new events \(0 seen before\), [0-9]+ leads, [0-9]+ held out, [0-9]+ not to be contacted $
$ rapport match >/dev/null 2>&1; rapport query "SELECT count(*) > 500 FROM party_manager" --csv | tail -1 | tr -d '\r'
> 1
$ python3 $FIXTURES/marketing/events_check.py rapport.db ODD unusual 4 20 50000 14
> ok many
# bad rules: the member named, nothing written
$ rapport event rule X --detector nope --name-zh 甲 --name-en a
!~ ^rapport: event rule: event_rule.detector: 'nope' is not one of large_break, large_incoming, salary_moved_in, 
? 1
$ rapport event rule X --detector large_break --name-zh 甲 --name-en a --params '{"mn": 3}'
!~ ^rapport: event rule: event_rule.params.mn: not a parameter of detector large_break 
? 1
$ rapport event rule X --detector large_break --name-zh 甲 --name-en a --params '{"classes": ["td_brake"]}'
! rapport: event rule: event_rule.params.classes[0]: not a transaction class
? 1
$ rapport event rule X --detector dormant_active --name-zh 甲 --name-en a --params '{"days": 0}'
! rapport: event rule: event_rule.params.days: 0 is not from 1 to 3660
? 1
$ rapport event rule X --detector large_break --name-zh 甲 --name-en a --offer NOPE
! rapport: event rule: event_rule.offer: no offer 'NOPE'
? 1
$ rapport event rule X --detector large_break --name-en a
! rapport: event rule: event_rule.name_zh: is required
? 1
$ rapport event rules --csv | cut -d, -f1 | tr '\r\n' '  '; echo
> code COMPL ODD 
# a rule with an offer, run by hand over the history within its expiry; a second run finds nothing new
$ rapport offer put FUNDTD --name "定存轉基金" --product FND001 --cost 50 --value 3000 >/dev/null && rapport event rule TDBREAK --detector large_break --name-zh 大額定存解約 --name-en "time deposit broken early" --offer FUNDTD --params '{"min": 100000}' --expires-days 60 --priority 90
> event rule TDBREAK created
$ rapport event run --json | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["rules"], r["events"] > 0, r["events"] == len(r["found"]), {f["rule"] for f in r["found"]} <= {"TDBREAK", "ODD", "COMPL"})'
> 3 True True True
$ python3 $FIXTURES/marketing/events_check.py rapport.db TDBREAK breaks 100000 60
>~ ^ok (some|many)$
$ rapport event run | sed 's/over [0-9]* transactions (as of [0-9-]*)/over N/; s/([0-9]* seen before)/(K seen before)/; s/ \[.*//'
> event run: 3 rules over N: 0 new events (K seen before), 0 leads, 0 held out, 0 not to be contacted 
# the feed: a break as it happens, on a time deposit of a customer with a manager and consent
$ rapport query "SELECT a.number FROM account a JOIN party_account pa ON pa.account_id = a.id JOIN party p ON p.id = pa.party_id JOIN party_manager m ON m.party_id = p.id JOIN consent c ON c.party_id = p.id AND c.purpose = 'marketing' AND c.granted = 1 WHERE a.product = 'TD0012' AND pa.role = 'owner' AND NOT EXISTS (SELECT 1 FROM consent d WHERE d.party_id = p.id AND d.granted = 0) AND NOT EXISTS (SELECT 1 FROM do_not_contact n WHERE n.party_id = p.id) ORDER BY a.id LIMIT 1" --csv | tail -1 | tr -d '\r' > acct && printf '{"transactions": [{"account": "%s", "posted_at": "2026-11-23T10:15:00+08:00", "amount": -2500000, "class": "td_break", "channel": "branch"}]}' "$(cat acct)" > feed.json && rapport event feed feed.json | head -1
>~ ^event feed: 3 rules over 1 transactions \(as of 2026-11-23\): 1 new events \(0 seen before\), 1 leads, 0 held out, 0 not to be contacted  \[[0-9.]+ s\]$
$ rapport event feed feed.json --json | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["events"], r["repeated"])'
> 0 1
$ rapport lead list --status open --json | python3 -c 'import json,sys; l = [x for x in json.load(sys.stdin) if x["reason_en"].endswith("-2,500,000 on 2026-11-23")]; print(len(l), l[0]["queue"], l[0]["assigned_to"].startswith("rm."), l[0]["offer"]); open("lead", "w").write(str(l[0]["id"])); open("cust", "w").write(str(l[0]["customer"]))'
> 1 manager True FUNDTD
# bad feeds: checked whole, the member named, nothing written
$ rapport query "SELECT count(*) FROM customer_event" --csv | tail -1 > before; printf '{"transactions": [{"account": "%s", "posted_at": "2026-11-23T11:00:00+08:00", "amount": -2600000, "class": "td_break"}, {"account": "00000000000000", "posted_at": "2026-11-23", "amount": 1, "class": "salary"}]}' "$(cat acct)" | rapport event feed -
! rapport: event feed: transactions[1].account: no account '00000000000000'
? 1
$ echo '{"transactions": [{"account": "1", "posted_at": "yesterday", "amount": 1, "class": "salary"}]}' | rapport event feed -
! rapport: event feed: transactions[0].posted_at: 'yesterday' is not a time: invalid time 'yesterday': expected ISO 8601 such as 2026-11-23T09:30:00+08:00
? 1
$ echo '{"transactions": [{"account": "1", "posted_at": "2026-11-23", "amount": "1", "class": "salary"}]}' | rapport event feed -
! rapport: event feed: transactions[0].amount: a number (currency units, credit positive) is expected
? 1
$ echo '{"transactions": [], "x": 1}' | rapport event feed -
! rapport: event feed: transactions: a list of 1 to 1,000 transactions is expected
? 1
$ rapport query "SELECT count(*) FROM customer_event" --csv | tail -1 | cmp - before && echo unchanged
> unchanged
# the manager's list, the next-best offer with the event's reason first, working the lead
$ RAPPORT_USER=$(rapport lead list --customer $(cat cust) --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["assigned_to"])') rapport lead list --mine --csv | grep -c "time deposit broken early: TWD -2,500,000"
> 1
$ rapport customer offers $(cat cust) --json | python3 -c 'import json,sys; r = json.load(sys.stdin); o = r["offers"][0]; print(o["offer"], o["lead"] is not None, o["reasons_en"][0].endswith("-2,500,000 on 2026-11-23"), any(x.startswith("peers with this profile") for x in o["reasons_en"]))'
> FUNDTD True True True
$ rapport lead work $(cat lead) --outcome maybe
! rapport: lead work: outcome: 'maybe' is not one of worked, converted, declined
? 1
$ rapport lead work $(cat lead) --outcome converted --note "基金申購 250 萬" | sed 's/[0-9]*:/N:/'
> lead N: converted
$ rapport lead work $(cat lead) --outcome declined
!~ ^rapport: lead work: lead [0-9]+ is converted: only an open lead \(or a worked one, to its outcome\) is worked$
? 1
$ rapport query "SELECT kind, outcome, notes FROM interaction WHERE reason LIKE 'lead %' ORDER BY id DESC LIMIT 1" --csv | tail -1 | tr -d '\r'
> sale,converted,基金申購 250 萬
# a lead given to a colleague covering; a closed one is not, a bad name is named
$ rapport lead list --queue outbound --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["id"])' > open1 && rapport lead assign $(cat open1) --to cover.rm | sed 's/[0-9][0-9]*:/N:/' && rapport lead list --manager cover.rm --json | python3 -c 'import json,sys; l = json.load(sys.stdin); print(len(l), l[0]["queue"], l[0]["note"].startswith("assigned to cover.rm by"))'
> lead N: assigned to cover.rm
> 1 manager True
$ rapport lead assign $(cat lead) --to cover.rm
!~ ^rapport: lead assign: lead [0-9]+ is converted: only an open or worked lead is assigned$
? 1
$ rapport lead assign $(cat open1) --to "Cover RM"
! rapport: lead assign: to: 'Cover RM' is not a user name (a-z, 0-9, '.', '_', '-')
? 1
$ rapport lead results --json | python3 -c 'import json,sys; r = {x["rule"]: x for x in json.load(sys.stdin)}; t = r["TDBREAK"]; print(t["converted"], t["conversion"], r["ODD"]["held_out"] > 0)'
> 1 1.0 True
# capacity: the outbound queue's day is full, the rest go to the branch
$ rapport campaign capacity outbound_call=0 | tail -1 | cut -c1-20
> outbound_call  0    
$ rapport campaign capacity outbound_call=x
! rapport: campaign capacity: 'outbound_call=x' is not CHANNEL=N
? 1
# an event rule as a campaign's selection: the customers it found in the last days, as they are now
$ rapport campaign create EV1 --name 定存解約後續 --objective retention --purpose marketing --list event:TDBREAK:366 >/dev/null && rapport campaign count EV1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["candidates"])' > a && rapport event list --rule TDBREAK --json --limit 1000 | python3 -c 'import json,sys; print(len({e["customer"] for e in json.load(sys.stdin)}))' > b && rapport match >/dev/null 2>&1; cat a b | uniq | wc -l
> 1
$ rapport campaign set EV1 --list event:NOPE:30 >/dev/null; rapport campaign count EV1
! rapport: campaign count: campaign.list: event rule 'NOPE' found nobody in the last 30 days
? 1
# a maturity approaching: account.matures_on from the import (and any spec's account target), checked against opened_on
$ sed 's/"matures_on": "2027-11-20"/"matures_on": "2025-11-01"/' $FIXTURES/marketing/maturity.json > bad-maturity.json && rapport import bad-maturity.json
! rapport: import: bad-maturity.json: accounts[1]: account.matures_on: 2025-11-01 is before opened_on 2025-11-20
? 1
$ rapport import $FIXTURES/marketing/maturity.json >/dev/null && rapport query "SELECT matures_on FROM account WHERE number LIKE '9999-000-%' ORDER BY number" --csv | tr -d '\r' | tr '\n' ' '; echo
> matures_on 2026-11-20 2027-11-20 
$ rapport event rule MAT --detector maturity --name-zh 定存即將到期 --name-en "deposit maturing" --params '{"days": 30}' >/dev/null && rapport event run --as-of 2026-11-10 --json | python3 -c 'import json,sys; r = json.load(sys.stdin); m = [f for f in r["found"] if f["rule"] == "MAT"]; print(len(m), m[0]["reason_en"], m[0]["outcome"])'
> 1 deposit maturing: 500,000 matures on 2026-11-20 lead
$ rapport event run --as-of 2026-11-12 --json | python3 -c 'import json,sys; r = json.load(sys.stdin); print(len([f for f in r["found"] if f["rule"] == "MAT"]))'; rapport lead list --queue branch --branch 0101 --csv | grep -c "deposit maturing"
> 0
> 1
# the API: the feed with a core system's token (no person may post), the manager's leads, working one, the offers
$ rapport token add core --permissions events | sed -n 2p > token && rapport lead list --customer $(cat cust) --all --json | python3 -c 'import json,sys; l = json.load(sys.stdin)[0]; print(l["assigned_to"], l["branch"])' > rm && echo 'a long password 1' | rapport user add $(cut -d' ' -f1 rm) --role rm --branch $(cut -d' ' -f2 rm) >/dev/null && echo 'a long password 1' | rapport user add tina --role teller --branch $(rapport query "SELECT min(code) FROM branch WHERE code <> '$(cut -d' ' -f2 rm)'" --csv | tail -1 | tr -d '\r') >/dev/null && (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && for u in $(cut -d' ' -f1 rm) tina; do curl -s -c $u.jar -H 'Content-Type: application/json' -d "{\"name\":\"$u\",\"password\":\"a long password 1\"}" "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > $u.csrf; done; printf '{"transactions": [{"account": "%s", "posted_at": "2026-11-23T14:00:00+08:00", "amount": -3100000, "class": "td_break"}]}' "$(cat acct)" > feed2.json && curl -s -H "Authorization: Bearer $(cat token)" -H 'Content-Type: application/json' -d @feed2.json "http://127.0.0.1:$(cat port)/api/v1/events" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["events"], r["leads"], r["found"][0]["rule"], r["found"][0]["outcome"])'
> 1 1 TDBREAK lead
$ curl -s -H "Authorization: Bearer $(cat token)" -H 'Content-Type: application/json' -d '{"transactions": [{"account": "1", "posted_at": "2026-11-23", "amount": 1}]}' -w ' %{http_code}\n' "http://127.0.0.1:$(cat port)/api/v1/events"
> {"error":{"code":"invalid","message":"body.transactions[0].class: required","member":"body.transactions[0].class"}}
>  422
$ M=$(cut -d' ' -f1 rm); curl -s -b $M.jar -H "X-CSRF-Token: $(cat $M.csrf)" -H 'Content-Type: application/json' -d @feed2.json -w ' %{http_code}\n' "http://127.0.0.1:$(cat port)/api/v1/events"
> {"error":{"code":"forbidden","message":"a relationship manager may not do this (events)","reason":"not_permitted"}}
>  403
$ M=$(cut -d' ' -f1 rm); curl -s -b $M.jar "http://127.0.0.1:$(cat port)/api/v1/leads" | python3 -c 'import json,sys; r = json.load(sys.stdin); l = [x for x in r["leads"] if x["reason_en"].endswith("-3,100,000 on 2026-11-23")]; print(r["queue"], len(l), l[0]["name"] is not None); open("lead2", "w").write(str(l[0]["id"]))'
> mine 1 True
$ M=$(cut -d' ' -f1 rm); curl -s -b $M.jar -w ' %{http_code}\n' "http://127.0.0.1:$(cat port)/api/v1/leads?status=control"
> {"error":{"code":"invalid","message":"status: the customers held out are not shown (GET /lead-results counts them)","member":"status"}}
>  422
$ curl -s -b tina.jar -H "X-CSRF-Token: $(cat tina.csrf)" -H 'Content-Type: application/json' -d '{"outcome":"declined"}' -w ' %{http_code}\n' "http://127.0.0.1:$(cat port)/api/v1/leads/$(cat lead2)" | sed 's/no lead [0-9]*/no lead N/'
> {"error":{"code":"not_found","message":"no lead N"}}
>  404
$ M=$(cut -d' ' -f1 rm); curl -s -b $M.jar -H "X-CSRF-Token: $(cat $M.csrf)" -H 'Content-Type: application/json' -d '{"outcome":"declined","note":"再考慮"}' "http://127.0.0.1:$(cat port)/api/v1/leads/$(cat lead2)" | python3 -c 'import json,sys; l = json.load(sys.stdin); print(l["status"], l["worked_by"] == open("rm").read().split()[0], l["note"])'
> declined True 再考慮
# banners for internet banking: its token asks for a customer's; a treated customer of a running campaign's banner
# cell gets it (the first showing kept and in the contact history), a held-out one does not
$ (export RAPPORT_USER=ann; rapport campaign create BAN1 --name 網銀橫幅 --objective cross-sell --purpose marketing --rule "age >= 20" --control-pct 20 && rapport campaign cell BAN1 A --offer FUNDTD --channel banner --message "定存到期轉基金，手續費五折" && rapport campaign select BAN1 && rapport campaign submit BAN1) >/dev/null && RAPPORT_USER=sam rapport campaign approve BAN1 >/dev/null && RAPPORT_USER=sam rapport campaign launch BAN1 >/dev/null && rapport token add ibank --permissions banners | sed -n 2p > token2 && for g in treatment control; do rapport query "SELECT party_id FROM campaign_target WHERE campaign = 'BAN1' AND grp = '$g' ORDER BY party_id LIMIT 1" --csv | tail -1 | tr -d '\r' > $g; done; for i in 1 2; do curl -s -H "Authorization: Bearer $(cat token2)" "http://127.0.0.1:$(cat port)/api/v1/banners?customer=id:$(cat treatment)" | python3 -c 'import json,sys; r = json.load(sys.stdin); b = r["banners"]; print(len(b), b[0]["campaign"], b[0]["message"], b[0]["first_showing"])'; done; curl -s -H "Authorization: Bearer $(cat token2)" "http://127.0.0.1:$(cat port)/api/v1/banners?customer=id:$(cat control)" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["banners"]))'
> 1 BAN1 定存到期轉基金，手續費五折 True
> 1 BAN1 定存到期轉基金，手續費五折 False
> 0
$ rapport query "SELECT (SELECT count(*) FROM campaign_send WHERE campaign = 'BAN1' AND channel = 'banner'), (SELECT count(*) FROM interaction WHERE outcome = 'banner shown')" --csv | tail -1 | tr -d '\r'; curl -s -H "Authorization: Bearer $(cat token2)" -w ' %{http_code}\n' "http://127.0.0.1:$(cat port)/api/v1/banners?customer=nobody-at-all"; curl -s -H "Authorization: Bearer $(cat token2)" -w ' %{http_code}\n' "http://127.0.0.1:$(cat port)/api/v1/leads" | sed 's/"message":"[^"]*"/"message":M/'
> 1,1
> {"error":{"code":"not_found","message":"customer: no customer 'nobody-at-all'","member":"customer","reason":"no_customer"}}
>  404
> {"error":{"code":"forbidden","message":M,"reason":"not_permitted"}}
>  403
$ M=$(cut -d' ' -f1 rm); curl -s -b $M.jar "http://127.0.0.1:$(cat port)/api/v1/customers/$(cat cust)/events" | python3 -c 'import json,sys; r = json.load(sys.stdin); e = [x for x in r["events"] if x["rule"] == "TDBREAK"]; print(len(e) >= 2, {x["lead"]["status"] for x in e if x["lead"]} <= {"open", "converted", "declined", "worked", "expired"})'
> True True
$ M=$(cut -d' ' -f1 rm); curl -s -b $M.jar "http://127.0.0.1:$(cat port)/api/v1/customers/$(cat cust)/offers" | python3 -c 'import json,sys; r = json.load(sys.stdin); print([o["offer"] for o in r["offers"]][:1], r["eligibility_judged"])'; kill $(cat pid)
> ['FUNDTD'] True

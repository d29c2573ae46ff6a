# issue 24 items 7, 8 and 12: responses from the generator's file and from staff, results of the
# treated against the control group checked independently (the counts by SQL, the test by scipy's
# chi-square, the generator's true uplift inside the 95 % interval), and responses refused by name
# with nothing written.
#! timeout 600
$ rapport gen --customers 4000 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ for c in CMP01 CMP04 CMP06; do rapport campaign results $c --json > $c.json && /usr/bin/python3 $FIXTURES/marketing/results_check.py $c.json rapport.db bank/truth/treatment.csv | cut -c1-9; done
> ok CMP01:
> ok CMP04:
> ok CMP06:
$ rapport campaign results CMP04 | head -2
>~ ^campaign CMP04 基金定期定額 \[loaded\], 20..-..-01 to 20..-..-28, window closed \(as of 2026-11-23\)$
>~ ^treated respond [0-9.]+%, control [0-9.]+%: uplift [+-][0-9.]+ points, (not )?significant at 5% \(p = [0-9.]+\)$
$ rapport campaign results CMP04 --csv | head -1 | tr -d '\r'
> level,group,treated,contacted,responders,rate_pct,control,control_responders,control_rate_pct,uplift_pp,lift,incremental,p_value,ci95_low_pp,ci95_high_pp,cost,incremental_revenue,roi
$ rapport campaign results CMP04 --csv | grep -c '^campaign,CMP04,'
> 1
$ rapport campaign results CMP04 --daily | tail -1 | awk '{print $1}'
>~ ^20..-..-28$
# an offer of the same code gives the loaded campaign its economics: cost, revenue, ROI
$ rapport offer put FND001 --name "基金定期定額" --product FND001 --cost 20 --value 1500 >/dev/null && rapport campaign results CMP04 --json | python3 -c 'import json,sys; o = json.load(sys.stdin)["overall"]; print(o["economics"], round(o["cost"], 2) == round(20 * o["contacted"], 2), round(o["roi"], 6) == round((o["incremental_revenue"] - o["cost"]) / o["cost"], 6))'
> True True True
# staff's responses: only targets, only in the window, only positive or negative; nothing written otherwise
$ rapport query "SELECT count(*) FROM campaign_response" --csv | tail -1 | tr -d '\r' > before.txt; echo done
> done
$ rapport campaign respond CMP04 999999 positive --at 2026-01-01
!~ ^rapport: campaign respond: response.at: 2026-01-01 is outside campaign CMP04's response window, 20..-..-01 to 20..-..-28$
? 1
$ rapport campaign respond CMP04 x7 positive
! rapport: campaign respond: 'x7' is not a customer id
? 1
$ rapport campaign respond NOPE 1 positive
! rapport: campaign respond: no campaign 'NOPE'
? 1
$ rapport query "SELECT count(*) FROM campaign_response" --csv | tail -1 | tr -d '\r' | diff - before.txt && echo unchanged
> unchanged
$ rapport campaign respond CMP04 positive positive
! rapport: campaign respond: 'positive' is not a customer id
? 1
$ rapport campaign respond CMP04 999999 positive --at "$(rapport campaign show CMP04 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["start_date"])')"
! rapport: campaign respond: campaign_response.party_id: customer 999999 is not a target of campaign CMP04
? 1
$ rapport query "SELECT count(*) FROM campaign_response" --csv | tail -1 | tr -d '\r' | diff - before.txt && echo still unchanged
> still unchanged
$ id=$(rapport query "SELECT party_id FROM campaign_target t WHERE campaign = 'CMP04' AND grp = 'treatment' AND NOT EXISTS (SELECT 1 FROM campaign_response r WHERE r.campaign = t.campaign AND r.party_id = t.party_id) ORDER BY party_id LIMIT 1" --csv | tail -1 | tr -d '\r'); d=$(rapport campaign show CMP04 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["end_date"])'); rapport campaign respond CMP04 $id negative --at $d --note "已有基金" | sed "s/ $id / N /"; rapport query "SELECT response, source, recorded_by, note FROM campaign_response WHERE campaign = 'CMP04' AND party_id = $id" --csv | tail -1 | tr -d '\r'
> campaign CMP04: customer N responded negative
> negative,staff,tester,已有基金
# a contact-centre agent records a response through the API (permission note); a customer never
# targeted is refused
$ echo 'a long password 1' | rapport user add tom --role csr >/dev/null && (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && curl -s -c jar -H 'Content-Type: application/json' -d '{"name":"tom","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > csrf && id=$(rapport query "SELECT party_id FROM campaign_target t WHERE campaign = 'CMP04' AND grp = 'treatment' AND NOT EXISTS (SELECT 1 FROM campaign_response r WHERE r.campaign = t.campaign AND r.party_id = t.party_id) ORDER BY party_id DESC LIMIT 1" --csv | tail -1 | tr -d '\r') && d=$(rapport campaign show CMP04 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["end_date"])') && curl -s -o r.json -w '%{http_code}\n' -b jar -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d "{\"customer\":$id,\"response\":\"positive\",\"at\":\"$d\",\"note\":\"臨櫃申辦\"}" "http://127.0.0.1:$(cat port)/api/v1/campaigns/CMP04/responses" && rapport query "SELECT response, source, recorded_by FROM campaign_response WHERE campaign = 'CMP04' AND party_id = $id" --csv | tail -1 | tr -d '\r'
> 201
> positive,staff,tom
$ d=$(rapport campaign show CMP04 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["end_date"])') && curl -s -b jar -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d "{\"customer\":999999,\"response\":\"positive\",\"at\":\"$d\"}" "http://127.0.0.1:$(cat port)/api/v1/campaigns/CMP04/responses"; kill -TERM $(cat pid)
> {"error":{"code":"not_found","message":"body.customer: customer 999999 is not a target of campaign CMP04","member":"body.customer"}}
$ rapport campaign observe CMP04 --json | python3 -c 'import json,sys; r = json.load(sys.stdin); print(sorted(r["added"]), r["products"])'
> ['control', 'treatment'] ['FND001']
$ rapport campaign results CMP04 --json --csv
! rapport: campaign results: --json and --csv cannot be used together
? 1

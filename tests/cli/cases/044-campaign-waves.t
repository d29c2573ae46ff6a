# issue 24 item 1: a campaign's waves.  A draft's waves (first days in order within the campaign's
# dates, shares), each target treated or control given a wave drawn from the seed (the same again on
# a second selection); a wave's customers are exported, mailed and dialled from its first day, and
# contacted from then; the results count each wave against its own control customers; bad waves named,
# nothing changed; the same through the API.
#! timeout 600
$ rapport gen --customers 3000 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ rapport offer put FUND1 --name 基金 --product FND001 --cost 15 --value 1200 >/dev/null && RAPPORT_USER=amy rapport campaign create WV --name 分波 --objective cross-sell --purpose marketing --rule "balance > 50000" --control-pct 10 --seed 9 --start 2026-11-23 --end 2026-12-31 >/dev/null && RAPPORT_USER=amy rapport campaign cell WV A --offer FUND1 --channel email >/dev/null && RAPPORT_USER=amy rapport campaign cell WV C --offer FUND1 --channel outbound_call >/dev/null && RAPPORT_USER=amy rapport campaign wave WV 1 --starts 2026-11-23 && RAPPORT_USER=amy rapport campaign wave WV 2 --starts 2026-12-01 --ends 2026-12-20 --share 2
> campaign WV: wave 1 from 2026-11-23, share 1 (select again)
> campaign WV: wave 2 from 2026-12-01, share 2 (select again)
# bad waves: named, nothing changed
$ rapport campaign wave WV 3 --starts 2026-11-20
! rapport: campaign wave: wave.starts_on: 2026-11-20 is before the campaign starts (2026-11-23)
? 1
$ rapport campaign wave WV 3 --starts 2026-11-25
! rapport: campaign wave: wave.starts_on: 2026-11-25 is before wave 2's first day (2026-12-01): the waves go out in their order
? 1
$ rapport campaign wave WV 3 --starts 2026-12-05 --ends 2027-01-10
! rapport: campaign wave: wave.ends_on: 2027-01-10 is after the campaign ends (2026-12-31)
? 1
$ rapport campaign wave WV 3 --starts 2026-12-05 --ends 2026-12-01
! rapport: campaign wave: wave.ends_on: 2026-12-01 is before its first day (2026-12-05)
? 1
$ rapport campaign wave WV 3 --starts 2026-13-01
!~ rapport: campaign wave: wave.starts_on: .*2026-13-01.*
? 1
$ rapport campaign wave WV 13 --starts 2026-12-05
! rapport: campaign wave: WAVE: a number from 1 to 12, not '13'
? 1
$ rapport campaign wave WV 3 --remove
! rapport: campaign wave: campaign WV has no wave 3
? 1
$ rapport campaign show WV --json | python3 -c 'import json,sys; d = json.load(sys.stdin); print([(w["wave"], w["starts_on"], w["ends_on"], w["share"]) for w in d["waves"]], [h["action"] for h in d["history"]].count("wave"))'
> [(1, '2026-11-23', None, 1.0), (2, '2026-12-01', '2026-12-20', 2.0)] 2
# every target in a wave, by the shares, the control group in both; the same draw again
$ RAPPORT_USER=amy rapport campaign select WV >/dev/null && rapport query "SELECT party_id, grp, wave FROM campaign_target WHERE campaign = 'WV' ORDER BY party_id" --csv > one.csv && RAPPORT_USER=amy rapport campaign select WV >/dev/null && rapport query "SELECT party_id, grp, wave FROM campaign_target WHERE campaign = 'WV' ORDER BY party_id" --csv | diff -q - one.csv && echo same
> same
$ rapport campaign show WV --json | python3 -c 'import json,sys; t = json.load(sys.stdin)["targets"]; w = {x["wave"]: x for x in t["by_wave"]}; print(sorted(w), sum(x["treatment"] for x in w.values()) == t["treatment"], sum(x["control"] for x in w.values()) == t["control"], 0.25 < w[1]["treatment"] / t["treatment"] < 0.42, w[1]["control"] > 0 and w[2]["control"] > 0)'
> [1, 2] True True True True
$ rapport campaign show WV | grep '^  wave' | sed 's/:.*//'
>   wave 1     from 2026-11-23, share 1
>   wave 2     from 2026-12-01 to 2026-12-20, share 2
# running: the second wave's customers are listed, mailed and dialled only from its first day
$ RAPPORT_USER=amy rapport campaign submit WV >/dev/null && RAPPORT_USER=bob rapport campaign approve WV >/dev/null && RAPPORT_USER=bob rapport campaign launch WV && rapport campaign wave WV 3 --starts 2026-12-10
> campaign WV is running
! rapport: campaign wave: campaign WV is running: only a draft's waves may be changed (reject it back to draft first)
? 1
$ rapport campaign export WV --cell A --out a.csv --reason "first wave to the mail house" --json > a.json && rapport query "SELECT count(*) FROM campaign_target WHERE campaign = 'WV' AND cell = 'A' AND wave = 2" --csv | tail -1 | tr -d '\r' > w2.txt && rapport query "SELECT party_id FROM campaign_target WHERE campaign = 'WV' AND wave = 2" --csv | tail -n +2 | tr -d '\r' > w2ids.txt && python3 -c 'import json, csv; s = json.load(open("a.json")); ids = set(open("w2ids.txt").read().split()); rows = list(csv.DictReader(open("a.csv", encoding="utf-8-sig"))); print(s["skipped"]["wave_not_started"] == int(open("w2.txt").read()), s["rows"] > 0, not any(r["customer"] in ids for r in rows))'
> True True True
$ RAPPORT_NOW=2026-12-01T04:00:00Z rapport campaign export WV --cell A --out b.csv --reason "second wave to the mail house" --json | python3 -c 'import json,sys; s = json.load(sys.stdin); print(s["skipped"]["wave_not_started"], s["rows"] > 0)'
> 0 True
$ RAPPORT_NOW=2026-12-01T04:00:00Z rapport campaign export WV --cell A --wave 2 --out w2.csv --reason "second wave alone" --json | python3 -c 'import json,sys; s = json.load(sys.stdin); print(s["skipped"]["other_waves"] > 0, s["rows"] > 0)' && python3 -c 'import csv; ids = set(open("w2ids.txt").read().split()); rows = list(csv.DictReader(open("w2.csv", encoding="utf-8-sig"))); print(all(r["customer"] in ids for r in rows))'
> True True
> True
$ rapport campaign export WV --cell A --wave 2 --out w2.csv --reason "second wave alone"
! rapport: campaign export: wave 2 of campaign WV has not begun: its list is made from its first day
? 1
$ rapport campaign export WV --cell A --wave 5 --out w5.csv --reason "no such wave"
! rapport: campaign export: campaign WV has no wave 5
? 1
# a wave opens on its first day in Taipei: 2026-12-01 begins at 16:00 UTC the day before
$ for t in 2026-11-30T15:59:00Z 2026-11-30T16:00:00Z; do RAPPORT_NOW=$t rapport campaign export WV --cell A --out t.csv --reason "the day's edge" --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["skipped"]["wave_not_started"] > 0)'; done
> True
> False
# after the second wave's last day (2026-12-20) its customers are no longer listed
$ RAPPORT_NOW=2026-12-21T04:00:00Z rapport campaign export WV --cell A --out c.csv --reason "after the second wave" --json | python3 -c 'import json,sys; s = json.load(sys.stdin); print(s["skipped"]["wave_ended"] > 0, s["skipped"]["wave_not_started"])'
> True 0
# contacted: the second wave's only from its first day
$ rapport campaign show WV --json | python3 -c 'import json,sys; t = json.load(sys.stdin)["targets"]; w = {x["wave"]: x for x in t["by_wave"]}; print(t["contacted"] == w[1]["treatment"])'
> True
$ echo 'a long password 1' | rapport user add tom --role tsr >/dev/null && rapport campaign dial WV --cell C --agents tom --json | python3 -c 'import json,sys; s = json.load(sys.stdin); print(s["skipped"]["wave_not_started"] > 0, s["customers"] > 0)'
> True True
# contacted from the wave's first day: the results count each wave against its own control customers
$ rapport campaign results WV --json | python3 -c 'import json,sys; r = json.load(sys.stdin); w = [g for g in r["groups"] if g["level"] == "wave"]; print([(g["key"], g["contacted"] == g["treated"], g["contacted"] == 0, g["control"] > 0) for g in w], sum(g["treated"] for g in w) == r["overall"]["treated"], sum(g["control"] for g in w) == r["overall"]["control"])'
> [('1', True, False, True), ('2', False, True, True)] True True
$ RAPPORT_NOW=2026-12-02T04:00:00Z rapport campaign results WV --json | python3 -c 'import json,sys; r = json.load(sys.stdin); print([(g["key"], g["contacted"] == g["treated"]) for g in r["groups"] if g["level"] == "wave"])'
> [('1', True), ('2', True)]
# a draft's dates may not leave its waves outside them
$ RAPPORT_USER=amy rapport campaign create W3 --name 日期 --objective x --purpose marketing --start 2026-11-23 --end 2026-12-31 >/dev/null && RAPPORT_USER=amy rapport campaign wave W3 1 --starts 2026-12-20 >/dev/null && RAPPORT_USER=amy rapport campaign set W3 --end 2026-12-10
! rapport: campaign set: campaign.end_date: 2026-12-10 is before wave 1's first day (2026-12-20): change the wave first
? 1
$ RAPPORT_USER=amy rapport campaign set W3 --start 2026-12-21
! rapport: campaign set: campaign.start_date: 2026-12-21 is after wave 1's first day (2026-12-20): change the wave first
? 1
# through the API: a draft's wave put and removed; a running campaign's refused
$ RAPPORT_USER=amy rapport campaign create W2 --name 網頁 --objective x --purpose marketing --start 2026-11-23 --end 2026-12-31 >/dev/null && echo 'a long password 1' | rapport user add ann --role analyst >/dev/null && (timeout 120 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && curl -s -c ann.jar -H 'Content-Type: application/json' -d '{"name":"ann","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > ann.csrf; P=http://127.0.0.1:$(cat port)/api/v1; H="X-CSRF-Token: $(cat ann.csrf)"; curl -s -b ann.jar -H "$H" -H 'Content-Type: application/json' -X PUT -d '{"starts_on":"2026-11-24","share":3}' "$P/campaigns/W2/waves/1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["waves"])'; curl -s -b ann.jar -H "$H" -H 'Content-Type: application/json' -X PUT -d '{"starts_on":"2026-11-01"}' "$P/campaigns/W2/waves/2"; curl -s -b ann.jar -H "$H" -H 'Content-Type: application/json' -X PUT -d '{"starts_on":"2026-12-01","share":0}' "$P/campaigns/W2/waves/2"; curl -s -b ann.jar -H "$H" -H 'Content-Type: application/json' -X PUT -d '{"starts_on":"2026-12-01"}' "$P/campaigns/W2/waves/99"; curl -s -b ann.jar -H "$H" -H 'Content-Type: application/json' -X PUT -d '{"starts_on":"2026-12-01"}' "$P/campaigns/WV/waves/3"; curl -s -b ann.jar -H "$H" -X DELETE "$P/campaigns/W2/waves/1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["waves"])'; kill $(cat serve.pid)
> [{'wave': 1, 'starts_on': '2026-11-24', 'ends_on': None, 'share': 3.0}]
> {"error":{"code":"invalid","message":"body.starts_on: 2026-11-01 is before the campaign starts (2026-11-23)","member":"body.starts_on"}}
> {"error":{"code":"invalid","message":"body.share: a weight above 0, up to 1000","member":"body.share"}}
> {"error":{"code":"not_found","message":"waves are numbered 1 to 12, not '99'"}}
> {"error":{"code":"forbidden","message":"campaign WV is running: only a draft's waves may be changed (reject it back to draft first)"}}
> []

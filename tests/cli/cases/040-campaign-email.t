# issue 24 item 6: a campaign's e-mail sent for real to an SMTP server the test starts (Debian's
# python3-aiosmtpd), personalised, with List-Unsubscribe and List-Unsubscribe-Post (RFC 8058); sent
# once (a second run takes up only what is left), an address the server refuses kept as failed, each
# message in the contact history; the link's GET changes nothing, its POST withdraws the consent.
#! timeout 600
$ rapport gen --customers 3000 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ rapport offer put FUND1 --name "基金定期定額" --product FND001 --cost 3 --value 1200 >/dev/null && RAPPORT_USER=amy rapport campaign create M1 --name 電子報 --objective cross-sell --purpose marketing --rule "balance > 50000" --control-pct 10 --seed 3 >/dev/null && RAPPORT_USER=amy rapport campaign cell M1 A --offer FUND1 --channel email --message "{name} 您好：{offer}，手續費五折。" >/dev/null && RAPPORT_USER=amy rapport campaign cell M1 C --offer FUND1 --channel outbound_call --share 0.5 >/dev/null && RAPPORT_USER=amy rapport campaign select M1 >/dev/null && RAPPORT_USER=amy rapport campaign submit M1 >/dev/null && RAPPORT_USER=bob rapport campaign approve M1
> campaign M1 is approved
$ (timeout 300 /usr/bin/python3 $FIXTURES/marketing/smtp_sink.py mail port "$(rapport query "SELECT c.value FROM campaign_target t JOIN contact_point c ON c.party_id = t.party_id AND c.kind = 'email' WHERE t.campaign = 'M1' AND t.cell = 'A' ORDER BY t.party_id DESC LIMIT 1" --csv | tail -1 | tr -d '\r')" > sink.log 2>&1 & echo $! > sink.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && [ -s port ] && echo listening
> listening
# not before it runs; the sender, the server and the link's address are required
$ rapport campaign send M1 --cell A --smtp smtp://127.0.0.1:$(cat port) --from "銀行 <news@bank.example>" --unsubscribe-url https://bank.example --tls none
! rapport: campaign send: campaign M1 is approved: e-mail is sent while it runs
? 1
$ RAPPORT_USER=bob rapport campaign launch M1 >/dev/null && rapport campaign send M1 --cell A --smtp smtp://127.0.0.1:$(cat port) --unsubscribe-url https://bank.example --tls none
! rapport: campaign send: from: the sender's address is required ([mail] from, or --from)
? 1
$ rapport campaign send M1 --cell A --smtp smtp://127.0.0.1:$(cat port) --from "銀行 <news@bank.example>" --tls none
! rapport: campaign send: unsubscribe: the server's public address is required, as https://HOST ([mail] unsubscribe_url, or --unsubscribe-url): the link in each message
? 1
$ rapport campaign send M1 --cell A --smtp smtp://127.0.0.1:$(cat port) --from "銀行 <news@bank.example>" --unsubscribe-url https://bank.example --tls none --body-file nothere.txt
! rapport: campaign send: --body-file: nothere.txt cannot be read
? 1
$ echo "{nom} 您好" > bad.txt && rapport campaign send M1 --cell A --smtp smtp://127.0.0.1:$(cat port) --from "銀行 <news@bank.example>" --unsubscribe-url https://bank.example --tls none --body-file bad.txt
! rapport: campaign send: message: unknown placeholder {nom} (placeholders: {name}, {offer}, {unsubscribe})
? 1
$ ls mail | wc -l
> 0
# five, then the rest: nobody twice; the refused address kept as failed
$ rapport campaign send M1 --cell A --smtp smtp://127.0.0.1:$(cat port) --from "銀行 <news@bank.example>" --unsubscribe-url https://bank.example --tls none --limit 5 --json | python3 -c 'import json,sys; s = json.load(sys.stdin); print(s["sent"], s["failed"], s["not_sent"]["left_for_later"] > 0)'
> 5 0 True
$ rapport campaign send M1 --cell A --smtp smtp://127.0.0.1:$(cat port) --from "銀行 <news@bank.example>" --unsubscribe-url https://bank.example --tls none --json > s2.json && python3 -c 'import json; s = json.load(open("s2.json")); print(s["failed"], s["not_sent"]["already_sent"], s["failures"][0]["error"][:3])'
> 1 5 550
# the refused address is not tried again, only counted, unless asked (and the server refuses it again)
$ for r in "" --retry-failed; do rapport campaign send M1 --cell A --smtp smtp://127.0.0.1:$(cat port) --from "銀行 <news@bank.example>" --unsubscribe-url https://bank.example --tls none $r --json | python3 -c 'import json,sys; s = json.load(sys.stdin); print(s["sent"], s["failed"], s["not_sent"]["refused_before"])'; done
> 0 0 1
> 0 1 0
$ n=$(ls mail | wc -l); s=$(rapport query "SELECT count(*) FROM campaign_send WHERE campaign = 'M1' AND status = 'sent'" --csv | tail -1 | tr -d '\r'); h=$(rapport query "SELECT count(*) FROM interaction WHERE kind = 'campaign' AND channel = 'email'" --csv | tail -1 | tr -d '\r'); [ "$n" = "$s" ] && [ "$n" = "$h" ] && [ "$n" -gt 5 ] && echo "mail received = sent kept = contact history"
> mail received = sent kept = contact history
$ /usr/bin/python3 $FIXTURES/marketing/mail_check.py mail 基金定期定額 | sed -E 's/^[0-9]+ /N /; s/[0-9]+\.SIG$/ID.SIG/'
> N 基金定期定額 /api/v1/unsubscribe/M1.ID.SIG
# the link: a GET shows a page and changes nothing; the POST withdraws the consent; a forged link is refused
$ /usr/bin/python3 $FIXTURES/marketing/mail_check.py mail 基金定期定額 >/dev/null; python3 -c "import email,glob; m = email.message_from_binary_file(open(sorted(glob.glob('mail/*.eml'))[0], 'rb')); print(m['List-Unsubscribe'].strip('<>').replace('https://bank.example', ''))" > link.txt && (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file api.port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s api.port ] && break; sleep 0.1; done && curl -s -o page.html -w '%{http_code} %{content_type}\n' "http://127.0.0.1:$(cat api.port)$(cat link.txt)" && grep -c '<form method="post">' page.html
> 200 text/html; charset=utf-8
> 1
$ id=$(cut -d. -f2 link.txt); rapport query "SELECT count(*) FROM consent WHERE party_id = $id AND granted = 0 AND channel = 'email'" --csv | tail -1 | tr -d '\r'
> 0
$ curl -s -o done.html -w '%{http_code}\n' -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data 'List-Unsubscribe=One-Click' "http://127.0.0.1:$(cat api.port)$(cat link.txt)" && grep -o '已取消訂閱' done.html | head -1; id=$(cut -d. -f2 link.txt); rapport query "SELECT purpose, channel, granted, recorded_by FROM consent WHERE party_id = $id AND granted = 0 AND channel = 'email'" --csv | tail -1 | tr -d '\r'
> 200
> 已取消訂閱
> marketing,email,0,unsubscribe
$ id=$(cut -d. -f2 link.txt); n1=$(rapport query "SELECT count(*) FROM consent WHERE party_id = $id" --csv | tail -1 | tr -d '\r'); curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$(cat api.port)$(cat link.txt)"; n2=$(rapport query "SELECT count(*) FROM consent WHERE party_id = $id" --csv | tail -1 | tr -d '\r'); [ "$n1" = "$n2" ] && echo "posted again: nothing added"
> 200
> posted again: nothing added
$ t=$(cat link.txt); [ "${t: -1}" = a ] && r=b || r=a; curl -s -o bad.html -w '%{http_code}\n' -X POST "http://127.0.0.1:$(cat api.port)${t%?}$r" && grep -o '這個取消訂閱連結無效' bad.html | head -1
> 404
> 這個取消訂閱連結無效
# the outbound cell's customers to the contact centre's agents, in turn, as a calling list
$ echo 'a long password 1' | rapport user add tsr1 --role tsr >/dev/null && echo 'a long password 1' | rapport user add tsr2 --role tsr >/dev/null && rapport campaign dial M1 --cell C --agents tsr1,amy
! rapport: campaign dial: agents[1]: no user 'amy'
? 1
$ rapport campaign dial M1 --cell A --agents tsr1,tsr2
! rapport: campaign dial: cell A is of channel email: only an outbound_call cell is dialled
? 1
$ rapport campaign dial M1 --cell C --agents tsr1,tsr2 --json > dial.json && python3 -c 'import json; d = json.load(open("dial.json")); a = d["by_agent"]; print(d["list"], abs(a["tsr1"] - a["tsr2"]) <= 1, a["tsr1"] + a["tsr2"] == d["customers"] > 0)' && rapport calllist show --agent tsr1 --json | python3 -c 'import json,sys; e = json.load(sys.stdin); print(len(e) > 0, all(x["list"] == "M1-C" for x in e))'
> M1-C True True
> True True
$ rapport campaign dial M1 --cell C --agents tsr1,tsr2 --json | python3 -c 'import json,sys; print(sum(json.load(sys.stdin)["by_agent"].values()))'
> 0
$ kill -TERM $(cat serve.pid) $(cat sink.pid); echo stopped
> stopped

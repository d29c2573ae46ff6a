# issue 24 item 6: a campaign's text messages sent for real through an SMS gateway the test starts
# (Debian's Kannel: bearerbox and smsbox, its sendsms interface, its fake SMS centre read back as the
# handsets): personalised, to +886 numbers, in UCS-2, long ones in concatenated parts; sent once (a
# second run takes up only what is left), each in the contact history; the gateway's refusal named and
# nothing recorded; the short link's POST withdraws the consent on sms; the same through the API.
#! timeout 600
$ rapport gen --customers 3000 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ rapport offer put FUND1 --name "基金定期定額" --product FND001 --cost 2 --value 1200 >/dev/null && RAPPORT_USER=amy rapport campaign create T1 --name 簡訊 --objective cross-sell --purpose marketing --rule "balance > 80000" --control-pct 10 --seed 4 >/dev/null && RAPPORT_USER=amy rapport campaign cell T1 S --offer FUND1 --channel sms --message "{name} 您好：{offer}，手續費五折，至年底前申辦享優惠，詳情請洽您的理財專員或本行客服。拒收請點 {unsubscribe}" >/dev/null && RAPPORT_USER=amy rapport campaign select T1 >/dev/null && RAPPORT_USER=amy rapport campaign submit T1 >/dev/null && RAPPORT_USER=bob rapport campaign approve T1 && RAPPORT_USER=bob rapport campaign launch T1
> campaign T1 is approved
> campaign T1 is running
$ (timeout 300 /usr/bin/python3 $FIXTURES/marketing/sms_gateway.py gw gatewaypw > gw.log 2>&1 & echo $! > gw.pid) && for i in $(seq 150); do [ -s gw/port ] && break; sleep 0.1; done && [ -s gw/port ] && printf '[sms]\nuser = rapport\nfrom = BANK\ngateway = http://127.0.0.1:%s/cgi-bin/sendsms\nunsubscribe_url = https://bank.example\n' $(cat gw/port) > rapport.ini && echo gateway up
> gateway up
# a wrong password: named, nothing recorded; e-mail's options refused for an sms cell
$ RAPPORT_SMS_PASSWORD=wrong rapport campaign send T1 --cell S --config rapport.ini
! rapport: campaign send: sms gateway: 403 Authorization failed for sendsms
? 1
$ rapport campaign send T1 --cell S --config rapport.ini --smtp smtp://127.0.0.1:1
! rapport: campaign send: cell S sends text messages: --smtp, --tls and --subject are e-mail's
? 1
$ rapport query "SELECT count(*) FROM campaign_send WHERE campaign = 'T1'" --csv | tail -1 | tr -d '\r'
> 0
# five, then the rest: nobody twice, each received as written
$ RAPPORT_SMS_PASSWORD=gatewaypw rapport campaign send T1 --cell S --config rapport.ini --limit 5 --json | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["channel"], r["sent"], r["failed"], r["not_sent"]["left_for_later"] > 0)'
> sms 5 0 True
$ RAPPORT_SMS_PASSWORD=gatewaypw rapport campaign send T1 --cell S --config rapport.ini --json > rest.json && python3 -c 'import json; r = json.load(open("rest.json")); print(r["sent"] > 0, r["not_sent"]["already_sent"], r["not_sent"]["left_for_later"])'
> True 5 0
$ rapport query "SELECT count(*) FROM campaign_send WHERE campaign = 'T1' AND channel = 'sms' AND status = 'sent'" --csv | tail -1 | tr -d '\r' > n.txt && for i in $(seq 100); do [ "$(wc -l < gw/messages.jsonl 2>/dev/null)" -ge "$(cat n.txt)" ] && break; sleep 0.2; done; rapport query "SELECT t.party_id, p.name_zh, c.value FROM campaign_send t JOIN party p ON p.id = t.party_id JOIN contact_point c ON c.party_id = t.party_id AND c.kind = 'mobile' AND c.valid_to IS NULL WHERE t.campaign = 'T1'" --csv | tr -d '\r' > sent.csv && python3 $FIXTURES/marketing/sms_check.py gw/messages.jsonl sent.csv $(cat n.txt) T1 " 您好：基金定期定額，手續費五折"
> True True True
> True True True
$ rapport query "SELECT count(*) FROM interaction WHERE channel = 'sms' AND kind = 'campaign' AND direction = 'outbound'" --csv | tail -1 | tr -d '\r' | diff - n.txt && echo in the contact history
> in the contact history
# the link's POST withdraws the consent on sms (a GET changes nothing, a link changed by a character is
# refused); through the API a batch is sent,
# always the cell's approved message (no subject or body of the caller's)
$ echo 'a long password 1' | rapport user add sam --role supervisor >/dev/null && (RAPPORT_SMS_PASSWORD=gatewaypw timeout 120 rapport serve --config rapport.ini --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && T=$(head -1 gw/messages.jsonl | python3 -c 'import json,sys; print(json.load(sys.stdin)["text"].split("/unsubscribe/")[1])') && C=$(echo $T | cut -d. -f2 | tr -d s) && curl -s -o /dev/null -w '%{http_code} ' "http://127.0.0.1:$(cat port)/api/v1/unsubscribe/$T" && rapport query "SELECT count(*) FROM consent WHERE party_id = $C AND channel = 'sms' AND granted = 0" --csv | tail -1 | tr -d '\r' && curl -s -o /dev/null -w '%{http_code} ' -X POST "http://127.0.0.1:$(cat port)/api/v1/unsubscribe/$T" && rapport query "SELECT count(*) FROM consent WHERE party_id = $C AND channel = 'sms' AND granted = 0 AND evidence LIKE 'unsubscribe link in a text message%'" --csv | tail -1 | tr -d '\r' && { [ "${T: -1}" = 0 ] && r=1 || r=0; } && curl -s -o /dev/null -w '%{http_code}\n' -X POST "http://127.0.0.1:$(cat port)/api/v1/unsubscribe/${T%?}$r"
> 200 0
> 200 1
> 404
$ RAPPORT_USER=amy rapport campaign cell T1 S2 --offer FUND1 --channel sms 2>&1 | head -1; curl -s -c sam.jar -H 'Content-Type: application/json' -d '{"name":"sam","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > sam.csrf && curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"cell":"S","limit":10}' "http://127.0.0.1:$(cat port)/api/v1/campaigns/T1/send" | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["channel"], r["sent"], r["not_sent"]["already_sent"] > 0)'; curl -s -b sam.jar -H "X-CSRF-Token: $(cat sam.csrf)" -H 'Content-Type: application/json' -d '{"cell":"S","subject":"x"}' "http://127.0.0.1:$(cat port)/api/v1/campaigns/T1/send"
> rapport: campaign cell: campaign T1 is running: only a draft's cells may be changed (reject it back to draft first)
> sms 0 True
> {"error":{"code":"invalid","message":"body.subject: unknown member","member":"body.subject","reason":"unknown_member"}}
$ kill -TERM $(cat serve.pid) $(cat gw.pid); for i in $(seq 75); do pgrep -f '^/usr/sbin/(bearerbox|smsbox) gw/kannel.conf' >/dev/null || break; sleep 0.2; done; pgrep -f '^/usr/sbin/(bearerbox|smsbox) gw/kannel.conf' | wc -l
> 0

# contact preferences with their history, whether to contact, and a customer's copy of their data, through the binary
$ rapport init >/dev/null && rapport import $FIXTURES/bank.json >/dev/null
$ echo 'a long password 1' | rapport user add mei --role supervisor && echo 'a long password 1' | rapport user add ann --role csr
> user mei added: supervisor
> user ann added: contact-centre agent (CSR)
$ (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && curl -s -c ja -H 'Content-Type: application/json' -d '{"name":"ann","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" > /dev/null && curl -s -b ja "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > csrf
# preferences: written in one form, with who changed them
$ curl -s -b ja -X PUT -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d '{"language":"en","channel":"EMAIL","hours":"9:30-17:00","days":"sat, sun","reason":"asked by phone"}' "http://127.0.0.1:$(cat port)/api/v1/customers/1/preferences" | python3 -c 'import json,sys; d=json.load(sys.stdin); [print(k, v["value"], v["set_by"]) for k, v in d["preferences"].items()]; print(len(d["history"]), "changes")'
> language en ann
> channel email ann
> hours 09:30-17:00 ann
> days sat,sun ann
> 4 changes
# a bad value is named, and nothing is written
$ curl -s -b ja -X PUT -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d '{"language":"ja","hours":"17:00-09:30"}' "http://127.0.0.1:$(cat port)/api/v1/customers/1/preferences"
> {"error":{"code":"invalid","message":"body.hours: '17:00-09:30' ends before it starts","member":"body.hours"}}
$ curl -s -b ja "http://127.0.0.1:$(cat port)/api/v1/customers/1/preferences" | grep -o '"language":{"value":"[a-zA-Z-]*"'
> "language":{"value":"en"
# may she be contacted for marketing, channel by channel?
$ curl -s -b ja "http://127.0.0.1:$(cat port)/api/v1/customers/1/contactable" | python3 -c 'import json,sys; [print(c["channel"], c["allowed"], c["reason"]) for c in json.load(sys.stdin)["channels"]]'
> phone False no consent to marketing by phone on record
> sms False consent to marketing by sms withdrawn on 2025-03-03
> email True consent to marketing by email given on 2024-01-02
> mail False no consent to marketing by mail on record
> app False no consent to marketing by app on record
# her copy of everything: only with the export permission and a reason
$ curl -s -b ja -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d '{"reason":"subject access request"}' "http://127.0.0.1:$(cat port)/api/v1/customers/1/export"
> {"error":{"code":"forbidden","message":"a contact-centre agent (CSR) may not do this (export)","reason":"not_permitted"}}
$ curl -s -c jm -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > csrfm && curl -s -D head -o export.json -b jm -H "X-CSRF-Token: $(cat csrfm)" -H 'Content-Type: application/json' -d '{"reason":"客戶依個資法申請查閱"}' "http://127.0.0.1:$(cat port)/api/v1/customers/1/export" && grep -i '^content-disposition' head | tr -d '\r' && python3 -c 'import json; d=json.load(open("export.json")); print(d["export"]["by"], d["export"]["reason"]); print([i["value"] for i in d["identifiers"] if i["type"] == "national_id"]); print(len(d["consent_history"]), "consents,", len(d["changes"]), "changes")'
> Content-Disposition: attachment; filename="customer-1.json"
> mei 客戶依個資法申請查閱
> ['A223456781']
> 3 consents, 4 changes
$ kill -TERM $(cat pid) && for i in $(seq 100); do grep -q stopped serve.log && break; sleep 0.1; done && rapport audit --action export
> at                    user  from       action  customer  outcome  what
> 2026-11-23T04:00:00Z  mei   127.0.0.1  export  1         ok       /api/v1/customers/1/export  reason: 客戶依個資法申請查閱  6 transactions, 2 interactions, 5 contact points
$ rapport audit --action denied --json | grep -c '"target": "/api/v1/customers/1/export"'
> 1

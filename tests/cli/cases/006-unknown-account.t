# references to accounts, parties and products that do not exist
$ rapport init >/dev/null && cp "$FIXTURES/bank.json" . && rapport import bank.json >/dev/null
$ echo '{ "transactions": [ { "account": "9999-999", "posted_at": "2026-11-01T10:00:00+08:00", "amount_minor": 100, "channel": "atm", "class": "deposit" } ] }' > t.json && rapport import t.json
? 1
! rapport: import: t.json: transactions[0].account: unknown account '9999-999'
$ echo '{ "interactions": [ { "party": "ghost", "channel": "branch", "notes": "hi" } ] }' > i.json && rapport import i.json
? 1
! rapport: import: i.json: interactions[0].party: unknown party ref 'ghost'
$ echo '{ "consents": [ { "party": 99, "purpose": "marketing", "channel": "sms", "granted": true } ] }' > c.json && rapport import c.json
? 1
! rapport: import: c.json: consents[0].party: no party 99
$ rapport customer show acct:9999-999
? 1
! rapport: customer show: no customer with account number '9999-999'
$ rapport query "SELECT count(*) FROM txn" --csv | tail -1 | tr -d '\r'
> 7

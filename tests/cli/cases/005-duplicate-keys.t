# duplicate keys are refused with the owner named, and nothing of the file lands
$ rapport init >/dev/null
$ cp "$FIXTURES/bank.json" . && rapport import bank.json >/dev/null
$ echo '{ "parties": [ { "ref": "x", "kind": "person", "name_zh": "冒名", "identifiers": [ { "type": "national_id", "value": "A223456781" } ] } ] }' > dup.json && rapport import dup.json
? 1
! rapport: import: dup.json: parties[0].identifiers[0].value: national_id A22****781 already belongs to party 1
$ echo '{ "products": [ { "code": "SAV02", "name_zh": "活存", "kind": "deposit", "categories": ["deposit"] } ], "parties": [ { "ref": "x", "kind": "person", "name_zh": "新客" } ], "accounts": [ { "number": "0012-100-000001", "product": "SAV01", "currency": "TWD", "opened_on": "2020-01-01", "balance_minor": 0, "holders": [ { "party": "x", "role": "owner" } ] } ] }' > acct.json && rapport import acct.json
? 1
! rapport: import: acct.json: accounts[0]: account.number: account '0012-100-000001' already exists
$ echo '{ "parties": [ { "ref": "x", "kind": "person", "name_zh": "甲" }, { "ref": "x", "kind": "person", "name_zh": "乙" } ] }' > ref.json && rapport import ref.json
? 1
! rapport: import: ref.json: parties[1].ref: 'x' is used by another party in this file
# the same file twice is refused by its source keys
$ rapport import bank.json
? 1
! rapport: import: bank.json: parties[0].source: source: party record host:0000012345 already loaded
$ rapport query "SELECT (SELECT count(*) FROM party), (SELECT count(*) FROM product), (SELECT count(*) FROM account)" --csv | tail -1 | tr -d '\r'
> 6,4,8

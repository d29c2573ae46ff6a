# an invalid national ID checksum stops the whole import, and nothing is written
$ rapport init >/dev/null
$ printf '%s\n' '{ "parties": [' '{ "ref": "a", "kind": "person", "name_zh": "甲", "identifiers": [ { "type": "national_id", "value": "A123456789" } ] },' '{ "ref": "b", "kind": "person", "name_zh": "乙", "identifiers": [ { "type": "national_id", "value": "B123456789" } ] } ] }' > bad.json
$ rapport import bad.json
? 1
! rapport: import: bad.json: parties[1].identifiers[0].value: invalid national ID 'B123456789': checksum does not match
$ rapport query "SELECT (SELECT count(*) FROM party) AS parties, (SELECT count(*) FROM party_identifier) AS ids, (SELECT count(*) FROM load_job) AS jobs" --csv | tr -d '\r'
> parties,ids,jobs
> 0,0,0
# other malformed input is named by its member path
$ echo '{ "parties": [ { "ref": "a", "kind": "person", "name_zh": "甲", "birth_date": "74/02/30" } ] }' > d.json && rapport import d.json
? 1
! rapport: import: d.json: parties[0]: party.birth_date: invalid date '74/02/30': no such date
$ echo '{ "parties": [ { "ref": "a", "kind": "person", "name_zh": "甲", "contacts": [ { "kind": "mobile", "value": "0912-34" } ] } ] }' > p.json && rapport import p.json
? 1
! rapport: import: p.json: parties[0].contacts[0].value: invalid phone '0912-34': not a Taiwan number (mobile needs 9 digits after 0)
$ echo '{ "parties": [ { "ref": "a", "kind": "person", "name_zh": "甲" }, ] }' > s.json && rapport import s.json
? 1
! rapport: import: s.json:1:66: unexpected token near ']'
$ rapport import missing.json
? 1
! rapport: import: missing.json: cannot open: No such file or directory
$ rapport query "SELECT count(*) AS parties FROM party" --csv | tr -d '\r'
> parties
> 0

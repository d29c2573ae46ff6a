# separation of duties (issue 21 item 6): through the API an administrator
# may not alone add a user with a role that reveals data, change a role to
# one, or disable an auditor; the change waits for a second administrator.
# The command line is the operator's: it applies at once, audited, and the
# operator may decide what the API's administrators asked (never their own).
$ rapport init >/dev/null
$ echo 'a long password 1' | rapport user add adm1 --role admin && echo 'a long password 1' | rapport user add aud --role auditor && echo 'a long password 1' | rapport user add c1 --role csr
> user adm1 added: administrator
> user aud added: auditor
> user c1 added: contact-centre agent (CSR)
# the operator's own: at once, even a supervisor
$ echo 'a long password 1' | rapport user add boss --role supervisor
> user boss added: supervisor
$ rapport help user add | grep -c "break-glass"
> 1
$ printf '[security]\nrequest_days = 0\n' > bad.ini && rapport serve --config bad.ini
! rapport: serve: [security] request_days: '0' is not a whole number from 1 to 365
? 1
$ printf '[security]\nrequest_days = 3\n' > rapport.ini
$ (timeout 60 rapport serve --config rapport.ini --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done
$ curl -s -c jar -H 'Content-Type: application/json' -d '{"name":"adm1","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > csrf
# through the API: a supervisor, a steward by a role change, an auditor disabled: each a request (202)
$ curl -s -w '%{http_code}\n' -b jar -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d '{"name":"sup","role":"supervisor","password":"jade river lamps 47"}' "http://127.0.0.1:$(cat port)/api/v1/users"
> {"request":1,"status":"pending"}
> 202
$ curl -s -w '%{http_code}\n' -b jar -H "X-CSRF-Token: $(cat csrf)" -X PUT -H 'Content-Type: application/json' -d '{"disabled":true}' "http://127.0.0.1:$(cat port)/api/v1/users/aud/disabled"
> {"request":2,"status":"pending"}
> 202
$ curl -s -w '%{http_code}\n' -b jar -H "X-CSRF-Token: $(cat csrf)" -X PUT -H 'Content-Type: application/json' -d '{"role":"steward"}' "http://127.0.0.1:$(cat port)/api/v1/users/c1/role"
> {"request":3,"status":"pending"}
> 202
# a role that reveals nothing: at once
$ curl -s -w '%{http_code}\n' -b jar -H "X-CSRF-Token: $(cat csrf)" -H 'Content-Type: application/json' -d '{"name":"agent","role":"csr","password":"jade river lamps 47"}' "http://127.0.0.1:$(cat port)/api/v1/users"
> {"name":"agent","role":"csr","branch":null}
> 201
# the administrator who asked may not approve
$ curl -s -w '%{http_code}\n' -b jar -H "X-CSRF-Token: $(cat csrf)" -X POST "http://127.0.0.1:$(cat port)/api/v1/user-requests/1/approve"
> {"error":{"code":"forbidden","message":"request 1 was made by you (adm1): another administrator must decide it"}}
> 403
$ kill -TERM $(cat pid) && for i in $(seq 100); do grep -q stopped serve.log && break; sleep 0.1; done && tail -1 serve.log
> stopped
$ rapport user requests
> request  change                 asked by  at                    state
> 1        add sup as supervisor  adm1      2026-11-23T04:00:00Z  pending until 2026-11-26T04:00:00Z
> 2        disable auditor aud    adm1      2026-11-23T04:00:00Z  pending until 2026-11-26T04:00:00Z
> 3        c1: csr -> steward     adm1      2026-11-23T04:00:00Z  pending until 2026-11-26T04:00:00Z
$ rapport user list | grep -c '^sup '
> 0
? 1
# the operator decides, never under the requester's name
$ RAPPORT_USER=adm1 rapport user approve 1
! rapport: user approve: request 1 was made by you (adm1): another administrator must decide it
? 1
$ rapport user approve 1 && rapport user reject 2 --note 'the yearly audit is running'
> request 1 approved: add sup as supervisor
> request 2 rejected: disable auditor aud
$ rapport user approve 1
! rapport: user approve: request 1 was approved already by tester
? 1
$ rapport user approve x
! rapport: user approve: 'x' is not a request number ('rapport user requests' lists them)
? 1
$ rapport user list
> user   role        branch  state   totp  since
> adm1   admin               active        2026-11-23T04:00:00Z
> agent  csr                 active        2026-11-23T04:00:00Z
> aud    auditor             active        2026-11-23T04:00:00Z
> boss   supervisor          active        2026-11-23T04:00:00Z
> c1     csr                 active        2026-11-23T04:00:00Z
> sup    supervisor          active        2026-11-23T04:00:00Z
# undecided past request_days, it expires
$ RAPPORT_NOW=2026-11-27T00:00:00Z rapport user requests
> request  change                 asked by  at                    state
> 3        c1: csr -> steward     adm1      2026-11-23T04:00:00Z  expired 2026-11-26T04:00:00Z
> 2        disable auditor aud    adm1      2026-11-23T04:00:00Z  rejected 2026-11-23T04:00:00Z by tester
> 1        add sup as supervisor  adm1      2026-11-23T04:00:00Z  approved 2026-11-23T04:00:00Z by tester
$ RAPPORT_NOW=2026-11-27T00:00:00Z rapport user approve 3
! rapport: user approve: request 3 expired at 2026-11-26T04:00:00Z undecided; ask again
? 1
# the operator's role change: at once, audited with the old and the new role (to a branch
# the store has: the fixture bank's)
$ rapport import $FIXTURES/bank.json >/dev/null
$ rapport user role c1 --role teller --branch 0012
> user c1: csr -> teller, branch 0012
$ rapport audit --action user_approve && rapport audit --action user_reject --json | grep -E '"(reason|detail)"'
> at                    user    from       action        customer  outcome  what
> 2026-11-27T00:00:00Z  tester  cli        user_approve            failed   c1  request 3: c1: csr -> steward (asked by adm1)
> 2026-11-23T04:00:00Z  tester  cli        user_approve            failed   sup  request 1: add sup as supervisor (asked by adm1)
> 2026-11-23T04:00:00Z  tester  cli        user_approve            ok       sup  request 1: add sup as supervisor (asked by adm1)
> 2026-11-23T04:00:00Z  adm1    cli        user_approve            refused  sup  request 1: add sup as supervisor (asked by adm1)
> 2026-11-23T04:00:00Z  adm1    127.0.0.1  user_approve            refused  sup  request 1: add sup as supervisor (asked by adm1)
>     "reason": "the yearly audit is running",
>     "detail": "request 2: disable auditor aud (asked by adm1)",
$ rapport audit --action user_request && rapport audit --action user_role
> at                    user  from       action        customer  outcome  what
> 2026-11-23T04:00:00Z  adm1  127.0.0.1  user_request            ok       c1  request 3: c1: csr -> steward
> 2026-11-23T04:00:00Z  adm1  127.0.0.1  user_request            ok       aud  request 2: disable auditor aud
> 2026-11-23T04:00:00Z  adm1  127.0.0.1  user_request            ok       sup  request 1: add sup as supervisor
> at                    user    from  action     customer  outcome  what
> 2026-11-23T04:00:00Z  tester  cli   user_role            ok       c1  csr -> teller, branch 0012

# failed sign-ins lock a user name (counted in the store: a restart keeps the
# lock, and the right password is refused while it holds); `rapport user
# list` shows it and `rapport user unlock` ends it, audited
$ rapport init >/dev/null
$ echo 'a long password 1' | rapport user add mei --role supervisor && echo 'a long password 1' | rapport user add tom --role csr
> user mei added: supervisor
> user tom added: contact-centre agent (CSR)
$ printf '[security]\nlock_after = 3\nlock_minutes = 45\n' > rapport.ini
$ printf '[security]\nlock_until_unlocked = maybe\n' > bad.ini && rapport serve --config bad.ini
! rapport: serve: [security] lock_until_unlocked: 'maybe' is not yes or no
? 1
$ (timeout 60 rapport serve --config rapport.ini --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done
$ for i in 1 2 3; do curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -d '{"name":"mei","password":"not her password"}' "http://127.0.0.1:$(cat port)/api/v1/session"; done
> 401
> 401
> 401
$ curl -s -D head -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" && grep -i '^retry-after' head | tr -d '\r'
> {"error":{"code":"too_many_attempts","message":"too many failed sign-ins; try again in 45 minutes"}}
> Retry-After: 2700
# a name nobody has is answered alike
$ for i in 1 2 3 4; do curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -d '{"name":"nobody","password":"not her password"}' "http://127.0.0.1:$(cat port)/api/v1/session"; done
> 401
> 401
> 401
> 429
# a new server on the same store keeps the lock
$ kill -TERM $(cat pid) && for i in $(seq 100); do grep -q stopped serve.log && break; sleep 0.1; done && rm port && (timeout 60 rapport serve --config rapport.ini --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done
$ curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session"
> 429
$ rapport user list
> user  role        branch  state                              totp  since
> mei   supervisor          locked until 2026-11-23T04:45:00Z        2026-11-23T04:00:00Z
> tom   csr                 active                                   2026-11-23T04:00:00Z
$ rapport user list --json | grep -E '"(locked|locked_until|failures)"' | tr -d ' ,'
> "locked":true
> "locked_until":"2026-11-23T04:45:00Z"
> "failures":3
> "locked":false
> "locked_until":null
> "failures":0
# the administrator's unlock, while the server runs
$ rapport user unlock mei
> user mei unlocked
$ curl -s -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session"
> 200
$ rapport user unlock tom
> user tom was not locked; their failed sign-ins are cleared
$ rapport user unlock zed
! rapport: user unlock: no user 'zed'
? 1
$ kill -TERM $(cat pid) && for i in $(seq 100); do grep -q stopped serve.log && break; sleep 0.1; done && tail -1 serve.log
> stopped
$ rapport audit --action user_unlock
> at                    user    from  action       customer  outcome  what
> 2026-11-23T04:00:00Z  tester        user_unlock            ok       tom  was not locked
> 2026-11-23T04:00:00Z  tester        user_unlock            ok       mei  was locked
$ rapport audit --action login_failed --json | grep -c '"detail": "locked"'
> 3
# passwords: no common one, none with the user's name, none of the last few
$ echo 'Password2024!' | rapport user passwd mei
! rapport: user passwd: password: one of the most common passwords; choose another
? 1
$ echo 'mei mei mei mei' | rapport user passwd mei
! rapport: user passwd: password: contains the user name; choose another
? 1
$ echo 'a long password 1' | rapport user passwd mei
! rapport: user passwd: password: one of the last 5 passwords of 'mei'; choose another
? 1
$ printf '[security]\npassword_history = 0\n' > nohistory.ini && echo 'a long password 1' | rapport user passwd mei --config nohistory.ini
> password of mei changed; their sessions are ended

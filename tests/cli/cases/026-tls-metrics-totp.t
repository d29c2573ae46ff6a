# issue 21 item 7: `rapport serve` speaks HTTPS itself (TLS 1.2 and 1.3 only, a self-signed
# certificate made here), the cookie is Secure and replies carry HSTS; /metrics answers its token
# or an allowed address; a supervisor signs in with a one-time code (RFC 6238), each code once
$ rapport init >/dev/null && rapport import $FIXTURES/bank.json >/dev/null
$ echo 'a long password 1' | rapport user add mei --role supervisor && echo 'a long password 1' | rapport user add ann --role csr
> user mei added: supervisor
> user ann added: contact-centre agent (CSR)
$ openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out cert.pem -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 2>/dev/null && chmod 600 key.pem && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout other.pem -out othercert.pem -days 2 -subj /CN=other 2>/dev/null && chmod 600 other.pem
# bad certificates and keys: refused, naming the file
$ cp key.pem loose.pem && chmod 640 loose.pem && rapport serve --tls-cert cert.pem --tls-key loose.pem
! rapport: serve: TLS key loose.pem: group or others may read it (mode 0640); make it its owner's alone (chmod 600)
? 1
$ echo 'not a certificate' > bad.pem && rapport serve --tls-cert bad.pem --tls-key key.pem
!~ ^rapport: serve: TLS certificate bad\.pem: not a PEM certificate \(.+\)$
? 1
$ rapport serve --tls-cert cert.pem --tls-key other.pem
! rapport: serve: TLS key other.pem and certificate cert.pem: the key is not the certificate's
? 1
$ rapport serve --tls-cert cert.pem --tls-key nothere.pem
! rapport: serve: TLS key nothere.pem: No such file or directory
? 1
$ rapport serve --tls-cert cert.pem
! rapport: serve: --tls-cert needs --tls-key too
? 2
$ printf '[api]\ntls_cert = cert.pem\ntls_key = key.pem\nsecure_cookie = no\n' > nocookie.ini && rapport serve --config nocookie.ini
! rapport: serve: [api] secure_cookie: 'no' is for plain HTTP only; over HTTPS the session cookie is always Secure
? 1
$ printf '[api]\nmetrics_allow = 10.0.0.0/33\n' > badallow.ini && rapport serve --config badallow.ini
! rapport: serve: metrics_allow: '10.0.0.0/33': the prefix length is 0 to 32
? 1
$ printf '[security]\ntotp_roles = supervisor, boss\n' > badroles.ini && rapport serve --config badroles.ini
! rapport: serve: [security] totp_roles: 'boss' is not a role (one of teller, rm, csr, tsr, supervisor, analyst, steward, admin, auditor, or none)
? 1
# the server: HTTPS, /metrics for its token or 10.0.0.0/8 (so not for this machine without the token),
# and supervisors sign in only with a second factor
$ printf 'a-metrics-token-of-some-length\n' > token && chmod 600 token && printf '[api]\ntls_cert = cert.pem\ntls_key = key.pem\nmetrics_token_file = token\nmetrics_allow = 10.0.0.0/8\n[security]\ntotp_roles = supervisor\n' > rapport.ini
$ (timeout 60 rapport serve --config rapport.ini --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && head -1 serve.log | sed 's/:[0-9]* / /; s/(store [^;]*;/(store S;/'
> listening on https://127.0.0.1  (store S; stop with Ctrl-C or SIGTERM)
# TLS 1.2 and 1.3 are spoken; HSTS is sent
$ for v in 1.2 1.3; do curl -sv --cacert cert.pem --tlsv$v --tls-max $v -o /dev/null "https://127.0.0.1:$(cat port)/healthz" 2>&1 | grep -o 'SSL connection using TLSv1\.[0-9]'; done
> SSL connection using TLSv1.2
> SSL connection using TLSv1.3
$ curl -s -D head -o /dev/null --cacert cert.pem "https://127.0.0.1:$(cat port)/healthz" && grep -i '^strict-transport-security' head | tr -d '\r'
> Strict-Transport-Security: max-age=31536000
# TLS 1.1 is refused (exit 35: the handshake failed), while the same client speaks it to a server that
# allows it (openssl's, the control: the refusal is the server's)
$ curl -s --cacert cert.pem --tlsv1.1 --tls-max 1.1 --ciphers 'DEFAULT:@SECLEVEL=0' -o /dev/null -w '%{http_code}' "https://127.0.0.1:$(cat port)/healthz"; echo " exit $?"
> 000 exit 35
$ p=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])') && (timeout 10 openssl s_server -accept 127.0.0.1:$p -cert cert.pem -key key.pem -tls1_1 -cipher 'DEFAULT:@SECLEVEL=0' -www >/dev/null 2>&1 &) && sleep 0.5 && curl -sk --tlsv1.1 --tls-max 1.1 --ciphers 'DEFAULT:@SECLEVEL=0' -o /dev/null -w '%{http_code}' "https://127.0.0.1:$p/"; echo " exit $?"
> 200 exit 0
# /metrics: not for this address without the token, not for a wrong token, and for the right one
$ curl -s --cacert cert.pem -w ' %{http_code}\n' "https://127.0.0.1:$(cat port)/metrics"
> {"error":{"code":"forbidden","message":"/metrics answers the addresses of [api] metrics_allow and requests bearing the metrics token"}}
>  403
$ curl -s --cacert cert.pem -H 'Authorization: Bearer not-the-metrics-token-at-all' -w ' %{http_code}\n' "https://127.0.0.1:$(cat port)/metrics"
> {"error":{"code":"unauthenticated","message":"the metrics token is wrong"}}
>  401
$ curl -s --cacert cert.pem -H "Authorization: Bearer $(cat token)" "https://127.0.0.1:$(cat port)/metrics" | grep -c '^rapport_http_requests_total{route="GET /healthz",status="2xx"}'
> 1
# the CSR has no second factor and needs none: signed in, the cookie Secure
$ curl -s -D head -o /dev/null --cacert cert.pem -H 'Content-Type: application/json' -d '{"name":"ann","password":"a long password 1"}' -w '%{http_code}\n' "https://127.0.0.1:$(cat port)/api/v1/session" && grep -i '^set-cookie' head | sed 's/rapport_session=[^;]*/rapport_session=T/' | tr -d '\r'
> 200
> Set-Cookie: rapport_session=T; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800; Secure
# a supervisor without a second factor may not sign in (the password was right: nothing is counted)
$ curl -s --cacert cert.pem -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' -w ' %{http_code}\n' "https://127.0.0.1:$(cat port)/api/v1/session"
> {"error":{"code":"otp_not_enrolled","message":"a supervisor signs in with a one-time code, and 'mei' has none enrolled; an administrator enrols it (rapport user totp mei)"}}
>  403
# enrolled: the secret and the otpauth:// URI are printed once
$ rapport user totp mei > totp.txt && sed -n 's/^  secret  //p' totp.txt > secret && head -1 totp.txt && grep -cE '^  uri     otpauth://totp/Rapport:mei\?secret=[A-Z2-7]{32}&issuer=Rapport&algorithm=SHA1&digits=6&period=30$' totp.txt && grep -cE '^[A-Z2-7]{32}$' secret
> user mei: a new second factor (TOTP, RFC 6238: SHA-1, 6 digits, 30 s); it is shown this once:
> 1
> 1
$ rapport user list | grep '^mei ' | tr -s ' '
> mei supervisor active yes 2026-11-23T04:00:00Z
# codes as an authenticator app makes them (RFC 6238 in Python's standard library), at RAPPORT_NOW and a step either side
$ printf '%s\n' 'import base64, calendar, hashlib, hmac, os, struct, sys, time' 'k = base64.b32decode(open("secret").read().strip())' 't = calendar.timegm(time.strptime(os.environ["RAPPORT_NOW"], "%Y-%m-%dT%H:%M:%SZ")) // 30 + int(sys.argv[1])' 'h = hmac.new(k, struct.pack(">Q", t), hashlib.sha1).digest()' 'o = h[-1] & 15' 'print("%06d" % ((struct.unpack(">I", h[o:o + 4])[0] & 0x7fffffff) % 1000000))' > totp.py && python3 totp.py -1 > code-1 && python3 totp.py 0 > code0 && python3 totp.py 1 > code1 && python3 totp.py 5 > code5 && cat code-1 code0 code1 code5 | grep -c '^[0-9]\{6\}$'
> 4
# without a code, with a wrong one (five steps away): refused as a wrong password is
$ curl -s --cacert cert.pem -H 'Content-Type: application/json' -d '{"name":"mei","password":"a long password 1"}' -w ' %{http_code}\n' "https://127.0.0.1:$(cat port)/api/v1/session"
> {"error":{"code":"unauthenticated","message":"wrong user name or password, or a one-time code missing or wrong","reason":"wrong_password"}}
>  401
$ curl -s --cacert cert.pem -H 'Content-Type: application/json' -d "{\"name\":\"mei\",\"password\":\"a long password 1\",\"otp\":\"$(cat code5)\"}" -w ' %{http_code}\n' "https://127.0.0.1:$(cat port)/api/v1/session"
> {"error":{"code":"unauthenticated","message":"wrong user name or password, or a one-time code missing or wrong","reason":"wrong_password"}}
>  401
# and counted as failed sign-ins
$ rapport user list --json | python3 -c 'import json,sys; print([u["failures"] for u in json.load(sys.stdin) if u["name"] == "mei"])'
> [2]
# the right code signs in (the count is cleared); the same code again is refused, and so is the
# step before it; the next step's code is taken (a clock a step ahead)
$ curl -s --cacert cert.pem -H 'Content-Type: application/json' -d "{\"name\":\"mei\",\"password\":\"a long password 1\",\"otp\":\"$(cat code0)\"}" -o /dev/null -w '%{http_code}\n' "https://127.0.0.1:$(cat port)/api/v1/session"
> 200
$ for c in code0 code-1 code1; do curl -s --cacert cert.pem -H 'Content-Type: application/json' -d "{\"name\":\"mei\",\"password\":\"a long password 1\",\"otp\":\"$(cat $c)\"}" -o /dev/null -w '%{http_code}\n' "https://127.0.0.1:$(cat port)/api/v1/session"; done
> 401
> 401
> 200
$ kill -TERM $(cat pid) && for i in $(seq 100); do grep -q stopped serve.log && break; sleep 0.1; done && rapport audit --action user_totp
> at                    user    from  action     customer  outcome  what
> 2026-11-23T04:00:00Z  tester  cli   user_totp            ok       mei  a new second factor; the secret shown once
$ rapport audit --action login_failed --json | python3 -c 'import json,sys; print(sorted(set((e["user"], e["detail"]) for e in json.load(sys.stdin)), key=str))'
> [('mei', 'no second factor enrolled'), ('mei', None)]
# the secret is kept sealed: not in the store in clear
$ $FIXTURES/../store/sql.sh 'SELECT length(secret) FROM user_totp' && $FIXTURES/../store/sql.sh --dump > store.bytes && python3 -c 'import base64; k = base64.b32decode(open("secret").read().strip()); d = open("store.bytes", "rb").read(); print(k in d or k.hex().encode() in d, base64.b32encode(k) in d)'
> 60
> False False
# plain HTTP: no HSTS, no Secure (unless [api] secure_cookie = yes, behind a TLS proxy), and
# /metrics for 127.0.0.1 by default
$ rm port && (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && curl -s -D head -o /dev/null -H 'Content-Type: application/json' -d '{"name":"ann","password":"a long password 1"}' "http://127.0.0.1:$(cat port)/api/v1/session" && grep -ci '^strict-transport-security' head; grep -i '^set-cookie' head | sed 's/rapport_session=[^;]*/rapport_session=T/' | tr -d '\r'
> 0
> Set-Cookie: rapport_session=T; Path=/; HttpOnly; SameSite=Strict; Max-Age=28800
$ curl -s -o /dev/null -w '%{http_code}\n' "http://127.0.0.1:$(cat port)/metrics" && kill -TERM $(cat pid) && for i in $(seq 100); do grep -q stopped serve.log && break; sleep 0.1; done
> 200
# the second factor removed
$ rapport user totp mei --remove && rapport user totp mei --remove && rapport user totp nobody
> user mei: second factor removed
> user mei had no second factor
! rapport: user totp: no user 'nobody'
? 1
$ rapport user list --json | python3 -c 'import json,sys; print([u["totp"] for u in json.load(sys.stdin) if u["name"] == "mei"])'
> [False]

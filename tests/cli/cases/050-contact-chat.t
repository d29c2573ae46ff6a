# issue 25 items 5 and 7: the customer-side chat.  A customer opens the public chat page (zh-TW, or
# English when the browser prefers it; its one script allowed by its hash), starts a chat through the
# public API as the page does, and keeps it by a signed session; the agent the engine chose hears of
# each message on the desk's event stream, reads the transcript and answers; the customer reads the
# answer.  A forged token, another agent, an over-long message (nothing written), too many chats or
# messages (429 with Retry-After), the end of the chat on either side; the transcript from the command
# line, and an agent answering from it.
#! timeout 300
$ rapport init >/dev/null && for u in "amy csr" "bob csr" "cat tsr" "sam supervisor"; do set -- $u; echo 'a long password 1' | rapport user add $1 --role $2 >/dev/null; done; rapport contact setup $FIXTURES/contact/setup.json && rapport contact agent cat ready
> contact centre: 6 skills, 3 queues, 3 agents
> agent cat: ready since 2026-11-23T04:00:00.000Z
$ (timeout 240 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > serve.pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && for u in cat amy sam; do curl -s -c $u.jar -H 'Content-Type: application/json' -d "{\"name\":\"$u\",\"password\":\"a long password 1\"}" "http://127.0.0.1:$(cat port)/api/v1/session" | sed 's/.*"csrf":"\([^"]*\)".*/\1/' > $u.csrf; done; echo up
> up
# the page: zh-TW unless the browser prefers English (or ?lang=); no sign-in; its inline script is the one
# the Content-Security-Policy's hash allows, and nothing else may run
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -D zh.h $P/chat > zh.html; grep -o '<title>[^<]*</title>' zh.html; curl -s -H 'Accept-Language: en-US,en;q=0.9,zh-TW;q=0.5' $P/chat | grep -o '<title>[^<]*</title>'; curl -s "$P/chat?lang=en" | grep -o '<button type="submit" data-test="chat-start">[^<]*'; python3 -c 'import re,hashlib,base64,sys; h = open("zh.h").read(); page = open("zh.html").read(); csp = re.search(r"(?im)^content-security-policy: (.*)$", h).group(1).strip(); scripts = re.findall(r"<script>(.*?)</script>", page, re.S); want = "sha256-" + base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode(); print(len(scripts), ("script-src %r" % want).replace(chr(34), chr(39)) in csp, "unsafe-inline" not in csp.split("script-src")[1].split(";")[0])'
> <title>線上文字客服</title>
> <title>Chat with us</title>
> <button type="submit" data-test="chat-start">Start the chat
> 1 True True
# a customer starts a chat, as the page does: routed to cat at once; the session is a token signed with
# the store's key, naming the chat and an expiry
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -H 'Content-Type: application/json' -d '{"name":"陳<b>小姐</b>","lang":"zh-TW"}' $P/chat -w '\n%{http_code}\n' > start.txt; head -1 start.txt | python3 -c 'import json,sys; d = json.load(sys.stdin); open("token", "w").write(d["token"]); print(d["chat"], d["state"], d["queue"], d["expires_at"])'; tail -1 start.txt; cut -d. -f1,2 token
> 1 assigned chat 2026-11-23T08:00:00.000Z
> 201
> 1.1795420800
# the customer writes: cat's desk hears of it at once (the event chat)
$ P=http://127.0.0.1:$(cat port)/api/v1; (timeout 60 curl -sN -b cat.jar $P/contact/desk/events > cat.sse 2>&1 & echo $! > sse.pid); sleep 0.5; curl -s -H "X-Chat-Token: $(cat token)" -H 'Content-Type: application/json' -d '{"text":"我的卡片被盜刷了 <script>alert(1)</script>"}' $P/chat/messages -w ' %{http_code}\n'; for i in $(seq 50); do grep -q '^event: chat' cat.sse && break; sleep 0.1; done; kill $(cat sse.pid); grep -A1 '^event: chat' cat.sse | sed -n 2p
> {"seq":1,"at":"2026-11-23T04:00:00.000Z","from":"customer"}
>  201
> data: {"interaction":1,"chat":1,"what":"message"}
# cat reads the transcript (the text as it came: escaped where it is shown) and answers, which accepts the chat
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b cat.jar "$P/contact/interactions/1/messages?after=0" | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["state"], d["name"], d["agent"], [(m["seq"], m["from"], m["text"]) for m in d["messages"]])'; curl -s -b cat.jar -H "X-CSRF-Token: $(cat cat.csrf)" -H 'Content-Type: application/json' -d '{"text":"您好，我是客服人員，馬上為您停卡。"}' $P/contact/interactions/1/messages -w ' %{http_code}\n'
> assigned 陳<b>小姐</b> cat [(1, 'customer', '我的卡片被盜刷了 <script>alert(1)</script>')]
> {"chat":1,"interaction":1,"seq":2,"from":"agent","agent":"cat","text":"您好，我是客服人員，馬上為您停卡。","at":"2026-11-23T04:00:00.000Z"}
>  201
# the customer reads what came after their own message: the answer and the agent's name, no login
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -H "X-Chat-Token: $(cat token)" "$P/chat/messages?after=1"
> {"chat":1,"interaction":1,"state":"connected","ended":false,"name":"陳<b>小姐</b>","lang":"zh-TW","last_seq":2,"messages":[{"seq":2,"from":"agent","text":"您好，我是客服人員，馬上為您停卡。","at":"2026-11-23T04:00:00.000Z"}],"agent_name":"陳小貓"}
# another agent may neither answer nor read it; a supervisor reads it
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -b amy.jar -H "X-CSRF-Token: $(cat amy.csrf)" -H 'Content-Type: application/json' -d '{"text":"peek"}' $P/contact/interactions/1/messages -w ' %{http_code}\n'; curl -s -b amy.jar $P/contact/interactions/1/messages -w ' %{http_code}\n'; curl -s -b sam.jar $P/contact/interactions/1/messages | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_seq"])'
> {"error":{"code":"forbidden","message":"interaction 1 is cat's, not amy's"}}
>  403
> {"error":{"code":"not_found","message":"no interaction 1 of yours"}}
>  404
> 2
# a forged token (the signature changed, or another chat's number under this one's signature), none at all
$ P=http://127.0.0.1:$(cat port)/api/v1; T=$(cat token); for t in "${T%?}$(test "${T: -1}" = 0 && echo 1 || echo 0)" "2.${T#*.}"; do curl -s -H "X-Chat-Token: $t" -H 'Content-Type: application/json' -d '{"text":"hi"}' $P/chat/messages -w ' %{http_code}\n'; done; curl -s "$P/chat/messages" -w ' %{http_code}\n'
> {"error":{"code":"chat_session","message":"the chat session is not valid"}}
>  403
> {"error":{"code":"chat_session","message":"the chat session is not valid"}}
>  403
> {"error":{"code":"chat_session","message":"the chat session is missing: start a chat first (POST /api/v1/chat)","reason":"missing"}}
>  403
# a message over 2000 characters: refused by name, nothing written; a body over 16 KiB is refused before
$ P=http://127.0.0.1:$(cat port)/api/v1; python3 -c 'import json; print(json.dumps({"text": "字" * 2001}))' > long.json; python3 -c 'import json; print(json.dumps({"text": "x" * 20000}))' > big.json; curl -s -H "X-Chat-Token: $(cat token)" -H 'Content-Type: application/json' --data-binary @long.json $P/chat/messages -w ' %{http_code}\n'; curl -s -H "X-Chat-Token: $(cat token)" -H 'Content-Type: application/json' --data-binary @big.json $P/chat/messages -w ' %{http_code}\n'; rapport contact chat 1 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["last_seq"])'
> {"error":{"code":"invalid","message":"body.text: at most 2000 characters","member":"body.text","reason":"too_long"}}
>  422
> {"error":{"code":"too_large","message":"the request body is larger than 16384 bytes"}}
>  413
> 2
# the customer ends the chat: cat's wrap-up; the transcript says so; the chat takes nothing more
$ P=http://127.0.0.1:$(cat port)/api/v1; curl -s -H "X-Chat-Token: $(cat token)" -H 'Content-Type: application/json' -d '{}' $P/chat/end; curl -s -H "X-Chat-Token: $(cat token)" -H 'Content-Type: application/json' -d '{"text":"hello?"}' $P/chat/messages -w ' %{http_code}\n'; curl -s -b cat.jar "$P/contact/interactions/1/messages?after=100" -w ' %{http_code}\n'
> {"chat":1,"interaction":1,"state":"wrap_up"}
> {"error":{"code":"chat_ended","message":"this chat has ended"}}
>  403
> {"chat":1,"interaction":1,"state":"wrap_up","ended":true,"name":"陳<b>小姐</b>","lang":"zh-TW","last_seq":100,"messages":[],"agent":"cat","agent_name":"陳小貓"}
>  200
# the transcript from the command line
$ rapport contact chat 1
> chat 1 (interaction 1): wrap_up, agent cat, customer 陳<b>小姐</b>
> 1 2026-11-23T04:00:00.000Z customer: 我的卡片被盜刷了 <script>alert(1)</script>
> 2 2026-11-23T04:00:00.000Z agent cat: 您好，我是客服人員，馬上為您停卡。
> 3 2026-11-23T04:00:00.000Z (the customer ended the chat)
$ rapport contact chat 7
! rapport: contact chat: no chat 7
? 1
# too many chats started from one address (5 a minute): 429 with Retry-After
$ P=http://127.0.0.1:$(cat port)/api/v1; for i in $(seq 12); do curl -s -o s.$i -w '%{http_code}\n' -H 'Content-Type: application/json' -d '{"lang":"en"}' $P/chat; done > codes; grep -c 429 codes | sed 's/^[1-9][0-9]*$/some 429/'; cat $(grep -l too_many s.* | head -1) | sed 's/in [0-9]* s/in N s/'
> some 429
> {"error":{"code":"too_many_requests","message":"too many chats started from this address; try again in N s"}}
# too many messages in one chat (30 a minute; the third chat): 429 with Retry-After
$ P=http://127.0.0.1:$(cat port)/api/v1; python3 -c 'import json; print(json.load(open("s.2"))["token"])' > token3; for i in $(seq 70); do curl -s -o /dev/null -D h.$i -w '%{http_code}\n' -H "X-Chat-Token: $(cat token3)" -H 'Content-Type: application/json' -d "{\"text\":\"m$i\"}" $P/chat/messages; done > codes; grep -c 429 codes | sed 's/^[1-9][0-9]*$/some 429/'; grep -l '^HTTP/1.1 429' h.* | head -1 | xargs grep -i '^retry-after' | tr -d '\r' | sed 's/[0-9][0-9]*$/N/'
> some 429
> Retry-After: N
# cat answers the second chat from the command line; another agent may not; the customer reads it; cat
# ends it on the desk (the existing event) and the customer's page learns it has ended
$ rapport contact say 2 "Hello, how can I help?" --agent cat; rapport contact say 2 hi --agent amy; T=$(python3 -c 'import json; print(json.load(open("s.1"))["token"])'); P=http://127.0.0.1:$(cat port)/api/v1; curl -s -H "X-Chat-Token: $T" "$P/chat/messages" | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["state"], d["ended"], [(m["from"], m["text"]) for m in d["messages"]])'; curl -s -b cat.jar -H "X-CSRF-Token: $(cat cat.csrf)" -H 'Content-Type: application/json' -d '{"event":"ended"}' $P/contact/interactions/2/events >/dev/null; curl -s -H "X-Chat-Token: $T" "$P/chat/messages?after=1" | python3 -c 'import json,sys; d = json.load(sys.stdin); print(d["state"], d["ended"])'
> chat 2: message 1 from cat at 2026-11-23T04:00:00.000Z
> connected False [('agent', 'Hello, how can I help?')]
> wrap_up True
! rapport: contact say: interaction 2 is cat's, not amy's
$ grep -c . serve.log; kill $(cat serve.pid)
> 1

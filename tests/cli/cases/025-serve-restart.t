# a server killed with kill -9 under load starts again on the same port at once: the connections the
# dead server left (closed ones in TIME_WAIT, open ones the kernel is closing) must not hold the port
$ rapport init >/dev/null && rapport import $FIXTURES/bank.json >/dev/null
$ (timeout 60 rapport serve --listen 127.0.0.1:0 --port-file port > serve.log 2>&1 & echo $! > pid) && for i in $(seq 100); do [ -s port ] && break; sleep 0.1; done && curl -s "http://127.0.0.1:$(cat port)/healthz"
> {"status":"ok"}
# load: four clients of 25 requests each, on connections the server closes (so TIME_WAIT is the server's)
$ p=$(cat port) && for c in 1 2 3 4; do (for i in $(seq 25); do curl -s -o /dev/null -w '%{http_code}\n' -H 'Connection: close' "http://127.0.0.1:$p/healthz"; done > load.$c) & done; wait; cat load.* | sort | uniq -c | tr -s ' '
>  100 200
# while it runs, the port is still refused to another program (here a server of another store)
$ mkdir other && cd other && rapport init --db o.db >/dev/null && rapport serve --db o.db --listen 127.0.0.1:$(cat ../port)
!~ ^rapport: serve: cannot listen on 127\.0\.0\.1:[0-9]+: Address already in use$
? 1
# clients holding connections open (one in the middle of a request) when the server dies
$ p=$(cat port) && for c in 1 2 3; do (exec 3<>/dev/tcp/127.0.0.1/$p && printf 'GET /healthz HTTP/1.1\r\nHost: x\r\n' >&3 && sleep 8) >/dev/null 2>&1 & done; sleep 0.3
# the server itself (the child of timeout), killed
$ kill -9 $(cat /proc/$(cat pid)/task/$(cat pid)/children) && for i in $(seq 50); do kill -0 $(cat pid) 2>/dev/null || break; sleep 0.1; done
# started again on the same port, it answers within two seconds
$ p=$(cat port) && (timeout 60 rapport serve --listen 127.0.0.1:$p --port-file port2 > serve2.log 2>&1 & echo $! > pid2) && for i in $(seq 20); do [ -s port2 ] && break; sleep 0.1; done && curl -s --max-time 2 "http://127.0.0.1:$p/healthz" || cat serve2.log
> {"status":"ok"}
$ kill -TERM $(cat pid2) && for i in $(seq 100); do grep -q stopped serve2.log && break; sleep 0.1; done && tail -1 serve2.log
> stopped

# issue 25 item 3: Erlang C reproduces the textbook case (100 calls in 30 minutes, 180 s, 14 agents,
# 20 s: service level 0.8884, average speed of answer 7.84 s), finds the agents a target needs, and
# the simulator agrees with it; every call offered ends once; bad input named.
$ rapport contact erlang --calls 100 --aht 180 --agents 14
> 14 agents, 10.0 Erlangs (occupancy 71.4 %): 88.84 % answered within 20 s, average speed of answer 7.84 s, 17.41 % of calls wait
$ rapport contact erlang --calls 100 --aht 180 --agents 14 --json | python3 -c 'import json,sys; r = json.load(sys.stdin); print(round(r["service_level"], 4), round(r["asa"], 2))'
> 0.8884 7.84
$ rapport contact erlang --calls 100 --aht 180 --service-level 85 --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["agents"])'
> 14
$ rapport contact erlang --calls 100 --aht 180 --agents 10
> 10.0 Erlangs on 10 agents: more work than agents, the queue grows without end
$ rapport contact erlang --calls 100 --aht 180
! rapport: contact erlang: give --agents N (their service level) or --service-level P (the agents it needs)
? 1
$ rapport contact erlang --calls many --aht 180 --agents 14
! rapport: contact erlang: --calls: a number from 0 to 1e+07, not 'many'
? 1
# the simulator on the textbook case over 96 half hours: within a point of Erlang C; every call ended once
$ rapport contact simulate --calls 100 --agents 14 --aht 180 --intervals 96 --seed 7 --json | python3 -c 'import json,sys; r = json.load(sys.stdin); a = r["all"]; sl = a["within_target"] / a["offered"]; print(abs(sl - 0.8884) < 0.01, a["answered"] + a["abandoned"] == a["offered"], r["unended"], len(r["intervals"]))'
> True True 0 96
$ rapport contact simulate --calls 100 --agents 14,12 --aht 180 --intervals 3
! rapport: contact simulate: --agents: 2 values for 3 intervals (one value is every interval's)
? 1
$ rapport contact simulate --calls 100 --agents 14 --aht 180 --intervals 97
! rapport: contact simulate: --intervals: a number from 1 to 96, not '97'
? 1

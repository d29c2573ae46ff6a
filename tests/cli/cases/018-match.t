# match: the synthetic bank's 300 customers, delivered as 599 source records by three systems, are 300 customers again
$ rapport init >/dev/null && rapport gen --customers 300 --months 3 --seed 11 --out bank >/dev/null && rapport load bank >/dev/null
$ rapport match | sed 's/\[[0-9.]* s\]//'
> run 1: 599 source records are 300 customers (221 of them in more than one source); 406 candidate pairs compared, 1 waiting for review  
# the same national ID as the host, the card system and internet banking know it: one customer, every source's lineage
$ rapport customer show H145678919 | head -1
> Customer #738  蔡宗建  TSAI, TSUNG-CHIEN
$ rapport customer show cust:0012345679 --json | grep -c '"source_key"'
> 2
$ rapport customer show online:tsung600 | head -1
> Customer #738  蔡宗建  TSAI, TSUNG-CHIEN
# every source record and the customer it belongs to, against the generator's truth: as many people as customers
$ rapport match export | tail -n +2 | tr -d '\r' | sort > found.csv && tail -n +2 bank/truth/identity.csv | sort > truth.csv && join -t, -j1 <(awk -F, '{print $1":"$2","$3}' found.csv | sort) <(awk -F, '{print $1":"$2","$3}' truth.csv | sort) | awk -F, '{print $2","$3}' | sort -u | awk -F, '{c[$1]++; p[$2]++} END {n=0; for (k in c) if (c[k] > 1) n++; m=0; for (k in p) if (p[k] > 1) m++; print "customers with two people:", n, "; people in two customers:", m}'
> customers with two people: 0 ; people in two customers: 0
# a pair for a person: the evidence, a decision recorded with who and when, kept by the next run
$ rapport match review --json | grep -E '"(pair|name|phone|address|national_id)"' | tr -d ' ,'
> "pair":1
> "name":"same"
> "phone":"noneshared"
> "address":"missing"
> "national_id":"missing"
$ rapport match accept 1 --note "the same woman: her card and her internet banking"
> pair 1 accepted; the next rapport match applies it
$ rapport match reject 1
? 1
! rapport: match reject: pair 1 was already decided: accepted
$ rapport match accept 99
? 1
! rapport: match accept: no pair 99 (rapport match review lists them)
# the decision queues its two records: the next run resolves them and their neighbours only
$ rapport match | sed 's/\[[0-9.]* s\]//'
> run 2, incremental: 2 new or changed records, 3 resolved again with their neighbours; 599 source records are 300 customers (221 of them in more than one source); 3 candidate pairs compared, 0 waiting for review  
$ rapport query "SELECT action, by_user, pair_id, note FROM match_decision" --csv | tr -d '\r'
> action,by_user,pair_id,note
> accept,tester,1,the same woman: her card and her internet banking
$ rapport match review
> no pairs waiting for review
# by hand: a record taken out of a customer stays out; put back, it stays in; every step recorded
$ rapport match unmerge H145678919 online:tsung600 --note "the online user is his son"
> online:tsung600 is taken out of customer #738; run 3: 301 customers
$ rapport customer show cust:0012345679 | head -1 && rapport customer show online:tsung600 | head -1
> Customer #738  蔡宗建  TSAI, TSUNG-CHIEN
> Customer #139  蔡宗建
$ rapport match | sed 's/\[[0-9.]* s\]//'
> nothing new or changed since the last run: 599 source records are 301 customers (220 of them in more than one source)
$ rapport match merge online:tsung600 cust:0012345679 --note "checked at the branch: the same man"
> #139 and #738 are one customer; run 4: 300 customers
$ rapport customer show online:tsung600 --json | grep -c '"source_key"'
> 2
# mistakes get clear errors, and change nothing
$ rapport match merge cust:0012345679 online:tsung600
? 1
! rapport: match merge: 'cust:0012345679' and 'online:tsung600' are the same customer (#738)
$ rapport match unmerge cust:0012345679 card:C000000000
? 1
! rapport: match unmerge: no source record card:C000000000
$ rapport match unmerge cust:0012345679 host:0023930719
? 1
!~ ^rapport: match unmerge: host:0023930719 is not part of customer #738 \(it is customer #[0-9]+\)$
$ rapport match unmerge cust:0012345679 tsung600
? 1
! rapport: match unmerge: 'tsung600' is not SOURCE:KEY (host:0012345679)
$ rapport query "SELECT action, by_user, party, other, note FROM match_decision ORDER BY id" --csv | tr -d '\r'
> action,by_user,party,other,note
> accept,tester,90,241,the same woman: her card and her internet banking
> unmerge,tester,738,139,the online user is his son
> merge,tester,139,738,checked at the branch: the same man

# analyze: customer value and segmentation on a hand-made bank (tests/fixtures/analytics.json; every figure is worked out in tests/unit/test_analyze.c)
$ rapport init >/dev/null && rapport import $FIXTURES/analytics.json >/dev/null
$ rapport analyze pareto --as-of 2026-10-31 | head -1
> pareto as of 2026-10-31 (run 1): the top 20% of customers give 54.1% of profit; half of it comes from 20.0% of them
$ rapport analyze pyramid --as-of 2026-10-31 --levels 'top:20%,big:20%,small' --csv | tr -d '\r'
> level,customers,customers_%,total,total_%,min,max,mean
> top,1,20,12066.51,54.12,12066.51,12066.51,12066.51
> big,1,20,10175.26,45.64,10175.26,10175.26,10175.26
> small,2,40,53.85,0.24,-119.63,173.48,26.93
> inactive,1,20,0,0,0,0,0
$ rapport analyze rfm --as-of 2026-10-31 --json | grep -E '^  "(job|run|as_of|customers|headline)"'
>   "headline": "4 customers scored; 0 (0.0%) in cell 555, 1 never active are not scored",
>   "job": "rfm",
>   "run": 3,
>   "as_of": "2026-10-31",
>   "customers": 4,
# several analyses in one command read the store once (the transactions from a column copy beside it)
$ rapport analyze value pareto --as-of 2026-10-31 --no-save | grep ' as of '
> value as of 2026-10-31: 5 customers: revenue 22566.62, cost to serve 271.00, profit 22295.62; 3 profitable, 1 cost more than they bring
> pareto as of 2026-10-31: the top 20% of customers give 54.1% of profit; half of it comes from 20.0% of them
$ ls rapport.db.facts && rapport analyze value pareto --json --no-save | grep -c '"job"'
> rapport.db.facts
> 2
# results are kept: per customer, and the run to show again
$ rapport query "SELECT level, count(*) AS customers FROM customer_value WHERE run_id = 2 GROUP BY level ORDER BY level" --csv | tr -d '\r'
> level,customers
> big,1
> inactive,1
> small,2
> top,1
$ rapport analyze runs
> run  job      as of       customers  headline
> 3    rfm      2026-10-31  4          4 customers scored; 0 (0.0%) in cell 555, 1 never active are not scored
> 2    pyramid  2026-10-31  5          5 customers in 4 levels; 'top' (1 customers) gives 54.1% of profit
> 1    pareto   2026-10-31  5          the top 20% of customers give 54.1% of profit; half of it comes from 20.0% of them
$ rapport analyze show 2 --csv | head -2 | tr -d '\r'
> level,customers,customers_%,total,total_%,min,max,mean
> top,1,20,12066.51,54.12,12066.51,12066.51,12066.51
$ rapport analyze gains-losses --no-save | head -1
> gains-losses as of 2026-11-23: 2026-10 against 2026-09: 4 customers active, 0 spending more, 0 less, 3 activated (3 new), 0 lapsed; 6030.00 spent of a potential 6030.00
# migration, worked out in tests/unit/test_analyze.c's terms: B was the best of the year before (its loan
# worked back to 499,850.00), now A is; C is new; D holds nothing
$ rapport analyze migration --as-of 2026-10-31 --no-save
> migration as of 2026-10-31: 2 of 5 customers moved between pyramid levels since the previous 12 months
> 
>   from \ to  top  big  medium  small  inactive  stayed_%
>   top        0    0    0       0      0         -
>   big        0    0    0       0      0         -
>   medium     0    0    0       1      0         0.00
>   small      0    0    1       1      0         50.00
>   inactive   0    0    0       0      1         100.00
>   new        0    0    0       1      0         -
# clusters in words: B (a loan and a card, 36) apart from A, C and E (C's unknown age counts as the mean, 56)
$ rapport analyze cluster --as-of 2026-10-31 --k 2 --no-save --csv | cut -d, -f1-4,12 | tr -d '\r'
> cluster,customers,customers_%,profile,age
> cluster 1,3,75,transacts rarely; holds few products; older,62.7
> cluster 2,1,25,holds many products (far from the average); transacts often (far from the average); younger (far from the average); spends a lot,36
$ rapport analyze quality --no-save --csv | cut -d, -f1-2,4,6,7 | tr -d '\r'
> source,records,name_zh_%,birth_date_%,gender_%
> host,4,100,75,50
> card,1,100,100,0
# segments that overlap and leave a customer out are reported with examples, and the command fails
$ printf 'rich = profit > 10000\nbusy = frequency >= 1\n' > seg.txt && rapport analyze segment --segments seg.txt --as-of 2026-10-31 2>/dev/null | tail -4
> 
>   not exhaustive: 1 customers are in no segment, e.g. customers 4
> 
>   not exclusive: 2 customers are in both 'rich' and 'busy', e.g. customers 1 2
? 0
$ rapport analyze segment --segments seg.txt --as-of 2026-10-31 >/dev/null
! rapport: analyze segment: 2 segments are not exhaustive and mutually exclusive: 1 customers in none, 2 in more than one
? 1
$ printf 'rich = profit > 10000\nrest = else\n' > ok.txt && rapport analyze segment --segments ok.txt --as-of 2026-10-31 --csv | tr -d '\r'
> segment,customers,customers_%,mean_profit,mean_balance,mean_age
> rich,2,40,11120.89,406883.56,51
> rest,3,60,17.95,6.1,58.5
# bad input: named, and nothing kept
$ rapport analyze nope
! rapport: analyze: no analysis 'nope'; see 'rapport analyze --help'
? 1
$ rapport analyze value --as-of 2026-13-01
! rapport: analyze: --as-of: invalid date '2026-13-01': no such date
? 1
$ rapport analyze pyramid --levels top:1%
! rapport: analyze pyramid: --levels: pyramid: 'top:1%': at least two levels, the last without a share or threshold (it takes the rest)
? 1
$ printf 'old = agee > 60\n' > bad.txt && rapport analyze segment --segments bad.txt
! rapport: analyze segment: bad.txt:1:7: unknown attribute 'agee' (`rapport analyze attributes` lists them)
? 1
$ rapport analyze clv --as-of 2026-10-31
! rapport: analyze clv: 4 customers with purchases by the as-of date: Gamma-Gamma needs at least 2 customers with repeat transactions (1)
? 1
$ printf '[value]\nftp_rate = lots\n' > bad.ini && rapport analyze value --config bad.ini
! rapport: analyze value: [value] ftp_rate: 'lots' is not a number from -100 to 100
? 1
$ printf '[analytics]\ncolumn_copy = maybe\n' > copy.ini && rapport analyze value --config copy.ini
! rapport: analyze: [analytics] column_copy: 'maybe' is not yes or no
? 1
$ rapport analyze value pareto --csv
! rapport: analyze: --csv prints one table: name one analysis
? 1
# six runs kept: none of the bad ones
$ rapport analyze runs --json | grep -c '"run"'
> 6
$ rapport analyze show 99
! rapport: analyze show: no analysis run 99
? 1

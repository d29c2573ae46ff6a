# every command in the table answers --help with its usage
$ rapport help --commands | while read -r c; do rapport $c --help > h.txt || echo "exit $?: $c"; head -1 h.txt | grep -q "^usage: rapport $c" || echo "no usage: $c"; done
$ rapport help --commands
> help
> version
> init
> store copy
> backup
> restore
> import
> customer offers
> customer show
> customer note
> customer refresh
> load
> copybook
> jobs
> rejects
> rejects export
> rejects resubmit
> rejects dismiss
> watch
> match
> match review
> match accept
> match reject
> match merge
> match unmerge
> match export
> match sample
> match evaluate
> analyze
> analyze runs
> analyze show
> analyze attributes
> serve
> user add
> user passwd
> user role
> user disable
> user unlock
> user totp
> key rotate
> token add
> token list
> token revoke
> user list
> user requests
> user approve
> user reject
> features
> model train
> model list
> model show
> model score
> model export
> model at-risk
> model retire
> model uplift
> model compare
> sample-size
> calllist add
> calllist show
> calllist remove
> offer put
> offer list
> campaign create
> campaign set
> campaign cell
> campaign wave
> campaign count
> campaign select
> campaign submit
> campaign approve
> campaign reject
> campaign launch
> campaign pause
> campaign resume
> campaign close
> campaign cancel
> campaign show
> campaign list
> campaign mart
> campaign respond
> campaign observe
> campaign results
> campaign capacity
> event detectors
> event rule
> event enable
> event disable
> event rules
> event run
> event feed
> event list
> lead list
> lead work
> lead assign
> lead expire
> lead results
> campaign export
> campaign send
> campaign dial
> campaign optimise
> targetlist add
> audit
> audit verify
> audit archive
> contact erlang
> contact simulate
> contact setup
> contact show
> contact agent
> contact offer
> contact event
> contact keys
> contact pin
> contact tick
> contact dial
> contact diallers
> contact dialler
> contact desk
> contact interactions
> contact board
> contact drive
> contact report
> contact interaction
> contact chat
> contact say
> gen
> query
$ rapport help
>~ ^usage: rapport COMMAND \[ARGS\]$
>~ ^  customer show    Show one customer's whole picture \(customer 360\)\.$
$ rapport help customer show
>~ ^usage: rapport customer show KEY
$ rapport version
>~ ^rapport [0-9]+\.[0-9]+\.[0-9]+ \(schema [0-9]+; sqlite 3\.[0-9.]+, libpq [0-9]+\.[0-9]+, jansson [0-9.]+, libsodium [0-9.]+\)$
$ rapport customer --help
> usage: rapport customer COMMAND
>
> commands:
>   customer offers    The customer's next-best offers now, with the reasons.
>   customer show      Show one customer's whole picture (customer 360).
>   customer note      Add a note to a customer's contact history.
>   customer refresh   Build the customer 360 documents the API serves: those missing or out of date.
# usage errors exit 2
$ rapport
? 2
>*
$ rapport frobnicate
? 2
! rapport: 'frobnicate' is not a command; see 'rapport help'
$ rapport customer frob
? 2
!~ ^rapport: customer: unknown command 'frob'$
$ rapport customer show
? 2
! rapport: customer show: missing argument
! usage: rapport customer show KEY [--json] [--reveal --reason TEXT] [--db PATH] [--key PATH] [--config FILE]
$ rapport customer show 1 --colour
? 2
! rapport: customer show: unknown option '--colour'
! usage: rapport customer show KEY [--json] [--reveal --reason TEXT] [--db PATH] [--key PATH] [--config FILE]
$ rapport customer show 1 2
? 2
!~ ^rapport: customer show: unexpected argument '2'$
$ rapport init --db
? 2
!~ ^rapport: init: option '--db' needs a value$
$ rapport help nothing
? 1
! rapport: help: no such command 'nothing'

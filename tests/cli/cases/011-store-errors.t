# commands before init, and the sealing key's protections
#! store sqlite: a missing store file and key files beside it
$ rapport customer show 1
? 1
! rapport: customer show: rapport.db: no such store: run 'rapport init'
$ ls rapport.db
? 2
!*
$ rapport init > /dev/null && cp "$FIXTURES/bank.json" . && rapport import bank.json >/dev/null
# someone else's key is refused
$ rapport init --db other.db >/dev/null && rapport customer show 1 --key other.db.key
? 1
! rapport: customer show: other.db.key: this key file does not belong to store rapport.db
# a lost key is never silently replaced
$ mv rapport.db.key saved.key && rapport init
? 1
! rapport: init: rapport.db.key: key file not found; this store's identifiers were sealed with it (set RAPPORT_KEY or --key)
$ ls rapport.db.key
? 2
!*
$ RAPPORT_KEY=saved.key rapport customer show A223456781 | head -1
> Customer #1  陳怡君  CHEN, YI-CHUN
$ rapport customer show 1 --key saved.key --reveal --reason "key check test" | sed -n 7p
>   national_id       A223456781

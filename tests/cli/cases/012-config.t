# an INI configuration names the store and the key
#! store sqlite: [store] path names the store's file
$ mkdir -p var && printf '[store]\npath = var/bank.db\n\n[security]\nkey_file = var/bank.key\n' > rapport.ini
$ rapport init --config rapport.ini
> store var/bank.db: schema version 37 (37 migrations applied); sealing key var/bank.key
$ cp "$FIXTURES/bank.json" . && RAPPORT_CONFIG=rapport.ini rapport import bank.json --json | head -4
> {
>   "file": "bank.json",
>   "branches": 2,
>   "categories": 5,
$ RAPPORT_CONFIG=rapport.ini rapport customer show A223456781 --reveal --reason "config check" | sed -n '1p;7p'
> Customer #1  陳怡君  CHEN, YI-CHUN
>   national_id       A223456781
# command-line options win over the configuration
$ rapport init --config rapport.ini --db elsewhere.db | cut -d';' -f1
> store elsewhere.db: schema version 37 (37 migrations applied)
$ ls var
> bank.db
> bank.key
$ printf '[store\npath = x\n' > broken.ini && rapport init --config broken.ini
? 1
! rapport: init: config: broken.ini:1: expected [section] or name = value
$ ls rapport.db
? 2
!*

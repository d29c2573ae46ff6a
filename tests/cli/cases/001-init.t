# init creates the store and a 0600 key, and is harmless when run again
#! store sqlite: the store's file and its key file beside it
$ rapport init
> store rapport.db: schema version 37 (37 migrations applied); sealing key rapport.db.key
$ rapport init
> store rapport.db: up to date at schema version 37; sealing key rapport.db.key
$ stat -c '%a' rapport.db.key
> 600
$ rapport query "SELECT version, name FROM rapport_migrations" --csv | tr -d '\r'
> version,name
> 1,warehouse
> 2,etl
> 3,match
> 4,match_incremental
> 5,analysis
> 6,txn_generation
> 7,security
> 8,c360_doc
> 9,audit_by_customer
> 10,contact_preferences
> 11,name_search
> 12,txn_blocks
> 13,sealed_at_rest
> 14,sign_in
> 15,audit_chain
> 16,api_tokens
> 17,totp
> 18,job_process
> 19,user_request
> 20,workspace
> 21,calling_list
> 22,models
> 23,statements
> 24,marketing
> 25,responses
> 26,sends
> 27,events
> 28,contact
> 29,surge
> 30,ivr
> 31,dial
> 32,chat
> 33,txn_by_month
> 34,holder_party
> 35,txn_top
> 36,store_analyze
> 37,foreign_customers
# --db and RAPPORT_DB choose the store
$ rapport init --db other.db && RAPPORT_DB=third.db rapport init && ls *.db | sort
> store other.db: schema version 37 (37 migrations applied); sealing key other.db.key
> store third.db: schema version 37 (37 migrations applied); sealing key third.db.key
> other.db
> rapport.db
> third.db
# an unwritable place is a clear error
$ rapport init --db /nonexistent/dir/x.db
? 1
! rapport: init: /nonexistent/dir/x.db: cannot open: unable to open database file

# the same fixture customer is found by every kind of key a person would type
$ rapport init >/dev/null && cp "$FIXTURES/bank.json" . && rapport import bank.json
> imported bank.json: 2 branches, 5 categories, 4 products, 6 parties, 9 identifiers, 9 contacts, 8 accounts, 10 roles, 6 links, 7 transactions, 2 interactions, 4 consents
$ for k in 1 '#1' id:1 A223456781 a223456781 nid:A223456781 0912345678 0912-345-678 '+886 912 345 678' 886912345678 0012-100-000001 acct:0012-500-000003 4563-1800-0000-0001 yichun.chen@example.com.tw email:YICHUN.CHEN@EXAMPLE.COM.TW C00012345 card:C00012345 yichun85; do printf '%s => ' "$k"; rapport customer show "$k" | sed -n '1p;4p' | tr '\n' '|'; echo; done
> 1 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by internal id|
> #1 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by internal id|
> id:1 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by internal id|
> A223456781 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by national ID|
> a223456781 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by national ID|
> nid:A223456781 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by national ID|
> 0912345678 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by phone|
> 0912-345-678 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by phone|
> +886 912 345 678 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by phone|
> 886912345678 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by phone|
> 0012-100-000001 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by account number|
> acct:0012-500-000003 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by account number|
> 4563-1800-0000-0001 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by account number|
> yichun.chen@example.com.tw => Customer #1  陳怡君  CHEN, YI-CHUN|  found by e-mail|
> email:YICHUN.CHEN@EXAMPLE.COM.TW => Customer #1  陳怡君  CHEN, YI-CHUN|  found by e-mail|
> C00012345 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by card customer number|
> card:C00012345 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by card customer number|
> yichun85 => Customer #1  陳怡君  CHEN, YI-CHUN|  found by online user id|
# organisations by UBN, foreigners by resident certificate and passport
$ for k in 22099131 A800123450 passport:533380006 '03-5636688'; do rapport customer show "$k" | head -1; done
> Customer #6  台灣積體電路製造股份有限公司  TAIWAN SEMICONDUCTOR MANUFACTURING CO., LTD.
> Customer #5  SMITH, JOHN
> Customer #5  SMITH, JOHN
> Customer #6  台灣積體電路製造股份有限公司  TAIWAN SEMICONDUCTOR MANUFACTURING CO., LTD.
# a home phone shared by a household is ambiguous, and says how to choose
$ rapport customer show '(02) 2345-6789'
? 1
! rapport: customer show: '(02) 2345-6789' (phone) matches 2 parties: 1, 2; use id:N
$ rapport customer show A123456789
? 1
! rapport: customer show: no customer matches 'A123456789'
$ rapport customer show nid:A123456789
? 1
! rapport: customer show: no customer with national ID 'A123456789'

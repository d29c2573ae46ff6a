# load: fixed columns in Big5, host records in IBM-937, contact history and consents, a shop's transactions
$ rapport init >/dev/null && cp "$FIXTURES"/etl/* .
# a product list cut by byte positions, in Big5, with implied decimals and a code table
$ rapport load --spec products.json products.txt --rejects r.csv
>~ ^products\.txt: 3 records: 2 loaded \(0 fixed\), 1 rejected
$ tr -d '\r' < r.csv
> file,record,offset,field,value,rule,message
> products.txt,3,98,kind,bond,code,"kind: 'bond' is not one of deposit, loan, card, fund"
$ rapport query "SELECT p.code, p.name_zh, p.kind, p.monthly_revenue_minor, m.category FROM product p JOIN product_category_member m ON m.product = p.code ORDER BY 1" --csv | tr -d '\r'
> code,name_zh,kind,monthly_revenue_minor,category
> LN0100,青年首購房貸,loan,0,LOAN
> SAV002,數位活存帳戶,deposit,12345,DEPOSIT
# host records: a name in IBM-937 with SO/SI, one with bytes IBM-937 does not have
$ rapport load --spec names.json names.dat --rejects r.csv
>~ ^names\.dat: 3 records: 2 loaded \(0 fixed\), 1 rejected
$ tr -d '\r' < r.csv
> file,record,offset,field,value,rule,message
> names.dat,2,28,name,\x0e\xff\xff\x0f,encoding,name: not valid IBM-937: invalid byte 0xFF at offset 1
$ rapport query "SELECT name_latin FROM party ORDER BY id" --csv | tr -d '\r'
> name_latin
> 陳怡君
> "LIN, CHIH-MING"
# contact history and a consent withdrawn, for customers loaded from the CRM
$ rapport load --spec customers.json customers_2.csv >/dev/null && rapport load --spec contacts.json contacts.csv --rejects r.csv
>~ ^contacts\.csv: 3 records: 2 loaded \(0 fixed\), 1 rejected
$ tr -d '\r' < r.csv
> file,record,offset,field,value,rule,message
> contacts.csv,3,158,cust_id,K9999,reference,cust_id: no crm customer 'K9999'
$ rapport query "SELECT i.channel, i.reason, i.notes, i.at FROM interaction i ORDER BY i.at" --csv | tr -d '\r'
> channel,reason,notes,at
> branch,開戶,客戶希望以後用簡訊通知,2026-11-20T06:30:00Z
> phone,查詢,,2026-11-21T01:00:00Z
$ rapport query "SELECT purpose, channel, granted, evidence FROM consent ORDER BY effective_at" --csv | tr -d '\r'
> purpose,channel,granted,evidence
> marketing,sms,1,"CRM export, 2026-11-20T06:30:00Z"
> marketing,sms,0,"CRM export, 2026-11-21T01:00:00Z"
# a shop's plain transaction file with the shipped generic spec: customers and accounts made as needed
$ rapport load --source customer-transactions transactions.csv --rejects r.csv
>~ ^transactions\.csv: 4 records: 3 loaded \(0 fixed\), 1 rejected
$ tr -d '\r' < r.csv
> file,record,offset,field,value,rule,message
> transactions.csv,3,132,amount,-5.00,range,amount: -5.00 is below the minimum 0
$ rapport query "SELECT a.number, t.posted_at, t.amount_minor, t.quantity, t.item, t.channel, t.class FROM txn t JOIN account a ON a.id = t.account_id ORDER BY t.id" --csv | tr -d '\r'
> number,posted_at,amount_minor,quantity,item,channel,class
> SHOP-S-001,2026-09-30T16:00:00Z,-120050,2,BOOK,internet,purchase
> SHOP-S-001,2026-10-15T02:20:00Z,-9900,1,,mobile,purchase
> SHOP-S-003,2026-10-03T16:00:00Z,-35000,1,MUSIC,internet,purchase
$ rapport customer show cust:S-001 | head -1
>~ Customer #[0-9]+  Customer S-001

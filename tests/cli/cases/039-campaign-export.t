# issue 24 item 6: a campaign's lists per channel for its vendors and systems, CSV and XLSX, only the
# treated (checked against the store, the XLSX read back by openpyxl), never before approval, with a
# reason and an audit entry; a consent withdrawn after the selection keeps the customer off the list.
#! timeout 600
$ rapport gen --customers 4000 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1; echo $?
> 0
$ rapport offer put FUND1 --name "基金定期定額" --product FND001 --cost 15 --value 1200 >/dev/null && rapport offer put PLAT1 --name "白金卡" --product PLAT --cost 8 --value 2000 >/dev/null && RAPPORT_USER=amy rapport campaign create X1 --name 推廣 --objective cross-sell --purpose marketing --rule "balance > 100000" --control-pct 10 --seed 7 >/dev/null && RAPPORT_USER=amy rapport campaign cell X1 A --offer FUND1 --channel email --message "=cmd|' /C calc'!A0" >/dev/null && RAPPORT_USER=amy rapport campaign cell X1 B --offer PLAT1 --channel direct_mail >/dev/null && RAPPORT_USER=amy rapport campaign select X1 >/dev/null; echo $?
> 0
# not before approval, not without a reason, not without a cell or channel
$ rapport campaign export X1 --cell A --out a.csv --reason "e-mail vendor run"
! rapport: campaign export: campaign X1 is draft: its lists are output once it is approved, until it closes
? 1
$ RAPPORT_USER=amy rapport campaign submit X1 >/dev/null && RAPPORT_USER=bob rapport campaign approve X1
> campaign X1 is approved
$ rapport campaign export X1 --cell A --out a.csv
! rapport: campaign export: --reason: say why the full values are needed (5 characters or more, blanks not counted)
? 1
$ rapport campaign export X1 --out a.csv --reason "e-mail vendor run"
! rapport: campaign export: name --cell or --channel: each channel has its own layout
? 1
$ rapport campaign export X1 --cell Z --out a.csv --reason "e-mail vendor run"
! rapport: campaign export: campaign X1 has no cell 'Z'
? 1
$ rapport campaign export X1 --cell A --out nowhere/a.csv --reason "e-mail vendor run"
!~ ^rapport: campaign export: nowhere/a.csv: cannot be written: No such file or directory$
? 1
$ ls a.csv nowhere 2>&1 | wc -l; rapport audit --action campaign_export --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'
> 2
> 0
# the e-mail cell as CSV, the mail cell as XLSX
$ rapport campaign export X1 --cell A --out a.csv --reason "e-mail vendor run" --json > a.json && /usr/bin/python3 $FIXTURES/marketing/export_check.py rapport.db X1 a.csv a.json | sed -E 's/ok [0-9]+ rows/ok N rows/'
> ok N rows, columns customer,name,name_latin,email,cell,offer,offer_name,message
$ rapport campaign export X1 --channel direct_mail --out b.xlsx --reason "mail house run" --json > b.json && /usr/bin/python3 $FIXTURES/marketing/export_check.py rapport.db X1 b.xlsx b.json | sed -E 's/ok [0-9]+ rows/ok N rows/'
> ok N rows, columns customer,name,postal_code,address,branch,cell,offer,offer_name,message
# free text that a spreadsheet would run as a formula is written as text
$ sed -n 2p a.csv | tr -d '\r' | awk -F, '{print $NF}'
> '=cmd|' /C calc'!A0
# each list is in the audit trail, with its reason and size
$ rapport audit --action campaign_export --json | python3 -c 'import json,sys; a = json.load(sys.stdin); print(len(a), sorted(e["reason"] for e in a))'
> 2 ['e-mail vendor run', 'mail house run']
# a consent withdrawn after the selection: the customer is counted, not listed
$ rapport query "SELECT t.party_id || ' ' || r.source_key FROM campaign_target t JOIN source_record r ON r.entity = 'party' AND r.source = 'host' AND r.entity_id = t.party_id WHERE t.campaign = 'X1' AND t.cell = 'A' ORDER BY t.party_id LIMIT 1" --csv | tail -1 | tr -d '\r' > who.txt; read id no < who.txt; grep -c "^$id," a.csv; printf 'cust_no,purpose,channel,granted,effective_date,evidence\n%s,marketing,email,N,2026-11-22,phone call\n' $no > consents-late.csv && rapport load --source crm-consents consents-late.csv >/dev/null 2>&1 && rapport campaign export X1 --cell A --out a2.csv --reason "e-mail vendor run 2" | sed -E 's/[0-9]+ customers/N customers/'; grep -c "^$id," a2.csv; echo $(( $(wc -l < a.csv) - $(wc -l < a2.csv) ))
> 1
> campaign X1: N customers written to a2.csv (email, csv); not listed: no_consent 1
> 0
> 1
# a cell steered mid-flight: paused (left off its list, counted), capped, resumed; every step recorded
$ rapport campaign cell X1 A --pause && rapport campaign export X1 --cell A --out a3.csv --reason "e-mail vendor run 3"
>~ ^campaign X1: cell A paused$
>~ ^campaign X1: 0 customers written to a3.csv \(email, csv\); not listed: paused [0-9]+$
$ rapport campaign cell X1 A --resume --cap 10 && rapport campaign export X1 --cell A --out a4.csv --reason "e-mail vendor run 4" --json | python3 -c 'import json,sys; s = json.load(sys.stdin); print(s["rows"], s["skipped"]["over_cap"] > 0)'
> campaign X1: cell A resumed capped
> 10 True
$ rapport campaign show X1 --json | python3 -c 'import json,sys; print([h["detail"] for h in json.load(sys.stdin)["history"] if h["action"] == "cell"][-2:])'
> ['cell A: paused', 'cell A: resumed cap 10']
$ rapport campaign cell X9 A --pause
! rapport: campaign cell: no campaign 'X9'
? 1
$ RAPPORT_USER=amy rapport campaign create X2 --name 草稿 --objective test --purpose marketing >/dev/null && RAPPORT_USER=amy rapport campaign cell X2 A --offer FUND1 --channel email >/dev/null && rapport campaign cell X2 A --pause
! rapport: campaign cell: campaign X2 is draft: a cell is paused, resumed or capped while the campaign is approved, running or paused (a draft's cells are designed)
? 1

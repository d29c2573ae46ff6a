# contact history: a teller adds a note and sees it on the customer
$ rapport init >/dev/null && cp "$FIXTURES/bank.json" . && rapport import bank.json >/dev/null
$ rapport customer note F128765439 --text "太太陳怡君生日快到了；想了解子女教育儲蓄。" --reason "臨櫃存款" --outcome "轉介理專" --follow-up 115/12/10
> added note 3 to customer #2
$ rapport customer show F128765439 | sed -n '/^Contact history/,/^$/p'
> Contact history
>   2026-11-23 12:00  branch inbound  by tester  reason: 臨櫃存款  outcome: 轉介理專
>     太太陳怡君生日快到了；想了解子女教育儲蓄。
>     follow up on 2026-12-10
>
$ rapport query "SELECT party_id, created_by, at FROM interaction WHERE id = 3" --csv | tail -1 | tr -d '\r'
> 2,tester,2026-11-23T04:00:00Z
$ rapport customer note 0933111222 --text "回電" --channel phone --direction outbound --staff csr-3 --at 2026-11-22T15:30:00+08:00
> added note 4 to customer #2
# mistakes are refused, and nothing is added
$ rapport customer note F128765439
? 2
! rapport: customer note: --text is required
! usage: rapport customer note KEY --text TEXT [--channel CH] [--direction inbound|outbound] [--reason R] [--outcome O] [--follow-up DATE] [--staff NAME] [--at TIME] [--db PATH]
$ rapport customer note F128765439 --text hi --channel fax
? 1
! rapport: customer note: interaction.channel: 'fax' is not one of branch, phone, email, chat, letter, visit, internet, mobile, sms, other
$ rapport customer note F128765439 --text hi --follow-up tomorrow
? 1
! rapport: customer note: interaction.follow_up_on: invalid date 'tomorrow': expected YYYY-MM-DD, YYYYMMDD, YYYY/MM/DD or ROC YYY/MM/DD
$ rapport customer note A123456789 --text hi
? 1
! rapport: customer note: no customer matches 'A123456789'
$ rapport query "SELECT count(*) FROM interaction" --csv | tail -1 | tr -d '\r'
> 4

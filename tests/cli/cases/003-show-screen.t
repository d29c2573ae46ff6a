# the whole customer-360 screen, as a teller sees it
$ rapport init >/dev/null && cp "$FIXTURES/bank.json" . && rapport import bank.json >/dev/null
$ rapport customer show 0912-345-678
> Customer #1  陳怡君  CHEN, YI-CHUN
>   person, active; born 1985-03-14 (民國74年03月14日), age 41; gender F
>   occupation 軟體工程師; income band 1M-2M; home branch 0012 大安分行
>   found by phone
>
> Identifiers
>   national_id       A22****781          (masked)
>   card_customer_no  C00012345   card
>   online_user_id    yichun85    online
>
> Contact points
>   address  home  106 臺北市大安區復興南路一段200號5樓  primary
>   mobile   home  +886912345678                         primary  since 2019-05-01
>   email    home  YiChun.Chen@Example.com.tw
>   phone    home  +886223456789
>   address  home  220 新北市板橋區文化路一段1號                  until 2019-04-30
>
> Accounts
>   owner  0012-100-000001   SAV01 活期儲蓄存款    active  1,287,654.32 TWD                             opened 2015-06-01
>   owner  456318******0001  CCGOLD 金卡           active  -23,456.00 TWD      limit 200,000.00 TWD     opened 2018-08-08
>   owner  0012-500-000003   MTG30 三十年房屋貸款  active  -12,500,000.00 TWD  limit 15,000,000.00 TWD  opened 2020-03-01
>   owner  0012-300-000002   TD12 一年期定期存款   active  1,000,000.00 TWD                             opened 2026-01-05
>
> Related parties
>   spouse    #2  林志明  LIN, CHIH-MING
>   parent    #4  黃美玲  HUANG, MEI-LING                                                     deceased
>   employer  #6  台灣積體電路製造股份有限公司  TAIWAN SEMICONDUCTOR MANUFACTURING CO., LTD.
>
> Latest transactions (Asia/Taipei)
>   2026-11-12 10:20  0012-100-000001   mobile    transfer_out  -20,000.00 TWD  轉帳 林志明
>   2026-11-05 09:00  0012-100-000001   batch     salary        85,000.00 TWD   薪資轉入
>   2026-10-20 19:30  456318******0001  pos       purchase      -1,280.00 TWD   誠品書店
>   2026-10-15 09:00  0012-100-000001   internet  transfer_out  -45,000.00 TWD  房貸繳款
>   2026-10-10 12:15  0012-100-000001   atm       withdrawal    -3,000.00 TWD   ATM 提款
>   2026-10-05 09:00  0012-100-000001   batch     salary        85,000.00 TWD   薪資轉入
>
> Contact history
>   2026-11-02 10:05  phone outbound  by tsr-115  reason: 定存到期提醒  outcome: 考慮續存
>     偏好下午來電。
>   2026-09-20 14:00  branch inbound  by t0012-07  reason: 詢問房貸利率  outcome: 已說明
>     女兒明年上小學；先生林志明也是本行客戶。生日 3/14。
>     follow up on 2026-12-01
>
> Consents
>   marketing  email  granted    since 2024-01-02  網銀同意書 2024-001
>   marketing  sms    withdrawn  since 2025-03-03  客服來電撤回
>
> Source records
>   host:0000012345  job 1  bank.json
# a reason of blanks and zero-width spaces is no reason; a control character is refused
$ rapport customer show 0912-345-678 --reveal --reason "$(printf 'ab \342\200\213\342\200\213\343\200\200\302\240c')"
! rapport: customer show: --reason: say why the full values are needed (5 characters or more, blanks not counted)
? 1
$ rapport customer show 0912-345-678 --reveal --reason "$(printf 'statement\033[2J request')"
! rapport: customer show: --reason: control characters are not allowed
? 1
# --reveal unseals the national ID
$ rapport customer show 0912-345-678 --reveal --reason "statement request" | sed -n '7p'
>   national_id       A223456781
# JSON for scripts
$ rapport customer show C00012345 --json
>~ ^  "party": \{$
>~ ^    "name_zh": "陳怡君",$
>~ ^      "value": "A22\*\*\*\*781",$
>~ ^      "balance": "1,287,654.32 TWD"$
>~ ^      "relation": "spouse",$
>~ ^  "found_by": "card customer number"$

# issue 24 items 1-4 and 12: offers, a campaign from draft to running, the selection's waterfall of
# eligibility and suppression, the control group, champion and challenger cells, every change
# recorded; bad input refused with its member named and nothing written.  On a generated bank whose
# CRM extracts hold consents, a do-not-contact list, staff and complaints; what the selection kept is
# checked against the store by independent SQL (no treated customer lacks consent, is on the list,
# is staff, has an open complaint, or shares a mailing address with another treated one).
#! timeout 600
$ rapport gen --customers 4000 --out bank >/dev/null && rapport init >/dev/null && rapport load bank >/dev/null 2>&1 && rapport match >/dev/null 2>&1; echo $?
> 0
$ rapport query "SELECT (SELECT count(*) > 3000 FROM consent), (SELECT count(*) > 50 FROM do_not_contact), (SELECT count(*) > 5 FROM staff_member), (SELECT count(*) > 50 FROM interaction WHERE kind = 'complaint')" --csv | tail -1 | tr -d '\r'
> 1,1,1,1
# a rule counted alone, and a syntax error named by its position
$ rapport campaign count --rule "age >= 30 and balance > 100000" --json | python3 -c 'import json,sys; r = json.load(sys.stdin); print(r["customers"] > 3500, 0 < r["matching"] < r["customers"])'
> True True
$ rapport campaign count --rule "age >= 30 and balanse > 1"
! rapport: campaign count: rule:1:15: unknown attribute 'balanse' (`rapport analyze attributes` lists them)
? 1
# offers: a product of the catalogue, an eligibility rule that parses
$ rapport offer put FUND1 --name "基金定期定額手續費五折" --cost 15 --value 1200
! rapport: offer put: offer.product: an offer is of a product; none was given
? 1
$ rapport offer put FUND1 --name "基金" --product NOPE
! rapport: offer put: offer.product: no product 'NOPE' in the catalogue
? 1
$ rapport offer put FUND1 --name "基金" --product FND001 --eligibility "age >"
! rapport: offer put: offer.eligibility:1:6: an attribute, a number or a text expected at the end
? 1
$ rapport offer put FUND1 --name "基金定期定額手續費五折" --product FND001 --cost 15 --value 1200 --eligibility "age >= 20" && rapport offer put PLAT1 --name "白金卡首年免年費" --product PLAT --cost 8 --value 2000
> offer FUND1 created
> offer PLAT1 created
$ rapport offer list --json | python3 -c 'import json,sys; print([(o["code"], o["kind"], o["cost"], o["value_minor"]) for o in json.load(sys.stdin)])'
> [('FUND1', 'investment', 15.0, 120000), ('PLAT1', 'card', 8.0, 200000)]
# a campaign needs a consent purpose; a bad rule or policy is named; nothing is written
$ RAPPORT_USER=amy rapport campaign create F24 --name 基金推廣 --objective "cross-sell funds to savers"
! rapport: campaign create: campaign.purpose: a campaign contacts for a consent purpose (marketing, cross_group, ...); none was given
? 1
$ RAPPORT_USER=amy rapport campaign create F24 --name 基金推廣 --objective x --purpose marketing --policy '{"recent_day": 3}'
! rapport: campaign create: campaign.policy.recent_day: no such member (recent_days, max_per_month, minor_age, household, skip)
? 1
$ RAPPORT_USER=amy rapport campaign create F24 --name 基金推廣 --objective x --purpose marketing --rule "balance >> 3"
! rapport: campaign create: campaign.rule:1:10: unexpected '>'
? 1
$ rapport campaign list --json | python3 -c 'import json,sys; print([c["code"] for c in json.load(sys.stdin) if c["status"] != "loaded"])'
> []
$ RAPPORT_USER=amy rapport campaign create F24 --name 基金推廣 --objective "cross-sell funds to savers" --purpose marketing --rule "balance > 300000 and has_investment = 0" --control-pct 10 --stratify level --seed 7
> campaign F24 created (draft)
$ RAPPORT_USER=amy rapport campaign cell F24 A --offer NOPE --channel email
! rapport: campaign cell: cell.offer: no offer 'NOPE' ('rapport offer list')
? 1
$ RAPPORT_USER=amy rapport campaign cell F24 A --offer FUND1 --channel fax
! rapport: campaign cell: cell.channel: 'fax' is not one of direct_mail, email, sms, outbound_call, branch_lead, banner
? 1
$ RAPPORT_USER=amy rapport campaign cell F24 A --offer FUND1 --channel email && RAPPORT_USER=amy rapport campaign cell F24 B --offer PLAT1 --channel direct_mail
> campaign F24: cell A gives FUND1 by email
> campaign F24: cell B gives PLAT1 by direct_mail
$ RAPPORT_USER=amy rapport campaign set F24 --objective ""
! rapport: campaign set: campaign.objective: may not be emptied
? 1
# the lifecycle refuses what it must: a launch without approval, a submit without a selection
$ RAPPORT_USER=amy rapport campaign launch F24
! rapport: campaign launch: campaign F24 is draft: only an approved campaign is launched
? 1
$ RAPPORT_USER=amy rapport campaign submit F24
! rapport: campaign submit: campaign F24 has no selection: select its targets before submitting
? 1
# the count and the selection agree, and the waterfall adds up: each step's removed is the fall in remaining
$ rapport campaign count F24 --json > count.json && RAPPORT_USER=amy rapport campaign select F24 --json > sel.json && python3 $FIXTURES/marketing/waterfall_check.py count.json sel.json
> candidates no_consent ['household', 'control', 'over_cap'] True
> True
> True
> True True
> True True
# independent checks of the targets against the store
$ rapport query "SELECT count(*) FROM campaign_target t WHERE t.campaign = 'F24' AND t.grp = 'treatment' AND coalesce((SELECT c.granted FROM consent c JOIN party p ON p.id = c.party_id WHERE coalesce(p.merged_into, p.id) = t.party_id AND c.purpose = 'marketing' AND c.channel IN (CASE t.channel WHEN 'email' THEN 'email' ELSE 'mail' END, 'any') ORDER BY c.effective_at DESC, c.id DESC LIMIT 1), 0) = 0" --csv | tail -1 | tr -d '\r'
> 0
$ rapport query "SELECT count(*) FROM campaign_target t JOIN party p ON coalesce(p.merged_into, p.id) = t.party_id WHERE t.campaign = 'F24' AND (p.id IN (SELECT party_id FROM do_not_contact WHERE party_id IS NOT NULL) OR p.id IN (SELECT party_id FROM staff_member) OR p.id IN (SELECT party_id FROM interaction WHERE kind = 'complaint' AND resolved_at IS NULL))" --csv | tail -1 | tr -d '\r'
> 0
$ rapport query "SELECT count(*) FROM campaign_target t JOIN party p ON p.id = t.party_id WHERE t.campaign = 'F24' AND p.status IN ('closed', 'deceased')" --csv | tail -1 | tr -d '\r'
> 0
# one piece of mail per household address: no two treated customers of cell B share one
$ rapport query "SELECT count(*) FROM (SELECT c.postal_code, c.value FROM campaign_target t JOIN party p ON coalesce(p.merged_into, p.id) = t.party_id JOIN contact_point c ON c.party_id = p.id AND c.kind = 'address' AND c.valid_to IS NULL AND c.purpose = 'home' WHERE t.campaign = 'F24' AND t.cell = 'B' GROUP BY 1, 2 HAVING count(DISTINCT t.party_id) > 1) x" --csv | tail -1 | tr -d '\r'
> 0
# the same seed selects the same customers again
$ rapport query "SELECT party_id, grp, cell FROM campaign_target WHERE campaign = 'F24' ORDER BY 1" --csv > first.csv && RAPPORT_USER=amy rapport campaign select F24 >/dev/null && rapport query "SELECT party_id, grp, cell FROM campaign_target WHERE campaign = 'F24' ORDER BY 1" --csv | cmp - first.csv && echo same
> same
# four eyes: the author may not approve; another user does; a running campaign is not changed
$ RAPPORT_USER=amy rapport campaign submit F24
> campaign F24 is submitted
$ RAPPORT_USER=amy rapport campaign approve F24
! rapport: campaign approve: campaign F24 was submitted by amy: its author may not approve it (four eyes)
? 1
$ RAPPORT_USER=amy rapport campaign set F24 --rule "age > 30"
! rapport: campaign set: campaign F24 is submitted: only a draft's design may be changed (reject it back to draft first)
? 1
$ RAPPORT_USER=ben rapport campaign reject F24
! rapport: campaign reject: note: say why the campaign goes back to draft
? 1
$ RAPPORT_USER=ben rapport campaign approve F24 && RAPPORT_USER=ben rapport campaign launch F24
> campaign F24 is approved
> campaign F24 is running
# launched: the treated are contacted, the control group never
$ rapport query "SELECT grp, count(*) = count(contacted_at) AS all_contacted, count(contacted_at) > 0 AS some_contacted FROM campaign_target WHERE campaign = 'F24' GROUP BY grp ORDER BY grp" --csv | tr -d '\r'
> grp,all_contacted,some_contacted
> control,0,0
> treatment,1,1
$ rapport campaign show F24 --json | python3 -c 'import json,sys; c = json.load(sys.stdin); print(c["status"], c["approved_by"], [h["action"] for h in c["history"]], c["targets"]["control"] > 0)'
> running ben ['create', 'cell', 'cell', 'select', 'select', 'submit', 'approve', 'launch'] True
# a loaded campaign has no design to change
$ rapport campaign list --json | python3 -c 'import json,sys; print(sorted({c["status"] for c in json.load(sys.stdin)}))'
> ['loaded', 'running']
$ RAPPORT_USER=amy rapport campaign submit CMP01
! rapport: campaign submit: campaign CMP01 was loaded from files: it has no design to change
? 1
# the history is append-only
$ rapport query "DELETE FROM campaign_change" 2>&1 | grep -c "read-only\|append-only"
> 1

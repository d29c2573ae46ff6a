/* routes.c — the route table, and the shapes its replies share.  See api.h.
 *
 * To add a route:
 *   1. write its handler, `int api_NAME(api_req *rq, api_resp *rs)`, in the
 *      file of its resource (customers.c, parts.c, etl.c, ...; a new
 *      resource gets a new file) and declare it in internal.h;
 *   2. add one row below: method, path, handler, permission, flags, audit
 *      action, operationId (camelCase, unique: it names the generated
 *      client's call), summary, and its schemas in the notation of
 *      openapi.c: params (each {x} of the path), query, request (with
 *      API_BODY), response, accepted (the 202 reply's, for a change the
 *      handler may keep for a second administrator: api_accepted), and
 *      errors (the statuses the handler itself answers; the dispatcher's
 *      come from the flags).
 * A reply shape that several routes share goes in api_shapes[] at the end
 * and is named in rows by its name; the warehouse's vocabularies are
 * shapes already (contact_kind is ContactKind).
 *
 * The handler receives its checked input: the dispatcher has signed the
 * caller in, checked the permission and CSRF token, parsed the body, and
 * set the viewer's branch scope on an API_BRANCH route; it writes the audit
 * entry of an API_CUSTOMER route.  From the row follow the OpenAPI document
 * (tests/unit/test_api.c checks every reply against it), /metrics, the
 * generic tests (anonymous access, the permission matrix, bad bodies, CSRF,
 * audit) and the web application's type check. */
#include "api/internal.h"

#define ANY (-1)
#define CUSTOMER (API_CUSTOMER | API_BRANCH)
#define CUSTOMER_CHANGE (API_CUSTOMER | API_BRANCH | API_BODY | API_CHANGES)

const api_route api_routes[] = {
    /* ---- the server and the API (meta.c) ---- */
    { .method = "GET", .pattern = "/healthz", .fn = api_health, .permission = ANY, .flags = API_PUBLIC,
      .op = "getHealth", .summary = "Liveness: 200 while the server answers", .response = "{status: 'ok'}" },
    { .method = "GET", .pattern = "/metrics", .fn = api_metrics, .permission = ANY, .flags = API_PUBLIC | API_TEXT,
      .op = "getMetrics",
      .summary = "Prometheus metrics: requests, latencies, errors, store time; for Authorization: Bearer and the "
                 "[api] metrics_token, or an address of [api] metrics_allow (127.0.0.1 and ::1 by default)",
      .response = "string", .errors = "401 403" },
    { .method = "GET", .pattern = "/api/v1/openapi.json", .fn = api_openapi_get, .permission = ANY,
      .flags = API_PUBLIC, .op = "getOpenApi", .summary = "This API, as OpenAPI 3.1",
      .response = "{openapi: string, ...}" },
    { .method = "GET", .pattern = "/api/v1/vocabulary", .fn = api_vocabulary, .permission = ANY, .flags = 0,
      .op = "getVocabulary",
      .summary = "Every closed list of values (contact kinds, channels, consent purposes, languages, ...) with its "
                 "zh-TW and English labels",
      .response = "Vocabulary" },

    /* ---- signing in (session.c) ---- */
    { .method = "POST", .pattern = "/api/v1/session", .fn = api_login, .permission = ANY,
      .flags = API_PUBLIC | API_BODY, .action = "login", .op = "signIn",
      .summary = "Sign in with {name, password, otp?}: sets the session cookie and returns the CSRF token; otp, the "
                 "one-time code, is needed when the user has a second factor enrolled (a missing or wrong one is "
                 "answered as a wrong password is)",
      .request = "{name: string, password: string, otp?: string}", .response = "Session", .errors = "401 403 429" },
    { .method = "GET", .pattern = "/api/v1/session", .fn = api_session_get, .permission = ANY,
      .flags = API_EXPIRED_OK, .op = "getSession",
      .summary = "Who is signed in, with role, permissions and CSRF token", .response = "Session", .errors = "403" },
    { .method = "DELETE", .pattern = "/api/v1/session", .fn = api_logout, .permission = ANY,
      .flags = API_CHANGES | API_EXPIRED_OK, .action = "logout", .op = "signOut", .summary = "Sign out",
      .response = "{signed_out: boolean}" , .errors = "403" },
    { .method = "PUT", .pattern = "/api/v1/session/password", .fn = api_password_change, .permission = ANY,
      .flags = API_BODY | API_CHANGES | API_EXPIRED_OK, .op = "changeOwnPassword",
      .summary = "Change one's own password: {password (the current one), new_password}; the user's other "
                 "sessions end (audited)",
      .request = "{password: string, new_password: string}", .response = "{changed: boolean}",
      .errors = "403 429" },

    /* ---- customers (customers.c) ---- */
    { .method = "GET", .pattern = "/api/v1/customers", .fn = api_customers_search, .permission = SEC_P_SEARCH,
      .flags = CUSTOMER, .action = "search", .op = "searchCustomers",
      .summary = "Find customers by national ID, phone, account number, e-mail, source number, or any part of a "
                 "name, Chinese or romanised (q=); branch staff find their own branch's. A name finds at most "
                 "`limit` (50), the viewer's own branch first; `more` says there are more: narrow by born= (a "
                 "year, month or day) or branch=",
      .query = "q: string, born?: string, branch?: string",
      .response = "{customers: CustomerHit[], more: boolean, limit: integer}", .errors = "409 422" },
    { .method = "GET", .pattern = "/api/v1/customers/{id}", .fn = api_customer_get, .permission = SEC_P_VIEW,
      .flags = CUSTOMER, .action = "view", .op = "getCustomer",
      .summary = "The customer 360, masked by the viewer's permissions", .params = "id: integer",
      .response = "Customer360", .errors = "404" },
    { .method = "POST", .pattern = "/api/v1/customers/{id}/reveal", .fn = api_customer_reveal,
      .permission = SEC_P_REVEAL, .flags = CUSTOMER_CHANGE, .action = "reveal", .op = "revealCustomer",
      .summary = "The customer 360 unmasked, with {reason} (audited)", .params = "id: integer",
      .request = "{reason: string}", .response = "Customer360", .errors = "404" },
    { .method = "POST", .pattern = "/api/v1/customers/{id}/export", .fn = api_customer_export,
      .permission = SEC_P_EXPORT, .flags = CUSTOMER_CHANGE, .action = "export", .op = "exportCustomer",
      .summary = "All data kept about the customer, unmasked, as a file ({reason}); audited", .params = "id: integer",
      .request = "{reason: string}", .response = "CustomerExport", .errors = "404" },

    /* ---- follow-ups due (parts.c) ---- */
    { .method = "GET", .pattern = "/api/v1/follow-ups", .fn = api_follow_ups, .permission = SEC_P_VIEW,
      .flags = API_BRANCH | API_AUDITED, .action = "follow_ups", .op = "listFollowUps",
      .summary = "Follow-ups due by due= (YYYY-MM-DD; today in Taipei by default): notes with a follow-up date and "
                 "no contact since on or after it, soonest first; who=me (the notes you wrote, the default) or who=branch (your "
                 "branch's customers, or the bank's for a role of every branch); limit=; audited",
      .query = "who?: 'me' | 'branch', due?: string, limit?: integer",
      .response = "{due: string, who: 'me' | 'branch', follow_ups: FollowUp[]}", .errors = "422" },

    /* ---- calling lists (lists.c) ---- */
    { .method = "GET", .pattern = "/api/v1/calling-list", .fn = api_calllist_mine, .permission = SEC_P_DIAL,
      .flags = API_AUDITED, .action = "calling_list", .op = "getMyCallingList",
      .summary = "The outbound agent's own calling list, the lists running today: each customer with the numbers "
                 "to dial in full and the last contact (limit=); the agent sees these numbers on the customers' "
                 "360 too, and no one else's; audited",
      .query = "limit?: integer", .response = "{today: string, entries: CallingListEntry[]}", .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/calling-lists", .fn = api_calllists, .permission = SEC_P_LISTS,
      .flags = API_AUDITED, .action = "calling_list", .op = "listCallingLists",
      .summary = "The calling lists running today, of one agent= or list= or all (limit=); numbers masked for a "
                 "viewer without contacts; audited",
      .query = "agent?: string, list?: string, limit?: integer",
      .response = "{today: string, entries: CallingListEntry[]}", .errors = "422" },
    { .method = "POST", .pattern = "/api/v1/calling-lists", .fn = api_calllist_add, .permission = SEC_P_LISTS,
      .flags = API_BODY | API_CHANGES | API_AUDITED | API_CREATED, .action = "calling_list_add",
      .op = "addToCallingList",
      .summary = "Give customers to an outbound agent to call: {list, agent, customers (ids or any key a search "
                 "takes: national ID, phone, account), until? (the last day, YYYY-MM-DD)}; whole or not at all, "
                 "each customer once a list; audited",
      .request = "{list: string, agent: string, customers: (integer | string)[], until?: string}",
      .response = "{list: string, agent: string, added: integer, already: integer, until?: string}",
      .errors = "422" },
    { .method = "DELETE", .pattern = "/api/v1/calling-lists/{list}", .fn = api_calllist_remove,
      .permission = SEC_P_LISTS, .flags = API_CHANGES | API_AUDITED, .action = "calling_list_remove",
      .op = "removeFromCallingList",
      .summary = "Take a list off (agent= one agent's, customer= one customer): its numbers are no longer shown; "
                 "the entries are kept on record with who took them off; audited",
      .params = "list: string", .query = "agent?: string, customer?: integer",
      .response = "{list: string, removed: integer}", .errors = "404 422" },

    /* ---- a customer's parts (parts.c) ---- */
    { .method = "GET", .pattern = "/api/v1/customers/{id}/notes", .fn = api_notes_list, .permission = SEC_P_VIEW,
      .flags = CUSTOMER, .action = "view", .op = "listCustomerNotes",
      .summary = "The customer's contact history, latest first, every note of it by pages: q= words each note "
                 "shown holds in its text, reason, outcome or author (at most 4, any case); limit= (50); after= the "
                 "page before's next; total: how many match",
      .params = "id: integer", .query = "q?: string, limit?: integer, after?: integer",
      .response = "{customer: integer, notes: Interaction[], total: integer, next: integer | null}",
      .errors = "404 422" },
    { .method = "POST", .pattern = "/api/v1/customers/{id}/notes", .fn = api_note_add, .permission = SEC_P_NOTE,
      .flags = CUSTOMER_CHANGE | API_CREATED, .action = "note", .op = "addCustomerNote",
      .summary = "Add to the contact history: {text, channel, direction, reason, outcome, follow_up_on}",
      .params = "id: integer",
      .request = "{text: string, channel?: InteractionChannel, direction?: Direction, reason?: string, "
                 "outcome?: string, follow_up_on?: string}",
      .response = "{note: integer, customer: integer}", .errors = "404" },
    { .method = "POST", .pattern = "/api/v1/customers/{id}/pin", .fn = api_customer_pin, .permission = SEC_P_EDIT,
      .flags = CUSTOMER_CHANGE, .action = "pin_issue", .op = "issueCustomerPin",
      .summary = "A new telephone PIN for the IVR (six digits, shown this once to hand to the customer; the old "
                 "one and its lock gone), kept only under a slow keyed hash; audited with the customer",
      .params = "id: integer", .request = "{}", .response = "{customer: integer, pin: string}", .errors = "404" },
    { .method = "PUT", .pattern = "/api/v1/customers/{id}/contacts", .fn = api_contact_change,
      .permission = SEC_P_EDIT, .flags = CUSTOMER_CHANGE, .action = "change", .op = "changeCustomerContact",
      .summary = "Change a phone, e-mail or address: {kind, purpose, value}; the old one is kept, closed",
      .params = "id: integer",
      .request = "{kind: ContactKind, value: string, purpose?: ContactPurpose, postal_code?: string, "
                 "country?: string, reason?: string}",
      .response = "{customer: integer, kind: ContactKind, purpose: ContactPurpose, replaced: string | null, "
                  "outcome: 'changed' | 'unchanged', changed_by: string}",
      .errors = "404 409" },
    { .method = "GET", .pattern = "/api/v1/customers/{id}/changes", .fn = api_changes_list, .permission = SEC_P_VIEW,
      .flags = CUSTOMER, .action = "view", .op = "listCustomerChanges",
      .summary = "Changes people made to the customer's contact points and preferences: who, when, old and new "
                 "(what=, limit=)",
      .params = "id: integer", .query = "what?: 'contact' | 'preference', limit?: integer",
      .response = "{customer: integer, changes: Change[]}", .errors = "404 422" },
    { .method = "GET", .pattern = "/api/v1/customers/{id}/preferences", .fn = api_preferences_get,
      .permission = SEC_P_VIEW, .flags = CUSTOMER, .action = "view", .op = "getCustomerPreferences",
      .summary = "Contact preferences (language, channel, hours, days) and their history", .params = "id: integer",
      .response = "CustomerPreferences", .errors = "404" },
    { .method = "PUT", .pattern = "/api/v1/customers/{id}/preferences", .fn = api_preferences_set,
      .permission = SEC_P_EDIT, .flags = CUSTOMER_CHANGE, .action = "change", .op = "setCustomerPreferences",
      .summary = "Set preferences ({language, channel, hours, days}: a string, or null to clear; reason)",
      .params = "id: integer",
      .request = "{language?: string | null, channel?: string | null, hours?: string | null, days?: string | null, "
                 "reason?: string}",
      .response = "CustomerPreferences", .errors = "404" },
    { .method = "GET", .pattern = "/api/v1/customers/{id}/contactable", .fn = api_contactable,
      .permission = SEC_P_VIEW, .flags = CUSTOMER, .action = "view", .op = "getCustomerContactable",
      .summary = "May the customer be contacted now: purpose=marketing (default), profiling, third_party, "
                 "cross_group, research or service; channel=phone, sms, email, mail or app (default: each)",
      .params = "id: integer", .query = "purpose?: ContactPurposeAny, channel?: ContactChannel",
      .response = "Contactable | {customer: integer, purpose: ContactPurposeAny, channels: Contactable[]}",
      .errors = "404 422" },
    { .method = "GET", .pattern = "/api/v1/customers/{id}/household", .fn = api_household, .permission = SEC_P_VIEW,
      .flags = CUSTOMER, .action = "view", .op = "getCustomerHousehold",
      .summary = "The customer's household: the customer and the relatives linked to them (household, spouse, "
                 "parent, child, sibling), what each holds and what they hold together (each account once); a "
                 "viewer of one branch has the relatives of other branches named, not counted",
      .params = "id: integer", .response = "Household", .errors = "404" },
    { .method = "GET", .pattern = "/api/v1/customers/{id}/scores", .fn = api_scores_get, .permission = SEC_P_VIEW,
      .flags = CUSTOMER, .action = "view", .op = "getCustomerScores",
      .summary = "The customer's latest analysis scores: value decile and pyramid level, RFM cell, lifetime value, "
                 "segments; and the latest prediction of each active model with its reasons",
      .params = "id: integer", .response = "{customer: integer, scores: Score[], predictions: Prediction[]}",
      .errors = "404" },
    { .method = "GET", .pattern = "/api/v1/customers/{id}/consents", .fn = api_consents_get,
      .permission = SEC_P_CONSENT_READ, .flags = CUSTOMER, .action = "view", .op = "getCustomerConsents",
      .summary = "The customer's consents in force, by purpose and channel, and every consent recorded",
      .params = "id: integer", .response = "CustomerConsents", .errors = "404" },
    { .method = "PUT", .pattern = "/api/v1/customers/{id}/consents", .fn = api_consent_set,
      .permission = SEC_P_CONSENT_WRITE, .flags = CUSTOMER_CHANGE, .action = "change", .op = "setCustomerConsent",
      .summary = "Give or withdraw a consent: {purpose, channel, granted, evidence}", .params = "id: integer",
      .request = "{purpose: ConsentPurpose, channel?: ConsentChannel, granted: boolean, evidence: string, "
                 "effective_at?: string}",
      .response = "CustomerConsents", .errors = "404" },

    /* ---- loading and identity resolution (etl.c) ---- */
    { .method = "GET", .pattern = "/api/v1/jobs", .fn = api_jobs_list, .permission = SEC_P_ETL, .flags = 0,
      .op = "listJobs", .summary = "Load jobs, newest first (status=, limit=)",
      .query = "status?: JobStatus, limit?: integer", .response = "{jobs: Job[]}", .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/jobs/{id}", .fn = api_job_get, .permission = SEC_P_ETL, .flags = 0,
      .op = "getJob", .summary = "One load job, with its counts rule by rule", .params = "id: integer",
      .response = "Job", .errors = "404" },
    { .method = "GET", .pattern = "/api/v1/rejects", .fn = api_rejects_list, .permission = SEC_P_ETL,
      .flags = API_AUDITED, .action = "rejects_read", .op = "listRejects",
      .summary = "Rejected records, values and messages masked (job=, rule=, status= open by default or all, limit=), "
                 "by pages in order of job and record: after= the page before's next; total: how many the filter "
                 "selects; audited",
      .query = "job?: integer, rule?: string, status?: 'open' | 'loaded' | 'resubmitted' | 'dismissed' | 'all', "
               "limit?: integer, after?: string",
      .response = "{rejects: Reject[], total: integer, next: string | null}", .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/rejects/export.csv", .fn = api_rejects_export, .permission = SEC_P_ETL,
      .flags = API_AUDITED | API_CSV, .action = "rejects_export", .op = "exportRejects",
      .summary = "Every rejected record the filter selects (job=, rule=, status= as the listing's), as CSV masked as "
                 "the listing is, streamed whatever their number; audited with the count",
      .query = "job?: integer, rule?: string, status?: 'open' | 'loaded' | 'resubmitted' | 'dismissed' | 'all'",
      .response = "string", .errors = "422" },
    { .method = "POST", .pattern = "/api/v1/rejects/{job}/{record}/reveal", .fn = api_reject_reveal,
      .permission = SEC_P_REVEAL_REJECTS, .flags = API_BODY | API_CHANGES | API_AUDITED, .action = "reject_reveal",
      .op = "revealReject", .summary = "One rejected record in full, raw record included, with {reason} (audited)",
      .params = "job: integer, record: integer", .request = "{reason: string}", .response = "RejectRevealed",
      .errors = "404 422" },
    { .method = "POST", .pattern = "/api/v1/copybooks/layout", .fn = api_copybook_layout, .permission = SEC_P_ETL,
      .flags = API_BODY | API_CHANGES, .op = "copybookLayout", /* nothing changes: a body's CSRF rule all the same */
      .summary = "A COBOL copybook's record layout as a compiler's map (rapport copybook): {copybook: its text, "
                 "name?: how messages call it}; 422 names the line it cannot read",
      .request = "{copybook: string, name?: string}", .response = "CopybookLayout", .errors = "422" },
    { .method = "POST", .pattern = "/api/v1/load/preview", .fn = api_load_preview, .permission = SEC_P_ETL,
      .flags = API_BODY | API_CHANGES, .op = "previewLoad",
      .summary = "The first records of a sample decoded by a spec, nothing written (rapport load --preview): "
                 "{spec: the spec document, copybook?: the text of the copybook it names, sample: the file's first "
                 "bytes in base64, records?: 1 to 1000, default 10}",
      .request = "{spec: {...}, copybook?: string, sample: string, records?: integer}",
      .response = "{records: PreviewRecord[]}", .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/matches", .fn = api_matches_list, .permission = SEC_P_ETL,
      .flags = API_AUDITED, .action = "pairs_read", .op = "listMatchPairs",
      .summary = "Pairs of source records waiting for a person to say whether they are one customer, most likely "
                 "first (limit=); audited",
      .query = "limit?: integer", .response = "{pairs: MatchPair[]}", .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/matches/sample", .fn = api_match_sample, .permission = SEC_P_ETL,
      .flags = API_AUDITED, .action = "pairs_read", .op = "sampleMatchLinks",
      .summary = "Where no truth exists: a random sample of the links, stratified by score, for a person to label "
                 "(rapport match sample; size= 4 to 10000, default 40; seed=); audited",
      .query = "size?: integer, seed?: integer", .response = "{pairs: MatchSamplePair[], links: {...}}",
      .errors = "404 422" },
    { .method = "POST", .pattern = "/api/v1/matches/sample/estimate", .fn = api_match_estimate,
      .permission = SEC_P_ETL, .flags = API_BODY | API_CHANGES, .op = "estimateMatchPrecision",
      .summary = "The precision a labelled sample estimates: {labels: [{stratum, stratum_links, label: same | "
                 "different}]}; each stratum's and the bank's, weighted by the links, with a 95 % interval",
      .request = "{labels: {stratum: string, stratum_links: integer, label: string}[]}",
      .response = "MatchEstimate", .errors = "422" },
    { .method = "POST", .pattern = "/api/v1/matches/evaluate", .fn = api_match_evaluate, .permission = SEC_P_ETL,
      .flags = API_BODY | API_CHANGES | API_AUDITED | API_LONG, .action = "match_export", .op = "evaluateMatching",
      .summary = "Who is who measured against a truth file (rapport match evaluate): {truth: CSV text with the "
                 "columns source, key, true_id, spec?: a matching specification whose blocks to measure (docs/match.md; "
                 "default: the server's [match] spec)}; pairwise precision, recall, F1, blocking recall, the review load",
      .request = "{truth: string, spec?: {...}}", .response = "MatchQuality", .errors = "422" },
    { .method = "POST", .pattern = "/api/v1/matches/{pair}/decision", .fn = api_match_decide,
      .permission = SEC_P_ETL, .flags = API_BODY | API_CHANGES, .op = "decideMatchPair",
      .summary = "Decide a pair: {accept: true|false, note}; the next matching run applies it (audited)",
      .params = "pair: integer", .request = "{accept: boolean, note?: string}",
      .response = "{pair: integer, status: 'accepted' | 'rejected', applied: string}", .errors = "404 409" },

    /* ---- analyses (analyses.c) ---- */
    { .method = "GET", .pattern = "/api/v1/analyses", .fn = api_analyses_list, .permission = SEC_P_ANALYSIS,
      .flags = 0, .op = "listAnalysisRuns", .summary = "Analysis runs kept (job=, limit=), newest first",
      .query = "job?: Analysis, limit?: integer", .response = "{runs: AnalysisRunSummary[]}", .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/analyses/{run}", .fn = api_analysis_get, .permission = SEC_P_ANALYSIS,
      .flags = 0, .op = "getAnalysisRun", .summary = "One analysis run's result", .params = "run: integer",
      .response = "AnalysisRun", .errors = "404" },
    { .method = "GET", .pattern = "/api/v1/analyses/{run}/customers", .fn = api_analysis_members,
      .permission = SEC_P_ANALYSIS, .flags = API_AUDITED, .action = "drill_down", .op = "listAnalysisCellCustomers",
      .summary = "The customers behind one cell of a run (level=, decile=, cell=, rf=, type=, grade= or segment=; one "
                 "of them), "
                 "by pages (limit=, after= the page before's next; total: how many the cell holds): each as its "
                 "surname and an initial and its branch, no identifier and no 360; audited",
      .params = "run: integer",
      .query = "level?: string, decile?: integer, cell?: integer, rf?: integer, type?: string, grade?: string, "
               "segment?: string, limit?: integer, after?: integer",
      .response = "{run: integer, filter: string, value: string, total: integer, next: integer | null, "
                  "customers: CellCustomer[]}",
      .errors = "404 422" },

    /* ---- kept models (models.c) ---- */
    { .method = "GET", .pattern = "/api/v1/models", .fn = api_models_list, .permission = SEC_P_ANALYSIS, .flags = 0,
      .op = "listModels", .summary = "The models kept and active (rapport model train --save): name, version, "
      "learner, target, rows, hold-out AUC, scorings", .response = "{models: Model[]}" },
    { .method = "GET", .pattern = "/api/v1/models/{model}", .fn = api_model_get, .permission = SEC_P_ANALYSIS,
      .flags = 0, .op = "getModel", .summary = "A kept model (NAME, NAME:VERSION or #ID) with its training report: "
      "hold-out metrics, gains, lift and calibration by decile, importance, the settings tried, the model "
      "described (a tree as rules)", .params = "model: string", .response = "ModelReport", .errors = "404 422" },
    { .method = "GET", .pattern = "/api/v1/models/{model}/at-risk", .fn = api_model_at_risk,
      .permission = SEC_P_ANALYSIS, .flags = API_AUDITED, .action = "model_at_risk", .op = "getModelAtRisk",
      .summary = "Who is worth saving: the customers of a churn model's latest scoring by P(leaving) x a year's "
                 "profit (the latest value analysis), the first limit= of them, each as its surname and an initial "
                 "and its branch, no identifier; and the churn-by-contribution cross table (risk bands by the "
                 "model's deciles against pyramid levels); audited",
      .params = "model: string", .query = "limit?: integer", .response = "AtRisk", .errors = "404 422" },

    /* ---- the audit trail (audit.c) ---- */
    { .method = "GET", .pattern = "/api/v1/audit", .fn = api_audit_list, .permission = SEC_P_AUDIT,
      .flags = API_WRITES | API_AUDITED, .action = "audit_read", .op = "listAuditEntries",
      .summary = "The audit trail (since=, until=, user=, action=, customer=, limit=), newest first, by pages: after= "
                 "the page before's next; total: how many the filter selects; reading it is audited too",
      .query = "since?: string, until?: string, user?: string, action?: string, customer?: integer, "
               "limit?: integer, after?: integer",
      .response = "{entries: AuditEntry[], total: integer, next: integer | null}", .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/audit/export.csv", .fn = api_audit_export, .permission = SEC_P_AUDIT,
      .flags = API_WRITES | API_AUDITED | API_CSV, .action = "audit_export", .op = "exportAuditEntries",
      .summary = "Every entry of the audit trail the filter selects (as the listing's), newest first, as CSV, "
                 "streamed whatever their number; audited with the count",
      .query = "since?: string, until?: string, user?: string, action?: string, customer?: integer, after?: integer",
      .response = "string", .errors = "422" },

    /* ---- users and roles (users.c) ---- */
    { .method = "GET", .pattern = "/api/v1/users", .fn = api_users_list, .permission = SEC_P_USERS, .flags = 0,
      .op = "listUsers", .summary = "Users, their roles and branches, and whether failed sign-ins locked them",
      .response = "{users: User[]}" },
    { .method = "POST", .pattern = "/api/v1/users", .fn = api_user_add, .permission = SEC_P_USERS,
      .flags = API_BODY | API_CHANGES | API_CREATED, .op = "addUser",
      .summary = "Add a user: {name, role, branch, password}; one with a role that reveals data (reveal, export "
                 "or reveal_rejects) is kept as a request until another administrator approves it (202)",
      .request = "{name: string, role: Role, branch?: string, password: string}",
      .response = "{name: string, role: Role, branch: string | null}", .accepted = "RequestPending",
      .errors = "409" },
    { .method = "PUT", .pattern = "/api/v1/users/{name}/role", .fn = api_user_role, .permission = SEC_P_USERS,
      .flags = API_BODY | API_CHANGES, .op = "setUserRole",
      .summary = "Change a user's role and branch: {role, branch}; audited (user_role). To a role that reveals data, "
                 "or an auditor's to another, it is kept as a request until another administrator approves it (202)",
      .params = "name: string", .request = "{role: Role, branch?: string}",
      .response = "{name: string, role: Role, branch: string | null}", .accepted = "RequestPending",
      .errors = "404 409" },
    { .method = "PUT", .pattern = "/api/v1/users/{name}/disabled", .fn = api_user_disable, .permission = SEC_P_USERS,
      .flags = API_BODY | API_CHANGES, .op = "setUserDisabled",
      .summary = "Disable a user at once (their sessions end), or enable them: {disabled}; disabling an auditor is "
                 "kept as a request until another administrator approves it (202)",
      .params = "name: string", .request = "{disabled: boolean}", .response = "{name: string, disabled: boolean}",
      .accepted = "RequestPending", .errors = "404 409" },
    { .method = "POST", .pattern = "/api/v1/users/{name}/unlock", .fn = api_user_unlock, .permission = SEC_P_USERS,
      .flags = API_CHANGES, .op = "unlockUser",
      .summary = "Unlock a user locked by failed sign-ins, and clear their count of failures (audited)",
      .params = "name: string", .response = "{name: string, locked: boolean, was_locked: boolean}",
      .errors = "404" },
    { .method = "POST", .pattern = "/api/v1/users/{name}/password", .fn = api_user_password_reset,
      .permission = SEC_P_USERS, .flags = API_CHANGES, .op = "resetUserPassword",
      .summary = "Reset a user's password: a new one made at random, in this reply only, which the user must change "
                 "at the next sign-in; their sessions end (audited, user_passwd). 403 for one's own, and for a user "
                 "whose role reveals data, an administrator or an auditor (the operator's: rapport user passwd)",
      .params = "name: string", .response = "{name: string, password: string, must_change: boolean}",
      .errors = "403 404" },
    { .method = "GET", .pattern = "/api/v1/tokens", .fn = api_tokens_list, .permission = SEC_P_USERS, .flags = 0,
      .op = "listTokens", .summary = "Tokens of other programs (never the tokens themselves), in use first",
      .response = "{tokens: ApiToken[]}" },
    { .method = "POST", .pattern = "/api/v1/tokens", .fn = api_token_add, .permission = SEC_P_USERS,
      .flags = API_BODY | API_CHANGES | API_CREATED | API_AUDITED, .action = "token_add", .op = "addToken",
      .summary = "A token for a program: {name, permissions, branch?, days?}; the token is in this reply only "
                 "(audited)",
      .request = "{name: string, permissions: Permission[], branch?: string | null, days?: integer}",
      .response = "{name: string, token: string, permissions: Permission[], branch: string | null, "
                  "expires_at: string}",
      .errors = "403 409 422" },
    { .method = "DELETE", .pattern = "/api/v1/tokens/{name}", .fn = api_token_revoke, .permission = SEC_P_USERS,
      .flags = API_CHANGES | API_AUDITED, .action = "token_revoke", .op = "revokeToken",
      .summary = "Revoke a program's token: it is refused from now on (audited)", .params = "name: string",
      .response = "{name: string, revoked: boolean}", .errors = "404" },
    { .method = "POST", .pattern = "/api/v1/users/{name}/totp", .fn = api_user_totp_reset,
      .permission = SEC_P_USERS, .flags = API_CHANGES, .op = "resetUserTotp",
      .summary = "Give a user a new second factor (TOTP), replacing any they had: the secret and its otpauth:// URI "
                 "are in this reply only (audited)",
      .params = "name: string", .response = "{name: string, secret: string, uri: string}", .errors = "404" },
    { .method = "DELETE", .pattern = "/api/v1/users/{name}/totp", .fn = api_user_totp_remove,
      .permission = SEC_P_USERS, .flags = API_CHANGES, .op = "removeUserTotp",
      .summary = "Remove a user's second factor (audited); a role of [security] totp_roles cannot sign in without one",
      .params = "name: string", .response = "{name: string, totp: boolean, had: boolean}", .errors = "404" },
    { .method = "GET", .pattern = "/api/v1/user-requests", .fn = api_user_requests_list, .permission = SEC_P_USERS,
      .flags = 0, .op = "listUserRequests",
      .summary = "Changes to users waiting for a second administrator, pending first (oldest first), then the "
                 "others newest first (limit=)",
      .query = "limit?: integer", .response = "{requests: UserRequest[]}", .errors = "422" },
    { .method = "POST", .pattern = "/api/v1/user-requests/{id}/approve", .fn = api_user_request_approve,
      .permission = SEC_P_USERS, .flags = API_CHANGES, .op = "approveUserRequest",
      .summary = "Approve a pending request: the change is made at once (audited, user_approve); 403 for the "
                 "administrator who asked, or whose account it changes",
      .params = "id: integer", .response = "UserRequest", .errors = "404 409" },
    { .method = "POST", .pattern = "/api/v1/user-requests/{id}/reject", .fn = api_user_request_reject,
      .permission = SEC_P_USERS, .flags = API_BODY | API_CHANGES, .op = "rejectUserRequest",
      .summary = "Reject a pending request: {note} (audited, user_reject); 403 for the administrator who asked",
      .params = "id: integer", .request = "{note?: string}", .response = "UserRequest", .errors = "404 409" },
    { .method = "GET", .pattern = "/api/v1/roles", .fn = api_roles_list, .permission = ANY, .flags = 0,
      .op = "listRoles", .summary = "The roles and the permission matrix",
      .response = "{roles: {role: Role, title: string, permissions: Permission[]}[]}" },

    /* ---- database marketing: offers and campaigns (campaigns.c) ---- */
    { .method = "GET", .pattern = "/api/v1/offers", .fn = api_offers_list, .permission = SEC_P_CAMPAIGNS, .flags = 0,
      .op = "listOffers", .summary = "The offers: a product with an incentive, a contact's cost, a take-up's value and "
      "an eligibility rule", .response = "{offers: {code: string, name: string, product: string, ...}[]}" },
    { .method = "PUT", .pattern = "/api/v1/offers/{code}", .fn = api_offer_put, .permission = SEC_P_CAMPAIGNS,
      .flags = API_BODY | API_CHANGES, .op = "putOffer",
      .summary = "An offer created or replaced: a product of the catalogue, money in currency units, an eligibility "
                 "rule in the segment language (its errors name the position)",
      .params = "code: string",
      .request = "{name: string, product: string, incentive?: string, currency?: string, cost?: number, value?: "
                 "number, eligibility?: string, valid_from?: string, valid_to?: string}",
      .response = "{code: string, created: boolean, ...}", .errors = "403 404 422" },
    { .method = "GET", .pattern = "/api/v1/campaigns", .fn = api_campaigns_list, .permission = SEC_P_CAMPAIGNS,
      .flags = 0, .op = "listCampaigns", .summary = "The campaigns, designed and loaded, the latest first (status=)",
      .query = "status?: string", .response = "{campaigns: {code: string, name: string, status: string, ...}[]}",
      .errors = "422" },
    { .method = "POST", .pattern = "/api/v1/campaigns", .fn = api_campaign_create, .permission = SEC_P_CAMPAIGNS,
      .flags = API_BODY | API_CHANGES | API_CREATED, .op = "createCampaign",
      .summary = "A campaign designed: a draft with its objective, the consent purpose it contacts for, a selection, "
                 "a control group; cells and the rest as `rapport campaign` takes them",
      .request = "{code: string, name: string, objective: string, purpose: string, owner?: string, start_date?: "
                 "string, end_date?: string, response_deadline?: string, currency?: string, rule?: string, model?: "
                 "string, top_deciles?: integer, list?: string, policy?: string, stratify?: string, control_pct?: "
                 "number, seed?: integer, budget?: number}",
      .response = "{code: string, status: string, ...}", .errors = "403 404 409 422" },
    { .method = "GET", .pattern = "/api/v1/campaigns/{code}", .fn = api_campaign_get, .permission = SEC_P_CAMPAIGNS,
      .flags = 0, .op = "getCampaign",
      .summary = "A campaign: its design, cells, targets, waterfall and every change (history)",
      .params = "code: string", .response = "{code: string, status: string, ...}", .errors = "404" },
    { .method = "PATCH", .pattern = "/api/v1/campaigns/{code}", .fn = api_campaign_update,
      .permission = SEC_P_CAMPAIGNS, .flags = API_BODY | API_CHANGES, .op = "updateCampaign",
      .summary = "A draft's design changed: the members given (an empty text clears one); refused, 403, once it is "
                 "submitted",
      .params = "code: string",
      .request = "{name?: string, objective?: string, purpose?: string, owner?: string, start_date?: string, "
                 "end_date?: string, response_deadline?: string, currency?: string, rule?: string, model?: string, "
                 "top_deciles?: integer, list?: string, policy?: string, stratify?: string, control_pct?: number, "
                 "seed?: integer, budget?: number}",
      .response = "{code: string, status: string, ...}", .errors = "403 404 422" },
    { .method = "PUT", .pattern = "/api/v1/campaigns/{code}/cells/{cell}", .fn = api_campaign_cell_put,
      .permission = SEC_P_CAMPAIGNS, .flags = API_BODY | API_CHANGES, .op = "putCampaignCell",
      .summary = "A draft's cell: an offer on a channel with a share of the treated (two cells: champion and "
                 "challenger), a cap and a message",
      .params = "code: string, cell: string",
      .request = "{offer: string, channel: 'direct_mail' | 'email' | 'sms' | 'outbound_call' | 'branch_lead' | "
                 "'banner', share?: number, cap?: integer, message?: string}",
      .response = "{code: string, cells: object[], ...}", .errors = "403 404 422" },
    { .method = "DELETE", .pattern = "/api/v1/campaigns/{code}/cells/{cell}", .fn = api_campaign_cell_remove,
      .permission = SEC_P_CAMPAIGNS, .flags = API_CHANGES, .op = "removeCampaignCell",
      .summary = "A draft's cell removed", .params = "code: string, cell: string",
      .response = "{code: string, cells: object[], ...}", .errors = "403 404" },
    { .method = "PUT", .pattern = "/api/v1/campaigns/{code}/waves/{wave}", .fn = api_campaign_wave_put,
      .permission = SEC_P_CAMPAIGNS, .flags = API_BODY | API_CHANGES, .op = "putCampaignWave",
      .summary = "A draft's wave (1 to 12): the day its contacts go out from, an optional last day and its share of "
                 "the targets; the selection is dropped (select again)",
      .params = "code: string, wave: integer", .request = "{starts_on: string, ends_on?: string, share?: number}",
      .response = "{code: string, waves: object[], ...}", .errors = "403 404 422" },
    { .method = "DELETE", .pattern = "/api/v1/campaigns/{code}/waves/{wave}", .fn = api_campaign_wave_remove,
      .permission = SEC_P_CAMPAIGNS, .flags = API_CHANGES, .op = "removeCampaignWave",
      .summary = "A draft's wave removed", .params = "code: string, wave: integer",
      .response = "{code: string, waves: object[], ...}", .errors = "403 404" },
    { .method = "POST", .pattern = "/api/v1/campaigns/{code}/cells/{cell}/steer", .fn = api_campaign_cell_steer,
      .permission = SEC_P_APPROVE, .flags = API_BODY | API_CHANGES, .op = "steerCampaignCell",
      .summary = "A live campaign's cell paused, resumed or capped (as its daily results say), recorded in its history",
      .params = "code: string, cell: string", .request = "{paused?: boolean, cap?: integer}",
      .response = "{code: string, cells: object[], ...}", .errors = "403 404 422" },
    { .method = "POST", .pattern = "/api/v1/campaigns/{code}/count", .fn = api_campaign_count,
      .permission = SEC_P_CAMPAIGNS, .flags = API_BODY | API_CHANGES, .op = "countCampaign",
      .summary = "A design counted step by step from the selection copy (made again when stale): candidates, the "
                 "waterfall, control, treated, by cell; a rule given is tried, not kept (errors name its position)",
      .params = "code: string", .request = "{rule?: string}",
      .response = "{candidates: integer, waterfall: {step: integer, name: string, removed: integer, remaining: "
                  "integer, skipped: boolean}[], control: integer, treated: integer, by_cell: object[], seconds: "
                  "number, as_of: string, mart_built_at: string}",
      .errors = "403 404 422" },
    { .method = "POST", .pattern = "/api/v1/selection-count", .fn = api_rule_count, .permission = SEC_P_CAMPAIGNS,
      .flags = API_BODY | API_CHANGES, .op = "countRule",
      .summary = "A rule in the segment language counted alone over every customer: the live count as it is typed "
                 "(errors name its position)",
      .request = "{rule: string}", .response = "{customers: integer, matching: integer, seconds: number}",
      .errors = "422" },
    { .method = "POST", .pattern = "/api/v1/campaigns/{code}/select", .fn = api_campaign_select,
      .permission = SEC_P_CAMPAIGNS, .flags = API_BODY | API_CHANGES, .op = "selectCampaign",
      .summary = "A draft's targets selected and written (the waterfall, the control group, the cells; the "
                 "selection copy made again when older than an hour)",
      .params = "code: string", .request = "{}",
      .response = "{candidates: integer, waterfall: object[], control: integer, treated: integer, ...}",
      .errors = "403 404 422" },
    { .method = "POST", .pattern = "/api/v1/campaigns/{code}/optimise", .fn = api_campaign_optimise,
      .permission = SEC_P_CAMPAIGNS, .flags = API_BODY | API_CHANGES | API_LONG, .op = "optimiseCampaign",
      .summary = "A draft's treated given their cells by the offer optimiser (levels 1-4; level 4 under a budget, "
                 "minimums and maximums per cell, capacity per channel, else the channel's daily capacity times the "
                 "campaign's days, a cap per group), from kept models' scores (models: {cell: model}) or a CSV "
                 "(scores: customer, cell or offer, score); the plan, with its gap and the binding constraints' "
                 "shadow prices; apply: the targets take it",
      .params = "code: string",
      .request = "{level?: integer, method?: 'auto' | 'exact' | 'lagrange' | 'greedy', budget?: number, min?: object, "
                 "max?: object, capacity?: object, group_by?: string, group_max?: integer, value?: string, models?: "
                 "object, scores?: string, apply?: boolean}",
      .response = "{campaign: string, level: integer, method: string, customers: integer, assigned: integer, "
                  "objective: number, bound: number, gap: number, cost: number, seconds: number, by_cell: object[], "
                  "binding: object[] | null, ineligible_pairs: integer, scores_not_targets: integer, applied: boolean, "
                  "models?: object, capacity_from_table?: object, greedy?: number}",
      .errors = "403 404 422" },
    { .method = "POST", .pattern = "/api/v1/campaigns/{code}/export", .fn = api_campaign_export,
      .permission = SEC_P_EXPORT_LISTS, .flags = API_BODY | API_CHANGES | API_AUDITED | API_CSV | API_LONG,
      .action = "campaign_export", .op = "exportCampaignList",
      .summary = "A campaign's list for a channel's vendor or system (the treated of a cell or of a channel's cells, "
                 "with the columns the channel needs), as CSV or XLSX, with {reason}; audited",
      .params = "code: string",
      .request = "{cell?: string, channel?: string, format?: 'csv' | 'xlsx', reason: string}", .response = "string",
      .errors = "403 404 422" },
    { .method = "POST", .pattern = "/api/v1/campaigns/{code}/send", .fn = api_campaign_send,
      .permission = SEC_P_APPROVE, .flags = API_BODY | API_CHANGES | API_AUDITED | API_LONG, .action = "campaign_send",
      .op = "sendCampaignEmail",
      .summary = "A batch (limit, default 200, at most 2000) of a running campaign's e-mail cell sent through the "
                 "server's [mail] settings; call again until not_sent.left_for_later is 0",
      .params = "code: string", .request = "{cell: string, limit?: integer, subject?: string, body?: string}",
      .response = "{campaign: string, cell: string, sent: integer, failed: integer, failures: object[], not_sent: "
                  "object}",
      .errors = "403 404 422 503" },
    { .method = "POST", .pattern = "/api/v1/campaigns/{code}/dial", .fn = api_campaign_dial,
      .permission = SEC_P_LISTS, .flags = API_BODY | API_CHANGES | API_AUDITED, .action = "campaign_dial",
      .op = "dialCampaign",
      .summary = "A running campaign's outbound_call cell given to agents as a calling list (only who is not on it "
                 "yet)",
      .params = "code: string", .request = "{cell: string, agents: string[], until?: string}",
      .response = "{campaign: string, cell: string, list: string, customers: integer, by_agent: object, skipped: "
                  "object}",
      .errors = "403 404 422" },
    { .method = "GET", .pattern = "/api/v1/channel-capacity", .fn = api_capacity_list, .permission = SEC_P_CAMPAIGNS,
      .flags = 0, .op = "listChannelCapacity",
      .summary = "How many contacts each channel takes a day (until the contact centre tells it)",
      .response = "{channels: {channel: string, per_day: integer, updated_at: string, updated_by: string}[]}" },
    { .method = "PUT", .pattern = "/api/v1/channel-capacity/{channel}", .fn = api_capacity_put,
      .permission = SEC_P_APPROVE, .flags = API_BODY | API_CHANGES, .op = "setChannelCapacity",
      .summary = "A channel's daily capacity set (0: none); the list of them", .params = "channel: string",
      .request = "{per_day: integer}",
      .response = "{channels: {channel: string, per_day: integer, updated_at: string, updated_by: string}[]}",
      .errors = "403 422" },
#define STEP(STEP_, PERM_, OP_, WHAT_)                                                                          \
    { .method = "POST", .pattern = "/api/v1/campaigns/{code}/" STEP_, .fn = api_campaign_step,                  \
      .permission = PERM_, .flags = API_BODY | API_CHANGES, .op = OP_, .summary = WHAT_ " ({note?}; refused, "  \
      "403, when the lifecycle does not allow it from the campaign's status)", .params = "code: string",        \
      .request = "{note?: string}", .response = "{campaign: string, status: string}", .errors = "403 404 422" },
    STEP("submit", SEC_P_CAMPAIGNS, "submitCampaign", "Submit a draft for approval")
    STEP("cancel", SEC_P_CAMPAIGNS, "cancelCampaign", "Cancel a campaign before it runs")
    STEP("approve", SEC_P_APPROVE, "approveCampaign", "Approve a submitted campaign, never by who created or submitted it")
    STEP("reject", SEC_P_APPROVE, "rejectCampaign", "Send a campaign back to draft, with a note")
    STEP("launch", SEC_P_APPROVE, "launchCampaign", "Launch an approved campaign: its treated are contacted from today")
    STEP("pause", SEC_P_APPROVE, "pauseCampaign", "Pause a running campaign")
    STEP("resume", SEC_P_APPROVE, "resumeCampaign", "Resume a paused campaign")
    STEP("close", SEC_P_APPROVE, "closeCampaign", "Close a running or paused campaign")
#undef STEP
    { .method = "GET", .pattern = "/api/v1/campaigns/{code}/results", .fn = api_campaign_results,
      .permission = SEC_P_CAMPAIGNS, .flags = 0, .op = "getCampaignResults",
      .summary = "What a campaign did: the treated against the control group per campaign, cell, channel and "
                 "segment (uplift, lift, incremental responders, p-value and interval, cost, revenue, ROI), and day "
                 "by day",
      .params = "code: string", .response = "{campaign: string, overall: {treated: integer, ...}, ...}",
      .errors = "404" },
    { .method = "POST", .pattern = "/api/v1/campaigns/{code}/responses", .fn = api_campaign_response,
      .permission = SEC_P_NOTE, .flags = API_BODY | API_CHANGES | API_CREATED | API_AUDITED,
      .action = "campaign_response", .op = "recordCampaignResponse",
      .summary = "A target's response as staff heard it (\"accepted at the counter\"): refused for a customer the "
                 "campaign did not target, a day outside its window, or a campaign still in design",
      .params = "code: string",
      .request = "{customer: integer, response: 'positive' | 'negative', at?: string, product?: string, note?: "
                 "string}",
      .response = "{campaign: string, customer: integer, response: string}", .errors = "403 404 422" },

    /* ---- events, leads and the next-best offer (triggers.c) ---- */
    { .method = "POST", .pattern = "/api/v1/events", .fn = api_event_feed, .permission = SEC_P_EVENTS,
      .flags = API_BODY | API_CHANGES | API_AUDITED, .action = "event_feed", .op = "postEvents",
      .summary = "The event feed: transactions as they happen (a core system's token with the events permission), "
                 "each judged now by the event rules against its account's own history; the batch is checked whole "
                 "first, an error names the member; an event already found (by a load or an earlier post) is not "
                 "found again",
      .request = "{transactions: {account: string, posted_at: string, amount: number, class: string, currency?: "
                 "string, channel?: string}[]}",
      .response = "{rules: integer, transactions: integer, events: integer, repeated: integer, leads: integer, "
                  "control: integer, suppressed: integer, as_of: string, seconds: number, found: {event: integer, "
                  "rule: string, customer: integer, occurred_at: string, reason_zh: string, reason_en: string, "
                  "outcome: string, lead: integer | null}[]}",
      .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/event-detectors", .fn = api_event_detectors,
      .permission = SEC_P_CAMPAIGNS, .flags = 0, .op = "listEventDetectors",
      .summary = "The detectors event rules are made of, with their parameters' defaults",
      .response = "{detectors: {name: string, name_zh: string, name_en: string, kind: string, params: object}[]}" },
    { .method = "GET", .pattern = "/api/v1/event-rules", .fn = api_event_rules, .permission = SEC_P_CAMPAIGNS,
      .flags = 0, .op = "listEventRules", .summary = "The event rules, with their events and open leads",
      .response = "{rules: {code: string, detector: string, name_zh: string, name_en: string, params: object, "
                  "offer: string | null, route: string, expires_days: integer, priority: integer, control_pct: "
                  "number, enabled: boolean, events: integer, open_leads: integer}[]}" },
    { .method = "PUT", .pattern = "/api/v1/event-rules/{code}", .fn = api_event_rule_put,
      .permission = SEC_P_CAMPAIGNS, .flags = API_BODY | API_CHANGES, .op = "putEventRule",
      .summary = "An event rule created or replaced: a detector, its parameters over the defaults, the offer its "
                 "leads suggest, where they go (manager, branch, outbound), how long they stand, a priority and "
                 "the share held out",
      .params = "code: string",
      .request = "{detector: string, name_zh: string, name_en: string, params?: object, offer?: string, route?: "
                 "'manager' | 'branch' | 'outbound', expires_days?: integer, priority?: integer, control_pct?: "
                 "number, enabled?: boolean}",
      .response = "{code: string, created: boolean}", .errors = "403 404 422" },
    { .method = "GET", .pattern = "/api/v1/lead-results", .fn = api_lead_results, .permission = SEC_P_CAMPAIGNS,
      .flags = 0, .op = "getLeadResults",
      .summary = "What each event rule's leads came to: by status, the conversion, and the take-up of the offered "
                 "product by the leads against the held-out customers",
      .response = "{rules: {rule: string, leads: integer, converted: integer, conversion: number | null, ...}[]}" },
    { .method = "GET", .pattern = "/api/v1/leads", .fn = api_leads, .permission = SEC_P_VIEW,
      .flags = API_BRANCH | API_AUDITED, .action = "leads", .op = "listLeads",
      .summary = "Leads of the person asking: their own (queue=mine, a relationship manager's), their branch's "
                 "(queue=branch; branch= for one who sees every branch), the outbound queue (outbound agents and "
                 "supervisors); open by default (status=open|worked|converted|declined|expired|any), each with the "
                 "event behind it; audited",
      .query = "queue?: 'mine' | 'branch' | 'outbound', status?: string, branch?: string, limit?: integer",
      .response = "{queue: string, leads: {id: integer, customer: integer, name: string | null, rule: string, "
                  "reason_zh: string, reason_en: string, offer: string | null, offer_name: string | null, queue: "
                  "string, assigned_to: string | null, branch: string | null, status: string, expires_at: string, "
                  "...}[]}",
      .errors = "403 422" },
    { .method = "POST", .pattern = "/api/v1/leads/{id}", .fn = api_lead_work, .permission = SEC_P_NOTE,
      .flags = API_BODY | API_CHANGES | API_BRANCH | API_AUDITED, .action = "lead_work", .op = "workLead",
      .summary = "What came of a lead: worked, converted (the customer took the offer) or declined, with a note; "
                 "it enters the customer's contact history; 404 for a lead not one's own, one's branch's or "
                 "(outbound agents) the outbound queue's; 403 for one already closed",
      .params = "id: integer", .request = "{outcome: 'worked' | 'converted' | 'declined', note?: string}",
      .response = "{id: integer, status: string, ...}", .errors = "403 404 422" },
    { .method = "GET", .pattern = "/api/v1/banners", .fn = api_banners, .permission = SEC_P_BANNERS,
      .flags = API_WRITES | API_AUDITED, .action = "banners", .op = "getBanners",
      .summary = "The banners internet banking or the app shows a customer now (internet banking's token with the "
                 "banners permission): the banner cells of running campaigns the customer is treated in, while they "
                 "may be contacted on the app; the first showing of each is kept and enters the contact history",
      .query = "customer: string",
      .response = "{customer: integer, banners: {campaign: string, cell: string, offer: string, name: string, "
                  "incentive?: string, message?: string, first_showing: boolean}[]}",
      .errors = "404 422" },
    { .method = "POST", .pattern = "/api/v1/leads/{id}/assign", .fn = api_lead_assign, .permission = SEC_P_LISTS,
      .flags = API_BODY | API_CHANGES | API_BRANCH | API_AUDITED, .action = "lead_assign", .op = "assignLead",
      .summary = "An open lead given to another person's own queue (a manager who left, a colleague covering), the "
                 "change noted on it; supervisors",
      .params = "id: integer", .request = "{to: string}", .response = "{id: integer, assigned_to: string, ...}",
      .errors = "403 404 422" },
    { .method = "GET", .pattern = "/api/v1/customers/{id}/events", .fn = api_customer_events,
      .permission = SEC_P_VIEW, .flags = CUSTOMER, .action = "view", .op = "getCustomerEvents",
      .summary = "What the event rules found of the customer, newest first (at most 50), each with its reason and "
                 "the lead it made",
      .params = "id: integer",
      .response = "{customer: integer, events: {id: integer, rule: string, occurred_at: string, detected_at: string, "
                  "via: string, reason_zh: string, reason_en: string, amount: number | null, account: integer | null, "
                  "lead: {id: integer, status: string, queue: string, assigned_to?: string} | null}[]}",
      .errors = "404" },
    { .method = "GET", .pattern = "/api/v1/customers/{id}/offers", .fn = api_customer_offers,
      .permission = SEC_P_VIEW, .flags = CUSTOMER, .action = "view", .op = "getCustomerOffers",
      .summary = "The customer's next-best offers now (at most three), with the reasons: those behind an open lead "
                 "first (the event), then by expected value from the peers' holding; none when the customer may not "
                 "be called for marketing (not_contactable says why); left_out says why the others are not",
      .params = "id: integer",
      .response = "{customer: integer, offers: {offer: string, name: string, product: string, propensity: number | "
                  "null, expected_value: number | null, lead: integer | null, lead_queue: string | null, lead_assigned_to: "
                  "string | null, lead_branch: string | null, incentive: string | null, reasons_zh: string[], reasons_en: "
                  "string[]}[], left_out: {offer: string, why: string}[], not_contactable?: string, as_of: string | null, "
                  "eligibility_judged: boolean}",
      .errors = "404" },

    /* ---- the contact centre (desk.c: agents and supervisors; cti.c: the switch, the screens) ---- */
    { .method = "GET", .pattern = "/api/v1/contact/desk", .fn = api_desk_get, .permission = SEC_P_ANSWER,
      .flags = API_WRITES, .op = "getDesk",
      .summary = "The agent's own desk: their state and the interactions they hold, each with its steps; the queues "
                 "and colleagues a transfer may go to (the screen's sign of life too: a sign-in silent for two "
                 "minutes lets the agent go offline)",
      .response = "{agent: CentreAgent, interactions: CentreInteraction[], queues: {code: string, name: string, channel: "
                  "string}[], colleagues: {login: string, name: string, state: string}[]}",
      .errors = "404" },
    { .method = "GET", .pattern = "/api/v1/contact/desk/events", .fn = api_desk_events, .permission = SEC_P_ANSWER,
      .flags = API_EVENTS, .op = "streamDeskEvents",
      .summary = "The agent's screen as server-sent events, kept open: an 'assigned' event (a CentreAssignment as data) "
                 "the moment an interaction is routed to them, the screen pop; a comment every 15 s",
      .response = "string", .errors = "503" },
    { .method = "PUT", .pattern = "/api/v1/contact/desk/state", .fn = api_desk_state, .permission = SEC_P_ANSWER,
      .flags = API_BODY | API_CHANGES, .op = "setDeskState",
      .summary = "The agent's own state: ready, break (with a reason) or offline; 409 while signed in on another "
                 "screen (take_over: true takes it), wrapping up a call without its disposition, or signing off with "
                 "an interaction open; becoming ready routes what waits to them at once",
      .request = "{state: 'ready' | 'break' | 'offline', reason?: string, take_over?: boolean}",
      .response = "{agent: CentreAgent, repeated: boolean, assignments: CentreAssignment[]}", .errors = "404 409 422" },
    { .method = "GET", .pattern = "/api/v1/contact/interactions", .fn = api_interactions_list,
      .permission = SEC_P_CENTRE, .flags = 0, .op = "listInteractions",
      .summary = "The centre's interactions, newest first; state= (one, or open: the unfinished), queue=, limit= (100)",
      .query = "state?: string, queue?: string, limit?: integer", .response = "{interactions: CentreInteraction[]}",
      .errors = "422" },
    { .method = "POST", .pattern = "/api/v1/contact/interactions", .fn = api_interaction_offer,
      .permission = SEC_P_ANSWER, .flags = API_BODY | API_CHANGES, .op = "offerInteraction",
      .summary = "An interaction offered by staff: a call-back a customer asked for (callback_at: not before), an "
                 "e-mail or a form to answer; queued and routed at once; the same external_id again is the same one",
      .request = "{channel: string, queue: string, external_id: string, address?: string, party_id?: integer, "
                 "reason?: string, callback_at?: string}",
      .response = "{interaction: CentreInteraction, repeated: boolean, assignments: CentreAssignment[]}",
      .errors = "404 409 422" },
    { .method = "GET", .pattern = "/api/v1/contact/interactions/{id}", .fn = api_interaction_get,
      .permission = SEC_P_ANSWER, .flags = 0, .op = "getInteraction",
      .summary = "An interaction with every step it went through (an agent sees those routed to them)",
      .params = "id: integer", .response = "CentreInteraction", .errors = "404" },
    { .method = "POST", .pattern = "/api/v1/contact/interactions/{id}/events", .fn = api_interaction_event,
      .permission = SEC_P_ANSWER, .flags = API_BODY | API_CHANGES, .op = "postInteractionEvent",
      .summary = "What the agent did: wrap_up (a disposition, a note: done), transfer (to a queue or an agent, with "
                 "the context), note, callback (the caller would rather be called back), answered, ended; an agent "
                 "on their own interactions (403 on another's), a supervisor on any; the same again changes nothing "
                 "(repeated), one that cannot happen now is 409",
      .params = "id: integer",
      .request = "{event: string, disposition?: string, note?: string, queue?: string, to_agent?: string, "
                 "reason?: string, callback_at?: string}",
      .response = "{interaction: CentreInteraction, repeated: boolean, assignments: CentreAssignment[]}",
      .errors = "403 404 409 422" },
    { .method = "GET", .pattern = "/api/v1/contact/interactions/{id}/messages", .fn = api_interaction_messages,
      .permission = SEC_P_ANSWER, .flags = 0, .op = "getInteractionMessages",
      .summary = "A chat's transcript: the messages after the number after= (0: from the first; at most 500, oldest "
                 "first) and where the chat stands; an agent reads their own chat (404 on another's), a supervisor "
                 "any; a transferred chat is one conversation, read by any of its legs",
      .params = "id: integer", .query = "after?: integer",
      .response = "ChatTranscript", .errors = "404 422" },
    { .method = "POST", .pattern = "/api/v1/contact/interactions/{id}/messages", .fn = api_interaction_say,
      .permission = SEC_P_ANSWER, .flags = API_BODY | API_CHANGES | API_CREATED, .op = "postInteractionMessage",
      .summary = "The agent's message to the customer in a chat of theirs (403 on another's, a supervisor's too): "
                 "{text} of at most 2000 characters; a chat assigned and not yet accepted is accepted by it; a chat "
                 "that has ended takes none (409)",
      .params = "id: integer", .request = "{text: string}", .response = "ChatMessage", .errors = "403 404 409 422",
      .max_body = 16384 },
    { .method = "GET", .pattern = "/api/v1/contact/wallboard", .fn = api_wallboard, .permission = SEC_P_CENTRE,
      .flags = 0, .op = "getWallboard",
      .summary = "The wallboard: each queue now (waiting, longest wait) and since the start of the day in Taipei or "
                 "since= (offered, answered, abandoned, service level within the queue's target, speed of answer, "
                 "handle time, abandonment, first-contact resolution), each agent's state and occupancy, the alerts",
      .query = "since?: string",
      .response = "{as_of: string, since: string, queues: {code: string, name: string, channel: string, target_s: "
                  "integer, target_level: number, waiting: integer, longest_wait_s: integer, offered: integer, "
                  "answered: integer, abandoned: integer, answered_within_target: integer, service_level: number | "
                  "null, asa_s: number | null, aht_s: number | null, abandonment: number | null, fcr: number | null}[], "
                  "agents: {login: string, name: string, state: string, reason: string | null, state_at: string, "
                  "handled: integer, open: integer, signed_in_s: integer, occupancy: number | null}[], alerts: "
                  "{queue: string, kind: 'service_level' | 'longest_wait' | 'abandonment' | 'surge', value: number, "
                  "threshold: number}[], surges: {id: integer, queue: string, started_at: string, offered_15m: integer, "
                  "aht_s: number, agents_needed: integer, agents_on_duty: integer, actions: object}[]}",
      .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/contact/report", .fn = api_centre_report, .permission = SEC_P_CENTRE,
      .flags = 0, .op = "getCentreReport",
      .summary = "The calls of a period (from the call records: the live centre's and the call centre's extract, or "
                 "source=) by interval (interval= minutes), queue or agent: offered, answered, abandoned, service "
                 "level, speed of answer, handle time, abandonment, peak of calls at once, sales and revenue per call",
      .query = "from: string, to: string, by?: 'interval' | 'queue' | 'agent', interval?: integer, source?: string",
      .response = "{from: string, to: string, by: string, calls: integer, rows: {interval?: string, queue?: string, "
                  "agent?: string, offered: integer, answered: integer, abandoned: integer, service_level: number | null, "
                  "asa_s: number | null, aht_s: number | null, abandonment: number | null, peak_concurrent: integer, "
                  "sales: integer, revenue: number, revenue_per_call: number | null}[]}",
      .errors = "422" },
    { .method = "GET", .pattern = "/api/v1/contact/setup", .fn = api_centre_setup_get, .permission = SEC_P_CENTRE,
      .flags = 0, .op = "getCentreSetup", .summary = "The centre's skills, queues and agents with their states",
      .response = "CentreSetup" },
    { .method = "PUT", .pattern = "/api/v1/contact/setup", .fn = api_centre_setup_put, .permission = SEC_P_CENTRE,
      .flags = API_BODY | API_CHANGES | API_AUDITED, .action = "contact_setup", .op = "putCentreSetup",
      .summary = "Skills, queues and agents put (each named one replaced; an agent's skills all), written whole or "
                 "not at all, the error naming the member (body.agents[3].skills.信用卡)",
      .request = "{skills?: object[], queues?: object[], agents?: object[]}", .response = "CentreSetup",
      .errors = "404 409 422" },
    { .method = "PUT", .pattern = "/api/v1/contact/agents/{login}/state", .fn = api_agent_state_put,
      .permission = SEC_P_CENTRE, .flags = API_BODY | API_CHANGES | API_AUDITED, .action = "agent_state",
      .op = "setAgentState",
      .summary = "A supervisor sets an agent's state (ready, break with a reason, offline): one left on a screen "
                 "that is gone, a break ended",
      .params = "login: string", .request = "{state: 'ready' | 'break' | 'offline', reason?: string}",
      .response = "{agent: CentreAgent, repeated: boolean, assignments: CentreAssignment[]}", .errors = "404 409 422" },
    { .method = "GET", .pattern = "/api/v1/contact/diallers", .fn = api_diallers_list, .permission = SEC_P_CENTRE,
      .flags = 0, .op = "listDiallers",
      .summary = "The outbound diallers, newest first, each with its progress (customers waiting, dialling, done; "
                 "calls made; sales and refusals)",
      .response = "{diallers: Dialler[]}" },
    { .method = "POST", .pattern = "/api/v1/contact/diallers", .fn = api_dialler_start, .permission = SEC_P_CENTRE,
      .flags = API_BODY | API_CHANGES | API_AUDITED, .action = "dialler_start", .op = "startDialler",
      .summary = "Start dialling a running campaign's outbound_call cell in a queue of channel outbound: its customers "
                 "who may be called (consent, reach, do-not-call, a phone; at most the cell's cap), one for each agent "
                 "of the queue free once the waiting callers are served (progressive), within the calling hours "
                 "(Taipei time) and days (ISO weekdays), consent asked again at each dial; no answer, busy and failed "
                 "tried again retry_min later up to attempts; the agent's wrap-up code is the outcome (sale and "
                 "refused the campaign's responses).  409 when the cell is dialled already",
      .request = "{campaign: string, cell: string, queue: string, hours_from?: string, hours_to?: string, days?: "
                 "string, attempts?: integer, retry_min?: integer}",
      .response = "{dialler: Dialler, customers: integer, skipped: object}", .errors = "403 404 409 422" },
    { .method = "GET", .pattern = "/api/v1/contact/diallers/{id}", .fn = api_dialler_get, .permission = SEC_P_CENTRE,
      .flags = 0, .op = "getDialler",
      .summary = "A dialler with its customers counted by their last outcome (waiting, dialling, no_answer, busy, "
                 "wrong_number, failed, not_allowed, contact, sale, refused, callback, ...) and, entries=N, its first N "
                 "customers (numbers masked)",
      .params = "id: integer", .query = "entries?: integer",
      .response = "{dialler: Dialler, outcomes: {outcome: string, customers: integer}[], entries?: object[]}",
      .errors = "404 422" },
    { .method = "PUT", .pattern = "/api/v1/contact/diallers/{id}/state", .fn = api_dialler_state,
      .permission = SEC_P_CENTRE, .flags = API_BODY | API_CHANGES | API_AUDITED, .action = "dialler_state",
      .op = "setDiallerState",
      .summary = "Pause, resume (running) or stop a dialler; stopped and done are final (409)",
      .params = "id: integer", .request = "{state: 'running' | 'paused' | 'stopped'}",
      .response = "{dialler: Dialler, outcomes: object[]}", .errors = "404 409 422" },
    { .method = "POST", .pattern = "/api/v1/cti/offer", .fn = api_cti_offer, .permission = SEC_P_CTI,
      .flags = API_BODY | API_CHANGES, .action = "cti", .op = "ctiOffer",
      .summary = "The switch offers a call (its token, with the cti permission): the caller found by number, the "
                 "queue by the number dialled (to) or named; answered with connect (target: the agent's SIP address) "
                 "or queue (hold the call and say where: event held); the same call_id again is the same call",
      .request = "{call_id: string, from?: string, to?: string, queue?: string, ivr_path?: string, reason?: string}",
      .response = "CtiAction", .errors = "404 409 422" },
    { .method = "POST", .pattern = "/api/v1/cti/event", .fn = api_cti_event, .permission = SEC_P_CTI,
      .flags = API_BODY | API_CHANGES, .action = "cti", .op = "ctiEvent",
      .summary = "What happened to a call at the switch: held (switch_ref: where it holds it), answered, ended, "
                 "abandoned (a CANCEL), no_answer (the agent's phone did not: the call goes to another), dtmf (the "
                 "caller's keys in the IVR: digits), callback (the caller held chose a call-back: the call leaves the line, "
                 "the call-back keeps its place); answered with what to do now (connect when an agent is free for "
                 "a call held; ivr: the next prompt and the keys to collect)",
      .request = "{call_id: string, event: 'held' | 'answered' | 'ended' | 'abandoned' | 'no_answer' | 'dtmf' | 'callback', "
                 "switch_ref?: string, reason?: string, digits?: string, at?: string}",
      .response = "CtiAction", .errors = "404 409 422" },

    /* ---- the customer-side chat (webchat.c): public, a chat's signed session its authority ---- */
    { .method = "GET", .pattern = "/api/v1/chat", .fn = api_chat_page, .permission = ANY,
      .flags = API_PUBLIC | API_TEXT | API_HTML, .op = "getChatPage",
      .summary = "The customer's chat page (HTML, zh-TW or English: lang=, else the browser's Accept-Language): "
                 "a name (optional), start a chat, the agent's messages as they come (read every second), "
                 "one's own sent; its one script allowed by its hash",
      .query = "lang?: 'zh-TW' | 'en'", .response = "string" },
    { .method = "POST", .pattern = "/api/v1/chat", .fn = api_chat_start, .permission = ANY,
      .flags = API_PUBLIC | API_BODY | API_CHANGES | API_CREATED, .action = "chat_start", .op = "startChat",
      .summary = "A customer starts a chat: offered to the queue named, the [chat] queue or the first open chat queue; "
                 "answers the chat's session (token: send it back as the header X-Chat-Token), valid four hours; "
                 "at most [chat] starts_per_minute (5) a minute from one address (429 with Retry-After)",
      .request = "{name?: string, lang?: 'zh-TW' | 'en', queue?: string}",
      .response = "{chat: integer, token: string, expires_at: string, state: string, queue: string, position: "
                  "integer | null}",
      .errors = "404 422 429", .max_body = 4096 },
    { .method = "GET", .pattern = "/api/v1/chat/messages", .fn = api_chat_read, .permission = ANY,
      .flags = API_PUBLIC, .op = "readChat",
      .summary = "The customer reads their chat (X-Chat-Token): the messages after after= and where the chat stands; "
                 "403 chat_session for a token forged, changed or expired, 403 chat_ended ten minutes after the "
                 "chat ended; at most 240 reads a minute",
      .query = "after?: integer", .response = "ChatTranscript", .errors = "403 422 429" },
    { .method = "POST", .pattern = "/api/v1/chat/messages", .fn = api_chat_send, .permission = ANY,
      .flags = API_PUBLIC | API_BODY | API_CHANGES | API_CREATED, .action = "chat_say", .op = "sendChatMessage",
      .summary = "The customer's message (X-Chat-Token): {text} of at most 2000 characters; 403 chat_session or "
                 "chat_ended; at most [chat] messages_per_minute (30) a minute in one chat (429 with Retry-After); "
                 "the agent's screen is told (the event chat)",
      .request = "{text: string}", .response = "{seq: integer, at: string, from: string}", .errors = "403 422 429",
      .max_body = 16384 },
    { .method = "POST", .pattern = "/api/v1/chat/end", .fn = api_chat_end, .permission = ANY,
      .flags = API_PUBLIC | API_BODY | API_CHANGES, .action = "chat_end", .op = "endChat",
      .summary = "The customer ends their chat (X-Chat-Token): one talking goes to the agent's wrap-up, one never "
                 "answered is abandoned; the agent's screen is told",
      .request = "{}", .response = "{chat: integer, interaction: integer, state: string}", .errors = "403 422",
      .max_body = 1024 },

    /* ---- database marketing (marketing.c) ---- */
    { .method = "GET", .pattern = "/api/v1/unsubscribe/{token}", .fn = api_unsubscribe_page, .permission = ANY,
      .flags = API_PUBLIC | API_TEXT | API_HTML, .op = "getUnsubscribePage",
      .summary = "The page a campaign e-mail's unsubscribe link opens (an HTML page in zh-TW and English with a "
                 "button); it changes nothing, so a mail scanner following the link withdraws nothing",
      .params = "token: string", .response = "string", .errors = "404" },
    { .method = "POST", .pattern = "/api/v1/unsubscribe/{token}", .fn = api_unsubscribe, .permission = ANY,
      .flags = API_PUBLIC | API_CHANGES | API_TEXT | API_HTML, .op = "unsubscribe",
      .summary = "One-click unsubscribe (RFC 8058, List-Unsubscribe-Post): the customer's consent for the "
                 "campaign's purpose on e-mail withdrawn; the link's signature is its authority (no session); "
                 "answers an HTML page",
      .params = "token: string", .response = "string", .errors = "404" },
};
const int api_nroutes = (int)(sizeof api_routes / sizeof api_routes[0]);

/* ---- the shapes the replies share ---- */

const api_shape api_shapes[] = {
    { "CentreAgent",
      "{id: integer, login: string, name: string, sip: string | null, state: 'ready' | 'wrap_up' | 'break' | 'offline', "
      "reason: string | null, state_at: string, idle_since: string | null, wrap_until: string | null, seen_at: string "
      "| null}",
      "a contact-centre agent and their state now" },
    { "CentreInteraction",
      "{id: integer, channel: string, direction: 'in' | 'out', queue: string, external_id: string, leg: integer, "
      "address: string | null, party_id: integer | null, parties: integer, priority: integer, state: string, "
      "agent: string | null, sip: string | null, target_agent: string | null, why: string | null, switch_ref: string "
      "| null, ivr_path: string | null, reason: string | null, disposition: string | null, note: string | null, "
      "parent: integer | null, campaign: string | null, callback_at: string | null, offered_at: string, queued_at: "
      "string | null, assigned_at: string | null, connected_at: string | null, wrap_at: string | null, ended_at: "
      "string | null, position?: integer, agents_on_duty?: integer, estimated_wait_s?: integer, events?: {at: "
      "string, event: string, agent: string | null, detail: string | null}[]}",
      "a call, e-mail, chat, call-back or form in the contact centre, offered -> queued -> assigned -> connected -> "
      "wrap_up -> done (or abandoned, transferred), each step's time; a queued one's place in line and the wait to "
      "expect" },
    { "ChatMessage",
      "{chat: integer, interaction: integer, seq: integer, from: 'customer' | 'agent' | 'system', agent?: string | null, "
      "text: string, at: string}",
      "a message of a chat: numbered within the chat from 1; a system message's text is a code (customer_ended)" },
    { "ChatTranscript",
      "{chat: integer, interaction: integer, state: string, ended: boolean, name: string | null, lang: string | null, "
      "last_seq: integer, agent_name: string | null, agent?: string | null, messages: {seq: integer, from: 'customer' | "
      "'agent' | 'system', agent?: string | null, text: string, at: string}[]}",
      "a chat's messages after a number, and where it stands (the newest leg's interaction and state; ended; the "
      "customer's name and language; agent: the agent's login, for staff)" },
    { "CentreAssignment",
      "{interaction: integer, channel: string, external_id: string, switch_ref?: string, agent: string, queue: "
      "string, sip?: string, why: string, party_id?: integer, address?: string}",
      "an interaction given to an agent by the routing engine, and why" },
    { "CentreSetup",
      "{skills: {id: integer, name: string, kind: string}[], queues: {code: string, name: string, channel: string, "
      "skill: string, ...}[], agents: {login: string, name: string, skills: object, capacity: object, ...}[]}",
      "the contact centre's skills, queues and agents" },
    { "Dialler",
      "{id: integer, campaign: string, cell: string, queue: string, purpose: string, hours_from: string, hours_to: "
      "string, days: string, attempts: integer, retry_min: integer, state: 'running' | 'paused' | 'stopped' | 'done', "
      "started_at: string, started_by: string, changed_at: string, changed_by: string, ended_at: string | null, "
      "customers: integer, waiting: integer, dialling: integer, done: integer, attempts_made: integer, sales: integer, "
      "refusals: integer}",
      "an outbound dialler working through a campaign's outbound_call cell, and its progress" },
    { "CtiAction",
      "{action: 'connect' | 'queue' | 'ivr' | 'release' | 'none', interaction: integer, state: string, repeated: "
      "boolean, target?: string, agent?: string, position?: integer, estimated_wait_s?: integer, callback_offered?: "
      "boolean, flow?: string, node?: string, prompt?: string, lang?: string, say?: string, collect?: {max_digits: "
      "integer, end: string}, switch_ref: string | null, party_id: integer | null}",
      "what the switch does with a call now: connect it to target, hold it in line (in a surge offering the "
      "caller a call-back: callback_offered, with the wait to expect), or release it (abandoned)" },
    { "Session",
      "{user: string, role: Role, role_title: string, branch: string | null, permissions: Permission[], csrf: string, "
      "password_expired: boolean}",
      "who is signed in; send csrf as X-CSRF-Token with every request that changes something; while "
      "password_expired, only changing the password (PUT /api/v1/session/password) and signing out are open" },
    { "CustomerHit",
      "{id: integer, name_zh: string | null, name_latin: string | null, birth_date: string | null, "
      "home_branch: string | null, status: PartyStatus, matched?: string}",
      "a customer found; matched: the kind of key that found them (none for a name)" },
    { "Party",
      "{id: integer, kind: PartyKind, name_zh: string | null, name_latin: string | null, birth_date: string | null, "
      "gender: Gender | null, occupation: string | null, income_band: string | null, status: PartyStatus, "
      "status_since: string | null, home_branch: string | null, home_branch_name: string | null, "
      "created_at: string, updated_at: string, birth_date_roc?: string, age?: integer}",
      NULL },
    { "Identifier",
      "{type: IdentifierType, issuer: string | null, value: string | null, masked: boolean, sealed: boolean, "
      "valid_from: string | null, valid_to: string | null}",
      "sealed identifiers are masked unless revealed" },
    { "ContactPoint",
      "{id: integer, kind: ContactKind, purpose: ContactPurpose | null, value: string, postal_code: string | null, "
      "county: string | null, district: string | null, primary: boolean, valid_from: string | null, "
      "valid_to: string | null, source: string | null, country: string | null, masked?: boolean}",
      "masked for roles without the contacts permission" },
    { "Account",
      "{number: string, role: AccountRole, product: string, product_name: string | null, "
      "product_kind: ProductKind | null, branch: string | null, currency: string, opened_on: string | null, "
      "closed_on: string | null, status: AccountStatus, balance_minor: integer | null, limit_minor: integer | null, "
      "balance_at: string | null, role_since: string | null, balance?: string, masked?: boolean}",
      "number masked unless revealed; balance: balance_minor in words, with its currency" },
    { "FollowUp",
      "{note: integer, customer: integer, name_zh: string | null, name_latin: string | null, home_branch: string | null, "
      "follow_up_on: string, at: string, channel: InteractionChannel, reason: string | null, notes: string | null, "
      "staff: string | null, by: string | null}",
      "a note whose follow-up is due, with its customer" },
    { "CellCustomer", "{name_zh: string | null, name_latin: string | null, home_branch: string | null, value: string}",
      "a customer behind a chart's cell, as an analyst sees them: the surname and an initial" },
    { "RelatedParty",
      "{party_id: integer, relation: PartyLinkKind, since: string | null, name_zh: string | null, "
      "name_latin: string | null, status: PartyStatus, home_branch: string | null}",
      "a relative or other party; a viewer of one branch opens only that branch's customers (the page shows "
      "the others by name and relation, without a link)" },
    { "Transaction",
      "{posted_at: string, account: string, amount_minor: integer, currency: string, channel: TxnChannel | null, "
      "class: TxnClass | null, description: string | null, counterparty: string | null, amount?: string, "
      "value_date?: string | null, source?: string | null}",
      "value_date and source in an export" },
    { "Interaction",
      "{id: integer, at: string, channel: InteractionChannel, direction: Direction | null, staff: string | null, "
      "reason: string | null, outcome: string | null, notes: string | null, follow_up_on: string | null, "
      "created_at?: string, created_by?: string | null}",
      "a contact in the contact history (a note); created_at and created_by in an export" },
    { "CallingListEntry",
      "{list: string, agent: string, customer: integer, name_zh: string | null, name_latin: string | null, "
      "home_branch: string | null, until: string | null, added_at: string, added_by: string, "
      "last_contact: string | null, phones: {kind: 'mobile' | 'phone', value: string}[]}",
      "a customer on an agent's calling list; until: the last day it runs (null: until taken off)" },
    { "Sums", "{currency: string, minor: integer, amount: string}", "a sum of balances in one currency" },
    { "HouseholdMember",
      "{party_id: integer, relation: 'self' | PartyLinkKind, name_zh: string | null, name_latin: string | null, "
      "status: string | null, home_branch: string | null, since?: string | null, counted: boolean, accounts?: integer, "
      "assets?: Sums[], debts?: Sums[]}",
      "what a member holds is there when counted: the viewer may see them" },
    { "Household",
      "{customer: integer, members: HouseholdMember[], combined: {assets: Sums[], debts: Sums[], accounts: integer}, "
      "not_counted: integer}",
      "assets: deposits, time deposits, investments, insurance; debts: loans, cards; open accounts with a balance" },
    { "Consent",
      "{purpose: ConsentPurpose, channel: ConsentChannel, granted: boolean, evidence: string | null, "
      "effective_at: string, recorded_by: string | null, recorded_at?: string}",
      NULL },
    { "Lineage",
      "{source: string, source_key: string | null, job_id: integer | null, loaded_at: string | null, "
      "file: string | null}",
      "a source record the customer was built from" },
    { "Preference", "{value: string, since: string, set_by: string | null}", NULL },
    { "Preferences", "{language?: Preference, channel?: Preference, hours?: Preference, days?: Preference}",
      "the preferences in force" },
    { "Change",
      "{id?: integer, at: string, by_user: string, what: 'contact' | 'preference', field: string, "
      "old_value: string | null, new_value: string | null, reason: string | null}",
      "a change a person made to a contact point or preference" },
    { "Customer360",
      "{party: Party, identifiers: Identifier[], contact_points: ContactPoint[], accounts: Account[], "
      "related_parties: RelatedParty[], transactions: Transaction[], interactions: Interaction[], "
      "consents: Consent[], lineage: Lineage[], preferences: Preferences}",
      "one customer, everything on one screen (docs/warehouse.md)" },
    { "CustomerExport",
      "{...Customer360, consent_history: Consent[], changes: Change[], attribute_history: AttributeChange[], "
      "scores: Score[], predictions: Prediction[], transactions_truncated: boolean, export: {at: string, by: string, reason: string, "
      "format: string}}",
      "everything kept about the customer, unmasked: every contact point, transaction (at most 100,000), "
      "interaction and consent ever recorded" },
    { "AttributeChange",
      "{entity: string, of: integer | string, attribute: string, old_value: string | null, new_value: string | null, "
      "valid_from: string | null, valid_to: string | null, job_id: integer | null}",
      "a loaded attribute's earlier value" },
    { "Score", "{analysis: string, run: integer, as_of: string, result: {...}}",
      "the latest result of an analysis that scores customers one by one" },
    { "Model",
      "{id: integer, name: string, version: integer, learner: string, target: string, positive: string, params: {...}, "
      "features: integer, data_file: string | null, data_sha256: string, rows: integer, positives: integer, "
      "auc: number, status: string, created_at: string, created_by: string, retired_at: string | null, "
      "retired_by: string | null, runs: integer, last_scored: string | null}",
      "a kept model (docs/models.md)" },
    { "ModelReport", "{...Model, report: {...}}",
      "a kept model and its training report (rapport model show --json; docs/models.md)" },
    { "AtRisk",
      "{model: {name: string, version: integer, target: string, run: integer, as_of: string, scored_at: string}, "
      "value_run: integer, value_as_of: string, customers: integer, expected_loss: number, at_risk: AtRiskCustomer[], "
      "cross: {bands_by: string, levels: string[], rows: {band: string, cells: {customers: integer, profit: number, "
      "expected_loss: number}[]}[]}}",
      "a churn model's customers by expected loss (probability x a year's profit), and risk by contribution" },
    { "AtRiskCustomer",
      "{name_zh: string | null, name_latin: string | null, home_branch: string | null, probability: number, "
      "decile: integer, profit: number, level: string, expected_loss: number}",
      "a customer at risk, named as the analyses' drill-down names them" },
    { "Prediction",
      "{model: string, version: integer, target: string, run: integer, as_of: string | null, scored_at: string, "
      "score: number, decile: integer, reasons: Reason[]}",
      "a kept model's latest probability for the customer (rapport model score), its decile among the customers "
      "scored (1 the highest) and the features that raise it most" },
    { "Reason", "{feature: string, value: string, effect: number}",
      "a feature of the customer's and how much it adds to the probability, against the typical customer's value" },
    { "CustomerPreferences", "{customer: integer, preferences: Preferences, history: Change[]}", NULL },
    { "CustomerConsents", "{customer: integer, consents: Consent[], history: Consent[]}",
      "the consents in force, and every consent recorded (newest first)" },
    { "Contactable",
      "{customer: integer, purpose: ContactPurposeAny, channel: ContactChannel, allowed: boolean, reason: string, "
      "consent: Consent | null, reachable: boolean, within_hours: boolean | null, language: string | null, "
      "preferred_channel: string | null, hours: string | null, days: string | null}",
      "whether the customer may be contacted for a purpose on a channel now (wh_contactable)" },
    { "JobStatus", "'running' | 'done' | 'failed' | 'interrupted'",
      "interrupted: a job stopped before the end of its file (Ctrl-C, or its process gone); loading the same file "
      "again resumes it" },
    { "Job",
      "{job: integer, status: JobStatus, spec: string | null, file: string | null, records: integer, loaded: integer, "
      "fixed: integer, rejected: integer, seconds: number, records_per_second: number, started_at: string | null, "
      "finished_at: string | null, started_by: string | null, message: string | null, bytes: integer, "
      "sha256: string | null, rules?: {outcome: string | null, rule: string | null, field: string | null, "
      "count: integer}[]}",
      "a load job; one job alone has its counts rule by rule" },
    { "Reject",
      "{job: integer, file?: string, record: integer, offset: integer, field?: string, value?: string, rule?: string, "
      "message?: string, status?: string, resolved_by_job?: integer}",
      "a record loading refused, and why" },
    { "ApiToken",
      "{id: integer, name: string, permissions: Permission[], branch: string | null, created_by: string, "
      "created_at: string, expires_at: string, revoked_by: string | null, revoked_at: string | null, "
      "state: 'active' | 'expired' | 'revoked'}",
      "a program's token, as administrators see it: never the token itself" },
    { "CopybookLayout",
      "{record: string, length: integer, variable: boolean, items: {level: integer, depth: integer, name: string, "
      "picture: string, usage: string, start: integer, end: integer, length: integer, occurs: integer, "
      "group: boolean, line: integer, redefines?: string, depending_on?: string, occurs_min?: integer}[], "
      "fields: {name: string, kind: string, offset: integer, length: integer, digits: integer, scale: integer, "
      "signed: boolean, filler: boolean, redefined: boolean, line: integer, sign?: string}[], "
      "records?: CopybookLayout[]}",
      "a copybook's record as the host lays it out: every item once, start and end from 1; every elementary field; "
      "records: each of the copybook's records (the first's too) when it has several" },
    { "PreviewRecord",
      "{record: integer, offset: integer, length: integer, values: {...} | null, rejected: {field: string, "
      "rule: string, value: string, message: string} | null, fixed: {rule: string, field: string}[], "
      "copybook?: {...}}",
      "one record of a sample as the load would decode it: the spec's values, or its reject; every copybook field" },
    { "RejectRevealed",
      "{job: integer, file: string, record: integer, offset: integer, field: string, value: string, rule: string, "
      "message: string, status: string, raw: string}",
      "a rejected record unmasked; raw: the record's bytes, those that are not text as \\xHH" },
    { "MatchSamplePair",
      "{sample: integer, a: string, a_name_zh: string, a_name_latin: string, a_birth: string, b: string, "
      "b_name_zh: string, b_name_latin: string, b_birth: string, evidence: string, stratum: string, "
      "stratum_links: integer, probability: number}",
      "a link to label: both records as a person reads them" },
    { "MatchEstimate",
      "{strata: {stratum: string, links: integer, labelled: integer, same: integer, precision: number | null}[], "
      "pairs: integer, labelled: integer, precision: number | null, low: number | null, high: number | null}",
      "stratified by score; the interval 95 %" },
    { "MatchQuality",
      "{truth_records: integer, found_records: integer, missing_records: integer, store_records: integer, "
      "true_pairs: integer, found_pairs: integer, right_pairs: integer, candidate_true_pairs: integer, "
      "precision: number, recall: number, f1: number, blocking_recall: number, for_review: integer, "
      "review_share: number}",
      "pairwise, over the truth's records in the store" },
    { "MatchPair",
      "{pair: integer, a: integer, b: integer, probability: number, weight: number, evidence: {...}}",
      "two source records the matcher was unsure of, with the evidence field by field" },
    { "AnalysisRunSummary",
      "{run: integer, job: string, as_of: string, started_at: string, started_by: string | null, customers: integer, "
      "seconds: number, headline: string | null}",
      NULL },
    { "AnalysisRun",
      "{job: string, run: integer | null, as_of: string, params: any, customers: integer, seconds: number, "
      "headline: string, table?: {columns: string[], rows: any[][]}, ...}",
      "a run's result: its headline, its table and what the analysis adds (docs/analytics.md)" },
    { "AuditEntry",
      "{id: integer, at: string, user: string | null, address: string | null, action: string, "
      "target: string | null, reason: string | null, outcome: string, detail: string | null, "
      "customer: integer | null, customers: integer[]}",
      "customers: the others it showed (a search's hits)" },
    { "RequestPending", "{request: integer, status: 'pending'}",
      "the change is kept as request N until another administrator approves it (GET /api/v1/user-requests)" },
    { "UserRequest",
      "{id: integer, kind: 'add' | 'role' | 'disable', user: string, role: Role | null, branch: string | null, "
      "from_role: Role | null, requested_by: string, requested_at: string, expires_at: string, "
      "status: 'pending' | 'approved' | 'rejected' | 'expired', decided_by: string | null, "
      "decided_at: string | null, note: string | null}",
      "a change to a user waiting for a second administrator: add (a user with a role that reveals data), role "
      "(to such a role, or an auditor's to another), disable (an auditor); from_role: the user's role when it was "
      "asked; it expires at expires_at undecided" },
    { "User",
      "{name: string, role: Role, branch: string | null, disabled: boolean, created_at: string, "
      "created_by: string | null, changed_at: string | null, locked: boolean, locked_until: string | null, "
      "failures: integer, totp: boolean, last_sign_in: string | null, must_change: boolean}",
      "locked: failed sign-ins locked the user, until locked_until or, when that is null, until an administrator "
      "unlocks them; failures: failed sign-ins in a row since the last success or unlock; totp: a second factor is "
      "enrolled; last_sign_in: the last successful sign-in; must_change: the password was reset by an administrator "
      "and must be changed at the next sign-in" },
};
const int api_nshapes = (int)(sizeof api_shapes / sizeof api_shapes[0]);

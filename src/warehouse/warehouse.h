/*
 * warehouse.h — the single customer view and its C API.
 *
 * The warehouse holds parties (people and organisations, current and
 * former), their identifiers, contact points, accounts and the roles that
 * tie them, links between parties and between accounts, transactions by
 * channel, contact history (interactions), consents, the product catalogue
 * and branches, and the lineage of every party and account back to a source
 * record and load job.  DOMAIN W1-W5, W14.
 *
 * A `wh` is an open store plus the keyring that seals national IDs,
 * passports, resident certificates and tax numbers at rest (libsodium
 * authenticated encryption) and hashes every identifier with a key for
 * exact lookup.  Identifiers are validated before anything is written: the
 * Taiwan national ID and resident certificate checksums, the company UBN
 * checksum; phones are normalised to E.164 and e-mails to lower case.
 *
 * Writers (wh_*_add, wh_*_put) do not open transactions: the caller wraps a
 * batch in wh_begin/wh_commit so that it lands whole or not at all.
 * Every writer validates first and names the offending field in its error
 * ("identifier.value: invalid national ID 'A123456788': checksum ...").
 *
 * Reading: wh_find() turns whatever a person types or a phone system sends
 * (internal id, national ID, phone in any common format, account number,
 * e-mail, card or source customer number) into a party id; wh_c360() returns
 * that party's whole picture as a JSON object (the shape is documented in
 * docs/warehouse.md).  Both are indexed lookups: sub-millisecond at a
 * million customers (bench/c360.c).
 *
 * Every SQL statement on the warehouse's tables is in this folder; other
 * modules read and write them through the functions below, and keep SQL
 * for their own tables only (etl: jobs and rejects, match: runs and pairs,
 * analytics: results, security: users, sessions and audit).
 *
 * Files:
 *   wh.c        opening (store and key), field checks, the writers of
 *               branches, products, parties, identifiers, contacts, accounts,
 *               roles, links, interactions, consents, lineage
 *   vocab.c     the vocabulary below, as arrays and as data for the API
 *   rotate.c    a new sealing key: everything sealed and hashed again
 *   ids.c       identifier rules: checksums, normalising, masking, phones,
 *               e-mails, money, dates
 *   fresh.c     what a party made in the transaction under way has: the
 *               loader's lookups of its identifiers and contacts answered
 *               without the store
 *   upsert.c    loading by source key: parties and accounts with attribute
 *               history, identifiers, contacts and roles that may exist
 *   history.c   what sources deliver besides parties and accounts: activity,
 *               calls and their notes, campaigns and their targets,
 *               account statements (a card's month: days past due); the
 *               contact history as people read it (notes by pages and words,
 *               follow-ups due)
 *   response.c  campaign responses: from files, from staff, seen in
 *               behaviour (the offered product opened); each target's outcome
 *   outreach.c  a campaign's treated with what each channel needs to reach
 *               them (address, e-mail, phones, branch), for its outputs
 *   txn.c       transactions in blocks (migration 0012): batches, flushes
 *   scan.c      reading in bulk for the analyses: customers, holdings,
 *               accounts, source records, transactions out of their blocks
 *   person.c    identity resolution's reads and writes: source parties,
 *               persons, merges
 *   c360.c      finding a customer by any key, searching names, the 360 as
 *               JSON, scores
 *   c360doc.c   the kept 360 documents the API serves (migration 0008)
 *   household.c a customer's relatives and what they hold together
 *   calllist.c  calling lists: the customers an outbound agent is to call
 *   contact.c   what people change, preferences, whether to contact
 *   reach.c     whether to contact, for every customer at once (marketing's
 *               suppression); staff and do-not-contact entries
 *   manager.c   relationship managers and where a lead goes; what event rules
 *               read one at a time: complaints since, an account's holder and
 *               its own history
 *   import.c    the JSON import format (docs/warehouse.md)
 *   internal.h  what these files share
 */
#ifndef RP_WAREHOUSE_H
#define RP_WAREHOUSE_H

#include <jansson.h>
#include <stdint.h>
#include "core/buf.h"
#include "core/error.h"
#include "core/seal.h"
#include "store/store.h"

/* An open warehouse: the store and its sealing keyring.  Opaque; the
 * modules that own tables of their own in the same store (etl: jobs and
 * rejects; match: runs and pairs; analytics: results; security: users,
 * sessions and audit) reach the store through wh_store() and touch only
 * their own tables; everything else goes through the functions below. */
typedef struct wh wh;

/* ---- vocabulary: every closed list of values, defined once (vocab.c) ----
 *
 * Each list is an X-macro of X(value, zh-TW label, English label); the
 * writers check values against it, the import and the source specs name
 * attributes from it, and the API serves it (GET /api/v1/vocabulary) so
 * that the web application's choices and the OpenAPI enums come from here.
 * Adding a value (a contact channel, a link kind) is one row below; adding
 * a party attribute is one row of WH_PARTY_ATTRS plus the migration that
 * adds its column.  Where two lists differ on purpose, the list says so. */
#define WH_PARTY_KINDS(X) X("person", "自然人", "person") X("organisation", "法人", "organisation")
#define WH_PARTY_STATUSES(X)                                                                          \
    X("prospect", "潛在客戶", "prospect") X("active", "往來中", "active") X("dormant", "靜止", "dormant") \
    X("closed", "已結清", "closed") X("deceased", "已歿", "deceased")                                    \
    X("merged", "已歸戶", "merged into another customer")
#define WH_GENDERS(X) X("F", "女", "female") X("M", "男", "male") X("X", "其他", "other")
/* Identifiers, X(value, zh, en, flags): WH_ID_SEALED kept only sealed, masked
 * and as a keyed hash; WH_ID_ISSUER unique per issuing system (a source
 * system's own customer numbers). */
enum { WH_ID_SEALED = 1, WH_ID_ISSUER = 2 };
#define WH_IDENTIFIER_TYPES(X)                                                          \
    X("national_id", "身分證統一編號", "national ID", WH_ID_SEALED)                      \
    X("resident_cert", "居留證號", "resident certificate", WH_ID_SEALED)                 \
    X("passport", "護照號碼", "passport", WH_ID_SEALED)                                  \
    X("tax_id", "稅籍編號", "tax number", WH_ID_SEALED)                                  \
    X("ubn", "統一編號", "company UBN", 0)                                               \
    X("source_customer_no", "主機客戶編號", "core-system customer number", WH_ID_ISSUER) \
    X("card_customer_no", "信用卡客戶編號", "card-system customer number", WH_ID_ISSUER) \
    X("online_user_id", "網路銀行代號", "internet-banking user ID", WH_ID_ISSUER)
#define WH_CONTACT_KINDS(X)                                                                     \
    X("mobile", "手機", "mobile") X("phone", "電話", "phone") X("fax", "傳真", "fax")            \
    X("email", "電子郵件", "e-mail") X("address", "地址", "address")
#define WH_CONTACT_PURPOSES(X) \
    X("home", "住家", "home") X("work", "公司", "work") X("mail", "通訊", "mailing") X("other", "其他", "other")
#define WH_ACCOUNT_STATUSES(X)                                                                   \
    X("active", "正常", "active") X("dormant", "靜止", "dormant") X("frozen", "凍結", "frozen") \
    X("closed", "結清", "closed") X("written_off", "轉銷呆帳", "written off")
#define WH_PRODUCT_KINDS(X)                                                                              \
    X("deposit", "存款", "deposit") X("time_deposit", "定期存款", "time deposit") X("loan", "放款", "loan") \
    X("card", "信用卡", "card") X("investment", "投資", "investment") X("insurance", "保險", "insurance")  \
    X("service", "服務", "service")
#define WH_ACCOUNT_ROLES(X)                                                                        \
    X("owner", "本人", "owner") X("joint", "共同持有人", "joint holder") X("guarantor", "保證人", "guarantor") \
    X("authorised", "被授權人", "authorised") X("beneficiary", "受益人", "beneficiary")
#define WH_PARTY_LINK_KINDS(X)                                                                        \
    X("household", "同戶", "household") X("spouse", "配偶", "spouse") X("parent", "父母", "parent")    \
    X("child", "子女", "child") X("sibling", "兄弟姊妹", "sibling") X("employer", "雇主", "employer")   \
    X("employee", "員工", "employee") X("introducer", "介紹人", "introducer")                          \
    X("introduced", "被介紹人", "introduced") X("guardian", "監護人", "guardian")                      \
    X("ward", "受監護人", "ward") X("other", "其他", "other")
#define WH_ACCOUNT_LINK_KINDS(X)                                                                           \
    X("sweep", "自動轉存", "sweep") X("collateral", "擔保", "collateral") X("repayment", "還款帳戶", "repayment") \
    X("linked_card", "連結卡", "linked card") X("overdraft_cover", "透支扣款", "overdraft cover")               \
    X("other", "其他", "other")
/* The channels a transaction came through; analytics costs each (value.h). */
#define WH_TXN_CHANNELS(X)                                                                              \
    X("branch", "臨櫃", "branch") X("atm", "自動櫃員機", "ATM") X("internet", "網路銀行", "internet banking") \
    X("mobile", "行動銀行", "mobile banking") X("phone", "電話銀行", "phone banking")                        \
    X("pos", "刷卡消費", "point of sale") X("batch", "批次", "batch")
/* The classes of transaction the shipped specs write and analytics knows.
 * The list is open: a source may write another class (up to 32 bytes),
 * which analytics counts by its configured lists (docs/analytics.md). */
#define WH_TXN_CLASSES(X)                                                                                \
    X("deposit", "存入", "deposit") X("withdrawal", "提領", "withdrawal") X("transfer_in", "轉入", "transfer in") \
    X("transfer_out", "轉出", "transfer out") X("salary", "薪資", "salary") X("interest", "利息", "interest")      \
    X("fee", "手續費", "fee") X("charge", "費用", "charge") X("commission", "佣金", "commission")                   \
    X("purchase", "消費", "purchase") X("bill_payment", "繳費", "bill payment")                                   \
    X("loan_repayment", "貸款還款", "loan repayment") X("td_break", "定存中途解約", "time deposit broken")          \
    X("td_maturity", "定存到期", "time deposit matured")
/* Contact history (interactions). */
#define WH_INTERACTION_CHANNELS(X)                                                                  \
    X("branch", "臨櫃", "branch") X("phone", "電話", "phone") X("email", "電子郵件", "e-mail")        \
    X("chat", "線上文字", "chat") X("letter", "信函", "letter") X("visit", "拜訪", "visit")           \
    X("internet", "網路銀行", "internet banking") X("mobile", "行動銀行", "mobile banking")            \
    X("sms", "簡訊", "SMS") X("other", "其他", "other")
/* What an interaction was; a complaint stays open until resolved (marketing suppresses it). */
#define WH_INTERACTION_KINDS(X)                                                                        \
    X("contact", "聯繫", "contact") X("enquiry", "詢問", "enquiry") X("request", "申請", "request")       \
    X("complaint", "客訴", "complaint") X("compliment", "表揚", "compliment") X("sale", "銷售", "sale")    \
    X("campaign", "行銷活動", "campaign")
#define WH_DIRECTIONS(X) X("inbound", "客戶來訪", "inbound") X("outbound", "主動聯繫", "outbound")
/* Consents (DOMAIN S1, K4).  A consent is given for a purpose on a contact
 * channel or on "any"; deciding whether to contact (wh_contactable) asks
 * about one channel, and about one more purpose, "service" (the customer's
 * own accounts), which needs no consent. */
#define WH_CONSENT_PURPOSES(X)                                                                          \
    X("marketing", "行銷", "marketing") X("profiling", "分析建檔", "profiling")                           \
    X("third_party", "提供第三人", "third parties") X("cross_group", "共同行銷", "cross-selling in the group") \
    X("research", "研究", "research")
#define WH_CONTACT_CHANNELS(X)                                                                   \
    X("mail", "郵寄", "mail") X("email", "電子郵件", "e-mail") X("sms", "簡訊", "SMS")             \
    X("phone", "電話", "phone") X("app", "行動應用", "app")
#define WH_CONSENT_CHANNELS(X) X("any", "所有管道", "any channel") WH_CONTACT_CHANNELS(X)
#define WH_CONTACT_PURPOSES_ALL(X) WH_CONSENT_PURPOSES(X) X("service", "服務通知", "service (no consent needed)")
/* Campaigns as the sources deliver them (history.c): a target is in the
 * treatment or the control group; a response is positive or negative. */
#define WH_CAMPAIGN_GROUPS(X) X("treatment", "實驗組", "treatment") X("control", "對照組", "control")
#define WH_CAMPAIGN_RESPONSES(X) X("positive", "正面回應", "positive") X("negative", "負面回應", "negative")
#define WH_RESPONSE_SOURCES(X) X("file", "檔案", "file") X("staff", "行員登錄", "staff") X("behaviour", "行為", "behaviour")
/* Contact preferences (wh_preference_set). */
#define WH_LANGUAGES(X)                                                                          \
    X("zh-TW", "中文", "Chinese") X("en", "英文", "English") X("ja", "日文", "Japanese")           \
    X("ko", "韓文", "Korean") X("vi", "越南文", "Vietnamese") X("id", "印尼文", "Indonesian")      \
    X("th", "泰文", "Thai") X("tl", "菲律賓文", "Tagalog")
#define WH_PREFERENCE_CHANNELS(X)                                                                 \
    X("mobile", "手機", "mobile") X("phone", "電話", "phone") X("email", "電子郵件", "e-mail")     \
    X("sms", "簡訊", "SMS") X("mail", "郵寄", "mail") X("branch", "臨櫃", "branch")                \
    X("app", "行動應用", "app")
#define WH_WEEKDAYS(X)                                                                            \
    X("mon", "週一", "Monday") X("tue", "週二", "Tuesday") X("wed", "週三", "Wednesday")          \
    X("thu", "週四", "Thursday") X("fri", "週五", "Friday") X("sat", "週六", "Saturday")          \
    X("sun", "週日", "Sunday")

/* A party's attributes, X(name, check, max bytes, zh, en, flags), in the
 * order of the party table's columns.  They make the wh_party struct, the
 * writers' column lists, the import's and the source specs' member names,
 * and attribute history.  WH_PA_PERSON: identity resolution gives the
 * person the surviving value of its records (match.h). */
enum { WH_CK_TEXT, WH_CK_TERM, WH_CK_DATE, WH_CK_BRANCH };
enum { WH_PA_PERSON = 1 };
#define WH_PARTY_ATTRS(X)                                                                   \
    X(kind, WH_CK_TERM, 16, "類別", "kind", WH_PA_PERSON)                                   \
    X(name_zh, WH_CK_TEXT, 200, "中文姓名", "Chinese name", WH_PA_PERSON)                   \
    X(name_latin, WH_CK_TEXT, 200, "英文姓名", "romanised name", WH_PA_PERSON)              \
    X(birth_date, WH_CK_DATE, 10, "出生日期", "birth date", WH_PA_PERSON)                   \
    X(gender, WH_CK_TERM, 1, "性別", "gender", WH_PA_PERSON)                                \
    X(occupation, WH_CK_TEXT, 200, "職業", "occupation", WH_PA_PERSON)                      \
    X(income_band, WH_CK_TEXT, 32, "所得級距", "income band", WH_PA_PERSON)                 \
    X(status, WH_CK_TERM, 16, "狀態", "status", 0)                                          \
    X(status_since, WH_CK_DATE, 10, "狀態起日", "status since", 0)                          \
    X(home_branch, WH_CK_BRANCH, 32, "歸屬分行", "home branch", WH_PA_PERSON)

/* Expanders for the lists: a value as a string-array element, a party
 * attribute as a struct member, as a string, as an SQL column ("a, b, "). */
#define WH_VALUE(v, ...) v,
#define WH_ATTR_FIELD(n, ...) const char *n;
#define WH_ATTR_NAME(n, ...) #n,
#define WH_ATTR_COLUMN(n, ...) #n ", "
#define WH_ATTR_SET(n, ...) #n " = ?, "
#define WH_ATTR_PARAM(n, ...) "?, "
#define WH_ATTR_INDEX(n, ...) WH_PA_##n,
/* WH_PA_kind .. WH_PA_home_branch: an attribute's place in the list */
enum { WH_PARTY_ATTRS(WH_ATTR_INDEX) WH_NPARTY_ATTRS };
/* "kind, name_zh, ..., home_branch, " for SQL column lists, and
 * "kind = ?, ..., home_branch = ?, " for updates */
#define WH_PARTY_COLUMNS WH_PARTY_ATTRS(WH_ATTR_COLUMN)
#define WH_PARTY_SETS WH_PARTY_ATTRS(WH_ATTR_SET)
#define WH_PARTY_PARAMS WH_PARTY_ATTRS(WH_ATTR_PARAM)

/* Each list as a NULL-terminated array of its values. */
extern const char *const wh_party_kinds[], *const wh_party_statuses[], *const wh_genders[],
    *const wh_identifier_types[], *const wh_contact_kinds[], *const wh_contact_purposes[],
    *const wh_account_statuses[], *const wh_product_kinds[], *const wh_account_roles[],
    *const wh_party_link_kinds[], *const wh_account_link_kinds[], *const wh_txn_channels[],
    *const wh_txn_classes[], *const wh_interaction_channels[], *const wh_directions[], *const wh_interaction_kinds[],
    *const wh_consent_purposes[], *const wh_contact_channels[], *const wh_consent_channels[],
    *const wh_contact_purposes_all[], *const wh_languages[], *const wh_preference_channels[],
    *const wh_weekdays[], *const wh_campaign_groups[], *const wh_campaign_responses[], *const wh_response_sources[];
/* The party attributes' names, in order, NULL-terminated. */
extern const char *const wh_party_attr_names[];

/* The vocabulary as data, for the API and for checks by name. */
typedef struct wh_term {
    const char *value, *zh, *en;
} wh_term;
typedef struct wh_vocab {
    const char *name;        /* "contact_kind", ... */
    const wh_term *terms;
    int n;
    int open;                /* 1: other values are accepted too (transaction classes) */
    const char *about;       /* what the list is, in English */
} wh_vocab;
extern const wh_vocab wh_vocabs[];
extern const int wh_nvocabs;
const wh_vocab *wh_vocab_find(const char *name);
/* {name: {open, about, terms: [{value, zh, en}]}} for every list, with the
 * party attributes as "party_attribute". */
json_t *wh_vocab_json(void);

/* ---- opening ---- */

/* wh_open flags */
enum {
    WH_INIT = 1,   /* create or migrate the store, create the key if new */
    WH_ROTATE = 2  /* open while a key rotation is under way (only `rapport key rotate` does) */
};

/* Open db (NULL: $RAPPORT_DB or ./rapport.db) with key file keyfile (NULL:
 * $RAPPORT_KEY or DB.key).  With WH_INIT, *created (if not NULL) says whether
 * the store was new and *migrations how many migrations ran. */
int wh_open(const char *db, const char *keyfile, int flags, wh **out, int *migrations,
            rp_error *err) RP_WARN_UNUSED;
void wh_close(wh *w);
const char *wh_default_db(void);
/* The store underneath, for modules with tables of their own (above). */
rp_store *wh_store(const wh *w);
/* The store's sealing keyring, for a module below the warehouse that seals
 * what it keeps (security: the second factor's secrets). */
const rp_keyring *wh_keyring(const wh *w);
/* A unit of work: writers never open a transaction, their caller wraps a
 * batch in wh_begin .. wh_commit (or wh_rollback) so that it lands whole.
 * They nest (inner levels are savepoints). */
int wh_begin(wh *w, rp_error *err) RP_WARN_UNUSED;
/* A transaction that only reads: one snapshot, writes refused by the engine. */
int wh_begin_read(wh *w, rp_error *err) RP_WARN_UNUSED;
int wh_commit(wh *w, rp_error *err) RP_WARN_UNUSED;
void wh_rollback(wh *w);
/* The paths the warehouse was opened with ("" for an in-memory store). */
const char *wh_db_path(const wh *w);
/* Personal data a module keeps of its own (etl: rejected records) sealed
 * with the store's key, as identifiers are: appended to out, or opened. */
int wh_seal(const wh *w, const void *plain, size_t n, rp_buf *out) RP_WARN_UNUSED;
int wh_unseal(const wh *w, const void *sealed, size_t n, rp_buf *out, rp_error *err) RP_WARN_UNUSED;
/* ---- a new sealing key (rotate.c: rapport key rotate) ----
 * wh_rotation_begin makes KEY.new (0600) and marks the store (store_meta
 * 'key_rotation'); wh_rotation_step seals again with it, in one
 * transaction a batch, the sealed identifiers (and makes every
 * identifier's lookup hash again), then the cards (their keys, sealed
 * numbers and the lineage's keys); a module with sealed data of its own
 * seals it again with wh_reseal (etl: rejects); wh_rotation_finish makes
 * the new key the store's (key_check) and then KEY.new the key file, the
 * old one kept as KEY.retired-TIME for the backups made with it.  While a
 * rotation is under way the store opens only with WH_ROTATE: nothing reads
 * half the values with the wrong key.  Stopped anywhere, it goes on where
 * it was. */
int wh_rotation_begin(wh *w, rp_error *err) RP_WARN_UNUSED;
/* The new key of the rotation under way, loaded. */
int wh_rotation_keys(wh *w, rp_error *err) RP_WARN_UNUSED;
/* -1 when none is under way; else the step and the last id done. */
int wh_rotation_state(wh *w, int *step, int64_t *after, rp_error *err) RP_WARN_UNUSED;
/* One batch of at most `batch` rows; *finished once the warehouse's part is done. */
int wh_rotation_step(wh *w, int batch, int64_t *done, int *finished, rp_error *err) RP_WARN_UNUSED;
/* Sealed with the old key in, sealed with the new key out (appended). */
int wh_reseal(const wh *w, const void *sealed, size_t n, rp_buf *out, rp_error *err) RP_WARN_UNUSED;
/* retired gets where the old key went. */
int wh_rotation_finish(wh *w, char *retired, size_t rn, rp_error *err) RP_WARN_UNUSED;
/* A keyed hash (BLAKE2b with the store's key) of data in a domain: equal
 * values give equal hashes, and none can be guessed without the key. */
void wh_keyed_hash(const wh *w, const char *domain, const void *data, size_t n, unsigned char h[RP_HASH_LEN]);
const char *wh_key_path(const wh *w);

/* ---- validation and normalisation (pure; no store) ---- */

int wh_check_national_id(const char *id);  /* 1 if the Taiwan checksum holds */
int wh_check_resident_cert(const char *id);/* old (AB12345678) or new (A812345678) form */
int wh_check_ubn(const char *ubn);         /* company unified business number */
/* Normalise and validate an identifier of a type; out receives the
 * canonical form.  Errors name the value and the rule. */
int wh_identifier_normalise(const char *type, const char *value, char *out, size_t n,
                            rp_error *err) RP_WARN_UNUSED;
int wh_identifier_sealed(const char *type);  /* 1 for types sealed at rest */
int wh_identifier_needs_issuer(const char *type);
/* A12****789: first three and last three kept. */
void wh_mask(const char *value, char *out, size_t n);
/* Phones to E.164 (+886 for Taiwan numbers written domestically); an
 * extension is kept as ";ext=N" in out and left out of lookup. */
int wh_phone_normalise(const char *in, char *out, size_t n, char *lookup, size_t ln,
                       rp_error *err) RP_WARN_UNUSED;
/* The same for a contact point in country (ISO 3166 alpha-2; NULL or "" is
 * Taiwan): a number with + or 00 and its calling code is read as written;
 * one without is read as that country writes it at home (its trunk prefix
 * dropped after the calling code), for the countries ids.c knows, and
 * refused for others (written with + it is taken). */
int wh_phone_normalise_in(const char *country, const char *in, char *out, size_t n, char *lookup, size_t ln,
                          rp_error *err) RP_WARN_UNUSED;
/* A country code, upper-cased into out ("" for NULL or ""); anything but two
 * letters is refused, naming field. */
int wh_country_ok(const char *field, const char *in, char out[3], rp_error *err) RP_WARN_UNUSED;
/* A postal code of an address in country: Taiwan's (no country) 3, 5 or 6
 * digits; elsewhere leniently 2 to 10 letters, digits, blanks and hyphens,
 * beginning and ending with a letter or digit (docs/warehouse.md). */
int wh_postal_code_ok(const char *country, const char *code, rp_error *err) RP_WARN_UNUSED;
int wh_email_normalise(const char *in, char *out, size_t n, char *lookup, size_t ln,
                       rp_error *err) RP_WARN_UNUSED;
/* Minor units to "1,234.56 TWD" with the currency's ISO 4217 exponent. */
void wh_money_format(int64_t minor, const char *currency, char *out, size_t n);
int wh_currency_exponent(const char *currency);
/* Any accepted date form to "YYYY-MM-DD"; NULL or "" gives NULL in *out. */
int wh_date_normalise(const char *field, const char *in, char out[11], const char **res,
                      rp_error *err) RP_WARN_UNUSED;

/* ---- writing ---- */

/* A party's attributes (WH_PARTY_ATTRS): kind "person" or "organisation";
 * birth_date and status_since in any accepted date form; gender F, M, X or
 * NULL; status default active. */
typedef struct wh_party {
    WH_PARTY_ATTRS(WH_ATTR_FIELD)
} wh_party;
/* The party attribute i (0 .. WH_NPARTY_ATTRS - 1) of p, and where it is kept. */
const char *wh_party_attr(const wh_party *p, int i);
const char **wh_party_attr_slot(wh_party *p, int i);

typedef struct wh_contact {
    const char *kind;    /* mobile, phone, fax, email, address */
    const char *purpose; /* home (default), work, mail, other */
    const char *value;
    const char *postal_code, *county, *district; /* addresses */
    int primary;
    const char *valid_from, *valid_to;
    const char *source;
    const char *country; /* ISO 3166 alpha-2 of the address or phone; NULL: Taiwan */
} wh_contact;

typedef struct wh_branch {
    const char *code, *name_zh, *name_en, *county, *district, *address, *postal_code, *phone;
    const char *opened_on, *closed_on;
} wh_branch;

typedef struct wh_product {
    const char *code, *name_zh, *name_en, *description, *kind;
    const char *features_json, *constraints_json; /* JSON objects or NULL */
    const char *currency;
    int64_t monthly_cost_minor, monthly_revenue_minor;
    int sales_priority;
    const char *launched_on, *withdrawn_on;
    const char *const *categories; /* NULL-terminated; at least one */
} wh_product;

typedef struct wh_category {
    const char *code, *name_zh, *name_en, *parent;
} wh_category;

typedef struct wh_account {
    const char *number, *product, *branch, *currency;
    const char *opened_on, *closed_on, *status;
    int64_t balance_minor;
    int has_limit;
    int64_t limit_minor;
    const char *balance_at;
    const char *interest_rate;   /* percent a year as decimal text ("1.6500"), or NULL */
    int has_accrued;
    int64_t accrued_interest_minor;
    const char *matures_on;      /* a time deposit's (a loan's, a bond's) maturity, a date; NULL: none */
} wh_account;

typedef struct wh_txn {
    int64_t account_id;
    const char *posted_at; /* ISO 8601 */
    const char *value_date;
    int64_t amount_minor;
    const char *currency; /* NULL: the account's */
    const char *channel, *class_, *description, *counterparty;
    const char *source, *source_key;
    int64_t job_id;
    int has_quantity;
    int64_t quantity;
    const char *item; /* product code, merchant category */
    const char *account_currency; /* the account's currency when the caller knows it (saves a lookup) */
} wh_txn;

typedef struct wh_interaction {
    int64_t party_id;
    const char *at; /* NULL: now */
    const char *channel, *direction, *staff, *reason, *outcome, *notes, *follow_up_on;
    const char *created_by;
    const char *kind;        /* WH_INTERACTION_KINDS; NULL: contact */
    const char *resolved_at; /* a complaint's resolution (an instant or a date); NULL: open */
} wh_interaction;

typedef struct wh_consent {
    int64_t party_id;
    const char *purpose, *channel;
    int granted;
    const char *evidence, *effective_at, *recorded_by;
} wh_consent;

/* The longest text these writers take in a field people type, in bytes:
 * longer is refused (RP_TOOBIG, naming the field), never cut.  What takes
 * the fields from people (the API's bodies) holds them to these numbers
 * before anything is written, naming its own member; one number a field.
 * Values of a closed list (channels, purposes, kinds) are checked against
 * their list instead. */
#define WH_NOTES_MAX 4000         /* interaction.notes: what was said */
#define WH_SUBJECT_MAX 200        /* interaction.reason and .outcome: what it was about, how it ended */
#define WH_CONTACT_VALUE_MAX 400  /* contact.value: a phone, an e-mail, an address */
#define WH_POSTAL_CODE_MAX 10     /* contact.postal_code */
#define WH_EVIDENCE_MAX 400       /* consent.evidence: how the customer gave or withdrew consent */
#define WH_PREFERENCE_MAX 64      /* a preference as given (wh_preference_set) */
#define WH_REASON_MAX 250         /* why a person changed a contact point or a preference */

int wh_job_start(wh *w, const char *source, const char *file, const char *by, int64_t *id,
                 rp_error *err) RP_WARN_UNUSED;
int wh_job_finish(wh *w, int64_t id, const char *status, int64_t loaded, int64_t rejected,
                  rp_error *err) RP_WARN_UNUSED;
int wh_branch_put(wh *w, const wh_branch *b, rp_error *err) RP_WARN_UNUSED;
/* Is code a branch of the store's branch table?  RP_OK with *exists 0 or 1. */
int wh_branch_exists(wh *w, const char *code, int *exists, rp_error *err) RP_WARN_UNUSED;
int wh_category_put(wh *w, const wh_category *c, rp_error *err) RP_WARN_UNUSED;
int wh_product_put(wh *w, const wh_product *p, rp_error *err) RP_WARN_UNUSED;
int wh_party_add(wh *w, const wh_party *p, int64_t *id, rp_error *err) RP_WARN_UNUSED;
int wh_identifier_add(wh *w, int64_t party, const char *type, const char *issuer,
                      const char *value, const char *valid_from, rp_error *err) RP_WARN_UNUSED;
int wh_contact_add(wh *w, int64_t party, const wh_contact *c, int64_t *id,
                   rp_error *err) RP_WARN_UNUSED;
int wh_account_add(wh *w, const wh_account *a, int64_t *id, rp_error *err) RP_WARN_UNUSED;
int wh_role_add(wh *w, int64_t party, int64_t account, const char *role, const char *since,
                rp_error *err) RP_WARN_UNUSED;
int wh_party_link_add(wh *w, int64_t from, int64_t to, const char *kind, const char *since,
                      rp_error *err) RP_WARN_UNUSED;
int wh_account_link_add(wh *w, int64_t from, int64_t to, const char *kind, const char *since,
                        rp_error *err) RP_WARN_UNUSED;
/* One transaction, in a block of its own: RP_EXISTS when the account already
 * has a transaction of that source with that source key. */
int wh_txn_add(wh *w, const wh_txn *t, int64_t *id, rp_error *err) RP_WARN_UNUSED;
int wh_interaction_add(wh *w, const wh_interaction *i, int64_t *id, rp_error *err) RP_WARN_UNUSED;

/* Follow-ups due by due (YYYY-MM-DD): notes with a follow-up date on or before it and no contact
 * with the customer since on or after that date (such a contact is the follow-up; one before the
 * date is not), soonest first, as
 * [{note, customer, name_zh, name_latin, home_branch, follow_up_on, at, channel, reason, notes,
 * staff, by}], at most limit.  by, if not NULL, keeps those a user wrote (their own worklist);
 * branch, if not NULL, the customers of that home branch ("" holds none: the viewer's scope). */
int wh_follow_ups(wh *w, const char *due, const char *by, const char *branch, int limit, json_t **out,
                  rp_error *err) RP_WARN_UNUSED;
/* A customer's contact history (their notes and those of the source records merged into them),
 * latest first, as [{id, at, channel, direction, staff, reason, outcome, notes, follow_up_on}]:
 * those with every word of q (blank-separated, at most WH_NOTE_WORDS; NULL or "": all) somewhere in
 * their text, reason, outcome or staff, ASCII letters in either case; limit of them, starting after
 * the note before (0: from the latest).  *total: how many match in all.  RP_INVAL naming q for too
 * many or too long words. */
#define WH_NOTE_WORDS 4
int wh_notes(wh *w, int64_t party, const char *q, int64_t before, int limit, json_t **out, int64_t *total,
             rp_error *err) RP_WARN_UNUSED;
/* A customer's household: {customer, members, combined, not_counted}.  members: the customer
 * (relation "self") and each party linked to them as household, spouse, parent, child or sibling,
 * as [{party_id, relation, name_zh, name_latin, status, home_branch, counted}], and, for those
 * counted, {accounts, assets, debts}: what they hold as owner or joint holder, open and with a balance, summed by currency
 * ([{currency, minor, amount}]; assets of deposits, time deposits, investments and insurance, debts
 * of loans and cards).  combined: the same over the members counted, each account once however
 * many of them hold it.  branch, if not NULL, counts only the relatives of that home branch (what
 * a viewer of one branch may see; the customer always); not_counted says how many were left out. */
int wh_household(wh *w, int64_t party, const char *branch, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* ---- calling lists (calllist.c, migration 0021) ----
 * The customers an outbound agent has been given to call, by list.  A list's name and an agent's
 * are 1 to WH_LIST_NAME_MAX bytes; until is the last day (YYYY-MM-DD, Taipei) a customer may be
 * called from it, or NULL while the list runs.  A customer is kept as the customer they are (a
 * source party merged into another is that other) and once per list and agent: *added counts the
 * new ones.  An id that is no party is RP_NOTFOUND naming customers[i]; the caller wraps a list in
 * a transaction so that it lands whole.  Removing (one customer, or every one when party is 0, of
 * one agent or, agent NULL, of all) keeps the row with who took it off and when. */
#define WH_LIST_NAME_MAX 80
int wh_calllist_add(wh *w, const char *list, const char *agent, const int64_t *parties, int n, const char *until,
                    const char *by, int *added, rp_error *err) RP_WARN_UNUSED;
int wh_calllist_remove(wh *w, const char *list, const char *agent, int64_t party, const char *by, int64_t *removed,
                       rp_error *err) RP_WARN_UNUSED;
/* Is the customer on one of the agent's lists that runs on today (YYYY-MM-DD)?  *on 0 or 1. */
int wh_calllist_on(wh *w, const char *agent, int64_t party, const char *today, int *on, rp_error *err) RP_WARN_UNUSED;
/* The entries running on today, of one agent and/or list (NULL: any), at most limit, by list, agent
 * and order of adding: [{list, agent, customer, name_zh, name_latin, home_branch, until, added_at,
 * added_by, last_contact, phones: [{kind, value}]}]; the phones in force, mobile first, in full:
 * the caller masks them for whoever may not dial them. */
int wh_calllist_read(wh *w, const char *agent, const char *list, const char *today, int limit, json_t **out,
                     rp_error *err) RP_WARN_UNUSED;
/* A customer's phones in force now, mobile and primary first: [{kind, value}] (a dialler dials only a
 * number the customer still has). */
int wh_phones(wh *w, int64_t party, json_t **out, rp_error *err) RP_WARN_UNUSED;

int wh_consent_set(wh *w, const wh_consent *c, rp_error *err) RP_WARN_UNUSED;
int wh_lineage_add(wh *w, const char *entity, int64_t id, const char *source,
                   const char *source_key, int64_t job, rp_error *err) RP_WARN_UNUSED;

/* ---- transactions in bulk ----
 *
 * Transactions are kept in blocks (migration 0012): each row of txn_block
 * holds many transactions of one account from one load, and the view txn
 * shows them as rows.  A batch collects transactions, each checked as
 * wh_txn_add checks one (the error names the field); a flush, inside the
 * caller's store transaction, sorts them by account and source key, passes
 * every one that repeats the source key of a transaction of the same account
 * and source -- kept before, or given earlier to the batch -- to dup (with the caller's tag and a message),
 * and writes the rest, one block per account (at most WH_TXN_BLOCK_ROWS
 * each).  Memory is what the batch holds: the caller flushes as often as
 * it commits.
 *
 * On PostgreSQL (its migration 0033) transactions are rows of a table
 * partitioned by month, not blocks: a flush looks up the stored source keys
 * of the whole batch in one statement (only for accounts whose keys reach
 * below the greatest they have, txn_account_key), reserves a run of ids and
 * makes the months' partitions it needs (txn_reserve, under an advisory lock
 * held to the commit, so that ids commit in order across servers), and writes
 * the rest with one COPY, each row with its account's primary holder
 * (holder_party, 0034: the column a distributed store keeps a customer's
 * accounts and transactions together by; docs/scale.md). */
#define WH_TXN_BLOCK_ROWS 4096
typedef struct wh_txn_batch wh_txn_batch;
typedef int (*wh_txn_dup_fn)(void *ctx, int64_t tag, const char *message, rp_error *err);

int wh_txn_batch_new(wh_txn_batch **out, rp_error *err) RP_WARN_UNUSED;
void wh_txn_batch_free(wh_txn_batch *b);
size_t wh_txn_batch_len(const wh_txn_batch *b);
/* Check t and keep a copy of it.  RP_INVAL, RP_TOOBIG, RP_ENCODING or
 * RP_NOTFOUND (no such account) when it is refused; nothing is kept then. */
int wh_txn_batch_add(wh *w, wh_txn_batch *b, const wh_txn *t, int64_t tag, rp_error *err) RP_WARN_UNUSED;
/* The part of wh_txn_batch_add that needs neither the store nor a batch:
 * checking t, all but its account, and writing its row, appended to out.
 * A loader does it on its decoding thread and adds the row on its writing
 * one with wh_txn_batch_add_row, which checks the account.  Offsets are
 * into out's bytes. */
typedef struct wh_txn_row {
    size_t row, rowlen;      /* the row, as JSON */
    size_t key, keylen;      /* the source key as given, if has_key */
    int has_key;
    uint64_t khash, when;    /* the key's hash; posted_at as YYYYMMDDhhmmss */
    char currency[4];        /* the transaction's own; "": the account's */
} wh_txn_row;
int wh_txn_encode(const wh_txn *t, rp_buf *out, wh_txn_row *row, rp_error *err) RP_WARN_UNUSED;
/* Add a row wh_txn_encode wrote into text; as wh_txn_batch_add otherwise. */
int wh_txn_batch_add_row(wh *w, wh_txn_batch *b, int64_t account_id, const char *account_currency,
                         const char *source, int64_t job_id, const char *text, const wh_txn_row *row, int64_t tag,
                         rp_error *err) RP_WARN_UNUSED;
/* Write what the batch holds and empty it; *written (may be NULL) counts the
 * transactions written, the rest went to dup.  The ids given are contiguous
 * from *first_id (may be NULL) in the order of the blocks. */
int wh_txn_batch_flush(wh *w, wh_txn_batch *b, wh_txn_dup_fn dup, void *ctx, int64_t *written,
                       int64_t *first_id, rp_error *err) RP_WARN_UNUSED;
/* Forget what the batch holds (after a rollback), or all but its first n. */
void wh_txn_batch_clear(wh_txn_batch *b);
void wh_txn_batch_truncate(wh_txn_batch *b, size_t n);

/* ---- loading: upserts by source key ---- */

/* What a put did. */
enum { WH_CREATED = 1, WH_UPDATED = 2, WH_UNCHANGED = 3 };

/* The party a source record made; RP_NOTFOUND (no message) if none. */
int wh_party_by_source(wh *w, const char *source, const char *key, int64_t *id,
                       rp_error *err) RP_WARN_UNUSED;
/* Create the party of a source record, or bring it up to date: every
 * attribute that changed is kept in attribute_history with the dates the
 * old value held.  insert_only: an existing party is left as it is. */
int wh_party_upsert(wh *w, const char *source, const char *key, const wh_party *p, int64_t job,
                    int insert_only, int64_t *id, int *outcome, rp_error *err) RP_WARN_UNUSED;
/* Accounts likewise, by account number; lineage under source. */
int wh_account_upsert(wh *w, const char *source, const wh_account *a, int64_t job, int insert_only,
                      int64_t *id, int *outcome, rp_error *err) RP_WARN_UNUSED;
/* An identifier the party may already have (unchanged); other parties may
 * hold the same one until identity resolution. */
int wh_identifier_put(wh *w, int64_t party, const char *type, const char *issuer,
                      const char *value, const char *valid_from, int *outcome,
                      rp_error *err) RP_WARN_UNUSED;
/* A contact point of a kind, purpose and source: the same value is
 * unchanged; a new one closes the old (valid_to today) and opens itself. */
int wh_contact_put(wh *w, int64_t party, const wh_contact *c, int *outcome,
                   rp_error *err) RP_WARN_UNUSED;
int wh_role_put(wh *w, int64_t party, int64_t account, const char *role, const char *since,
                int *outcome, rp_error *err) RP_WARN_UNUSED;
/* Branches, categories and products of a JSON object in the import format
 * (what names it in errors); the caller holds the transaction. */
int wh_reference_put(wh *w, json_t *doc, const char *what, rp_error *err) RP_WARN_UNUSED;

/* ---- what people change, contact preferences, whether to contact (migration 0010) ---- */

/* The preferences, in the order shown: language, channel, hours, days. */
extern const char *const wh_preference_names[];

/* Set one preference of a customer (value NULL or "" clears it), as user
 * `by`, keeping the change (who, when, old, new, why) in customer_change.
 * Values are checked and written in one form:
 *   language  zh-TW, en, ja, ko, vi, id, th, tl (zh_tw, ZH-tw are zh-TW);
 *   channel   mobile, phone, email, sms, mail, branch, app;
 *   hours     "HH:MM-HH:MM", Taipei time, the start before the end;
 *   days      mon..sun, comma-separated, written in week order ("weekdays"
 *             and "every day" are mon-fri and mon-sun).
 * Errors name "preferences.NAME".  *changed (may be NULL) is 0 when the
 * value was so already (nothing written).  The caller holds the transaction. */
int wh_preference_set(wh *w, int64_t person, const char *name, const char *value, const char *by,
                      const char *reason, int *changed, rp_error *err) RP_WARN_UNUSED;

/* A person's change of a contact point of a customer: every current point
 * of that kind and purpose, whatever system it came from, is closed (valid
 * to today) and the new one opened, with the change in customer_change.
 * *old (may be NULL) gets the value replaced, to free, or NULL; *outcome
 * WH_CREATED, WH_UPDATED or WH_UNCHANGED.  The caller holds the transaction. */
int wh_contact_change(wh *w, int64_t person, const wh_contact *c, const char *by, const char *reason,
                      char **old, int *outcome, rp_error *err) RP_WARN_UNUSED;

/* The changes people made to a customer, newest first, at most limit
 * (default 200): [{id, at, by_user, what, field, old_value, new_value,
 * reason}]; what (contact or preference) or NULL for both. */
int wh_changes(wh *w, int64_t person, const char *what, int limit, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Every consent recorded for a customer, newest first. */
int wh_consent_history(wh *w, int64_t person, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* The preferences in force: {name: {value, since, set_by}}. */
int wh_preferences(wh *w, int64_t person, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* May the customer be contacted for a purpose on a channel at time `now`
 * (seconds since 1970)?  The one place that decides it, for everything that
 * contacts customers.  Purposes are the consent purposes and "service" (the
 * customer's own accounts, which needs no consent); channels are mail,
 * email, sms, phone and app.  The consent in force is the latest (by
 * effective date, then as recorded) for the purpose and that channel or
 * "any", already effective; without one the answer is no.  A customer who
 * is deceased or closed is not contacted but for service, and one without a
 * current contact point for the channel cannot be.  *out:
 *   {customer, purpose, channel, allowed, reason, consent|null, reachable,
 *    within_hours|null, language, preferred_channel, hours, days}
 * within_hours says whether now falls in the preferred days and hours
 * (null without preferences); it advises and does not decide. */
int wh_contactable(wh *w, int64_t person, const char *purpose, const char *channel, int64_t now,
                   json_t **out, rp_error *err) RP_WARN_UNUSED;

/* ---- reading ---- */

/* Account id by number; RP_NOTFOUND naming the number otherwise. */
int wh_account_id(wh *w, const char *number, int64_t *id, rp_error *err) RP_WARN_UNUSED;
/* An account by its number, with its currency ("" if it has none);
 * RP_NOTFOUND naming the number otherwise. */
int wh_account_by_number(wh *w, const char *number, int64_t *id, char currency[4], rp_error *err) RP_WARN_UNUSED;
/* How an account number is kept (PCI DSS 3.5.1): a card number (a PAN,
 * security.h: sec_is_pan) as "pan:" and a keyed hash of its digits, with
 * the number sealed beside it (account.sealed) and masked for display
 * (account.masked, 456318******0001); any other number as written.  key
 * gets the stored form; masked (may be NULL) the display form.  1 for a
 * card number.  Lookups by number go through it, so a card is found by its
 * number and the store holds no PAN. */
#define WH_ACCOUNT_KEY_LEN 40
int wh_account_key(const wh *w, const char *number, char key[WH_ACCOUNT_KEY_LEN], char *masked, size_t mn);
/* The number as loaded, from account.sealed. */
int wh_account_number_unseal(const wh *w, const void *sealed, size_t n, char *out, size_t on,
                             rp_error *err) RP_WARN_UNUSED;
/* RP_OK when party id exists, RP_NOTFOUND (no message) when it does not, or
 * the store's failure. */
int wh_party_exists(wh *w, int64_t id, rp_error *err) RP_WARN_UNUSED;

/* A customer's names and home branch ("" for what is not known), for a list that shows them
 * masked (an analyst's drill-down).  RP_NOTFOUND when there is no such party. */
int wh_party_names(wh *w, int64_t id, char *zh, size_t zn, char *latin, size_t ln, char *branch, size_t bn,
                   rp_error *err) RP_WARN_UNUSED;

/* Resolve a key to a party.  A key may carry a prefix that says its kind
 * (id:, nid:, rc:, passport:, ubn:, phone:, acct:, email:, card:, cust:,
 * online:); without one the kind is recognised from its shape and, for
 * plain digits, tried as account, card/source customer number, phone and
 * internal id in that order.  *how (if not NULL) receives the kind that
 * matched.  RP_NOTFOUND or RP_AMBIGUOUS (two different parties) otherwise. */
int wh_find(wh *w, const char *key, int64_t *party, const char **how,
            rp_error *err) RP_WARN_UNUSED;
/* wh_find, giving the record the key named rather than the customer it is merged into today (a
 * calling list keeps the record, so that an unmerge never hands it another customer). */
int wh_find_record(wh *w, const char *key, int64_t *record, rp_error *err) RP_WARN_UNUSED;
/* wh_find with every party the key names (at most max, in *n): a phone a
 * household shares lists them all, as a screen pop must.  RP_NOTFOUND when
 * none. */
int wh_find_all(wh *w, const char *key, int64_t *ids, int max, int *n, const char **how,
                rp_error *err) RP_WARN_UNUSED;

/* Customers with a name (Chinese or romanised, of any of their source
 * records) that has a part starting with text, as [{id, name_zh,
 * name_latin, birth_date, home_branch, status}], at most limit (default
 * 50): whole names first, then given names, then later parts (怡君 and 君
 * find 陳怡君; "yi-chun", "Yichun Chen" and "chun" find "CHEN, YI-CHUN").
 * Blanks, hyphens, commas, full stops, apostrophes and case do not count.
 * alt, if not NULL, is another spelling to try too (the API's Pinyin read
 * as Wade-Giles).  The key table of migration 0011 serves it: the cost does
 * not grow with the store.  branch, if not NULL, is the viewer's scope:
 * only customers whose home branch it is ("" holds none), chosen inside
 * the query, so that the limit counts that branch's customers (the scan
 * then reads past other branches' keys: about limit times the number of
 * branches for an even spread).  born, if not NULL, narrows to customers
 * born then: a year (1985), a month (1985-03) or a day (1985-03-14).
 * Whole-name keys come first, then given names, then later parts; within
 * each, the keys in order, so that a name typed whole comes before the
 * longer names it begins.  At most limit customers: ask for one more than
 * you show to know whether there are more. */
int wh_search_name(wh *w, const char *text, const char *alt, const char *branch, const char *born, int limit,
                   json_t **out, rp_error *err) RP_WARN_UNUSED;

enum {
    WH_C360_REVEAL = 1,   /* unseal identifiers instead of masking them */
    WH_C360_ALL = 2,      /* everything kept about the customer, for a copy of their data: every
                             contact point, transaction (at most WH_C360_ALL_TXNS, newest first),
                             interaction and consent ever recorded, the changes people made, the
                             history of changed attributes, and the latest analysis scores */
};
#define WH_C360_ALL_TXNS 100000
#define WH_C360_RECENT 20     /* latest transactions and interactions shown */

int wh_c360(wh *w, int64_t party, int flags, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* New transactions fire no trigger (it would cost a bulk load a third of
 * its speed), so whoever adds them calls this before committing: the kept
 * 360 documents (migration 0008) of the accounts with transactions added
 * since the last call are deleted.  *gone (may be NULL) gets how many. */
int wh_c360_catch_up(wh *w, int64_t *gone, rp_error *err) RP_WARN_UNUSED;

/* ---- reading in bulk, for the analyses (scan.c) ----
 *
 * The whole store a row at a time, without building JSON.  The readers call
 * fn once per row, with strings valid during the call only (NULL for what
 * is not known); a nonzero return from fn stops the reading and is
 * returned.  Transactions are read with an iterator instead, whose rows
 * hold no copy: their fields point into the row being read.  How
 * transactions are kept (blocks, migration 0012) is the warehouse's own. */

/* The greatest ids there are, 0 for none: arrays indexed by id fit them. */
typedef struct wh_bounds {
    int64_t party, account, txn;
} wh_bounds;
int wh_id_bounds(wh *w, wh_bounds *b, rp_error *err) RP_WARN_UNUSED;

/* Every customer: a party nobody is merged into (a person identity
 * resolution made, or a source party on its own), with the attributes in
 * attrs (a bit 1 << WH_PA_name each; the others NULL). */
typedef int (*wh_customer_fn)(void *ctx, int64_t id, const wh_party *p, rp_error *err);
int wh_customers(wh *w, uint32_t attrs, wh_customer_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;

/* Every holding of an account: the party in its role, and the customer the
 * party is (the person it is merged into, or itself). */
typedef struct wh_holding {
    int64_t account, party, customer;
    const char *role;
} wh_holding;
typedef int (*wh_holding_fn)(void *ctx, const wh_holding *h, rp_error *err);
int wh_holdings(wh *w, wh_holding_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;

/* What happened to each customer besides transactions, one row each, in
 * no order: kind "call" (detail the reason, about the queue, flag 1 when
 * abandoned), "contact" (an interaction that is not a call's: detail the
 * reason, about the channel), "campaign" (a campaign's target: detail
 * treatment or control, about the campaign, at when contacted or else the
 * campaign's start), "response" (detail positive or negative, about the
 * campaign, flag 1 when after its deadline) and "login" (online banking;
 * detail the channel).  at is a date or an instant. */
typedef struct wh_event {
    int64_t customer;
    const char *at, *kind, *detail, *about;
    int flag;
} wh_event;
typedef int (*wh_event_fn)(void *ctx, const wh_event *e, rp_error *err);
int wh_customer_events(wh *w, wh_event_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;

/* Every account statement (card statements: migration 0023), by account and date; an amount the
 * source did not state is NAN in the doubles (minor units). */
typedef struct wh_statement_row {
    int64_t account_id;
    const char *date;
    double balance, limit, payments, previous_balance, minimum_due, cash_advances;
    int64_t days_past_due;
} wh_statement_row;
typedef int (*wh_statement_fn)(void *ctx, const wh_statement_row *r, rp_error *err);
int wh_statements(wh *w, wh_statement_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;

/* Every account with its product, by id. */
typedef struct wh_account_row {
    int64_t id;
    const char *product, *kind;          /* the product's code and kind */
    const char *status, *opened_on, *closed_on;
    double interest_rate;                /* percent a year; NAN when the source gave none */
    int64_t balance_minor;               /* now */
    const char *balance_at;              /* when the source stated it; NULL: it never did */
    const char *matures_on;              /* a time deposit's (a loan's) maturity; NULL: none */
    int64_t product_revenue_minor, product_cost_minor; /* the product's, a month */
} wh_account_row;
typedef int (*wh_account_fn)(void *ctx, const wh_account_row *a, rp_error *err);
int wh_accounts(wh *w, wh_account_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;

/* Every source record of a party, with the party's attributes and whether
 * it has an identity number (national ID, resident certificate, passport,
 * tax number or UBN: not a source system's own customer numbers), a phone
 * (mobile or fixed), an e-mail and an address: what data quality counts. */
typedef struct wh_party_record {
    const char *source;
    int64_t party, merged_into;          /* merged_into 0: none */
    wh_party p;
    int has_identity, has_phone, has_email, has_address;
} wh_party_record;
typedef int (*wh_party_record_fn)(void *ctx, const wh_party_record *r, rp_error *err);
int wh_party_records(wh *w, wh_party_record_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;

/* Where the transactions stand, for a copy of them kept elsewhere (the
 * analyses' column copy).  Rapport only appends transactions; another
 * tool's change or deletion counts up generation.  store names this store
 * (its key check and creation time): a store made again under the same
 * name, and appended to as far, has the same generation and greatest id. */
typedef struct wh_txn_mark {
    char store[96];
    int64_t generation;
    int64_t max_id;                      /* the greatest transaction id, 0 for none */
} wh_txn_mark;
int wh_txn_mark_get(wh *w, wh_txn_mark *m, rp_error *err) RP_WARN_UNUSED;

/* The transactions with ids in (after, upto], or all of them when both
 * are 0, in id order.  wh_txn_scan_next gives RP_ROW and the next one,
 * RP_DONE at the end, or an error; its text is valid until the next call. */
typedef struct wh_txn_scan wh_txn_scan;
typedef struct wh_txn_item {
    int64_t id, account_id, amount_minor;
    const char *posted_at;               /* "YYYY-MM-DDTHH:MM:SSZ" */
    const char *class_;
    int channel;                         /* its place in wh_txn_channels; -1 for another name */
    const char *currency;                /* ISO 4217 */
} wh_txn_item;
int wh_txn_scan_open(wh *w, int64_t after, int64_t upto, wh_txn_scan **out, rp_error *err) RP_WARN_UNUSED;
int wh_txn_scan_next(wh_txn_scan *s, wh_txn_item *t, rp_error *err) RP_WARN_UNUSED;
void wh_txn_scan_close(wh_txn_scan *s);

/* ---- the kept customer 360 (c360doc.c, migration 0008) ----
 *
 * Building a 360 (wh_c360) takes eight queries, about 160 µs at a million
 * customers; the API's busiest route cannot afford that on every view.  So
 * each customer's document is kept in the store (table c360_doc, migration
 * 0008), rendered and masked, in two variants of its contact_points member:
 * in full, for roles that may see phones, e-mails and addresses, and masked.
 * Serving one is one read by primary key and three copies.
 *
 * A kept document is never out of date: the store's triggers delete it in
 * the same transaction as any change to what it shows (see the migration),
 * and a document whose customer's age has moved on is not served.  A missing
 * one is built from the warehouse again: by the view that finds it missing
 * (which serves the live build), by `rapport serve` in the background, or by
 * `rapport customer refresh`. */

typedef struct wh_c360doc {
    char *json;              /* the reply, malloc'd, with a final newline */
    size_t len;
    int64_t person;
    char home_branch[32];
} wh_c360doc;

/* A kept document of customer id (a person, not a merged source party) as a
 * viewer sees it, contacts shown or masked; today is the date in Taipei
 * ("YYYY-MM-DD").  RP_NOTFOUND when none is kept or it is out of date. */
int wh_c360doc_read(wh *w, int64_t id, int show_contacts, const char *today, wh_c360doc *out,
                 rp_error *err) RP_WARN_UNUSED;
void wh_c360doc_free(wh_c360doc *d);

/* Build the document of the customer that id is or belongs to, and keep it
 * (in a transaction of its own, or the caller's); id is then no longer to be
 * built.  RP_NOTFOUND when there is no such party. */
int wh_c360doc_build(wh *w, int64_t id, rp_error *err) RP_WARN_UNUSED;

typedef struct wh_c360doc_stats {
    int64_t built;           /* documents built */
    int64_t kept;            /* documents kept, at the end */
    int64_t customers;       /* customers (persons) in the store */
    double seconds;
} wh_c360doc_stats;

/* Build the documents to be built (or all of them, with all): those a change
 * deleted, new customers' and those out of date by age; at most max (0: no
 * limit), batch per transaction.  Progress on a terminal if progress. */
int wh_c360doc_refresh(wh *w, int all, int64_t max, int batch, int progress, wh_c360doc_stats *st,
                    rp_error *err) RP_WARN_UNUSED;

/* Up to max customers whose document is to be built (table c360_stale, and
 * those out of date by age), for building a few at a time. */
int wh_c360doc_pending(wh *w, int64_t *ids, int max, int *got, rp_error *err) RP_WARN_UNUSED;

/* Compare kept documents (each one, or every nth) with fresh builds.  Each
 * difference is counted and its customer logged. */
int wh_c360doc_verify(wh *w, int every, int64_t *checked, int64_t *differ, rp_error *err) RP_WARN_UNUSED;

/* How many documents are kept, customers there are, and documents are to be built (stale may be NULL). */
int wh_c360doc_count(wh *w, int64_t *kept, int64_t *customers, int64_t *stale, rp_error *err) RP_WARN_UNUSED;


/* ---- identity resolution: source parties and persons (person.c) ----
 *
 * What `rapport match` (src/match) reads of the source parties and writes
 * of the persons it finds.  A source party has resolved = 0; a person is a
 * party identity resolution made (resolved = 1), and each source party it
 * found to be that person points to it (merged_into).  The readers call fn
 * once per row, with strings valid during the call only; a nonzero return
 * from fn stops the reading and is returned.  The writers do not open
 * transactions. */

/* A source party as identity resolution compares it. */
typedef struct wh_source_party {
    int64_t id;
    const char *source, *key;      /* its lineage ("warehouse" and its id when it has none) */
    const char *kind, *name_zh, *name_latin, *birth_date, *gender;
    const char *occupation, *income_band, *home_branch; /* for a matching spec that compares them */
    int64_t merged_into;           /* the person it was found to be; 0 none */
} wh_source_party;
typedef int (*wh_source_party_fn)(void *ctx, const wh_source_party *p, rp_error *err);
/* Every source party once (one with lineage from two sources with one of
 * them), by id. */
int wh_source_parties(wh *w, wh_source_party_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;
/* Every identifier of every party: its type, keyed lookup hash (of type,
 * issuer and value: equal for two parties given the same one) and its value
 * (opened, when sealed, for identity resolution to compare in memory: never
 * written anywhere), national IDs, resident certificates and UBNs aside
 * (value NULL: they are compared by their lookups only). */
typedef int (*wh_party_identifier_fn)(void *ctx, int64_t party, const char *type, const void *lookup, size_t n,
                                      const char *value, rp_error *err);
int wh_source_identifiers(wh *w, wh_party_identifier_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;
/* Every current contact point (no valid_to). */
typedef struct wh_current_contact {
    int64_t party;
    const char *kind, *lookup, *value, *postal_code, *country;
} wh_current_contact;
typedef int (*wh_party_contact_fn)(void *ctx, const wh_current_contact *c, rp_error *err);
int wh_current_contacts(wh *w, wh_party_contact_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;
/* Source parties' attributes as stored (WH_PARTY_ATTRS) and when each was
 * last updated: of the n parties in ids, a lookup each, or of every source
 * party in one scan when ids is NULL. */
typedef int (*wh_party_attrs_fn)(void *ctx, int64_t id, const wh_party *p, const char *updated_at,
                                 rp_error *err);
int wh_source_party_attrs(wh *w, const int64_t *ids, size_t n, wh_party_attrs_fn fn, void *ctx,
                          rp_error *err) RP_WARN_UNUSED;

/* A new person with p's WH_PA_PERSON attributes and status (taken as they
 * are: they are its source parties' values), created at now. */
int wh_person_add(wh *w, const wh_party *p, const char *now, int64_t *id, rp_error *err) RP_WARN_UNUSED;
/* Person id's WH_PA_PERSON attributes and status set from p, and updated_at
 * to now, when any of them differs; nothing written otherwise. */
int wh_person_update(wh *w, int64_t id, const wh_party *p, const char *now, rp_error *err) RP_WARN_UNUSED;
/* Point a source party to its person (person 0: to none), unless it does. */
int wh_party_set_merged(wh *w, int64_t party, int64_t person, rp_error *err) RP_WARN_UNUSED;

/* The customer a party is shown as (the person it is merged into, or
 * itself) and one source party of it (the party itself; for a person, its
 * first source party).  RP_NOTFOUND "no party N". */
int wh_party_customer(wh *w, int64_t party, int64_t *customer, int64_t *member, rp_error *err) RP_WARN_UNUSED;
/* The source parties merged into person but except, at most max of them. */
int wh_person_members(wh *w, int64_t person, int64_t except, int64_t *ids, size_t max, size_t *n,
                      rp_error *err) RP_WARN_UNUSED;
typedef struct wh_customer_counts {
    size_t records;                /* source parties */
    size_t customers;              /* source parties alone and the persons the others are merged into */
    size_t persons;                /* of them, persons of two or more source parties */
} wh_customer_counts;
int wh_customer_count(wh *w, wh_customer_counts *out, rp_error *err) RP_WARN_UNUSED;
/* The customer each source record of a party belongs to, by source and key. */
typedef int (*wh_source_customer_fn)(void *ctx, const char *source, const char *key, int64_t customer,
                                     rp_error *err);
int wh_source_customers(wh *w, wh_source_customer_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;

/* ---- what source systems tell besides records: activity, calls, campaigns (history.c) ----
 *
 * Rows the loader writes from the online, contact-centre and campaign
 * extracts (tables of migration 0002).  As every writer: checked first, the
 * field named in the error, no transaction of their own. */

/* A campaign target's group and a response, X(value, zh, en). */


/* Digital behaviour that is not a money movement (log-ins, pages,
 * instructions): at, kind, source and source_key required; RP_EXISTS when
 * the source gave that key before. */
typedef struct wh_activity {
    int64_t party_id;
    const char *at, *kind, *channel, *detail;
    int has_amount;
    int64_t amount_minor;
    const char *currency;
    const char *source, *source_key;
    int64_t job_id;
} wh_activity;
int wh_activity_add(wh *w, const wh_activity *a, rp_error *err) RP_WARN_UNUSED;

/* A contact-centre call, identified (party_id, and the contact-history entry
 * interaction_id) or not (0); RP_EXISTS when the source gave call_id before. */
typedef struct wh_call {
    const char *call_id, *source, *arrival, *caller, *ivr_path;
    int64_t party_id;
    const char *queue;
    int has_wait, has_talk, has_wrap; /* the seconds known */
    int64_t wait_s, talk_s, wrap_s;
    int abandoned;
    const char *agent, *reason;
    int64_t interaction_id;
    int64_t job_id;
} wh_call;
int wh_call_add(wh *w, const wh_call *c, rp_error *err) RP_WARN_UNUSED;

/* The agent's note of a call, also the notes of its contact-history entry;
 * RP_NOTFOUND when the source has no such call. */
typedef struct wh_call_note {
    const char *source, *call_id, *note, *category, *at, *agent;
} wh_call_note;
int wh_call_note_put(wh *w, const wh_call_note *n, rp_error *err) RP_WARN_UNUSED;
/* The call records that arrived from from to before to (text as the sources wrote it is compared as
 * UTC instants: each arrival is parsed), of one source or all (source NULL), as [{call_id, source,
 * arrival, queue, wait_s, talk_s, wrap_s, abandoned, agent, party_id, reason}], at most max
 * (RP_TOOBIG beyond: narrow the period).  For the contact centre's reports. */
int wh_calls_read(wh *w, int64_t from, int64_t to, const char *source, int64_t max, json_t **out,
                  rp_error *err) RP_WARN_UNUSED;
/* Sales staff recorded (positive campaign responses told by staff) from from to before to: [{by,
 * party_id, at, offer}], the offer of the customer's cell. */
int wh_staff_sales(wh *w, int64_t from, int64_t to, json_t **out, rp_error *err) RP_WARN_UNUSED;

/* An account's statement of one cycle (a card's month): amounts in minor units, has_* saying
 * which the source stated; the same account and date again replaces it.  RP_INVAL naming the
 * member for a missing date or balance or negative days past due. */
typedef struct wh_statement {
    int64_t account_id;
    const char *date, *due_date, *source;
    int64_t previous_balance, purchases, cash_advances, interest_fees, payments, balance, limit, minimum_due;
    int has_previous_balance, has_purchases, has_cash_advances, has_interest_fees, has_payments, has_balance,
        has_limit, has_minimum_due;
    int64_t days_past_due;
    int64_t job_id;
} wh_statement;
int wh_statement_put(wh *w, const wh_statement *s, rp_error *err) RP_WARN_UNUSED;

/* A campaign by its code (created or replaced), who it targeted in which
 * group, and who responded how: RP_NOTFOUND for an unknown campaign, RP_INVAL
 * for a group or response not of the lists above. */
typedef struct wh_campaign {
    const char *code, *name, *offer, *channel, *start_date, *end_date, *response_deadline;
    int64_t job_id;
} wh_campaign;
typedef struct wh_campaign_target {
    const char *campaign;
    int64_t party_id;
    const char *group, *contacted_at, *channel;
    int64_t job_id;
    const char *cell, *offer, *stratum;   /* a designed campaign's (marketing.h); NULL for a loaded one */
    int wave;                             /* 0: none */
} wh_campaign_target;
typedef struct wh_campaign_response {
    const char *campaign;
    int64_t party_id;
    const char *response, *responded_at;
    int64_t job_id;                       /* 0: none */
    const char *source;                   /* wh_response_sources; NULL: "file" */
    const char *recorded_by, *note;       /* staff's */
    const char *product;                  /* the product taken, when known */
} wh_campaign_response;
int wh_campaign_put(wh *w, const wh_campaign *c, rp_error *err) RP_WARN_UNUSED;
int wh_campaign_target_put(wh *w, const wh_campaign_target *t, rp_error *err) RP_WARN_UNUSED;
/* (response.c) A response replaces the customer's earlier one; RP_NOTFOUND "campaign_response.party_id:
 * customer N is not a target of campaign C" for a customer the campaign did not target. */
int wh_campaign_response_put(wh *w, const wh_campaign_response *r, rp_error *err) RP_WARN_UNUSED;
/* Responses seen in behaviour: each target of the group (and cell, NULL: any) who opened an
 * account of product from their contact day (not contacted: from) to to (dates), and has no
 * positive response yet, gets one: source behaviour, the day opened, the product; *added how many. */
typedef struct wh_observe {
    const char *campaign, *group, *cell, *product, *from, *to, *by;
    int wave;                             /* only this wave's targets (0: all) */
} wh_observe;
int wh_campaign_observe(wh *w, const wh_observe *o, int64_t *added, rp_error *err) RP_WARN_UNUSED;
/* Each target of a campaign with its response (response NULL: none), by customer id.  later_touch:
 * the response is positive and another campaign contacted the customer after this one and on or
 * before the response day (last-touch attribution credits that one). */
typedef struct wh_outcome {
    int64_t party_id;
    int control;
    const char *cell, *offer, *channel, *stratum, *contacted_at;
    const char *response, *responded_at, *source, *product;
    int later_touch;
    int wave;                             /* 0: none */
} wh_outcome;
int wh_campaign_outcomes(wh *w, const char *code, int (*fn)(void *u, const wh_outcome *o, rp_error *err), void *u,
                         rp_error *err) RP_WARN_UNUSED;
/* A campaign of the register: {code, name, offer, channel, start_date, end_date, response_deadline,
 * loaded (true when a load job wrote it)}; RP_NOTFOUND "no campaign 'C'". */
int wh_campaign_find(wh *w, const char *code, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* Every campaign so, the latest start first. */
int wh_campaigns(wh *w, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* A campaign designed in Rapport entered in the register (RP_EXISTS naming the code when there is
 * one), or with replace its row rewritten (RP_NOTFOUND when there is none). */
int wh_campaign_register(wh *w, const wh_campaign *c, int replace, rp_error *err) RP_WARN_UNUSED;
/* A selection's targets: the campaign's all dropped, one added (no job; with cell, offer, stratum). */
int wh_campaign_targets_clear(wh *w, const char *code, rp_error *err) RP_WARN_UNUSED;
int wh_campaign_target_add(wh *w, const wh_campaign_target *t, rp_error *err) RP_WARN_UNUSED;
/* {treatment, control, contacted, by_cell: [{cell, offer, channel, customers}], by_wave?: [{wave,
 * treatment, control, contacted}] (a campaign in waves)} */
int wh_campaign_targets_count(wh *w, const char *code, json_t **out, rp_error *err) RP_WARN_UNUSED;
/* A treated target's cell, offer and channel changed (an optimisation's assignment), or with cell
 * NULL the target dropped; RP_NOTFOUND when the customer is not treated in the campaign. */
int wh_campaign_target_cell(wh *w, const char *code, int64_t party, const char *cell, const char *offer,
                            const char *channel, rp_error *err) RP_WARN_UNUSED;
/* The treated targets not yet contacted (of wave, 0: any) marked contacted on day; *marked how many. */
int wh_campaign_contacted(wh *w, const char *code, int wave, const char *day, int64_t *marked,
                          rp_error *err) RP_WARN_UNUSED;

/* (reach.c) A mark of everything wh_reach_all reads besides transactions — consents, do-not-contact,
 * contact points, identifiers (app users), parties' changes, staff, interactions (complaints opened
 * or resolved, outbound contacts), campaign contacts: it differs after any of them changed, so a copy
 * made from them (marketing's selection copy) knows it is stale. */
int wh_reach_mark(wh *w, uint64_t *mark, rp_error *err) RP_WARN_UNUSED;

/* (outreach.c) A campaign's treated customers (never the control group), in cell (NULL: every
 * cell) and customer order, with what a channel needs: names, gender, home branch, the current
 * mailing address (the mail one before home, the primary before others) and its postal code, e-mail,
 * a phone (a mobile first) and a mobile; NULL where the customer has none. */
typedef struct wh_reach_row {
    int64_t party_id;
    const char *cell, *offer, *channel, *name_zh, *name_latin, *gender, *home_branch;
    const char *address, *postal_code, *email, *phone, *mobile;
    int wave;                             /* 0: none */
} wh_reach_row;
int wh_campaign_reach(wh *w, const char *code, const char *cell,
                      int (*fn)(void *u, const wh_reach_row *r, rp_error *err), void *u, rp_error *err) RP_WARN_UNUSED;

/* ---- whom marketing may contact, in bulk; staff and do-not-contact (reach.c) ---- */

/* Staff of the bank or the group: a party with an employee number, from since until until
 * (dates; NULL open).  The same party and number again replaces the dates. */
typedef struct wh_staff {
    int64_t party_id;
    const char *employee_no, *since, *until, *source;
    int64_t job_id;
} wh_staff;
int wh_staff_put(wh *w, const wh_staff *s, rp_error *err) RP_WARN_UNUSED;

/* ---- relationship managers and what event rules read one at a time (manager.c) ---- */

/* A customer's relationship manager: the manager's user name in Rapport (a-z 0-9 . _ -, at most
 * WH_MANAGER_MAX), from since; the same party again replaces it (migration 0027). */
#define WH_MANAGER_MAX 32
typedef struct wh_manager {
    int64_t party_id;
    const char *manager, *since, *source;
    int64_t job_id;
} wh_manager;
int wh_manager_put(wh *w, const wh_manager *m, rp_error *err) RP_WARN_UNUSED;
/* Where a customer's lead goes: their manager's user name and their home branch ("" for none;
 * the customer's own or any of its source parties'). */
int wh_customer_route(wh *w, int64_t customer, char manager[WH_MANAGER_MAX + 1], char branch[16],
                      rp_error *err) RP_WARN_UNUSED;
/* Complaints (interactions of kind complaint) with ids after after, in id order: their id, the
 * customer, when opened and the reason; *last the greatest id read (after when none). */
typedef int (*wh_complaint_fn)(void *ctx, int64_t id, int64_t customer, const char *at, const char *reason,
                               rp_error *err);
int wh_complaints_after(wh *w, int64_t after, wh_complaint_fn fn, void *ctx, int64_t *last,
                        rp_error *err) RP_WARN_UNUSED;
/* An account's customer (its owner's, else any holder's) and currency; RP_NOTFOUND for none. */
int wh_account_holder(wh *w, int64_t account, int64_t *customer, char currency[4], rp_error *err) RP_WARN_UNUSED;
/* An account's transactions in id order (its own history, for the event feed), as the scan gives them. */
typedef int (*wh_history_fn)(void *ctx, const wh_txn_item *t, rp_error *err);
int wh_account_history(wh *w, int64_t account, wh_history_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;
/* The day of the newest transaction ("YYYY-MM-DD"; "" for none): the data's as-of. */
int wh_txn_newest(wh *w, char day[11], rp_error *err) RP_WARN_UNUSED;
/* What keeps a customer out of marketing besides consent (marketing's waterfall has the same steps
 * for everyone): staff now, an open complaint, their age in years (-1 unknown or an organisation). */
int wh_customer_marketable(wh *w, int64_t customer, int64_t now, int *staff, int *complaint, int *age,
                           rp_error *err) RP_WARN_UNUSED;
/* A customer's place in a campaign (they or a source party of theirs): grp treatment or control and
 * their cell; both "" when they are not a target. */
int wh_campaign_target_of(wh *w, const char *code, int64_t customer, char grp[16], char cell[33],
                          rp_error *err) RP_WARN_UNUSED;
/* Whether the customer opened an account of the product from day from to day to (both included). */
int wh_product_opened(wh *w, int64_t customer, const char *product, const char *from, const char *to, int *yes,
                      rp_error *err) RP_WARN_UNUSED;

/* Do not contact: a customer (party_id) or a phone number or e-mail address (value; a national
 * do-not-call registry lists numbers), on a contact channel or "any", for a reason
 * (wh_dnc_reasons()), from since (required) until until (NULL: for ever).  *id (may be NULL) the
 * new entry's. */
typedef struct wh_dnc {
    int64_t party_id;
    const char *value, *channel, *reason, *since, *until, *source, *note;
    int64_t job_id;
} wh_dnc;
int wh_dnc_add(wh *w, const wh_dnc *d, int64_t *id, rp_error *err) RP_WARN_UNUSED;
/* customer_request, registry, legal, complaint, bereavement, other; NULL-terminated. */
const char *const *wh_dnc_reasons(void);
/* A product of the catalogue: its name (zh, else en, else the code) and kind; *exists 0 when none. */
int wh_product_find(wh *w, const char *code, char *name, size_t n, char kind[16], int *exists,
                    rp_error *err) RP_WARN_UNUSED;
/* A contact channel's place in wh_contact_channels (mail 0, email 1, sms 2, phone 3, app 4), or -1. */
int wh_contact_channel(const char *name);

/* What marketing asks of each customer before contacting them, at time now: the same decision as
 * wh_contactable's, for every customer at once.  Bits of contact channels are their places in
 * wh_contact_channels; consent bit (purpose * 8 + channel) for the purposes of
 * wh_consent_purposes: the consent in force (the latest effective by now for that channel or
 * "any") grants it.  reachable: a current contact point for the channel (mail an address, e-mail
 * an address, sms a mobile, phone a mobile or a fixed line, app an internet-banking user id).  dnc:
 * a do-not-contact entry in force for the channel (the customer's, or one of their current phone
 * numbers' or e-mail addresses').  address: a keyed hash of the household's address (the current
 * mailing address, else the home one, else any; 0 none).  last_contact: the day (Taipei, days since
 * 1970) of the latest outbound contact — a campaign's treated target contacted, or an outbound
 * interaction — INT32_MIN for none; recent: such contacts per channel in the window_days to now,
 * recent_all all of them (any channel).  Customers in ascending order of id. */
typedef struct wh_reach {
    int64_t customer;
    uint64_t consent, address;
    int32_t last_contact;
    uint8_t reachable, dnc, staff, complaint, address_rank, recent_all;
    uint8_t recent[5];
    char status[16];
} wh_reach;
typedef int (*wh_reach_fn)(void *ctx, const wh_reach *r, rp_error *err);
int wh_reach_all(wh *w, int64_t now, int window_days, wh_reach_fn fn, void *ctx, rp_error *err) RP_WARN_UNUSED;

/* ---- bulk entry ---- */

/* Load a JSON document of branches, categories, products, parties (with
 * identifiers, contacts, source), accounts (with holders), links,
 * transactions, interactions and consents, in one transaction: all or
 * nothing.  The format is in docs/warehouse.md.  Errors name the member
 * path: "FILE: parties[2].identifiers[0].value: ...". */
typedef struct wh_import_stats {
    int64_t branches, categories, products, parties, identifiers, contacts, accounts, roles,
        links, transactions, interactions, consents;
} wh_import_stats;
int wh_import_json(wh *w, const char *file, const char *by, wh_import_stats *stats,
                   rp_error *err) RP_WARN_UNUSED;

#endif

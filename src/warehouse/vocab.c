/* vocab.c — the warehouse's closed lists of values, as data.  See warehouse.h. */
#include "warehouse/internal.h"

#include <stddef.h>
#include <string.h>

#define LIST(name, X) const char *const name[] = { X(WH_VALUE) NULL };
LIST(wh_party_kinds, WH_PARTY_KINDS)
LIST(wh_party_statuses, WH_PARTY_STATUSES)
LIST(wh_genders, WH_GENDERS)
LIST(wh_identifier_types, WH_IDENTIFIER_TYPES)
LIST(wh_contact_kinds, WH_CONTACT_KINDS)
LIST(wh_contact_purposes, WH_CONTACT_PURPOSES)
LIST(wh_account_statuses, WH_ACCOUNT_STATUSES)
LIST(wh_product_kinds, WH_PRODUCT_KINDS)
LIST(wh_account_roles, WH_ACCOUNT_ROLES)
LIST(wh_party_link_kinds, WH_PARTY_LINK_KINDS)
LIST(wh_account_link_kinds, WH_ACCOUNT_LINK_KINDS)
LIST(wh_txn_channels, WH_TXN_CHANNELS)
LIST(wh_txn_classes, WH_TXN_CLASSES)
LIST(wh_interaction_channels, WH_INTERACTION_CHANNELS)
LIST(wh_directions, WH_DIRECTIONS)
LIST(wh_interaction_kinds, WH_INTERACTION_KINDS)
LIST(wh_consent_purposes, WH_CONSENT_PURPOSES)
LIST(wh_contact_channels, WH_CONTACT_CHANNELS)
LIST(wh_consent_channels, WH_CONSENT_CHANNELS)
LIST(wh_contact_purposes_all, WH_CONTACT_PURPOSES_ALL)
LIST(wh_languages, WH_LANGUAGES)
LIST(wh_preference_channels, WH_PREFERENCE_CHANNELS)
LIST(wh_weekdays, WH_WEEKDAYS)
LIST(wh_campaign_groups, WH_CAMPAIGN_GROUPS)
LIST(wh_campaign_responses, WH_CAMPAIGN_RESPONSES)
LIST(wh_response_sources, WH_RESPONSE_SOURCES)
#undef LIST

const char *const wh_party_attr_names[] = { WH_PARTY_ATTRS(WH_ATTR_NAME) NULL };

#define TERM(v, zh, en, ...) { v, zh, en },
#define TERMS(name, X) static const wh_term name[] = { X(TERM) };
TERMS(t_party_kinds, WH_PARTY_KINDS)
TERMS(t_party_statuses, WH_PARTY_STATUSES)
TERMS(t_genders, WH_GENDERS)
TERMS(t_identifier_types, WH_IDENTIFIER_TYPES)
TERMS(t_contact_kinds, WH_CONTACT_KINDS)
TERMS(t_contact_purposes, WH_CONTACT_PURPOSES)
TERMS(t_account_statuses, WH_ACCOUNT_STATUSES)
TERMS(t_product_kinds, WH_PRODUCT_KINDS)
TERMS(t_account_roles, WH_ACCOUNT_ROLES)
TERMS(t_party_link_kinds, WH_PARTY_LINK_KINDS)
TERMS(t_account_link_kinds, WH_ACCOUNT_LINK_KINDS)
TERMS(t_txn_channels, WH_TXN_CHANNELS)
TERMS(t_txn_classes, WH_TXN_CLASSES)
TERMS(t_interaction_channels, WH_INTERACTION_CHANNELS)
TERMS(t_directions, WH_DIRECTIONS)
TERMS(t_interaction_kinds, WH_INTERACTION_KINDS)
TERMS(t_consent_purposes, WH_CONSENT_PURPOSES)
TERMS(t_contact_channels, WH_CONTACT_CHANNELS)
TERMS(t_consent_channels, WH_CONSENT_CHANNELS)
TERMS(t_contact_purposes_all, WH_CONTACT_PURPOSES_ALL)
TERMS(t_languages, WH_LANGUAGES)
TERMS(t_preference_channels, WH_PREFERENCE_CHANNELS)
TERMS(t_weekdays, WH_WEEKDAYS)
TERMS(t_campaign_groups, WH_CAMPAIGN_GROUPS)
TERMS(t_campaign_responses, WH_CAMPAIGN_RESPONSES)
TERMS(t_response_sources, WH_RESPONSE_SOURCES)
#undef TERMS
#define ATTR_TERM(n, check, max, zh, en, flags) { #n, zh, en },
static const wh_term t_party_attrs[] = { WH_PARTY_ATTRS(ATTR_TERM) };

#define N(a) (int)(sizeof a / sizeof a[0])
const wh_vocab wh_vocabs[] = {
    { "party_kind", t_party_kinds, N(t_party_kinds), 0, "a party is a person or an organisation" },
    { "party_status", t_party_statuses, N(t_party_statuses), 0, "where a party stands with the bank" },
    { "gender", t_genders, N(t_genders), 0, "a person's gender" },
    { "party_attribute", t_party_attrs, N(t_party_attrs), 0, "the attributes of a party, in column order" },
    { "identifier_type", t_identifier_types, N(t_identifier_types), 0,
      "identifiers; national IDs, resident certificates, passports and tax numbers are sealed at rest" },
    { "contact_kind", t_contact_kinds, N(t_contact_kinds), 0, "kinds of contact point" },
    { "contact_purpose", t_contact_purposes, N(t_contact_purposes), 0, "what a contact point is for" },
    { "account_status", t_account_statuses, N(t_account_statuses), 0, "an account's state" },
    { "product_kind", t_product_kinds, N(t_product_kinds), 0, "kinds of product" },
    { "account_role", t_account_roles, N(t_account_roles), 0, "a party's role on an account" },
    { "party_link_kind", t_party_link_kinds, N(t_party_link_kinds), 0, "how two parties are related" },
    { "account_link_kind", t_account_link_kinds, N(t_account_link_kinds), 0, "how two accounts are tied" },
    { "txn_channel", t_txn_channels, N(t_txn_channels), 0, "the channel a transaction came through" },
    { "txn_class", t_txn_classes, N(t_txn_classes), 1,
      "classes of transaction; open: a source may write others" },
    { "interaction_channel", t_interaction_channels, N(t_interaction_channels), 0,
      "the channel of a contact in the contact history" },
    { "direction", t_directions, N(t_directions), 0, "who began a contact" },
    { "interaction_kind", t_interaction_kinds, N(t_interaction_kinds), 0,
      "what a contact was; a complaint stays open until it is resolved" },
    { "consent_purpose", t_consent_purposes, N(t_consent_purposes), 0, "what a customer consents to" },
    { "consent_channel", t_consent_channels, N(t_consent_channels), 0,
      "the channel a consent covers: one, or any" },
    { "contact_channel", t_contact_channels, N(t_contact_channels), 0,
      "the channels a customer is contacted on (whether to contact: GET .../contactable)" },
    { "contact_purpose_any", t_contact_purposes_all, N(t_contact_purposes_all), 0,
      "the purposes of a contact: the consent purposes, and service, which needs no consent" },
    { "language", t_languages, N(t_languages), 0, "a customer's preferred language" },
    { "preference_channel", t_preference_channels, N(t_preference_channels), 0, "a customer's preferred channel" },
    { "weekday", t_weekdays, N(t_weekdays), 0, "days of the week, for preferred contact days" },
    { "campaign_group", t_campaign_groups, N(t_campaign_groups), 0, "a campaign target's group" },
    { "campaign_response", t_campaign_responses, N(t_campaign_responses), 0, "a campaign response" },
    { "response_source", t_response_sources, N(t_response_sources), 0,
      "how a campaign response came: a file, staff, or behaviour (the offered product opened)" },
};
const int wh_nvocabs = N(wh_vocabs);

const wh_vocab *wh_vocab_find(const char *name)
{
    for (int i = 0; name && i < wh_nvocabs; i++)
        if (!strcmp(wh_vocabs[i].name, name))
            return &wh_vocabs[i];
    return NULL;
}

json_t *wh_vocab_json(void)
{
    json_t *all = json_object();
    for (int i = 0; i < wh_nvocabs; i++) {
        const wh_vocab *v = &wh_vocabs[i];
        json_t *terms = json_array();
        for (int t = 0; t < v->n; t++)
            json_array_append_new(terms, json_pack("{s:s, s:s, s:s}", "value", v->terms[t].value, "zh",
                                                   v->terms[t].zh, "en", v->terms[t].en));
        json_object_set_new(all, v->name, json_pack("{s:b, s:s, s:o}", "open", v->open, "about", v->about,
                                                     "terms", terms));
    }
    return all;
}

#define ATTR_OFFSET(n, ...) offsetof(wh_party, n),
static const size_t attr_offset[] = { WH_PARTY_ATTRS(ATTR_OFFSET) };
#undef ATTR_OFFSET

const char *wh_party_attr(const wh_party *p, int i)
{
    if (i < 0 || i >= WH_NPARTY_ATTRS)
        return NULL;
    return *(const char *const *)((const char *)p + attr_offset[i]);
}

const char **wh_party_attr_slot(wh_party *p, int i)
{
    return i >= 0 && i < WH_NPARTY_ATTRS ? (const char **)((char *)p + attr_offset[i]) : NULL;
}

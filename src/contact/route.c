/* route.c — the routing engine: which waiting interaction which free agent takes.  A strategy is a row
 * of the table below: the order interactions are served in and a score of each eligible agent for one;
 * eligibility (state, room on the channel, the skill at the level the wait allows, overflow) is the
 * same for all.  Pure: no clock, no store; the caller applies the decision.  See contact.h. */
#include "contact/contact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const cc_channel_names[CC_NCHANNELS] = { "voice", "email", "chat", "callback", "outbound", "webform" };

static int total_load(const cc_agent *ag)
{
    int n = 0;
    for (int k = 0; k < CC_NCHANNELS; k++)
        n += ag->load[k];
    return n;
}

int cc_eligible(const cc_item *it, const cc_agent *ag, double now)
{
    if (it->channel < 0 || it->channel >= CC_NCHANNELS || it->skill < 0 || it->skill >= CC_MAX_SKILLS)
        return 0;
    if (ag->state != CC_READY && ag->state != CC_BUSY)
        return 0;
    if (it->only_agent > 0 && ag->id != it->only_agent)
        return 0;
    if (ag->load[it->channel] >= ag->capacity[it->channel])
        return 0;
    /* a call (inbound, a call-back, outbound) takes the whole agent; other work shares them, never with a call */
    int calls = ag->load[CC_VOICE] + ag->load[CC_CALLBACK] + ag->load[CC_OUTBOUND];
    int call = it->channel == CC_VOICE || it->channel == CC_CALLBACK || it->channel == CC_OUTBOUND;
    if (call ? total_load(ag) > 0 : calls > 0)
        return 0;
    if (it->only_agent > 0) /* one person asked for by name (a transfer to them): whatever their skills */
        return 1;
    int overflowed = it->overflow_s > 0 && now - it->arrived >= it->overflow_s;
    if (ag->skill[it->skill] >= (overflowed ? 1 : it->min_level > 0 ? it->min_level : 1))
        return 1;
    return overflowed && it->overflow_skill >= 0 && it->overflow_skill < CC_MAX_SKILLS && ag->skill[it->overflow_skill];
}

/* How long the agent has been free (never less than nothing: the switch's clock and ours may differ). */
static double idle(const cc_agent *ag, double now) { return now > ag->idle_since ? now - ag->idle_since : 0; }

/* ---- the strategies ---- */

static int first_come(const cc_item *a, const cc_item *b, double now)
{
    (void)now;
    return a->arrived < b->arrived || (a->arrived == b->arrived && a->id < b->id);
}

static int by_value(const cc_item *a, const cc_item *b, double now)
{
    return a->priority != b->priority ? a->priority > b->priority : first_come(a, b, now);
}

static int inbound_first(const cc_item *a, const cc_item *b, double now)
{
    int ao = a->channel == CC_OUTBOUND, bo = b->channel == CC_OUTBOUND;
    return ao != bo ? bo : first_come(a, b, now);
}

static double s_idle(const cc_centre *c, const cc_item *it, const cc_agent *ag, double now)
{
    (void)c, (void)it;
    return idle(ag, now);
}

static double s_skills(const cc_centre *c, const cc_item *it, const cc_agent *ag, double now)
{
    (void)c;
    return ag->skill[it->skill] * 1e7 + idle(ag, now);
}

static double s_last(const cc_centre *c, const cc_item *it, const cc_agent *ag, double now)
{
    (void)c;
    return (ag->id == it->last_agent ? 1e9 : 0) + idle(ag, now);
}

const cc_strategy cc_strategies[] = {
    { "longest_idle", "the longest-waiting interaction to the agent idle longest", s_idle, first_come },
    { "skills", "the longest-waiting interaction to the most proficient agent in its skill, then the longest idle",
      s_skills, first_come },
    { "value_priority", "the most valuable customers first (their tier), then the longest waiting", s_idle, by_value },
    { "last_agent", "the agent who served the customer last when free, else the longest idle", s_last, first_come },
    { "blended", "inbound before outbound: outbound work only when no inbound interaction can be taken", s_idle,
      inbound_first },
    { NULL, NULL, NULL, NULL },
};

const cc_strategy *cc_strategy_find(const char *name)
{
    for (const cc_strategy *s = cc_strategies; name && s->name; s++)
        if (!strcmp(s->name, name))
            return s;
    return NULL;
}

/* Why: the agent, the skill and level that made them eligible, how long idle; the wait. */
static void explain(const cc_centre *c, const cc_item *it, const cc_agent *ag, double now, char *out, size_t n)
{
    int sk = ag->skill[it->skill] ? it->skill : it->overflow_skill;
    char skname[48];
    if (c->skill_names && sk >= 0 && c->skill_names[sk])
        snprintf(skname, sizeof skname, "%s", c->skill_names[sk]);
    else
        snprintf(skname, sizeof skname, "skill %d", sk);
    snprintf(out, n, "agent %d%s%s%s: skill %s level %d, idle %.0f s; %s waited %.0f s%s%s", ag->id, ag->name[0] ? " (" : "",
             ag->name, ag->name[0] ? ")" : "", skname, sk >= 0 ? ag->skill[sk] : 0, idle(ag, now),
             cc_channel_names[it->channel], now - it->arrived,
             it->overflow_s > 0 && now - it->arrived >= it->overflow_s ? ", overflowed" : "",
             ag->id == it->last_agent ? ", served this customer last" : "");
}

void cc_route(const cc_centre *c, const cc_strategy *s, double now, cc_decision *out)
{
    out->item = out->agent = -1;
    out->why[0] = 0;
    /* the items in the strategy's order: a selection of the next best each time (no copy, no sort;
     * the queue waiting at once is short beside the agents) */
    uint8_t small[1024], *tried = c->nitems <= (int)sizeof small ? small : calloc((size_t)c->nitems, 1);
    int ntry = tried ? c->nitems : 0; /* out of memory: nothing routed this time, the caller tries again */
    if (tried == small)
        memset(tried, 0, (size_t)ntry);
    for (int round = 0; round < ntry; round++) {
        int best = -1;
        for (int i = 0; i < ntry; i++)
            if (!tried[i] && (best < 0 || s->item_before(&c->items[i], &c->items[best], now)))
                best = i;
        tried[best] = 1;
        const cc_item *it = &c->items[best];
        const cc_strategy *ss = it->strategy ? it->strategy : s;
        int pick = -1;
        double top = 0;
        for (int a = 0; a < c->nagents; a++) {
            const cc_agent *ag = &c->agents[a];
            if (!cc_eligible(it, ag, now))
                continue;
            double v = ss->score(c, it, ag, now);
            if (pick < 0 || v > top || (v == top && ag->id < c->agents[pick].id))
                pick = a, top = v;
        }
        if (pick >= 0) {
            out->item = best, out->agent = pick;
            explain(c, it, &c->agents[pick], now, out->why, sizeof out->why);
            break;
        }
    }
    if (tried != small)
        free(tried);
}

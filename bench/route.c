/*
 * route — the routing engine at 1,000 agents and 50 skills (issue 25 item 12): decisions a second
 * and the latency of each (p50, p99, p99.9), in a centre kept busy: interactions arrive (calls and
 * chats, each needing a skill at a level, some overflowing after a wait, customers of ten value tiers),
 * the engine gives each to an agent by the skills strategy (the most proficient, then the longest
 * idle), agents finish at random and are free again.  Each decision is timed alone (clock_gettime
 * around cc_route).  The same centre, the same seed and the same choices are what bench/route.sh runs
 * in Python beside it.
 *
 * usage: build/bench/route [--agents N] [--skills K] [--decisions D] [--queue Q]
 *   --queue: interactions kept waiting (20); prints one line of figures and the decisions' checksum
 */
#include "contact/contact.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next(void)
{
    rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
    return rng;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static void new_item(cc_item *it, int64_t id, int skills, double t)
{
    memset(it, 0, sizeof *it);
    it->id = id;
    it->channel = next() % 4 == 0 ? CC_CHAT : CC_VOICE;
    it->skill = (int)(next() % (uint64_t)skills);
    it->min_level = 1 + (int)(next() % 3);
    it->overflow_skill = -1;
    it->overflow_s = next() % 2 ? 30 : 0;
    it->priority = (int)(next() % 10);
    it->last_agent = -1;
    it->arrived = t;
}

int main(int argc, char **argv)
{
    int agents = 1000, skills = 50, queue = 20;
    long decisions = 200000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--agents"))
            agents = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--skills"))
            skills = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--decisions"))
            decisions = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--queue"))
            queue = atoi(argv[i + 1]);
    }
    if (agents < 1 || skills < 1 || skills > CC_MAX_SKILLS || decisions < 1 || queue < 1) {
        fprintf(stderr, "route: --agents >= 1, --skills 1-%d, --decisions >= 1, --queue >= 1\n", CC_MAX_SKILLS);
        return 2;
    }
    cc_agent *ag = calloc((size_t)agents, sizeof *ag);
    cc_item *it = calloc((size_t)queue, sizeof *it);
    double *lat = malloc(sizeof(double) * (size_t)decisions);
    if (!ag || !it || !lat)
        return 1;
    for (int a = 0; a < agents; a++) {
        ag[a].id = a + 1;
        ag[a].state = CC_READY;
        ag[a].idle_since = -(double)(next() % 600);
        ag[a].capacity[CC_VOICE] = 1, ag[a].capacity[CC_CHAT] = 3;
        for (int k = 0, n = 3 + (int)(next() % 6); k < n; k++) {
            int sk = (int)(next() % (uint64_t)skills); /* two draws in their order (bench/route.sh's twin) */
            ag[a].skill[sk] = (uint8_t)(1 + next() % 5);
        }
    }
    double t = 0;
    int64_t ids = 0;
    for (int q = 0; q < queue; q++)
        new_item(&it[q], ++ids, skills, t);
    const cc_strategy *s = cc_strategy_find("skills");
    uint64_t checksum = 0;
    long made = 0, idle_rounds = 0;
    double t0 = now_s();
    while (made < decisions) {
        cc_centre c = { ag, agents, it, queue, NULL };
        cc_decision d;
        double a0 = now_s();
        cc_route(&c, s, t, &d);
        double a1 = now_s();
        t += 0.05;
        if (d.item < 0) { /* nobody free for what waits: time passes, some agents finish */
            idle_rounds++;
        } else {
            lat[made++] = a1 - a0;
            checksum = checksum * 31 + (uint64_t)(d.item * 1009 + d.agent);
            cc_agent *x = &ag[d.agent];
            x->load[it[d.item].channel]++;
            x->state = CC_BUSY;
            new_item(&it[d.item], ++ids, skills, t);
        }
        /* a few agents finish what they hold */
        for (int k = 0; k < 3; k++) {
            cc_agent *x = &ag[next() % (uint64_t)agents];
            for (int ch = 0; ch < CC_NCHANNELS; ch++)
                if (x->load[ch])
                    x->load[ch]--;
            if (x->state == CC_BUSY && !x->load[CC_VOICE] && !x->load[CC_CHAT])
                x->state = CC_READY, x->idle_since = t;
        }
    }
    double wall = now_s() - t0;
    qsort(lat, (size_t)made, sizeof *lat, cmp);
    double sum = 0;
    for (long i = 0; i < made; i++)
        sum += lat[i];
    printf("rapport routing: %d agents, %d skills, %d waiting: %ld decisions in %.3f s of routing (%.0f a second), "
           "p50 %.1f us, p99 %.1f us, p99.9 %.1f us, max %.1f us; %ld rounds with nothing to route; checksum %llx\n",
           agents, skills, queue, made, sum, (double)made / sum, lat[made / 2] * 1e6, lat[(size_t)(made * 0.99)] * 1e6,
           lat[(size_t)(made * 0.999)] * 1e6, lat[made - 1] * 1e6, idle_rounds, (unsigned long long)checksum);
    (void)wall;
    free(ag), free(it), free(lat);
    return 0;
}

/* fuzz_segment.c — the segment rule language (analytics/segment.h).
 *
 * Input: a rule file (`name = expression` a line).  Rules that parse are
 * evaluated for five made-up customers (one knowing nothing, the others
 * small, negative, zero and huge numbers, texts present and empty; a kept
 * model's score and decile, as score('m') reads them), and
 * the check that puts each in exactly one segment is run on them. */
#include "fuzz.h"
#include "analytics/segment.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ROWS 5

static an_value_cell attr(void *ctx, size_t row, int a)
{
    (void)ctx;
    static const char *const texts[ROWS][4] = { { NULL, NULL, NULL, NULL },
                                                { "F", "3", "0012", "top" },
                                                { "M", "", "", "inactive" },
                                                { "", "9", "9999", "" },
                                                { "X", "1", "0001", "big" } };
    static const double nums[ROWS] = { NAN, 1.5, -7, 0, 1e300 };
    an_value_cell c = { NAN, NULL };
    if (a < 0 || a >= AN_NATTRS + 2 * AN_SEG_MODELS)
        fz_bug("attribute %d asked for", a);
    if (a >= AN_NATTRS) { /* a kept model's score (AN_NATTRS + 2k) or its decile (+ 1): none for row 0 */
        c.num = row == 0 ? NAN : (a - AN_NATTRS) % 2 ? (double)(row * 2) : 0.2 * (double)row;
        return c;
    }
    if (an_attrs[a].text) {
        int k = a == AN_A_GENDER ? 0 : a == AN_A_INCOME_BAND ? 1 : a == AN_A_HOME_BRANCH ? 2 : 3;
        c.str = texts[row][k];
    } else {
        c.num = row == 1 ? nums[1] * (a + 1) : nums[row];
    }
    return c;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_cstr(data, size);
    an_segment_set set;
    rp_error err = RP_ERROR_INIT;
    if (an_segments_parse(text, "fuzz.txt", &set, &err) == RP_OK) {
        int16_t seg[ROWS];
        an_segment_check chk;
        if (an_segments_assign(&set, attr, NULL, ROWS, seg, &chk, &err))
            fz_bug("assign: %s", rp_errmsg(&err));
        for (int r = 0; r < ROWS; r++)
            if (seg[r] < -2 || seg[r] >= set.n)
                fz_bug("row %d in segment %d of %d", r, seg[r], set.n);
        an_segment_check_free(&chk);
        an_segments_free(&set);
    } else {
        (void)strlen(rp_errmsg(&err));
    }
    free(text);
    return 0;
}

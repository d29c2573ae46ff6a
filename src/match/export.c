/* export.c — which customer each source record belongs to, as CSV, for
 * scoring against a truth file (`rapport match export`).  See match.h. */
#include "match/internal.h"
#include "core/csv.h"

#include <stdio.h>
#include <string.h>

typedef struct exporting {
    FILE *out;
    rp_buf b;
} exporting;

static int on_record(void *ctx, const char *source, const char *key, int64_t customer, rp_error *err)
{
    (void)err;
    exporting *x = ctx;
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)customer);
    rp_csv_field(&x->b, source, strlen(source), 1);
    rp_csv_field(&x->b, key, strlen(key), 0);
    rp_csv_field(&x->b, id, strlen(id), 0);
    rp_csv_end_row(&x->b);
    if (x->b.len > (1 << 20)) {
        fwrite(x->b.data, 1, x->b.len, x->out);
        rp_buf_reset(&x->b);
    }
    return RP_OK;
}

int mt_export(wh *w, FILE *out, rp_error *err)
{
    exporting x = { out, RP_BUF_INIT };
    rp_csv_field(&x.b, "source", 6, 1);
    rp_csv_field(&x.b, "source_key", 10, 0);
    rp_csv_field(&x.b, "party_id", 8, 0);
    rp_csv_end_row(&x.b);
    fwrite(x.b.data, 1, x.b.len, out);
    rp_buf_reset(&x.b);
    int rc = wh_source_customers(w, on_record, &x, err);
    if (x.b.len)
        fwrite(x.b.data, 1, x.b.len, out);
    rp_buf_release(&x.b);
    return rc;
}

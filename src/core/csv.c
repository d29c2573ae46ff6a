#include "core/csv.h"

#include <string.h>

int rp_csv_field(rp_buf *b, const char *s, size_t n, int first)
{
    if (!first)
        rp_buf_putc(b, ',');
    int quote = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n') {
            quote = 1;
            break;
        }
    if (!quote)
        return rp_buf_append(b, s, n);
    rp_buf_putc(b, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            rp_buf_putc(b, '"');
        rp_buf_putc(b, s[i]);
    }
    return rp_buf_putc(b, '"');
}

int rp_csv_end_row(rp_buf *b) { return rp_buf_append(b, "\r\n", 2); }

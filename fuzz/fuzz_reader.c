/* fuzz_reader.c — the record readers (core/reader.h): RDW, fixed, lines, CSV,
 * delimited, whitespace; JSON lines are lines to the reader.
 *
 * Input: a format byte, an options byte (bit 0 header, bit 1 UTF-8, bits
 * 2-3 the longest record: 16, 64, 1024 or the default, bit 4 block
 * descriptors for RDW records), the delimiter, the
 * fixed record length / which record to resume at, then the file.  Every
 * record is read and touched; then the reader is opened again and sent to
 * where a load that stopped before record k would resume (rd_seek with
 * the offset rd_bytes_read gave after record k-1), and must read record k
 * as it was read the first time. */
#include "fuzz.h"
#include "core/reader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct seen {
    int got;
    int64_t number;
    char *data;
    size_t len;
    int nfields;
    char *fields; /* each field's bytes, after its length */
    size_t flen;
} seen;

static void keep(seen *k, int got, const rd_record *rec)
{
    k->got = got;
    k->number = rec->number;
    k->len = rec->len;
    k->data = malloc(rec->len + 1);
    memcpy(k->data, rec->data ? rec->data : "", rec->len);
    k->nfields = rec->nfields;
    size_t n = 0;
    for (int i = 0; i < rec->nfields; i++)
        n += sizeof(size_t) + rec->flen[i];
    k->fields = malloc(n + 1);
    k->flen = 0;
    for (int i = 0; i < rec->nfields; i++) {
        memcpy(k->fields + k->flen, &rec->flen[i], sizeof(size_t));
        memcpy(k->fields + k->flen + sizeof(size_t), rec->field[i], rec->flen[i]);
        k->flen += sizeof(size_t) + rec->flen[i];
    }
}

static int same(const seen *a, const seen *b)
{
    return a->got == b->got && a->number == b->number && a->len == b->len && !memcmp(a->data, b->data, a->len) &&
           a->nfields == b->nfields && a->flen == b->flen && !memcmp(a->fields, b->fields, a->flen);
}

static void check(const rd_options *o, const rd_record *rec, int got, size_t size)
{
    size_t max = o->max_record ? o->max_record : RD_DEFAULT_MAX_RECORD;
    if (rec->offset < 0 || (size_t)rec->offset > size)
        fz_bug("record %lld at offset %lld of a %zu-byte file", (long long)rec->number, (long long)rec->offset,
               size);
    if (got == RD_RECORD && o->format != RD_FIXED && rec->len > max)
        fz_bug("record %lld: %zu bytes, the longest allowed is %zu", (long long)rec->number, rec->len, max);
    if (got == RD_RECORD && rec->number < 1)
        fz_bug("record number %lld", (long long)rec->number);
    volatile unsigned sum = 0; /* every byte handed out is read (ASan checks) */
    for (size_t i = 0; rec->data && i < rec->len; i++)
        sum += (unsigned char)rec->data[i];
    for (int i = 0; got == RD_RECORD && i < rec->nfields; i++)
        for (size_t j = 0; j < rec->flen[i]; j++)
            sum += (unsigned char)rec->field[i][j];
    (void)sum;
}

static void resume(const char *path, const rd_options *o, int64_t offset, int64_t recno, const seen *want)
{
    reader *r;
    rp_error err = RP_ERROR_INIT;
    if (rd_open(path, o, &r, &err))
        fz_die("%s", rp_errmsg(&err));
    if (rd_seek(r, offset, recno, &err))
        fz_bug("rd_seek to %lld: %s", (long long)offset, rp_errmsg(&err));
    rd_record rec;
    int got = rd_next(r, &rec, &err);
    seen again;
    memset(&again, 0, sizeof again);
    if (got == RD_RECORD || got == RD_BAD)
        keep(&again, got, &rec);
    else
        again.got = got;
    if (!same(want, &again))
        fz_bug("resumed at byte %lld after record %lld, the reader read record %lld (%zu bytes, %d fields) where "
               "it had read record %lld (%zu bytes, %d fields)",
               (long long)offset, (long long)recno, (long long)again.number, again.len, again.nfields,
               (long long)want->number, want->len, want->nfields);
    free(again.data);
    free(again.fields);
    rd_close(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 4)
        return 0;
    static const size_t maxes[] = { 16, 64, 1024, 0 };
    rd_options o = { 0 };
    o.format = (rd_format)(data[0] % 6);
    o.header = data[1] & 1;
    o.utf8 = (data[1] >> 1) & 1;
    o.max_record = maxes[(data[1] >> 2) & 3];
    o.bdw = (data[1] >> 4) & 1; /* RDW records in blocks with their descriptors (RECFM=VB) */
    o.delimiter = (char)data[2];
    o.reclen = data[3] % 64 + 1;
    int target = data[3] / 64 + 2; /* resume before the 2nd to 5th record read */
    const char *path = fz_write("input", data + 4, size - 4);
    reader *r;
    rp_error err = RP_ERROR_INIT;
    if (rd_open(path, &o, &r, &err))
        fz_die("%s", rp_errmsg(&err));
    seen want;
    memset(&want, 0, sizeof want);
    int64_t after = 0, recno = 0;
    for (int n = 1; n <= 10000; n++) {
        rd_record rec;
        rp_error re = RP_ERROR_INIT;
        int got = rd_next(r, &rec, &re);
        if (got != RD_RECORD && got != RD_BAD)
            break;
        check(&o, &rec, got, size - 4);
        if (n == target && got == RD_RECORD)
            keep(&want, got, &rec);
        if (n == target - 1) {
            after = rd_bytes_read(r);
            recno = rec.number;
        }
    }
    const char **names;
    for (int i = 0, nh = rd_header(r, &names); i < nh; i++)
        (void)strlen(names[i]);
    rd_close(r);
    if (want.got)
        resume(path, &o, after, recno, &want);
    free(want.data);
    free(want.fields);
    return 0;
}

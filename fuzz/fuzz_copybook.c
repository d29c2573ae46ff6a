/* fuzz_copybook.c — COBOL copybooks (etl/copybook.h).
 *
 * Input: a copybook's text.  A layout that parses must hold together: every
 * field inside the record, of a length its kind allows, findable by name;
 * every item of the listing inside the record; a variable layout's fields
 * located in a record of the input's bytes lie inside what the counts make
 * it (copybook.h cb_locate).  Then each numeric field is
 * decoded (etl/convert.h etl_field_decimal) from a record made of the input's
 * own bytes, and, for an edited field, from the input as text: a decimal
 * comes out whole or an error does, never a crash. */
#include "fuzz.h"
#include "etl/convert.h"
#include "etl/copybook.h"

#include <stdlib.h>
#include <string.h>

static void check(const cb_layout *l)
{
    if (l->nfields < 1 || l->nfields > CB_MAX_FIELDS || l->length < 1)
        fz_bug("layout %s: %d fields, %d bytes", l->record, l->nfields, l->length);
    for (int i = 0; i < l->nfields; i++) {
        const cb_field *f = &l->fields[i];
        if (f->offset < 0 || f->length < 1 || f->offset > l->length - f->length)
            fz_bug("field %s: bytes %d+%d of a %d-byte record", f->name, f->offset, f->length, l->length);
        if ((f->kind == CB_ZONED || f->kind == CB_PACKED || f->kind == CB_BINARY || f->kind == CB_EDITED) &&
            (f->digits < 1 || f->digits > CB_MAX_DIGITS || f->scale < -CB_MAX_DIGITS || f->scale > CB_MAX_DIGITS))
            fz_bug("field %s: %d digits, scale %d", f->name, f->digits, f->scale);
        if (f->kind == CB_BINARY && f->digits > 18)
            fz_bug("field %s: binary of %d digits", f->name, f->digits);
        if (f->kind == CB_EDITED && (int)strlen(f->edit) != f->length - f->sign_separate)
            fz_bug("field %s: mask %s for %d bytes", f->name, f->edit, f->length);
        if (f->kind == CB_FLOAT && f->length != 4 && f->length != 8)
            fz_bug("field %s: a float of %d bytes", f->name, f->length);
        if (!cb_find(l, f->name))
            fz_bug("field %s is not found by its name", f->name);
        (void)strlen(cb_kind_name(f->kind));
    }
    for (int i = 0; i < l->nitems; i++) {
        const cb_item *it = &l->items[i];
        if (it->offset < 0 || it->length < 0 || it->occurs < 1 || it->offset + it->length > l->length)
            fz_bug("item %s: bytes %d+%d x %d of a %d-byte record", it->name, it->offset, it->length, it->occurs,
                   l->length);
    }
}

/* Each numeric field decoded from bytes (the input's, over and over) and an edited one from text. */
static void decode(const cb_layout *l, const uint8_t *data, size_t size)
{
    if (!size || l->length > 1 << 20)
        return;
    unsigned char *rec = malloc((size_t)l->length);
    char *text = malloc(CB_EDIT_MAX + 1);
    if (!rec || !text) {
        free(rec);
        free(text);
        return;
    }
    for (int i = 0; i < l->length; i++)
        rec[i] = data[(size_t)i % size];
    int *off = calloc((size_t)l->nfields, sizeof *off), reclen;
    rp_error lerr = RP_ERROR_INIT;
    if (off && cb_locate(l, rec, (size_t)l->length, off, &reclen, &lerr) == RP_OK) { /* counts from the input */
        if (reclen < 0 || reclen > l->length)
            fz_bug("layout %s: a record of %d bytes located in %d", l->record, reclen, l->length);
        for (int i = 0; i < l->nfields; i++)
            if (off[i] != -1 && (off[i] < 0 || off[i] + l->fields[i].length > reclen))
                fz_bug("field %s at %d+%d of a %d-byte record", l->fields[i].name, off[i], l->fields[i].length, reclen);
    }
    free(off);
    for (int i = 0; i < l->nfields; i++) {
        const cb_field *f = &l->fields[i];
        if (f->kind == CB_ALNUM || f->kind == CB_DBCS)
            continue;
        size_t n = size < CB_EDIT_MAX ? size : CB_EDIT_MAX;
        for (size_t k = 0; k < n; k++)
            text[k] = data[k] ? (char)data[k] : ' ';
        text[n] = 0;
        etl_decimal d;
        rp_error err = RP_ERROR_INIT;
        if (etl_field_decimal(f, rec, (size_t)l->length, f->kind == CB_EDITED ? text : NULL, &d, &err) == RP_OK) {
            char out[400];
            int64_t v;
            etl_decimal_text(&d, out, sizeof out);
            if (d.n < 1 || d.n >= (int)sizeof d.digits || d.scale < 0 || strlen(out) < 1)
                fz_bug("field %s: a decimal of %d digits at scale %d", f->name, d.n, d.scale);
            (void)etl_decimal_int(&d, &v);
        } else {
            (void)strlen(rp_errmsg(&err));
        }
    }
    free(rec);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_cstr(data, size);
    cb_layout *l = NULL;
    rp_error err = RP_ERROR_INIT;
    if (cb_parse(text, "fuzz.cpy", &l, &err) == RP_OK) {
        for (const cb_layout *r = l; r; r = r->next) { /* each of its records */
            check(r);
            decode(r, data, size);
        }
    }
    else
        (void)strlen(rp_errmsg(&err));
    cb_free(l);
    free(text);
    return 0;
}

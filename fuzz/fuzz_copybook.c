/* fuzz_copybook.c — COBOL copybooks (etl/copybook.h).
 *
 * Input: a copybook's text.  A layout that parses must hold together: every
 * field inside the record, of a length its kind allows, findable by name. */
#include "fuzz.h"
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
        if ((f->kind == CB_ZONED || f->kind == CB_PACKED || f->kind == CB_BINARY) &&
            (f->digits < 1 || f->digits > 18 || f->scale < 0 || f->scale > f->digits))
            fz_bug("field %s: %d digits, scale %d", f->name, f->digits, f->scale);
        if (!cb_find(l, f->name))
            fz_bug("field %s is not found by its name", f->name);
        (void)strlen(cb_kind_name(f->kind));
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_cstr(data, size);
    cb_layout *l = NULL;
    rp_error err = RP_ERROR_INIT;
    if (cb_parse(text, "fuzz.cpy", &l, &err) == RP_OK)
        check(l);
    else
        (void)strlen(rp_errmsg(&err));
    cb_free(l);
    free(text);
    return 0;
}

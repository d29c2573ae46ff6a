/* preview.c — the first records of a file decoded by a spec and shown, nothing written (rapport load
 * --preview): what a data engineer checks a new spec against before the first load.  See etl.h. */
#include "etl/load_internal.h"
#include "core/json.h"
#include "core/utf8.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

static json_t *text_json(const char *t)
{
    json_t *j = json_string(t);
    if (j)
        return j;
    char shown[4 * SP_TEXT_MAX + 1]; /* not UTF-8: its bytes shown, never passed on */
    rp_utf8_printable(t, strlen(t), shown, sizeof shown);
    return json_string(shown);
}

static json_t *value_json(const sp_field *f, const sp_value *v)
{
    if (v->null)
        return json_null();
    if (f->type == FT_INTEGER && v->is_num)
        return json_integer(v->num);
    if (f->type == FT_AMOUNT && v->is_num) { /* minor units as the currency's decimal */
        uint64_t a = v->num < 0 ? (uint64_t)0 - (uint64_t)v->num : (uint64_t)v->num, p = 1;
        for (int k = 0; k < f->exponent; k++)
            p *= 10;
        char t[48];
        if (f->exponent)
            snprintf(t, sizeof t, "%s%llu.%0*llu", v->num < 0 ? "-" : "", (unsigned long long)(a / p), f->exponent,
                     (unsigned long long)(a % p));
        else
            snprintf(t, sizeof t, "%lld", (long long)v->num);
        return json_string(t);
    }
    return text_json(v->text ? v->text : "");
}

static json_t *reject_json(const sp_reject *rj)
{
    json_t *o = json_object();
    if (o && (json_object_set_new(o, "field", text_json(rj->field)) || json_object_set_new(o, "rule", text_json(rj->rule)) ||
              json_object_set_new(o, "value", text_json(rj->value)) ||
              json_object_set_new(o, "message", text_json(rj->message)))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* One record as its object: the spec's values or its reject, what cleansing fixed, the copybook's fields. */
static int record_json(sp_decoder *dec, const sp_spec *s, const rd_record *rec, json_t *o, rp_error *err)
{
    sp_value vals[SP_MAX_FIELDS];
    sp_reject rj;
    memset(&rj, 0, sizeof rj);
    int rc = sp_decode(dec, rec, vals, &rj, err);
    if (rc != RP_OK && rc != SP_REJECT)
        return rc;
    const char *kind = sp_decoder_record(dec); /* segments: which of the copybook's records it is */
    if (kind && json_object_set_new(o, "segment", json_string(kind)))
        return rp_err(err, RP_NOMEM, NULL);
    json_t *values = rc == SP_REJECT ? json_null() : json_object(), *fixed = json_array();
    int bad = !values || !fixed || json_object_set_new(o, "values", values) ||
              json_object_set_new(o, "rejected", rc == SP_REJECT ? reject_json(&rj) : json_null()) ||
              json_object_set_new(o, "fixed", fixed);
    for (int i = 0; rc == RP_OK && i < s->nfields && !bad; i++)
        if (s->fields[i].src != SRC_SEGMENT) /* a target's record test is the spec's, not a value */
            bad = json_object_set_new(values, s->fields[i].name, value_json(&s->fields[i], &vals[i])) != 0;
    for (int i = 0; rc == RP_OK && i < sp_fixed_count(dec) && !bad; i++) {
        const char *rule, *field;
        sp_fixed_get(dec, i, &rule, &field);
        bad = json_array_append_new(fixed, json_pack("{s:s, s:s}", "rule", rule, "field", field)) != 0;
    }
    if (bad)
        return rp_err(err, RP_NOMEM, NULL);
    if (s->layout) {
        json_t *cb = json_object();
        if (!cb || json_object_set_new(o, "copybook", cb))
            return rp_err(err, RP_NOMEM, NULL);
        return sp_decode_layout(dec, rec, cb, err);
    }
    return RP_OK;
}

static int preview_records(reader *rd, const sp_spec *s, const char *file, int64_t n, json_t *out, rp_error *err)
{
    sp_decoder *dec = NULL;
    int rc = RP_OK;
    for (int64_t k = 0; k < n && !rc; k++) {
        rd_record rec;
        rp_error re = RP_ERROR_INIT;
        int got = rd_next(rd, &rec, &re);
        if (got == RD_END)
            break;
        if (got != RD_RECORD && got != RD_BAD)
            return rp_err(err, got, "%s", rp_errmsg(&re));
        json_t *o = json_pack("{s:I, s:I, s:I}", "record", (json_int_t)rec.number, "offset", (json_int_t)rec.offset,
                              "length", (json_int_t)(rec.data ? rec.len : 0));
        if (!o || json_array_append_new(out, o))
            return rp_err(err, RP_NOMEM, NULL);
        if (got == RD_BAD) {
            sp_reject rj;
            ld__reader_reject(&re, &rj);
            size_t vl = rec.data ? (rec.len < 64 ? rec.len : 64) : 0;
            rp_utf8_printable(rec.data ? rec.data : "", vl, rj.value, sizeof rj.value);
            if (json_object_set_new(o, "values", json_null()) || json_object_set_new(o, "rejected", reject_json(&rj)) ||
                json_object_set_new(o, "fixed", json_array()))
                rc = rp_err(err, RP_NOMEM, NULL);
            continue;
        }
        if (!dec) {
            const char **header;
            int nheader = rd_header(rd, &header);
            if ((rc = sp_decoder_open(s, file, header, nheader, &dec, err)))
                break;
        }
        rc = record_json(dec, s, &rec, o, err);
    }
    sp_decoder_close(dec);
    return rc;
}

int ld_preview(const sp_spec *s, const char *file, int64_t n, json_t **out, rp_error *err)
{
    rd_options ro = sp_reader_options(s);
    reader *rd;
    int rc = rd_open(file, &ro, &rd, err);
    if (rc)
        return rc;
    json_t *a = json_array();
    if (!a)
        rc = rp_err(err, RP_NOMEM, NULL);
    else
        rc = preview_records(rd, s, file, n, a, err);
    rd_close(rd);
    if (rc)
        json_decref(a);
    else
        *out = a;
    return rc;
}

/* ---- what a person uploads ---- */

static int write_all(const char *path, const void *data, size_t n, rp_error *err)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(data, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? RP_OK : rp_err(err, RP_IO, "cannot write the upload to a temporary folder: %s", strerror(errno));
}

/* The spec's copybook member, a plain file name, or "" when it names none. */
static int copybook_name(const char *spec, size_t n, char *out, size_t size, rp_error *err)
{
    json_error_t je;
    json_t *doc = json_loadb(spec, n, JSON_REJECT_DUPLICATES, &je);
    out[0] = 0;
    if (!doc)
        return rp_err(err, RP_INVAL, "spec: not JSON: %s at line %d", je.text, je.line);
    const char *name = json_string_value(json_object_get(doc, "copybook"));
    int rc = RP_OK;
    if (name && (!*name || strchr(name, '/') || strchr(name, '\\') || !strcmp(name, "..") || strlen(name) >= size))
        rc = rp_err(err, RP_INVAL, "spec: copybook: '%.80s' is not a plain file name (the uploaded copybook is it)", name);
    else if (name)
        snprintf(out, size, "%s", name);
    json_decref(doc);
    return rc;
}

int ld_preview_upload(const char *spec, size_t spec_len, const char *copybook, const void *sample, size_t sample_len,
                      int64_t n, json_t **out, rp_error *err)
{
    char name[200], dir[300], path[600];
    int rc = copybook_name(spec, spec_len, name, sizeof name, err);
    if (rc)
        return rc;
    if (*name && !copybook)
        return rp_err(err, RP_INVAL, "copybook: the spec names %s: upload it too", name);
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/rapport-preview-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return rp_err(err, RP_IO, "cannot make a temporary folder: %s", strerror(errno));
    sp_spec *s = NULL;
    if (*name) {
        snprintf(path, sizeof path, "%s/%s", dir, name);
        rc = write_all(path, copybook, strlen(copybook), err);
    }
    snprintf(path, sizeof path, "%s/sample", dir);
    if (!rc && !(rc = write_all(path, sample, sample_len, err)) &&
        !(rc = sp_spec_parse(spec, spec_len, "spec", dir, dir, &s, err)))
        rc = ld_preview(s, path, n, out, err);
    sp_spec_free(s);
    unlink(path);
    if (*name) {
        snprintf(path, sizeof path, "%s/%s", dir, name);
        unlink(path);
    }
    rmdir(dir);
    if (rc && err) { /* the temporary folder is nobody's business: "HOST.cpy:2: ...", "sample: ..." */
        char *at;
        size_t dl = strlen(dir);
        while ((at = strstr(err->msg, dir)) != NULL)
            memmove(at, at + dl + (at[dl] == '/'), strlen(at + dl + (at[dl] == '/')) + 1);
    }
    return rc;
}

/* extract.c — planning the load of a whole extract folder.  See etl.h. */
#include "core/json.h"
#include "etl/etl.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILES 100000

/* A manifest's count of a file (records, bytes): -1 when it gives none. */
static int64_t count_of(json_t *f, const char *key)
{
    json_t *v = f ? json_object_get(f, key) : NULL;
    return json_is_integer(v) && json_integer_value(v) >= 0 ? (int64_t)json_integer_value(v) : -1;
}

static int add(ld_plan *p, int *cap, const char *dir, const char *rel, const char *sha, json_t *entry,
               rp_error *err)
{
    const char *spec;
    int rc = sp_builtin_for_path(rel, &spec, err);
    if (rc)
        return rc;
    if (!spec) {
        const char *ext = strrchr(rel, '.');
        if (ext && (!strcmp(ext, ".cpy") || !strcmp(ext, ".json")))
            return RP_OK; /* copybooks and manifests are read, not loaded */
        char **nu = realloc(p->unknown, (size_t)(p->nunknown + 1) * sizeof *nu);
        if (!nu)
            return rp_err(err, RP_NOMEM, NULL);
        p->unknown = nu;
        if (!(p->unknown[p->nunknown] = strdup(rel)))
            return rp_err(err, RP_NOMEM, NULL);
        p->nunknown++;
        return RP_OK;
    }
    if (p->n == MAX_FILES)
        return rp_err(err, RP_TOOBIG, "%s: more than %d files", dir, MAX_FILES);
    if (p->n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        ld_item *ni = realloc(p->items, (size_t)*cap * sizeof *ni);
        if (!ni)
            return rp_err(err, RP_NOMEM, NULL);
        p->items = ni;
    }
    ld_item *it = &p->items[p->n++];
    memset(it, 0, sizeof *it);
    snprintf(it->path, sizeof it->path, "%s/%s", dir, rel);
    snprintf(it->label, sizeof it->label, "%s", rel);
    snprintf(it->spec, sizeof it->spec, "%s", spec);
    snprintf(it->sha256, sizeof it->sha256, "%s", sha ? sha : "");
    it->records = count_of(entry, "records");
    it->bytes = count_of(entry, "bytes");
    it->depth = sp_builtin_depth(spec);
    return RP_OK;
}

static int walk(ld_plan *p, int *cap, const char *root, const char *rel, int depth, rp_error *err)
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
    DIR *d = opendir(dir);
    if (!d)
        return rp_err(err, RP_IO, "%s: cannot read the folder: %s", dir, strerror(errno));
    struct dirent *e;
    int rc = RP_OK;
    while (!rc && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char r2[512], full[1800];
        snprintf(r2, sizeof r2, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        snprintf(full, sizeof full, "%s/%s", root, r2);
        struct stat st;
        if (stat(full, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            if (depth < 8 && strcmp(r2, "truth") != 0)
                rc = walk(p, cap, root, r2, depth + 1, err);
        } else if (S_ISREG(st.st_mode)) {
            rc = add(p, cap, root, r2, NULL, NULL, err);
        }
    }
    closedir(d);
    return rc;
}

static int by_order(const void *a, const void *b)
{
    const ld_item *x = a, *y = b;
    if (x->depth != y->depth)
        return x->depth - y->depth;
    int c = strcmp(x->spec, y->spec);
    return c ? c : strcmp(x->label, y->label);
}

int ld_plan_dir(const char *dir, int flags, ld_plan *p, rp_error *err)
{
    memset(p, 0, sizeof *p);
    int cap = 0, rc = RP_OK;
    char mpath[1200];
    snprintf(mpath, sizeof mpath, "%s/manifest.json", dir);
    struct stat st;
    if (!(flags & LD_PLAN_NO_MANIFEST) && stat(mpath, &st) == 0) {
        json_t *m;
        if ((rc = rp_json_load_file(mpath, 64 << 20, &m, err)))
            return rc;
        json_t *files = json_object_get(m, "files");
        if (!json_is_array(files)) {
            json_decref(m);
            return rp_err(err, RP_INVAL, "%s: files: an array is needed", mpath);
        }
        size_t k;
        json_t *f;
        json_array_foreach(files, k, f)
        {
            const char *path = json_string_value(json_object_get(f, "path"));
            const char *sys = json_string_value(json_object_get(f, "system"));
            if (!path || strstr(path, "..") || path[0] == '/') {
                rc = rp_err(err, RP_INVAL, "%s: files[%zu].path: a relative path inside the folder is needed",
                            mpath, k);
                break;
            }
            if (sys && !strcmp(sys, "truth"))
                continue;
            json_t *nrec = json_object_get(f, "records"), *nbytes = json_object_get(f, "bytes");
            if ((nrec && (!json_is_integer(nrec) || json_integer_value(nrec) < 0)) ||
                (nbytes && (!json_is_integer(nbytes) || json_integer_value(nbytes) < 0))) {
                rc = rp_err(err, RP_INVAL, "%s: files[%zu] (%s).%s: a count (a whole number, 0 or more) is needed",
                            mpath, k, path, nrec && (!json_is_integer(nrec) || json_integer_value(nrec) < 0)
                                                ? "records" : "bytes");
                break;
            }
            if ((rc = add(p, &cap, dir, path, json_string_value(json_object_get(f, "sha256")), f, err)))
                break;
        }
        json_decref(m);
    } else {
        rc = walk(p, &cap, dir, "", 0, err);
    }
    if (rc) {
        ld_plan_free(p);
        return rc;
    }
    qsort(p->items, (size_t)p->n, sizeof *p->items, by_order);
    return RP_OK;
}

void ld_plan_free(ld_plan *p)
{
    free(p->items);
    for (int i = 0; i < p->nunknown; i++)
        free(p->unknown[i]);
    free(p->unknown);
    memset(p, 0, sizeof *p);
}

/* SPDX-License-Identifier: MIT */
#include "migrate/files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error/error.h"
#include "util/alloc.h"
#include "util/base64.h"

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

void lake__names_free(lake__names *n) {
    for (size_t i = 0; i < n->count; i++) lake__free(n->items[i]);
    lake__free(n->items);
    n->items = NULL;
    n->count = 0;
}

int lake__list_sql(const char *dir, lake__names *out, lake_error *err) {
    memset(out, 0, sizeof *out);
    DIR *d = opendir(dir);
    if (!d) return errno == ENOENT ? LAKE_OK : lake__error(err, LAKE_EIO, "cannot list %s: %s", dir, strerror(errno));
    size_t cap = 0;
    int rc = LAKE_OK;
    for (struct dirent *e; !rc && (e = readdir(d));) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".sql") || e->d_name[0] == '.') continue;
        if (out->count == cap) {
            size_t grown = cap ? cap * 2 : 32;
            char **p = lake__realloc(out->items, cap * sizeof *p, grown * sizeof *p);
            if (!p) {
                rc = lake__error(err, LAKE_ENOMEM, "out of memory");
                break;
            }
            out->items = p;
            cap = grown;
        }
        if (!(out->items[out->count] = lake__strndup(e->d_name, len))) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
        else out->count++;
    }
    closedir(d);
    if (rc) lake__names_free(out);
    else if (out->count) qsort(out->items, out->count, sizeof *out->items, by_name);
    return rc;
}

int lake__read_file(const char *path, char **data, size_t *len, lake_error *err) {
    *data = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) return lake__error(err, errno == ENOENT ? LAKE_ENOTFOUND : LAKE_EIO, "cannot read %s: %s", path, strerror(errno));
    lake__buf b = LAKE__BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) lake__buf_put(&b, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed || b.failed) {
        lake__buf_dispose(&b);
        return lake__error(err, failed ? LAKE_EIO : LAKE_ENOMEM, "cannot read %s", path);
    }
    lake__buf_putc(&b, 0); /* a terminator for parsers; not counted */
    *data = lake__buf_detach(&b, len);
    if (!*data) return lake__error(err, LAKE_ENOMEM, "out of memory");
    (*len)--;
    return LAKE_OK;
}

int lake__write_file(const char *path, const char *data, size_t len, lake_error *err) {
    char temp[4200];
    snprintf(temp, sizeof temp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(temp);
    if (fd < 0) return lake__error(err, LAKE_EIO, "cannot write %s: %s", path, strerror(errno));
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) break;
        done += (size_t)w;
    }
    int ok = done == len && fchmod(fd, 0644) == 0 && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(temp, path)) {
        int saved = errno;
        unlink(temp);
        return lake__error(err, LAKE_EIO, "cannot write %s: %s", path, strerror(saved));
    }
    return LAKE_OK;
}

void lake__h1(const void *data, size_t len, char out[48]) {
    unsigned char digest[32];
    unsigned int n = 0;
    EVP_Digest(data, len, digest, &n, EVP_sha256(), NULL);
    memcpy(out, "h1:", 3);
    out[3 + lake__base64_encode(digest, 32, out + 3)] = 0;
}

/* The state block's JSON, "-- " stripped from each line; NULL when the file
 * has none before "-- +goose Up". */
static int state_json(const char *text, lake__buf *json, bool *found) {
    *found = false;
    bool inside = false;
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        if (len && line[len - 1] == '\r') len--;
        if (!inside && len >= 13 && !strncmp(line, "-- +goose Up", 12)) break;
        if (!inside && len == strlen(LAKE__STATE_BEGIN) && !strncmp(line, LAKE__STATE_BEGIN, len)) {
            inside = *found = true;
        } else if (inside && len == strlen(LAKE__STATE_END) && !strncmp(line, LAKE__STATE_END, len)) {
            return json->failed ? LAKE_ENOMEM : LAKE_OK;
        } else if (inside) {
            if (len < 2 || strncmp(line, "--", 2)) return LAKE_ESCHEMA;
            size_t skip = len > 2 && line[2] == ' ' ? 3 : 2;
            lake__buf_put(json, line + skip, len - skip);
            lake__buf_putc(json, '\n');
        }
        if (!end) break;
        line = end + 1;
    }
    return inside ? LAKE_ESCHEMA : LAKE_OK; /* a block never closed is malformed */
}

int lake__prior_state(const char *dir, const lake__names *files, const char *table, lake_schema **out, char *file,
                      size_t file_cap, lake_error *err) {
    *out = NULL;
    for (size_t i = files->count; i-- > 0;) { /* newest first: names start with the time */
        char path[4200], *text;
        size_t len;
        snprintf(path, sizeof path, "%s/%s", dir, files->items[i]);
        int rc = lake__read_file(path, &text, &len, err);
        if (rc) return rc;
        lake__buf json = LAKE__BUF_INIT;
        bool found;
        rc = state_json(text, &json, &found);
        lake__free(text);
        if (rc == LAKE_ESCHEMA) rc = lake__error(err, LAKE_ESCHEMA, "%s: the lakeorm-state block is malformed", files->items[i]);
        else if (rc) rc = lake__error(err, rc, "out of memory");
        lake_schema *s = NULL;
        if (!rc && found) {
            lake_error why = LAKE_ERROR_INIT;
            if (lake_schema_parse(&s, json.data ? json.data : "", json.len, &why))
                rc = lake__error(err, LAKE_ESCHEMA, "%s: the lakeorm-state block is not a schema: %s", files->items[i],
                                 why.message);
            lake_error_clear(&why);
        }
        lake__buf_dispose(&json);
        if (rc) return rc;
        if (s && !strcasecmp(lake_schema_table(s), table)) { /* engines fold identifier case */
            *out = s;
            if (file) snprintf(file, file_cap, "%s", files->items[i]);
            return LAKE_OK;
        }
        lake_schema_free(s);
    }
    return LAKE_OK;
}

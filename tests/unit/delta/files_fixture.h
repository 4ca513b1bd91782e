/* SPDX-License-Identifier: MIT */
/* What the data-file, statistics and checkpoint tests share: a table in a
 * fresh file:// warehouse, a manifest of the files written (for the
 * scripts in tests/delta/), and running those scripts. */
#ifndef LAKE_TEST_DELTA_FILES_FIXTURE_H
#define LAKE_TEST_DELTA_FILES_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/delta/delta.h"
#include "json/write.h"
#include "lake_test.h"

typedef struct fixture {
    char dir[256];
    lake_backend *store;
    lake__delta delta;
    lake__delta_table table;
} fixture;

/* A table "t" in a new warehouse folder (kept after the test when KEEP is set, for a look). */
static inline void fixture_open(fixture *fx) {
    memset(fx, 0, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/lake-delta-files-XXXXXX");
    CHECK(mkdtemp(fx->dir) != NULL);
    char url[300];
    snprintf(url, sizeof url, "file://%s", fx->dir);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_open(&fx->store, url, &err), &err);
    fx->table.delta = &fx->delta;
    fx->table.store = fx->store;
    snprintf(fx->table.root, sizeof fx->table.root, "t/");
    snprintf(fx->table.name, sizeof fx->table.name, "t");
}

static inline void fixture_close(fixture *fx) {
    lake_backend_free(fx->store);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "%s %s", getenv("KEEP") ? "true" : "rm -rf", fx->dir);
    CHECK_EQ_INT(system(cmd), 0);
}

/* The table's folder on disk. */
static inline void fixture_path(const fixture *fx, char *out, size_t cap) {
    snprintf(out, cap, "%s/t", fx->dir);
}

/* Writes the files' add fields as a JSON array to <dir>/manifest.json:
 * path, partitionValues, size, rows, stats (parsed). */
static inline void fixture_manifest(const fixture *fx, const lake__delta_written *w, size_t n) {
    lake__buf b = LAKE__BUF_INIT;
    lake__buf_putc(&b, '[');
    for (size_t i = 0; i < n; i++) {
        lake__buf_puts(&b, i ? ",{\"path\":" : "{\"path\":");
        lake__json_write_string(&b, w[i].path, strlen(w[i].path));
        lake__buf_puts(&b, ",\"partitionValues\":{");
        for (size_t k = 0; k < w[i].partition_count; k++) {
            if (k) lake__buf_putc(&b, ',');
            lake__json_write_string(&b, w[i].partition_values[k].key, strlen(w[i].partition_values[k].key));
            lake__buf_putc(&b, ':');
            if (w[i].partition_values[k].value)
                lake__json_write_string(&b, w[i].partition_values[k].value, strlen(w[i].partition_values[k].value));
            else
                lake__buf_puts(&b, "null");
        }
        lake__buf_printf(&b, "},\"size\":%lld,\"rows\":%llu,\"stats\":%s}", (long long)w[i].size,
                         (unsigned long long)w[i].rows, w[i].stats);
    }
    lake__buf_putc(&b, ']');
    CHECK(!b.failed);
    char path[300];
    snprintf(path, sizeof path, "%s/manifest.json", fx->dir);
    FILE *f = fopen(path, "w");
    CHECK(f != NULL);
    fwrite(b.data, 1, b.len, f);
    fclose(f);
    lake__buf_dispose(&b);
}

/* Runs tests/delta/<script> with the warehouse folder and more arguments. */
static inline int fixture_python(const fixture *fx, const char *script, const char *args) {
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s/%s %s %s", LAKE_PYTHON, LAKE_DELTA_SCRIPTS, script, fx->dir, args ? args : "");
    return system(cmd);
}

#endif

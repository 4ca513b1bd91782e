/* SPDX-License-Identifier: MIT */
/* The decode step of lakeorm's Databricks SQL reads: every chunk of an
 * ARROW_STREAM result (one IPC stream each, as the links serve them) decoded
 * straight into model structs, strings in an arena reset per chunk, exactly
 * as the driver's cursor does after a download. Prints
 * name=... rows=... seconds=... (best of 3).
 * Usage: bench_databricks_decode DIR */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../sale.h"

#include "arrow/ipc.h"

typedef struct chunk {
    char *data;
    size_t len;
} chunk;

typedef struct sink {
    sale *rows;
    size_t count, cap;
    int64_t checksum;
} sink;

static int keep(void *ctx, const void *record) {
    sink *s = ctx;
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 1024;
        s->rows = realloc(s->rows, s->cap * sizeof *s->rows);
        if (!s->rows) return 1;
    }
    s->rows[s->count++] = *(const sale *)record;
    s->checksum += ((const sale *)record)->id;
    return 0;
}

static int by_name(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s DIR\n", argv[0]);
        return 2;
    }
    DIR *d = opendir(argv[1]);
    char *names[4096];
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d)) && n < 4096;)
        if (strstr(e->d_name, ".arrows")) names[n++] = strdup(e->d_name);
    if (d) closedir(d);
    qsort(names, n, sizeof *names, by_name);
    chunk *chunks = calloc(n, sizeof *chunks);
    for (size_t i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        FILE *f = fopen(path, "rb");
        fseek(f, 0, SEEK_END);
        chunks[i].len = (size_t)ftell(f);
        fseek(f, 0, SEEK_SET);
        chunks[i].data = malloc(chunks[i].len);
        if (fread(chunks[i].data, 1, chunks[i].len, f) != chunks[i].len) return 1;
        fclose(f);
        free(names[i]);
    }
    const lake_schema *schema;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&schema, &sale_model, &err)) return fprintf(stderr, "%s\n", err.message), 1;
    double best = 0;
    size_t rows = 0;
    for (int round = 0; round < 3; round++) {
        lake_arena *arena;
        lake_arena_new(&arena);
        sink s = {0};
        double started = now();
        for (size_t i = 0; i < n; i++) {
            s.count = 0; /* the cursor's buffer holds one chunk */
            lake_arena_reset(arena);
            if (lake__arrow_read(chunks[i].data, chunks[i].len, schema, arena, false, keep, &s, &err))
                return fprintf(stderr, "%s\n", err.message), 1;
            rows += s.count;
        }
        double seconds = now() - started;
        if (!round || seconds < best) best = seconds;
        if (round < 2) rows = 0;
        if (s.checksum < 0) return 1;
        free(s.rows);
        lake_arena_free(arena);
    }
    printf("name=lakeorm-decode rows=%zu seconds=%.4f\n", rows, best);
    for (size_t i = 0; i < n; i++) free(chunks[i].data);
    free(chunks);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* lakeorm's side of the nested decode+validate benchmark: each NDJSON line of
 * order events (a list of item structs with lists of tags, a map, a nullable
 * struct) decoded strictly into a record of events.schema.json and validated
 * with its dive rules, best of three passes. Only the public API: the schema
 * is loaded from the file the CLI would use. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lakeorm.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s SCHEMA.json FILE.ndjson\n", argv[0]);
        return 2;
    }
    lake_schema *schema;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_load(&schema, argv[1], &err)) return fprintf(stderr, "%s\n", err.message), 2;
    FILE *f = fopen(argv[2], "rb");
    if (!f) return perror(argv[2]), 2;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *data = malloc((size_t)size);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) return 2;
    fclose(f);

    lake_arena *arena;
    void *rec = malloc(lake_schema_record_size(schema));
    if (!rec || lake_arena_new(&arena)) return 2;
    double best = 0;
    size_t records = 0, rejected = 0;
    for (int pass = 0; pass < 3; pass++) {
        records = rejected = 0;
        double start = now();
        for (const char *p = data, *end = data + size; p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = (size_t)((nl ? nl : end) - p);
            if (len) {
                if (lake_json_decode(schema, p, len, rec, arena, records, NULL, &err) != LAKE_OK) rejected++;
                /* elements live in the arena: reset it often so memory stays flat */
                if ((++records & 255) == 0) lake_arena_reset(arena);
            }
            p = nl ? nl + 1 : end;
        }
        double s = now() - start;
        if (pass == 0 || s < best) best = s;
    }
    printf("RESULT name=lakeorm records=%zu seconds=%.6f bytes=%ld rejected=%zu\n", records, best, size, rejected);
    lake_arena_free(arena);
    lake_error_clear(&err);
    lake_schema_free(schema);
    free(rec);
    free(data);
    return 0;
}

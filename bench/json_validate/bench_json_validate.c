/* SPDX-License-Identifier: MIT */
/* lakeorm's side of the decode+validate benchmark: each NDJSON line decoded
 * strictly into the struct and validated, best of three passes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lakeorm.h>

typedef struct user {
    lake_uuid id;
    lake_str email;
    lake_str name;
    lake_opt_i32 age;
    lake_str country;
    lake_dec128 balance;
    lake_ts created_at;
    lake_opt_ts updated_at;
} user;

static const lake_field user_fields[] = {
    LAKE_FIELD(user, id, "id,pk", ""),
    LAKE_FIELD(user, email, "email", "required,email"),
    LAKE_FIELD(user, name, "name", "required,min=1,max=64"),
    LAKE_FIELD(user, age, "age", "omitempty,gte=0,lte=150"),
    LAKE_FIELD(user, country, "country", "required,oneof=UK US DE FR NL ES IT SE"),
    LAKE_DECIMAL(user, balance, 18, 2, "balance", ""),
    LAKE_FIELD(user, created_at, "created_at", ""),
    LAKE_FIELD(user, updated_at, "updated_at", ""),
};
static const lake_model user_model = LAKE_MODEL(user, "users", user_fields);

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.ndjson\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f) return perror(argv[1]), 2;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    rewind(f);
    char *data = malloc((size_t)size);
    if (!data || fread(data, 1, (size_t)size, f) != (size_t)size) return 2;
    fclose(f);

    const lake_schema *schema;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&schema, &user_model, &err)) return fprintf(stderr, "%s\n", err.message), 2;
    lake_arena *arena;
    lake_arena_new(&arena);
    user rec;
    double best = 0;
    size_t records = 0, rejected = 0;
    for (int pass = 0; pass < 3; pass++) {
        records = rejected = 0;
        double start = now();
        for (const char *p = data, *end = data + size; p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = (size_t)((nl ? nl : end) - p);
            if (len) {
                if (lake_json_decode(schema, p, len, &rec, arena, records, NULL, &err) != LAKE_OK) rejected++;
                if ((++records & 1023) == 0) lake_arena_reset(arena);
            }
            p = nl ? nl + 1 : end;
        }
        double s = now() - start;
        if (pass == 0 || s < best) best = s;
    }
    printf("RESULT name=lakeorm records=%zu seconds=%.6f bytes=%ld rejected=%zu\n", records, best, size, rejected);
    lake_arena_free(arena);
    lake_error_clear(&err);
    free(data);
    return 0;
}

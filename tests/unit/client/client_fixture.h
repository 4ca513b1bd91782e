/* SPDX-License-Identifier: MIT */
/* What the client tests share: an orders model, a staging folder, helpers
 * that read one number back. Included by each tests/unit/client file. */
#ifndef LAKE_CLIENT_FIXTURE_H
#define LAKE_CLIENT_FIXTURE_H

#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lake_test.h"

typedef struct order {
    int64_t id;
    lake_str customer;
    lake_opt_dec128 total;
    lake_ts placed_at;
    lake_str note;
} order;
static const lake_field order_fields[] = {
    LAKE_FIELD(order, id, "id,pk", ""),
    LAKE_FIELD(order, customer, "customer", "required,email"),
    LAKE_DECIMAL(order, total, 12, 2, "total", "gte=0"),
    LAKE_FIELD(order, placed_at, "placed_at", ""),
    LAKE_FIELD(order, note, "note,nullable", "max=20"),
};
static const lake_model order_model = LAKE_MODEL(order, "orders", order_fields);

static char staging_dir[64], staging_url[96];

static inline const lake_schema *schema(void) {
    const lake_schema *s;
    lake_schema_of(&s, &order_model, NULL);
    return s;
}

static inline void make(order *rows, size_t n, int64_t first) {
    static const char *customers[] = {"ann@example.com", "bob@example.org", "chlo\xC3\xA9@example.fr"};
    for (size_t i = 0; i < n; i++) {
        int64_t id = first + (int64_t)i;
        const char *cu = customers[id % 3];
        rows[i] = (order){id, {cu, strlen(cu)}, {{(uint64_t)(id * 101), 0}, id % 4 != 0},
                          {1700000000000000LL + id}, id % 2 ? (lake_str){"rush", 4} : (lake_str){NULL, 0}};
    }
}

typedef struct counter {
    int64_t n;
} counter;
typedef struct one {
    int64_t n;
} one;
static const lake_field one_fields[] = {LAKE_FIELD(one, n, "n", "")};
static const lake_model one_model = LAKE_MODEL(one, "x", one_fields);

static inline int take(void *ctx, const void *record) {
    ((counter *)ctx)->n = ((const one *)record)->n;
    return LAKE_OK;
}

static inline int64_t scalar(lake_client *c, const char *sql) {
    const lake_schema *s;
    lake_schema_of(&s, &one_model, NULL);
    counter k = {-1};
    lake_error err = LAKE_ERROR_INIT;
    lake_source q = LAKE_SQL(sql);
    if (lake_client_query(c, s, &q, take, &k, &err)) fprintf(stderr, "  %s: %s\n", sql, err.message);
    lake_error_clear(&err);
    return k.n;
}

static inline bool staging_empty(void) {
    char cmd[160];
    snprintf(cmd, sizeof cmd, "test -z \"$(find '%s' -mindepth 1 2>/dev/null)\"", staging_dir);
    return system(cmd) == 0;
}

static inline lake_client *open_client(void) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_client_open(&c, &o, &err)) {
        fprintf(stderr, "  %s\n", err.message);
        return NULL;
    }
    return c;
}


static inline void fixture_begin(void) {
    snprintf(staging_dir, sizeof staging_dir, "/tmp/lake_client_XXXXXX");
    if (!mkdtemp(staging_dir)) exit(1);
    snprintf(staging_url, sizeof staging_url, "file://%s", staging_dir);
}

static inline int fixture_end(void) {
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", staging_dir);
    if (system(cmd)) return 1;
    return lake_test_summary();
}

#endif

/* SPDX-License-Identifier: MIT */
/* The README's quick start, built and run by the test suite so it stays true. */
#include <stdio.h>
#include <string.h>

#include <lakeorm.h>

typedef struct user {
    lake_uuid    id;
    lake_str     email;
    lake_opt_i32 age;          /* nullable: the C type says so */
    lake_ts      created_at;   /* UTC microseconds */
    lake_dec128  balance;      /* exact; precision and scale below */
} user;

static const lake_field user_fields[] = {
    LAKE_FIELD(user, id, "id,pk", ""),
    LAKE_FIELD(user, email, "email,mergeKey", "required,email"),
    LAKE_FIELD(user, age, "age", "omitempty,gte=0,lte=150"),
    LAKE_FIELD(user, created_at, "created_at,partition=day", ""),
    LAKE_DECIMAL(user, balance, 18, 2, "balance", "gte=0"),
};
static const lake_model user_model = LAKE_MODEL(user, "users", user_fields);

static int handle(const char *body, size_t len) {
    const lake_schema *schema;
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    user u;
    if (lake_schema_of(&schema, &user_model, &err)) return -1;   /* compiled once, cached */
    lake_arena_new(&arena);                                      /* owns decoded strings */
    int rc = lake_json_decode(schema, body, len, &u, arena, 0, NULL, &err);
    if (rc == LAKE_EVALIDATION) {
        for (size_t i = 0; i < lake_issues_count(err.issues); i++) {
            const lake_issue *it = lake_issues_get(err.issues, i);
            printf("%s: %s (%s)\n", it->path, it->message, it->rule);  /* one per field: an HTTP 400 */
        }
    } else if (rc == LAKE_OK) {
        printf("ok: %.*s\n", (int)u.email.len, u.email.ptr);
    }
    lake_arena_free(arena);
    lake_error_clear(&err);
    return rc;
}

int main(void) {
    const char *good = "{\"id\":\"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f\",\"email\":\"ann@example.com\","
                       "\"age\":31,\"created_at\":\"2024-03-05T12:34:56Z\",\"balance\":\"10.50\"}";
    const char *bad = "{\"id\":\"x\",\"email\":\"nope\",\"age\":200,\"created_at\":\"2024-03-05T12:34:56Z\","
                      "\"balance\":\"-1\",\"extra\":true}";
    return handle(good, strlen(good)) == LAKE_OK && handle(bad, strlen(bad)) == LAKE_EVALIDATION ? 0 : 1;
}

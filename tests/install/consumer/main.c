/* SPDX-License-Identifier: MIT */
/* A program outside the tree that uses the installed library. */
#include <stdio.h>
#include <string.h>

#include <lakeorm.h>

typedef struct user {
    lake_str email;
    lake_opt_i32 age;
} user;
static const lake_field user_fields[] = {
    LAKE_FIELD(user, email, "email,pk", "required,email"),
    LAKE_FIELD(user, age, "age", "omitempty,gte=0"),
};
static const lake_model user_model = LAKE_MODEL(user, "users", user_fields);

int main(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&s, &user_model, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    lake_arena *arena;
    lake_arena_new(&arena);
    user u;
    const char *json = "{\"email\":\"ann@example.com\",\"age\":31}";
    int rc = lake_json_decode(s, json, strlen(json), &u, arena, 0, NULL, &err);
    printf("lakeorm %s: %s age=%d\n", lake_version(), rc == LAKE_OK ? "ok" : err.message, u.age.v);
    lake_arena_free(arena);
    lake_error_clear(&err);
    return rc == LAKE_OK && u.age.v == 31 ? 0 : 1;
}

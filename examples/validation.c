/* SPDX-License-Identifier: MIT */
/* validation: what an HTTP handler returns for a bad body. Every failing
 * field is reported at once, as JSON ready for a 400 response; a batch insert
 * with bad records writes nothing and names each record and field. */
#include <stdio.h>
#include <string.h>

#include <lakeorm.h>

typedef struct signup {
    lake_uuid id;
    lake_str  email;
    lake_str  plan;
    lake_opt_i32 seats;
} signup;

static const lake_field signup_fields[] = {
    LAKE_FIELD(signup, id, "id,pk", ""),
    LAKE_FIELD(signup, email, "email", "required,email"),
    LAKE_FIELD(signup, plan, "plan", "required,oneof=free team enterprise"),
    LAKE_FIELD(signup, seats, "seats", "omitempty,min=1,max=500"),
};
static const lake_model signup_model = LAKE_MODEL(signup, "signups", signup_fields);

/* The handler: 201 on success, 400 with {"errors":[...]} otherwise. */
static int handle(lake_client *client, const lake_schema *schema, const char *body) {
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    signup s;
    if (lake_arena_new(&arena)) return 500;
    int status = 201;
    int rc = lake_json_decode(schema, body, strlen(body), &s, arena, 0, NULL, &err);
    if (rc == LAKE_OK) rc = lake_client_insert(client, schema, &s, 1, NULL, NULL, &err);
    if (rc == LAKE_EVALIDATION) {
        char *json;
        size_t len;
        lake_issues_to_json(err.issues, 0, lake_issues_count(err.issues), &json, &len);
        printf("400 {\"errors\":%s}\n", json);
        lake_free(json);
        status = 400;
    } else if (rc) {
        printf("500 %s\n", err.message);
        status = 500;
    } else {
        printf("201 created %.*s\n", (int)s.email.len, s.email.ptr);
    }
    lake_arena_free(arena);
    lake_error_clear(&err);
    return status;
}

int main(void) {
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    if (lake_schema_of(&schema, &signup_model, &err) || lake_client_open(&client, NULL, &err) ||
        lake_client_migrate(client, schema, &err)) {
        fprintf(stderr, "validation: %s\n", err.message);
        return 1;
    }
    int a = handle(client, schema,
                   "{\"id\":\"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f\",\"email\":\"ops@example.com\",\"plan\":\"team\","
                   "\"seats\":12}");
    int b = handle(client, schema, "{\"id\":\"42\",\"email\":\"ops@\",\"plan\":\"gold\",\"seats\":0,\"admin\":true}");
    int c = handle(client, schema, "{\"id\":\"0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e70\",\"email\":\"x@example.com\"} trailing");
    lake_client_close(client);
    return a == 201 && b == 400 && c == 400 ? 0 : 1;
}

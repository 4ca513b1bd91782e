/* SPDX-License-Identifier: MIT */
/* lakeorm's side of the decode+validate benchmark: each NDJSON line decoded
 * strictly into the struct and validated, best of three passes. */
#include "../ndjson_decode.h"

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

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s FILE.ndjson\n", argv[0]);
        return 2;
    }
    const lake_schema *schema;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&schema, &user_model, &err)) return fprintf(stderr, "%s\n", err.message), 2;
    size_t size;
    char *data = bench_read_file(argv[1], &size);
    user rec;
    int rc = data ? bench_decode_lines("lakeorm", schema, data, size, &rec) : 2;
    free(data);
    return rc;
}

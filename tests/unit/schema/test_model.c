/* SPDX-License-Identifier: MIT */
/* Compiling C models: types from the members, tags, and every schema error. */
#include <pthread.h>

#include "lake_test.h"
#include "schema/schema.h"

typedef struct address {
    lake_str city;
    lake_opt_i32 zip;
} address;
static const lake_field address_fields[] = {
    LAKE_FIELD(address, city, "city", "required"),
    LAKE_FIELD(address, zip, "zip", ""),
};
static const lake_model address_model = LAKE_MODEL(address, "", address_fields);

typedef struct everything {
    bool flag;
    int8_t i8;
    int16_t i16;
    int32_t i32;
    int64_t i64;
    float f32;
    double f64;
    lake_str name;
    lake_bytes blob;
    lake_ts at;
    lake_date day;
    lake_dec128 amount;
    lake_uuid id;
    lake_ksuid sid;
    lake_opt_i64 maybe;
    lake_opt_dec128 maybe_amount;
    lake_str note;
    lake_str ingest;
    address home;
} everything;

static const lake_field everything_fields[] = {
    LAKE_FIELD(everything, flag, "flag", ""),
    LAKE_FIELD(everything, i8, "i8", ""),
    LAKE_FIELD(everything, i16, "i16", ""),
    LAKE_FIELD(everything, i32, "i32", ""),
    LAKE_FIELD(everything, i64, "i64,mergeKey", ""),
    LAKE_FIELD(everything, f32, "f32", ""),
    LAKE_FIELD(everything, f64, "f64", ""),
    LAKE_FIELD(everything, name, " name , partition=truncate[4] ", "required"),
    LAKE_FIELD(everything, blob, "blob", ""),
    LAKE_FIELD(everything, at, "at,partition=day", ""),
    LAKE_FIELD(everything, day, "day", ""),
    LAKE_DECIMAL(everything, amount, 38, 10, "amount", ""),
    LAKE_FIELD(everything, id, "id,pk", ""),
    LAKE_FIELD(everything, sid, "sid", ""),
    LAKE_FIELD(everything, maybe, "maybe", ""),
    LAKE_DECIMAL(everything, maybe_amount, 9, 2, "maybe_amount", ""),
    LAKE_FIELD(everything, note, "note,nullable", ""),
    LAKE_FIELD(everything, ingest, "ingest,auto=ingestID", ""),
    LAKE_STRUCT(everything, home, address, address_model, "home", ""),
};
static const lake_model everything_model = LAKE_MODEL(everything, "everything", everything_fields);

static void maps_every_member_type(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &everything_model, &err), &err);
    CHECK_EQ_STR(lake_schema_table(s), "everything");
    CHECK_EQ_INT(lake_schema_column_count(s), 19);
    CHECK_EQ_INT(lake_schema_record_size(s), sizeof(everything));
    static const lake_type want[] = {LAKE_BOOL, LAKE_INT8, LAKE_INT16, LAKE_INT32, LAKE_INT64,
                                     LAKE_FLOAT32, LAKE_FLOAT64, LAKE_STRING, LAKE_BYTES, LAKE_TIMESTAMP,
                                     LAKE_DATE, LAKE_DECIMAL, LAKE_UUID, LAKE_SORTABLE_ID, LAKE_INT64,
                                     LAKE_DECIMAL, LAKE_STRING, LAKE_STRING, LAKE_STRUCT};
    for (size_t i = 0; i < 19; i++) {
        CHECK_EQ_INT(lake_schema_column(s, i)->type, want[i]);
        CHECK_EQ_INT(lake_schema_column(s, i)->field_id, (int)i + 1);
    }
    const lake_column *name = lake_schema_find(s, "name");
    CHECK(name != NULL);
    CHECK_EQ_INT(name->offset, offsetof(everything, name));
    CHECK_EQ_INT(name->partition, LAKE_PARTITION_TRUNCATE);
    CHECK_EQ_INT(name->partition_param, 4);
    CHECK(!name->nullable);
    CHECK(lake_schema_find(s, "maybe")->nullable);
    CHECK(lake_schema_find(s, "note")->nullable);
    CHECK(lake_schema_find(s, "id")->primary_key);
    CHECK(lake_schema_find(s, "i64")->merge_key);
    CHECK(lake_schema_find(s, "ingest")->auto_ingest_id);
    CHECK_EQ_INT(lake_schema_find(s, "at")->partition, LAKE_PARTITION_DAY);
    CHECK_EQ_INT(lake_schema_find(s, "amount")->precision, 38);
    CHECK_EQ_INT(lake_schema_find(s, "amount")->scale, 10);
    CHECK_EQ_STR(lake_schema_find(s, "name")->member, "name");
    const lake_column *home = lake_schema_find(s, "home");
    CHECK(home->child != NULL);
    CHECK_EQ_INT(lake_schema_column_count(home->child), 2);
    CHECK_EQ_INT(lake_schema_column(home->child, 0)->field_id, 20); /* nested ids follow the top level */
    CHECK(lake_schema_find(s, "_ingest_id") == NULL);
}

static void caches_the_compiled_schema(void) {
    const lake_schema *a, *b;
    CHECK_OK(lake_schema_of(&a, &everything_model, NULL), NULL);
    CHECK_OK(lake_schema_of(&b, &everything_model, NULL), NULL);
    CHECK(a == b);
}

typedef struct small {
    int64_t id;
    lake_str name;
} small;
static const lake_field small_fields[] = {LAKE_FIELD(small, id, "id", ""), LAKE_FIELD(small, name, "name", "")};
static const lake_model small_model = LAKE_MODEL(small, "small", small_fields);

static void *compile_small(void *out) {
    lake_schema_of((const lake_schema **)out, &small_model, NULL);
    return NULL;
}

static void compiles_once_under_concurrent_first_use(void) {
    pthread_t t[8];
    const lake_schema *got[8] = {0};
    for (int i = 0; i < 8; i++) pthread_create(&t[i], NULL, compile_small, &got[i]);
    for (int i = 0; i < 8; i++) pthread_join(t[i], NULL);
    for (int i = 0; i < 8; i++) CHECK(got[i] != NULL && got[i] == got[0]);
}

static void maps_types_to_engine_sql(void) {
    const lake_schema *s;
    char buf[256];
    CHECK_OK(lake_schema_of(&s, &everything_model, NULL), NULL);
    static const struct { const char *col, *duck, *spark; } cases[] = {
        {"flag", "BOOLEAN", "BOOLEAN"},   {"i8", "TINYINT", "TINYINT"},  {"i16", "SMALLINT", "SMALLINT"},
        {"i32", "INTEGER", "INT"},        {"i64", "BIGINT", "BIGINT"},   {"f32", "FLOAT", "FLOAT"},
        {"f64", "DOUBLE", "DOUBLE"},      {"name", "VARCHAR", "STRING"}, {"blob", "BLOB", "BINARY"},
        {"at", "TIMESTAMPTZ", "TIMESTAMP"}, {"day", "DATE", "DATE"},
        {"amount", "DECIMAL(38,10)", "DECIMAL(38,10)"}, {"id", "UUID", "STRING"},
        {"sid", "VARCHAR", "STRING"},
        {"home", "STRUCT(\"city\" VARCHAR, \"zip\" INTEGER)", "STRUCT<`city`: STRING, `zip`: INT>"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const lake_column *c = lake_schema_find(s, cases[i].col);
        CHECK_OK(lake_column_sql_type(c, LAKE_DIALECT_DUCKDB, buf, sizeof buf), NULL);
        CHECK_EQ_STR(buf, cases[i].duck);
        CHECK_OK(lake_column_sql_type(c, LAKE_DIALECT_ICEBERG, buf, sizeof buf), NULL);
        CHECK_EQ_STR(buf, cases[i].spark);
        CHECK_OK(lake_column_sql_type(c, LAKE_DIALECT_DELTA, buf, sizeof buf), NULL);
        CHECK_EQ_STR(buf, cases[i].spark);
    }
    CHECK_EQ_INT(lake_column_sql_type(lake_schema_find(s, "amount"), LAKE_DIALECT_DUCKDB, buf, 5), LAKE_EINVAL);
    CHECK_EQ_INT(lake_column_sql_type(lake_schema_find(s, "amount"), (lake_dialect)0, buf, sizeof buf), LAKE_EINVAL);
}

/* Builds a one-off model around a field table and expects a schema error. */
#define EXPECT_SCHEMA_ERROR(S, fields, needle)                                      \
    do {                                                                            \
        lake_model m_ = LAKE_MODEL(S, "t", fields);                                 \
        lake_schema *s_ = NULL;                                                     \
        lake_error e_ = LAKE_ERROR_INIT;                                            \
        CHECK_STATUS(lake__schema_compile(&s_, &m_, &e_), LAKE_ESCHEMA, &e_);       \
        CHECK(s_ == NULL);                                                          \
        CHECK_CONTAINS(e_.message, needle);                                         \
        lake_error_clear(&e_);                                                      \
    } while (0)

typedef struct two {
    int64_t a;
    lake_str b;
    lake_opt_i32 c;
    int32_t d;
    lake_dec128 e;
    lake_ts f;
} two;

static void rejects_bad_tags(void) {
    const lake_field unknown[] = {LAKE_FIELD(two, a, "a,indexed", "")};
    EXPECT_SCHEMA_ERROR(two, unknown, "unknown modifier \"indexed\"");
    const lake_field empty[] = {LAKE_FIELD(two, a, ",pk", "")};
    EXPECT_SCHEMA_ERROR(two, empty, "empty column name");
    const lake_field reserved[] = {LAKE_FIELD(two, a, "_ingest_id", "")};
    EXPECT_SCHEMA_ERROR(two, reserved, "system column");
    const lake_field reserved_case[] = {LAKE_FIELD(two, b, "_INGEST_ID,pk", "")};
    EXPECT_SCHEMA_ERROR(two, reserved_case, "system column");
    const lake_field dup[] = {LAKE_FIELD(two, a, "x", ""), LAKE_FIELD(two, b, "X", "")};
    EXPECT_SCHEMA_ERROR(two, dup, "duplicate column \"X\": already declared by field a");
    const lake_field auto_int[] = {LAKE_FIELD(two, a, "a,auto=ingestID", "")};
    EXPECT_SCHEMA_ERROR(two, auto_int, "auto=ingestID needs a string");
    const lake_field auto_other[] = {LAKE_FIELD(two, b, "b,auto=createTime", "")};
    EXPECT_SCHEMA_ERROR(two, auto_other, "the only auto value is ingestID");
    const lake_field req_tag[] = {LAKE_FIELD(two, b, "b,required", "")};
    EXPECT_SCHEMA_ERROR(two, req_tag, "validation rules go in the field's rules string");
    const lake_field twice[] = {LAKE_FIELD(two, a, "a,pk,pk", "")};
    EXPECT_SCHEMA_ERROR(two, twice, "appears twice");
    const lake_field pk_value[] = {LAKE_FIELD(two, a, "a,pk=true", "")};
    EXPECT_SCHEMA_ERROR(two, pk_value, "takes no value");
    const lake_field nullable_plain[] = {LAKE_FIELD(two, d, "d,nullable", "")};
    EXPECT_SCHEMA_ERROR(two, nullable_plain, "declare it as its lake_opt_* type");
    const lake_field nullable_pk[] = {LAKE_FIELD(two, c, "c,pk", "")};
    EXPECT_SCHEMA_ERROR(two, nullable_pk, "primary-key column cannot be nullable");
    const lake_field nullable_merge[] = {LAKE_FIELD(two, b, "b,mergeKey,nullable", "")};
    EXPECT_SCHEMA_ERROR(two, nullable_merge, "merge-key column cannot be nullable");
    const lake_field bad_part[] = {LAKE_FIELD(two, a, "a,partition=bucket:16", "")};
    EXPECT_SCHEMA_ERROR(two, bad_part, "unknown partition transform");
    const lake_field zero_bucket[] = {LAKE_FIELD(two, a, "a,partition=bucket[0]", "")};
    EXPECT_SCHEMA_ERROR(two, zero_bucket, "unknown partition transform");
    const lake_field day_on_int[] = {LAKE_FIELD(two, a, "a,partition=day", "")};
    EXPECT_SCHEMA_ERROR(two, day_on_int, "does not apply to a int64 column");
    const lake_field control[] = {LAKE_FIELD(two, a, "a\tb", "")};
    EXPECT_SCHEMA_ERROR(two, control, "control character");
}

static void accepts_every_partition_transform(void) {
    const lake_field fields[] = {
        LAKE_FIELD(two, a, "a,partition=bucket[16]", ""), LAKE_FIELD(two, b, "b,partition", ""),
        LAKE_FIELD(two, d, "d,partition=truncate[10]", ""), LAKE_FIELD(two, f, "f,partition=hour", ""),
    };
    lake_model m = LAKE_MODEL(two, "t", fields);
    lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__schema_compile(&s, &m, &err), &err);
    CHECK_EQ_INT(lake_schema_column(s, 0)->partition, LAKE_PARTITION_BUCKET);
    CHECK_EQ_INT(lake_schema_column(s, 0)->partition_param, 16);
    CHECK_EQ_INT(lake_schema_column(s, 1)->partition, LAKE_PARTITION_IDENTITY);
    CHECK_EQ_INT(lake_schema_column(s, 2)->partition, LAKE_PARTITION_TRUNCATE);
    CHECK_EQ_INT(lake_schema_column(s, 3)->partition, LAKE_PARTITION_HOUR);
    lake_schema_free(s);
}

static void rejects_bad_rules(void) {
    const lake_field unknown[] = {LAKE_FIELD(two, b, "b", "required,emial")};
    EXPECT_SCHEMA_ERROR(two, unknown, "unknown validation rule \"emial\"");
    const lake_field req_plain[] = {LAKE_FIELD(two, d, "d", "required")};
    EXPECT_SCHEMA_ERROR(two, req_plain, "required cannot fail on a non-nullable int32 column");
    const lake_field email_int[] = {LAKE_FIELD(two, a, "a", "email")};
    EXPECT_SCHEMA_ERROR(two, email_int, "rule email does not apply to a int64 column");
    const lake_field min_noparam[] = {LAKE_FIELD(two, b, "b", "min")};
    EXPECT_SCHEMA_ERROR(two, min_noparam, "rule min needs a parameter");
    const lake_field min_text[] = {LAKE_FIELD(two, a, "a", "min=abc")};
    EXPECT_SCHEMA_ERROR(two, min_text, "expected an integer");
    const lake_field email_param[] = {LAKE_FIELD(two, b, "b", "email=x")};
    EXPECT_SCHEMA_ERROR(two, email_param, "takes no parameter");
    const lake_field empty_rule[] = {LAKE_FIELD(two, b, "b", "required,,email")};
    EXPECT_SCHEMA_ERROR(two, empty_rule, "empty validation rule");
    const lake_field dive[] = {LAKE_FIELD(two, b, "b", "dive")};
    EXPECT_SCHEMA_ERROR(two, dive, "dive applies to lists and maps");
    const lake_field dec_scale[] = {LAKE_DECIMAL(two, e, 10, 2, "e", "gte=0.001")};
    EXPECT_SCHEMA_ERROR(two, dec_scale, "more decimal places");
    const lake_field bad_layout[] = {LAKE_FIELD(two, b, "b", "datetime=hello")};
    EXPECT_SCHEMA_ERROR(two, bad_layout, "not a Go time layout");
    const lake_field oneof_float[] = {LAKE_FIELD(two, a, "a", "oneof=1 x")};
    EXPECT_SCHEMA_ERROR(two, oneof_float, "is not an integer");
    const lake_field req_alt[] = {LAKE_FIELD(two, b, "b", "required|email")};
    EXPECT_SCHEMA_ERROR(two, req_alt, "required cannot be an alternative");
}

static void rejects_descriptors_that_do_not_match_the_struct(void) {
    lake_field f[] = {LAKE_FIELD(two, a, "a", "")};
    f[0].size = 4;
    EXPECT_SCHEMA_ERROR(two, f, "does not match the struct");
    lake_field g[] = {LAKE_FIELD(two, a, "a", "")};
    g[0].offset = sizeof(two);
    EXPECT_SCHEMA_ERROR(two, g, "outside the struct");
    lake_field h[] = {LAKE_FIELD(two, a, "a", ""), LAKE_FIELD(two, a, "b", "")};
    EXPECT_SCHEMA_ERROR(two, h, "overlaps field a");
    lake_field p[] = {LAKE_DECIMAL(two, e, 39, 2, "e", "")};
    EXPECT_SCHEMA_ERROR(two, p, "precision must be 1-38");
    lake_model bad = {0};
    lake_schema *s;
    CHECK_EQ_INT(lake__schema_compile(&s, &bad, NULL), LAKE_EINVAL);
    const lake_field none[1] = {LAKE_FIELD(two, a, "a", "")};
    lake_model no_table = LAKE_MODEL(two, "", none);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_EQ_INT(lake__schema_compile(&s, &no_table, &err), LAKE_ESCHEMA);
    CHECK_CONTAINS(err.message, "empty table name");
    lake_error_clear(&err);
}

int main(void) {
    LAKE_RUN(maps_every_member_type);
    LAKE_RUN(caches_the_compiled_schema);
    LAKE_RUN(compiles_once_under_concurrent_first_use);
    LAKE_RUN(maps_types_to_engine_sql);
    LAKE_RUN(rejects_bad_tags);
    LAKE_RUN(accepts_every_partition_transform);
    LAKE_RUN(rejects_bad_rules);
    LAKE_RUN(rejects_descriptors_that_do_not_match_the_struct);
    return lake_test_summary();
}

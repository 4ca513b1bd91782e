/* SPDX-License-Identifier: MIT */
/* The dialect objects without a server: every builder of every dialect,
 * rendered for a few models (flat, keyed, merge-keyed, partitioned, nested,
 * hostile names) and a migration's changes, matches its golden file in
 * tests/data/dialects/ (LAKE_UPDATE_GOLDEN=1 rewrites them). The files are what lakeorm sends: a
 * change to one is a change in behaviour, to review as such. */
#include <stdlib.h>

#include "dialects/dialect.h"
#include "lake_test.h"
#include "migrate/diff.h"

static const lake__dialect *const dialects[] = {&lake__dialect_duckdb, &lake__dialect_iceberg, &lake__dialect_delta};

typedef struct model {
    const char *name; /* the golden files' stem */
    const char *json;
} model;

static const model models[] = {
    {"flat", "{\"version\":1,\"table\":\"events\",\"fields\":["
             "{\"tag\":\"seq\",\"type\":\"int64\"},{\"tag\":\"b\",\"type\":\"bool\"},{\"tag\":\"i8\",\"type\":\"int8\"},"
             "{\"tag\":\"i16\",\"type\":\"int16\"},{\"tag\":\"i32\",\"type\":\"int32\"},{\"tag\":\"f32\",\"type\":\"float32\"},"
             "{\"tag\":\"f64\",\"type\":\"float64\"},{\"tag\":\"note,nullable\",\"type\":\"string\"},"
             "{\"tag\":\"raw,nullable\",\"type\":\"bytes\"},{\"tag\":\"at\",\"type\":\"timestamp\"},"
             "{\"tag\":\"day\",\"type\":\"date\"},{\"tag\":\"amount\",\"type\":\"decimal(18,2)\"},"
             "{\"tag\":\"ref\",\"type\":\"uuid\"},{\"tag\":\"sid\",\"type\":\"sortable_id\"},"
             "{\"tag\":\"batch,auto=ingestID\",\"type\":\"string\"}]}"},
    {"primary_key", "{\"version\":1,\"table\":\"accounts\",\"fields\":["
                    "{\"tag\":\"tenant,pk\",\"type\":\"string\"},{\"tag\":\"id,pk\",\"type\":\"int64\"},"
                    "{\"tag\":\"email\",\"type\":\"string\"},{\"tag\":\"balance,nullable\",\"type\":\"decimal(10,2)\"}]}"},
    {"merge_keys", "{\"version\":1,\"table\":\"profiles\",\"fields\":["
                   "{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"email,mergeKey\",\"type\":\"string\"},"
                   "{\"tag\":\"region,mergeKey\",\"type\":\"string\"},{\"tag\":\"visits\",\"type\":\"int32\"}]}"},
    {"partitioned", "{\"version\":1,\"table\":\"lake.sales.orders\",\"fields\":["
                    "{\"tag\":\"id,pk\",\"type\":\"int64\"},{\"tag\":\"placed_at,partition=day\",\"type\":\"timestamp\"},"
                    "{\"tag\":\"shipped,partition=month\",\"type\":\"date\"},"
                    "{\"tag\":\"booked,partition=year\",\"type\":\"timestamp\"},"
                    "{\"tag\":\"seen,partition=hour\",\"type\":\"timestamp\"},"
                    "{\"tag\":\"shard,partition=bucket[16]\",\"type\":\"int64\"},"
                    "{\"tag\":\"sku,partition=truncate[4]\",\"type\":\"string\"},"
                    "{\"tag\":\"region,partition\",\"type\":\"string\"}]}"},
    {"nested", "{\"version\":1,\"table\":\"people\",\"fields\":["
               "{\"tag\":\"id,mergeKey\",\"type\":\"int64\"},"
               "{\"tag\":\"home\",\"type\":\"struct\",\"fields\":[{\"tag\":\"city\",\"type\":\"string\"},"
               "{\"tag\":\"geo\",\"type\":\"struct\",\"fields\":[{\"tag\":\"lat\",\"type\":\"float64\"},"
               "{\"tag\":\"lon\",\"type\":\"float64\"}]},{\"tag\":\"zip,nullable\",\"type\":\"int32\"}]},"
               "{\"tag\":\"cost\",\"type\":\"decimal(38,10)\"}]}"},
    {"collections", "{\"version\":1,\"table\":\"events\",\"fields\":["
                    "{\"tag\":\"id,pk\",\"type\":\"int64\"},"
                    "{\"tag\":\"tags,nullable\",\"type\":\"list<string?>\"},"
                    "{\"tag\":\"items\",\"type\":\"list<struct>\",\"fields\":[{\"tag\":\"sku\",\"type\":\"string\"},"
                    "{\"tag\":\"price\",\"type\":\"decimal(10,2)\"},{\"tag\":\"marks\",\"type\":\"list<int32>\"}]},"
                    "{\"tag\":\"attrs\",\"type\":\"map<string,list<int64>>\"},"
                    "{\"tag\":\"ship,nullable\",\"type\":\"struct\",\"fields\":[{\"tag\":\"city\",\"type\":\"string\"}]},"
                    "{\"tag\":\"grid\",\"type\":\"list<list<float64>>\"},"
                    "{\"tag\":\"payload,nullable\",\"type\":\"json\"}]}"},
    /* Quotes and backticks in every name: each dialect doubles its own quote
     * and leaves the other alone; dots split Spark's table names only. */
    {"hostile", "{\"version\":1,\"table\":\"we\\\"ird`.ta ble\",\"fields\":["
                "{\"tag\":\"i\\\"d,pk\",\"type\":\"int64\"},{\"tag\":\"m`k,mergeKey\",\"type\":\"string\"},"
                "{\"tag\":\"se-lect,partition=bucket[2]\",\"type\":\"int64\"},"
                "{\"tag\":\"s\\\"t`r\",\"type\":\"struct\",\"fields\":[{\"tag\":\"a\\\"`b\",\"type\":\"int32\"}]},"
                "{\"tag\":\"caf\\u00e9 \\u00fc,nullable\",\"type\":\"string\"}]}"},
};
#define MODELS (sizeof models / sizeof *models)
#define DIALECTS (sizeof dialects / sizeof *dialects)

static lake_schema *parse(const char *json) {
    lake_schema *s = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_parse(&s, json, strlen(json), &err)) fprintf(stderr, "  schema: %s\n", err.message);
    lake_error_clear(&err);
    return s;
}

/* Every builder reports success; a failure shows in the file as well. */
static int built;
static void section(lake__buf *b, const char *title, int rc) {
    (void)title;
    if (rc) built = rc;
    lake__buf_putc(b, '\n');
}
#define SECTION(b, title, call)                       \
    do {                                              \
        lake__buf_puts((b), "-- " title "\n");        \
        section((b), title, (call));                  \
    } while (0)

static bool has_key(const lake_schema *s, bool merge) {
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (merge ? c->merge_key : c->primary_key) return true;
    }
    return false;
}

static void params_line(lake__buf *b, const lake_param *p, size_t n) {
    lake__buf_puts(b, "-- parameters:");
    for (size_t i = 0; i < n; i++)
        lake__buf_printf(b, " %s", p[i].type == LAKE_PARAM_TEXT ? p[i].v.text.ptr : "(not text)");
    lake__buf_putc(b, '\n');
}

/* A row of parameter markers as a driver with the rows in the statement
 * writes it: bytes decoded from base64, structs field by field. */
typedef struct row_ctx {
    const lake__dialect *d;
    const lake_schema *s;
} row_ctx;

static int marker_value(void *ctx, lake__buf *b, size_t i);

/* A collection's items: a list's element, a map's key (even) and value (odd). */
static int marker_item(void *ctx, lake__buf *b, size_t i) {
    const row_ctx *r = ctx;
    return marker_value(ctx, b, lake_schema_column_count(r->s) == 2 ? i % 2 : 0);
}

/* Two elements in a list, one entry in a map. */
static int marker_value(void *ctx, lake__buf *b, size_t i) {
    const row_ctx *r = ctx;
    const lake_column *c = lake_schema_column(r->s, i);
    if (c->type == LAKE_BYTES) return r->d->from_base64(b, "?");
    if (c->type == LAKE_STRUCT) return r->d->struct_value(b, c->child, marker_value, &(row_ctx){r->d, c->child});
    if (c->type == LAKE_LIST || c->type == LAKE_MAP)
        return r->d->collection_value(b, c, c->type == LAKE_LIST ? 2 : 1, marker_item, &(row_ctx){r->d, c->child});
    return lake__buf_puts(b, "?");
}

static void values_row(lake__buf *b, const lake__dialect *d, const lake_schema *s, bool nulls) {
    lake__buf_putc(b, '(');
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        if (i) lake__buf_puts(b, ", ");
        if ((nulls ? d->typed_null(b, lake_schema_column(s, i)) : marker_value(&(row_ctx){d, s}, b, i))) built = -1;
    }
    lake__buf_putc(b, ')');
}

/* Everything a dialect says about one model. */
static void render_model(lake__buf *b, const lake__dialect *d, const lake_schema *s) {
    const char *table = lake_schema_table(s);
    SECTION(b, "create_table", d->create_table(b, s, NULL));
    SECTION(b, "create_table under another name", d->create_table(b, s, "copy"));
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        lake__buf_printf(b, "-- column %s: ", c->name);
        section(b, "type", d->type(b, c));
        SECTION(b, "type_probe", d->type_probe(b, c));
        lake__buf_printf(b, "-- column %s: ", c->name);
        section(b, "typed_null", d->typed_null(b, c));
    }
    SECTION(b, "select_all", d->select_all(b, table));
    SECTION(b, "count_rows", d->count_rows(b, table));
    SECTION(b, "ingest_landed", d->ingest_landed(b, table));
    SECTION(b, "describe", d->describe(b, table));
    if (d->describe_json) SECTION(b, "describe_json", d->describe_json(b, table));
    else lake__buf_puts(b, "-- describe_json\n(none)\n");
    if (d->properties) SECTION(b, "properties", d->properties(b, table));
    else lake__buf_puts(b, "-- properties\n(none)\n");
    /* A row of markers and a row of typed NULLs, the ingest id a marker too. */
    lake__buf rows = LAKE__BUF_INIT;
    values_row(&rows, d, s, false);
    lake__buf_puts(&rows, ", ");
    values_row(&rows, d, s, true);
    if (rows.failed) built = -1;
    SECTION(b, "values_source", d->values_source(b, s, rows.data, rows.len, "?"));
    lake__buf_dispose(&rows);

    /* The rows come from the staged parts, as a MERGE reads them. */
    lake__buf source = LAKE__BUF_INIT;
    lake_param params[2];
    size_t n = 0;
    if (d->staged_source(&source, "/staging/_staging/0190f6a3", "0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f", true, params, &n))
        built = -1;
    SECTION(b, "move: a plain insert", d->move(b, &(lake__move){s, NULL, source.data, LAKE__MATCH_NONE, LAKE_CONFLICT_ERROR}));
    SECTION(b, "move: a plain insert into another table",
            d->move(b, &(lake__move){s, "other", source.data, LAKE__MATCH_NONE, LAKE_CONFLICT_ERROR}));
    static const char *const strategies[] = {"error", "ignore", "update"};
    for (int k = 0; k < 2; k++) {
        bool merge = k == 1;
        if (!has_key(s, merge)) continue;
        lake__match_on on = merge ? LAKE__MATCH_MERGE_KEYS : LAKE__MATCH_PRIMARY_KEY;
        const char *what = merge ? "merge keys" : "primary key";
        for (int c = 0; c < 3; c++) {
            lake__buf_printf(b, "-- move on the %s, on conflict %s\n", what, strategies[c]);
            section(b, "move", d->move(b, &(lake__move){s, NULL, source.data, on, (lake_on_conflict)c}));
        }
        lake__buf_printf(b, "-- duplicate_key on the %s\n", what);
        section(b, "duplicate_key", d->duplicate_key(b, &(lake__move){s, NULL, source.data, on, LAKE_CONFLICT_UPDATE}));
        lake__buf_printf(b, "-- count_matched on the %s\n", what);
        section(b, "count_matched", d->count_matched(b, &(lake__move){s, NULL, source.data, on, LAKE_CONFLICT_UPDATE}));
    }
    params_line(b, params, n);
    lake__buf_dispose(&source);
}

/* What a dialect says whatever the model. */
static void render_statements(lake__buf *b, const lake__dialect *d) {
    lake__buf_printf(b, "-- dialect %s (%s), enforces primary keys: %s, key property: %s\n", d->name,
                     lake_dialect_name(d->id), d->enforces_primary_keys ? "yes" : "no",
                     d->key_property ? d->key_property : "(none)");
    static const char *const names[] = {"plain", "we\"ird", "back`tick", "cat.schema.table", "a.\"b`.c"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        SECTION(b, "ident", d->ident(b, names[i]));
        SECTION(b, "table", d->table(b, names[i]));
    }
    SECTION(b, "create_schema", d->create_schema(b, NULL, "analytics"));
    SECTION(b, "create_schema in a catalog", d->create_schema(b, "main`cat", "ana\"lytics"));
    SECTION(b, "use_schema", d->use_schema(b, NULL, "analytics"));
    SECTION(b, "use_schema in a catalog", d->use_schema(b, "main`cat", "ana\"lytics"));
    lake__buf_printf(b, "-- begin\n%s\n-- commit\n%s\n-- rollback\n%s\n", d->begin ? d->begin : "(none)",
                     d->commit ? d->commit : "(none)", d->rollback ? d->rollback : "(none)");
    for (int filter = 0; filter < 2; filter++) {
        lake_param params[2];
        size_t n = 0;
        lake__buf_puts(b, filter ? "-- staged_source, this request's rows only\n" : "-- staged_source\n");
        section(b, "staged_source", d->staged_source(b, "/tmp/stage`d/_staging/id", "id-1", filter, params, &n));
        params_line(b, params, n);
    }
    if (d->create_temp_like) SECTION(b, "create_temp_like", d->create_temp_like(b, "lake_batch_1", "ev\"ents"));
    else lake__buf_puts(b, "-- create_temp_like\n(none)\n");
    if (d->drop_temp) SECTION(b, "drop_temp", d->drop_temp(b, "lake_batch_1"));
    else lake__buf_puts(b, "-- drop_temp\n(none)\n");
    SECTION(b, "drop_view", d->drop_view(b, "lake_batch_1_0"));
    SECTION(b, "from_base64", d->from_base64(b, "?"));
    SECTION(b, "from_base64 of a named marker", d->from_base64(b, ":p1"));
    /* The sources are fragments the caller quoted, as a driver does its views' names. */
    static const char *const views[] = {"lake_batch_1_0", "lake_batch_1_1", "we`ird\"view"};
    lake__buf quoted[3] = {LAKE__BUF_INIT, LAKE__BUF_INIT, LAKE__BUF_INIT};
    const char *sources[3];
    for (int i = 0; i < 3; i++) {
        if (d->ident(&quoted[i], views[i])) built = -1;
        sources[i] = quoted[i].data;
    }
    SECTION(b, "union_all of one", d->union_all(b, sources, 1));
    SECTION(b, "union_all of three", d->union_all(b, sources, 3));
    for (int i = 0; i < 3; i++) lake__buf_dispose(&quoted[i]);
    SECTION(b, "ingests_create", d->ingests_create(b));
    SECTION(b, "ingests_probe_fingerprint", d->ingests_probe_fingerprint(b));
    SECTION(b, "ingests_add_fingerprint", d->ingests_add_fingerprint(b));
    SECTION(b, "ingests_find", d->ingests_find(b));
    SECTION(b, "ingests_claim", d->ingests_claim(b));
}

static void check_golden(const char *name, const lake__buf *got) {
    char golden[512];
    snprintf(golden, sizeof golden, "%s/dialects/%s", LAKE_TEST_DATA, name);
    if (getenv("LAKE_UPDATE_GOLDEN")) {
        FILE *f = fopen(golden, "wb");
        CHECK(f != NULL);
        fwrite(got->data, 1, got->len, f);
        fclose(f);
    }
    char *want = lake_test_read_file(golden);
    if (!want || strcmp(want, got->data)) {
        fprintf(stderr, "  %s differs from what was rendered (LAKE_UPDATE_GOLDEN=1 rewrites it):\n%s\n", golden,
                got->data);
        free(want);
        CHECK(!"golden file matches");
    }
    free(want);
}

static void every_model_matches_its_golden_file(void) {
    for (size_t m = 0; m < MODELS; m++) {
        lake_schema *s = parse(models[m].json);
        CHECK(s != NULL);
        for (size_t k = 0; k < DIALECTS; k++) {
            lake__buf b = LAKE__BUF_INIT;
            built = 0;
            render_model(&b, dialects[k], s);
            CHECK(!b.failed);
            CHECK_EQ_INT(built, 0);
            char name[128];
            snprintf(name, sizeof name, "%s.%s.sql", models[m].name, dialects[k]->name);
            check_golden(name, &b);
            lake__buf_dispose(&b);
        }
        lake_schema_free(s);
    }
}

static void every_statement_matches_its_golden_file(void) {
    for (size_t k = 0; k < DIALECTS; k++) {
        lake__buf b = LAKE__BUF_INIT;
        built = 0;
        render_statements(&b, dialects[k]);
        CHECK(!b.failed);
        CHECK_EQ_INT(built, 0);
        char name[128];
        snprintf(name, sizeof name, "statements.%s.sql", dialects[k]->name);
        check_golden(name, &b);
        lake__buf_dispose(&b);
    }
}

/* A migration between two states of a table with hostile names, both ways
 * and from nothing (the migration goldens in tests/data/migrate/ cover every
 * change class with plain names). */
static const char changes_before[] =
    "{\"version\":1,\"table\":\"we\\\"ird`.ta ble\",\"fields\":["
    "{\"tag\":\"i\\\"d,pk\",\"type\":\"int64\"},{\"tag\":\"m`k,mergeKey\",\"type\":\"string\"},"
    "{\"tag\":\"se-lect,partition=bucket[2]\",\"type\":\"int64\"},"
    "{\"tag\":\"old`col,nullable\",\"type\":\"string\"},{\"tag\":\"n\\\"um\",\"type\":\"int32\"}]}";
static const char changes_after[] =
    "{\"version\":1,\"table\":\"we\\\"ird`.ta ble\",\"fields\":["
    "{\"tag\":\"i\\\"d,pk\",\"type\":\"int64\"},{\"tag\":\"m`k\",\"type\":\"string\"},"
    "{\"tag\":\"se-lect,partition=bucket[4]\",\"type\":\"int64\"},"
    "{\"tag\":\"n\\\"um\",\"type\":\"int64\"},{\"tag\":\"new col,nullable\",\"type\":\"string\"},"
    "{\"tag\":\"req`d\",\"type\":\"bool\"}]}";

static void render_diff(lake__buf *b, const lake__dialect *d, const char *title, const lake_schema *before,
                        const lake_schema *after) {
    lake__diff diff = {0}, back = {0};
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__diff_compute(&diff, before, after, NULL, 0, &err), &err);
    CHECK_EQ_INT(lake__diff_invert(&back, &diff), 0);
    for (int way = 0; way < 2; way++) {
        lake__buf one = LAKE__BUF_INIT; /* a section's own text: renderers space changes in what they wrote */
        if (d->render_changes(&one, way ? &back : &diff)) built = -1;
        lake__buf_printf(b, "-- ---- %s: %s\n%s\n", title, way ? "down" : "up", one.data ? one.data : "");
        lake__buf_dispose(&one);
    }
    lake__diff_dispose(&diff);
    lake__diff_dispose(&back);
}

static void every_migration_matches_its_golden_file(void) {
    lake_schema *before = parse(changes_before), *after = parse(changes_after);
    CHECK(before && after);
    for (size_t k = 0; k < DIALECTS; k++) {
        lake__buf b = LAKE__BUF_INIT;
        built = 0;
        render_diff(&b, dialects[k], "a new table", NULL, after);
        render_diff(&b, dialects[k], "columns, keys and partitions", before, after);
        CHECK(!b.failed);
        CHECK_EQ_INT(built, 0);
        char name[128];
        snprintf(name, sizeof name, "changes.%s.sql", dialects[k]->name);
        check_golden(name, &b);
        lake__buf_dispose(&b);
    }
    lake_schema_free(before);
    lake_schema_free(after);
}

/* Every member is set, but for those the header lets an engine leave out. */
static void every_dialect_fills_its_table(void) {
    for (size_t k = 0; k < DIALECTS; k++) {
        const lake__dialect *d = dialects[k];
        CHECK(lake__dialect_of(d->id) == d);
        CHECK_EQ_STR(d->name, lake_dialect_name(d->id));
        bool transactional = d->begin != NULL;
        CHECK((d->commit != NULL) == transactional && (d->rollback != NULL) == transactional);
        CHECK((d->create_temp_like != NULL) == (d->drop_temp != NULL));
        CHECK(!d->key_property || d->properties); /* a key property is read from the properties */
        CHECK(d->ident && d->table && d->type && d->type_probe && d->create_schema && d->use_schema &&
              d->create_table && d->select_all && d->move && d->duplicate_key && d->count_matched &&
              d->count_rows && d->staged_source && d->drop_view && d->union_all && d->from_base64 &&
              d->typed_null && d->struct_value && d->collection_value && d->values_source && d->ingests_create &&
              d->ingests_probe_fingerprint && d->ingests_add_fingerprint && d->ingests_find && d->ingests_claim &&
              d->ingest_landed && d->describe && d->render_changes);
    }
    CHECK(lake__dialect_of((lake_dialect)0) == NULL);
    CHECK(lake__dialect_of((lake_dialect)99) == NULL);
}

int main(void) {
    LAKE_RUN(every_dialect_fills_its_table);
    LAKE_RUN(every_model_matches_its_golden_file);
    LAKE_RUN(every_statement_matches_its_golden_file);
    LAKE_RUN(every_migration_matches_its_golden_file);
    return lake_test_summary();
}

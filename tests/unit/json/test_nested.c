/* SPDX-License-Identifier: MIT */
/* Nested JSON both ways: lists, maps, nullable structs, json columns and key
 * aliases decoded into the C model and the schema file of the events table
 * (tests/data/nested), every decode issue with its path, the depth limit,
 * json normalization, and decode(render(record)) giving the record back. */
#include "json/render.h"
#include "lake_test.h"
#include "nested_event.h"

/* Decode-level checks run without the rules, which are validation's (its
 * tests cover them); `validate` turns them on where a case needs them. */
static int decode(const lake_schema *s, const char *json, void *record, lake_arena *arena, bool validate,
                  unsigned max_depth, lake_error *err) {
    lake_decode_options o = LAKE_DECODE_OPTIONS_INIT;
    o.skip_validation = !validate;
    o.max_depth = max_depth;
    return lake_json_decode(s, json, strlen(json), record, arena, 0, &o, err);
}

static const lake_schema *event_schema(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &event_model, &err), &err);
    return s;
}

/* Line n (1-based) of events.ndjson, NUL-terminated, in a static buffer. */
static const char *line_of(int n) {
    static char *text;
    static char line[4096];
    if (!text) text = lake_test_read_file(LAKE_TEST_DATA "/nested/events.ndjson");
    CHECK(text);
    const char *p = text;
    for (int i = 1; i < n; i++) {
        p = strchr(p, '\n');
        CHECK(p);
        p++;
    }
    size_t len = strcspn(p, "\n");
    CHECK(len > 0 && len < sizeof line);
    memcpy(line, p, len);
    line[len] = '\0';
    return line;
}

static bool str_is(lake_str s, const char *want) {
    return s.ptr && s.len == strlen(want) && memcmp(s.ptr, want, s.len) == 0;
}
#define CHECK_STR(s, want) CHECK(str_is((s), (want)))
#define CHECK_JSON(s, want) CHECK(str_is((lake_str){(s).ptr, (s).len}, (want)))

/* The record as JSON text (render.h), in a static buffer. */
static const char *rendered(const lake_schema *s, const void *record) {
    static lake__buf b;
    b.len = 0;
    CHECK(lake__json_write_record(&b, s, record) == 0);
    return b.data;
}

/* ---- the fixture's valid lines, value by value */

static void decodes_the_valid_lines_into_the_c_model(void) {
    const lake_schema *s = event_schema();
    lake_arena *arena;
    lake_arena_new(&arena);
    lake_error err = LAKE_ERROR_INIT;
    event e;

    CHECK_OK(decode(s, line_of(1), &e, arena, false, 0, &err), &err);
    CHECK_STR(e.kind, "order.created");
    CHECK_EQ_INT(e.at.us, 1709642096000000);
    CHECK_EQ_INT(e.items.len, 2);
    CHECK_STR(e.items.ptr[0].sku, "A-1");
    CHECK_EQ_INT(e.items.ptr[0].qty, 2);
    CHECK_EQ_INT(e.items.ptr[0].price.lo, 999);
    CHECK_EQ_INT(e.items.ptr[0].tags.len, 2);
    CHECK_STR(e.items.ptr[0].tags.ptr[0], "red");
    CHECK_STR(e.items.ptr[0].tags.ptr[1], "xl");
    CHECK_STR(e.items.ptr[1].sku, "B-2");
    CHECK_EQ_INT(e.items.ptr[1].price.lo, 0);
    CHECK(e.items.ptr[1].tags.ptr != NULL); /* empty, not NULL */
    CHECK_EQ_INT(e.items.ptr[1].tags.len, 0);
    CHECK(e.shipping != NULL);
    CHECK_STR(e.shipping->city, "Lyon");
    CHECK(e.shipping->zip.valid && e.shipping->zip.v == 69001);
    CHECK_EQ_INT(e.attrs.len, 2);
    CHECK_STR(e.attrs.ptr[0].key, "channel");
    CHECK_STR(e.attrs.ptr[0].value, "web");
    CHECK_STR(e.attrs.ptr[1].key, "campaign");
    CHECK_STR(e.attrs.ptr[1].value, "spring");
    CHECK_JSON(e.payload, "{\"cart\":{\"id\":7,\"coupons\":[\"A\",\"B\"]},\"total\":19.98}");
    CHECK_EQ_INT(e.scores.len, 3);
    CHECK_EQ_INT(e.scores.ptr[0].len, 3);
    CHECK_EQ_INT(e.scores.ptr[0].ptr[0], 1);
    CHECK_EQ_INT(e.scores.ptr[0].ptr[2], 3);
    CHECK(e.scores.ptr[1].ptr != NULL && e.scores.ptr[1].len == 0);
    CHECK_EQ_INT(e.scores.ptr[2].len, 1);
    CHECK_EQ_INT(e.scores.ptr[2].ptr[0], -4);
    CHECK_EQ_INT(e.notes.len, 3);
    CHECK_STR(e.notes.ptr[0], "gift");
    CHECK(e.notes.ptr[1].ptr == NULL); /* a NULL element */
    CHECK_STR(e.notes.ptr[2], "fragile");
    CHECK_EQ_INT(e.labels.len, 2);
    CHECK_STR(e.labels.ptr[0].key, "team");
    CHECK_EQ_INT(e.labels.ptr[0].value.len, 2);
    CHECK_STR(e.labels.ptr[0].value.ptr[1], "b");
    CHECK_STR(e.labels.ptr[1].key, "none");
    CHECK(e.labels.ptr[1].value.ptr != NULL && e.labels.ptr[1].value.len == 0);

    CHECK_OK(decode(s, line_of(2), &e, arena, false, 0, &err), &err);
    CHECK(e.shipping == NULL);                          /* "shipping": null */
    CHECK(e.attrs.ptr != NULL && e.attrs.len == 0);     /* {} is an empty map */
    CHECK(e.payload.ptr == NULL);                       /* json null on a nullable column */
    CHECK(e.scores.ptr != NULL && e.scores.len == 0);
    CHECK(e.notes.ptr == NULL);                         /* a NULL list */
    CHECK_EQ_INT(e.items.ptr[0].price.lo, 150);

    CHECK_OK(decode(s, line_of(3), &e, arena, false, 0, &err), &err);
    CHECK(e.shipping != NULL && !e.shipping->zip.valid);
    CHECK_JSON(e.payload, "[1,\"two\",{\"three\":3},null,true]");
    CHECK_EQ_INT(e.notes.len, 2);
    CHECK(e.notes.ptr[0].ptr == NULL && e.notes.ptr[1].ptr == NULL); /* a list of NULLs */

    CHECK_OK(decode(s, line_of(4), &e, arena, false, 0, &err), &err);
    CHECK(e.shipping == NULL); /* a missing nullable struct */
    CHECK_JSON(e.payload, "\"just a string\"");
    CHECK_EQ_INT(e.scores.ptr[0].ptr[0], INT64_MAX);
    CHECK_EQ_INT(e.scores.ptr[1].ptr[0], INT64_MIN);
    CHECK(e.notes.ptr != NULL && e.notes.len == 0);
    CHECK_EQ_INT(e.labels.ptr[0].value.len, 3);

    CHECK_OK(decode(s, line_of(5), &e, arena, false, 0, &err), &err);
    CHECK(e.items.ptr != NULL && e.items.len == 0);
    CHECK(e.payload.ptr == NULL && e.notes.ptr == NULL && e.shipping == NULL);
    lake_arena_free(arena);
}

/* The schema file lays records out itself: the values are checked through
 * their rendering, which the C model's records must match text for text. */
static void the_schema_file_decodes_what_the_c_model_does(void) {
    char *text = lake_test_read_file(LAKE_TEST_DATA "/nested/events.schema.json");
    CHECK(text);
    lake_schema *file;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_parse(&file, text, strlen(text), &err), &err);
    free(text);
    const lake_schema *model = event_schema();
    lake_arena *arena;
    lake_arena_new(&arena);
    void *rec = calloc(1, lake_schema_record_size(file));
    event e;
    for (int n = 1; n <= 5; n++) {
        CHECK_OK(decode(file, line_of(n), rec, arena, false, 0, &err), &err);
        CHECK_OK(decode(model, line_of(n), &e, arena, false, 0, &err), &err);
        char *from_file = strdup(rendered(file, rec));
        CHECK_EQ_STR(rendered(model, &e), from_file);
        free(from_file);
    }
    CHECK_EQ_STR(rendered(model, &e),
                 "{\"event_id\":\"0190a6f2-3c4d-7e5f-8a6b-1c2d3e4f5a05\",\"type\":\"order.created\","
                 "\"at\":\"2024-03-07T00:00:00Z\",\"items\":[],\"shipping\":null,\"attrs\":{},\"payload\":null,"
                 "\"scores\":[],\"notes\":null,\"labels\":{}}");
    free(rec);
    lake_arena_free(arena);
    lake_schema_free(file);
}

static void render_then_decode_gives_the_record_back(void) {
    const lake_schema *s = event_schema();
    lake_arena *arena;
    lake_arena_new(&arena);
    lake_error err = LAKE_ERROR_INIT;
    event e, again;
    for (int n = 1; n <= 5; n++) {
        CHECK_OK(decode(s, line_of(n), &e, arena, false, 0, &err), &err);
        char *once = strdup(rendered(s, &e));
        CHECK_OK(decode(s, once, &again, arena, false, 0, &err), &err);
        CHECK_EQ_STR(rendered(s, &again), once);
        free(once);
    }
    CHECK_OK(decode(s, line_of(1), &e, arena, false, 0, &err), &err);
    CHECK_EQ_STR(rendered(s, &e),
                 "{\"event_id\":\"0190a6f2-3c4d-7e5f-8a6b-1c2d3e4f5a01\",\"type\":\"order.created\","
                 "\"at\":\"2024-03-05T12:34:56Z\",\"items\":[{\"sku\":\"A-1\",\"qty\":2,\"price\":9.99,"
                 "\"tags\":[\"red\",\"xl\"]},{\"sku\":\"B-2\",\"qty\":1,\"price\":0.00,\"tags\":[]}],"
                 "\"shipping\":{\"city\":\"Lyon\",\"zip\":69001},\"attrs\":{\"channel\":\"web\",\"campaign\":"
                 "\"spring\"},\"payload\":{\"cart\":{\"id\":7,\"coupons\":[\"A\",\"B\"]},\"total\":19.98},"
                 "\"scores\":[[1,2,3],[],[-4]],\"notes\":[\"gift\",null,\"fragile\"],\"labels\":{\"team\":"
                 "[\"a\",\"b\"],\"none\":[]}}");
    /* map keys are escaped on the way out */
    const char *odd = "{\"event_id\":\"0190a6f2-3c4d-7e5f-8a6b-1c2d3e4f5a01\",\"type\":\"t\",\"at\":"
                      "\"2024-03-05T12:34:56Z\",\"items\":[],\"attrs\":{\"a\\\"b\\n\":\"\\u00e9\"},\"scores\":[],"
                      "\"labels\":{}}";
    CHECK_OK(decode(s, odd, &e, arena, false, 0, &err), &err);
    CHECK_STR(e.attrs.ptr[0].key, "a\"b\n");
    CHECK_CONTAINS(rendered(s, &e), "\"attrs\":{\"a\\\"b\\n\":\"\xC3\xA9\"}");
    lake_arena_free(arena);
}

/* ---- issues */

typedef struct want {
    const char *path, *rule, *column;
} want;

/* The record's issues are exactly `wants`, in order; all of them are shown when not. */
static void check_issues(const lake_error *err, const want *wants, size_t n) {
    size_t got = lake_issues_count(err->issues);
    bool same = got == n;
    for (size_t i = 0; i < n && same; i++) {
        const lake_issue *is = lake_issues_get(err->issues, i);
        same = strcmp(is->path, wants[i].path) == 0 && strcmp(is->rule, wants[i].rule) == 0 &&
               strcmp(is->column, wants[i].column) == 0;
    }
    if (same) return;
    for (size_t i = 0; i < got; i++) {
        const lake_issue *is = lake_issues_get(err->issues, i);
        fprintf(stderr, "    got %s [%s] column %s: %s\n", is->path, is->rule, is->column, is->message);
    }
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "    want %s [%s] column %s\n", wants[i].path, wants[i].rule, wants[i].column);
    CHECK(!"the issues expected");
}

static void expect_issues(const lake_schema *s, void *record, const char *json, unsigned max_depth,
                          const want *wants, size_t n) {
    lake_arena *arena;
    lake_arena_new(&arena);
    lake_error err = LAKE_ERROR_INIT;
    CHECK_STATUS(decode(s, json, record, arena, false, max_depth, &err), LAKE_EVALIDATION, &err);
    check_issues(&err, wants, n);
    lake_error_clear(&err);
    lake_arena_free(arena);
}
#define EXPECT(s, rec, json, max_depth, ...)                                                \
    do {                                                                                    \
        const want w_[] = {__VA_ARGS__};                                                    \
        expect_issues(s, rec, json, max_depth, w_, sizeof w_ / sizeof w_[0]);               \
    } while (0)

static void reports_the_fixture_lines_issues_with_their_paths(void) {
    const lake_schema *s = event_schema();
    event e;
    EXPECT(s, &e, line_of(6), 0, {"/scores/0/0", "type", "scores"}, {"/labels/a/0", "null", "labels"});
    EXPECT(s, &e, line_of(7), 0, {"/items", "type", "items"}, {"/shipping/city", "missing", "shipping"},
           {"/attrs/a", "duplicate_key", "attrs"});
}

static void the_rules_run_inside_elements(void) {
    const lake_schema *s = event_schema();
    lake_arena *arena;
    lake_arena_new(&arena);
    lake_error err = LAKE_ERROR_INIT;
    event e;
    CHECK_STATUS(decode(s, line_of(6), &e, arena, true, 0, &err), LAKE_EVALIDATION, &err);
    bool sku = false, qty = false;
    for (size_t i = 0; i < lake_issues_count(err.issues); i++) {
        const lake_issue *is = lake_issues_get(err.issues, i);
        sku |= strcmp(is->path, "/items/0/sku") == 0 && strcmp(is->rule, "required") == 0;
        qty |= strcmp(is->path, "/items/0/qty") == 0 && strcmp(is->rule, "gte") == 0;
        CHECK_EQ_STR(is->column, strncmp(is->path, "/items", 6) == 0    ? "items"
                                 : strncmp(is->path, "/attrs", 6) == 0  ? "attrs"
                                 : strncmp(is->path, "/scores", 7) == 0 ? "scores"
                                                                        : "labels");
    }
    CHECK(sku && qty);
    lake_error_clear(&err);
    lake_arena_free(arena);
}

/* A minimal valid event around one changed member. */
static const char *event_with(const char *member) {
    static char buf[4096];
    snprintf(buf, sizeof buf,
             "{\"event_id\":\"0190a6f2-3c4d-7e5f-8a6b-1c2d3e4f5a01\",\"type\":\"t\",\"at\":\"2024-03-05T12:34:56Z\","
             "\"items\":[],\"attrs\":{},\"scores\":[],\"labels\":{}%s%s}",
             *member ? "," : "", member);
    return buf;
}

static void names_wrong_shapes_precisely(void) {
    const lake_schema *s = event_schema();
    event e;
    EXPECT(s, &e, "{\"event_id\":\"0190a6f2-3c4d-7e5f-8a6b-1c2d3e4f5a01\",\"type\":\"t\",\"at\":"
                  "\"2024-03-05T12:34:56Z\",\"items\":[1,{\"sku\":\"a\",\"qty\":1,\"price\":1,\"tags\":{},"
                  "\"nope\":2}],\"shipping\":[],\"attrs\":[],\"scores\":[[1],2,[\"x\",3.5]],\"labels\":{\"k\":\"v\"},"
                  "\"notes\":[null,1]}",
           0, {"/items/0", "type", "items"}, {"/items/1/tags", "type", "items"},
           {"/items/1/nope", "unknown_key", "items"}, {"/shipping", "type", "shipping"},
           {"/attrs", "type", "attrs"}, {"/scores/1", "type", "scores"}, {"/scores/2/0", "type", "scores"},
           {"/scores/2/1", "type", "scores"}, {"/labels/k", "type", "labels"}, {"/notes/1", "type", "notes"});
    /* the members' checks do not run on a NULL struct; a present one is checked in full */
    EXPECT(s, &e, event_with("\"shipping\":{\"zip\":\"x\",\"city\":null}"), 0, {"/shipping/zip", "type", "shipping"},
           {"/shipping/city", "null", "shipping"});
    EXPECT(s, &e, event_with("\"payload\":{\"a\":}"), 0, {"", "syntax", ""});
    EXPECT(s, &e, "{\"event_id\":\"0190a6f2-3c4d-7e5f-8a6b-1c2d3e4f5a01\",\"type\":\"t\",\"at\":"
                  "\"2024-03-05T12:34:56Z\",\"items\":null,\"attrs\":{\"x\":null},\"scores\":[null],\"labels\":{}}",
           0, {"/items", "null", "items"}, {"/attrs/x", "null", "attrs"}, {"/scores/0", "null", "scores"});
}

static void refuses_every_duplicate_map_key(void) {
    const lake_schema *s = event_schema();
    event e;
    /* an escaped key is the same key; three "a" are two duplicates */
    EXPECT(s, &e, "{\"event_id\":\"0190a6f2-3c4d-7e5f-8a6b-1c2d3e4f5a01\",\"type\":\"t\",\"at\":"
                  "\"2024-03-05T12:34:56Z\",\"items\":[],\"attrs\":{\"a\":\"1\",\"b\":\"2\",\"\\u0061\":\"3\","
                  "\"ab\":\"4\",\"a\":\"5\"},\"scores\":[],\"labels\":{\"l\":[],\"l\":[]}}",
           0, {"/attrs/a", "duplicate_key", "attrs"}, {"/attrs/a", "duplicate_key", "attrs"},
           {"/labels/l", "duplicate_key", "labels"});
    /* many distinct keys: no false duplicate */
    lake_arena *arena;
    lake_arena_new(&arena);
    lake_error err = LAKE_ERROR_INIT;
    const char *base = event_with(""), *attrs = strstr(base, "\"attrs\":{}");
    lake__buf b = LAKE__BUF_INIT;
    lake__buf_put(&b, base, (size_t)(attrs - base));
    lake__buf_puts(&b, "\"attrs\":{");
    for (int i = 0; i < 20000; i++) lake__buf_printf(&b, "%s\"k%d\":\"v\"", i ? "," : "", i);
    lake__buf_puts(&b, "}");
    lake__buf_puts(&b, attrs + strlen("\"attrs\":{}"));
    CHECK(!b.failed);
    CHECK_OK(decode(s, b.data, &e, arena, false, 0, &err), &err);
    CHECK_EQ_INT(e.attrs.len, 20000);
    CHECK_STR(e.attrs.ptr[19999].key, "k19999");
    lake__buf_dispose(&b);
    lake_arena_free(arena);
}

static void decodes_long_and_deep_lists(void) {
    const lake_schema *s = event_schema();
    event e;
    lake_arena *arena;
    lake_arena_new(&arena);
    lake_error err = LAKE_ERROR_INIT;
    /* 100000 elements, and lists of lists interleaved with them */
    lake__buf b = LAKE__BUF_INIT;
    const char *base = event_with("");
    const char *scores = strstr(base, "\"scores\":[]");
    lake__buf_put(&b, base, (size_t)(scores - base));
    lake__buf_puts(&b, "\"scores\":[[");
    for (int i = 0; i < 100000; i++) lake__buf_printf(&b, "%s%d", i ? "," : "", i);
    lake__buf_puts(&b, "],[7],[");
    for (int i = 0; i < 1000; i++) lake__buf_printf(&b, "%s%d", i ? "," : "", -i);
    lake__buf_puts(&b, "]]");
    lake__buf_puts(&b, scores + strlen("\"scores\":[]"));
    CHECK_OK(decode(s, b.data, &e, arena, false, 0, &err), &err);
    CHECK_EQ_INT(e.scores.len, 3);
    CHECK_EQ_INT(e.scores.ptr[0].len, 100000);
    for (int i = 0; i < 100000; i++)
        if (e.scores.ptr[0].ptr[i] != i) CHECK(!"element value");
    CHECK_EQ_INT(e.scores.ptr[1].len, 1);
    CHECK_EQ_INT(e.scores.ptr[1].ptr[0], 7);
    CHECK_EQ_INT(e.scores.ptr[2].len, 1000);
    CHECK_EQ_INT(e.scores.ptr[2].ptr[999], -999);
    lake__buf_dispose(&b);
    lake_arena_free(arena);
}

/* max_depth counts every object and array: the record, structs, lists,
 * maps and the containers inside json values. */
static void nesting_past_max_depth_is_refused(void) {
    const lake_schema *s = event_schema();
    event e;
    lake_arena *arena;
    lake_arena_new(&arena);
    lake_error err = LAKE_ERROR_INIT;
    /* line 4: the record, items, an item, its tags: 4 deep */
    CHECK_OK(decode(s, line_of(4), &e, arena, false, 4, &err), &err);
    CHECK_STATUS(decode(s, line_of(4), &e, arena, false, 3, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_issues_count(err.issues), 1);
    CHECK_EQ_STR(lake_issues_get(err.issues, 0)->rule, "syntax");
    CHECK_CONTAINS(lake_issues_get(err.issues, 0)->message, "nesting too deep");
    lake_error_clear(&err);
    CHECK_OK(decode(s, event_with(""), &e, arena, false, 2, &err), &err);
    CHECK_STATUS(decode(s, event_with(""), &e, arena, false, 1, &err), LAKE_EVALIDATION, &err);
    lake_error_clear(&err);
    /* json values: 1023 arrays inside the record fit 1024, 1024 do not */
    static char deep[8192];
    for (int levels = 1023; levels <= 1024; levels++) {
        int n = snprintf(deep, sizeof deep, "%s", event_with(""));
        n--;
        n += snprintf(deep + n, sizeof deep - (size_t)n, ",\"payload\":");
        for (int i = 0; i < levels; i++) deep[n++] = '[';
        for (int i = 0; i < levels; i++) deep[n++] = ']';
        deep[n++] = '}';
        deep[n] = '\0';
        int rc = decode(s, deep, &e, arena, false, 1024, &err);
        if (levels == 1023) {
            CHECK_OK(rc, &err);
            CHECK_EQ_INT(e.payload.len, 2046);
        } else {
            CHECK_EQ_INT(rc, LAKE_EVALIDATION);
            CHECK_CONTAINS(lake_issues_get(err.issues, 0)->message, "nesting too deep");
            lake_error_clear(&err);
        }
    }
    lake_arena_free(arena);
}

/* ---- json columns and aliases, on a small model */

typedef struct doc {
    lake_str name;
    lake_json body;
    lake_json meta;
    lake_list_json parts;
} doc;
static const lake_field doc_fields[] = {
    LAKE_FIELD(doc, name, "name,json=Name", ""),
    LAKE_FIELD(doc, body, "body", ""),
    LAKE_FIELD(doc, meta, "meta,nullable,json=x/y", ""),
    LAKE_LIST_OF(doc, parts, lake_json, LAKE_ELEM_NULLABLE(lake_json), "parts,nullable", ""),
};
static const lake_model doc_model = LAKE_MODEL(doc, "docs", doc_fields);

static void keeps_json_values_as_normalized_text(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &doc_model, &err), &err);
    lake_arena *arena;
    lake_arena_new(&arena);
    doc d;
    static const struct { const char *in, *out; } cases[] = {
        {" { \"b\" : [ 1 , 2.50e3 , -0 ] ,\n\t\"a\" : null , \"b\" : {} } ", "{\"b\":[1,2.50e3,-0],\"a\":null,\"b\":{}}"},
        {"\"x\\\"y\\u00e9\\/\"", "\"x\\\"y\\u00e9\\/\""}, /* escapes kept as written */
        {"\"caf\xC3\xA9\"", "\"caf\xC3\xA9\""},
        {"true", "true"},
        {"  12345678901234567890123.5e-7  ", "12345678901234567890123.5e-7"}, /* numbers as written */
        {"[ ]", "[]"},
        {"{ }", "{}"},
        {"[[],{\"\":[null]}]", "[[],{\"\":[null]}]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char json[512];
        snprintf(json, sizeof json, "{\"Name\":\"n\",\"body\":%s}", cases[i].in);
        CHECK_OK(decode(s, json, &d, arena, true, 0, &err), &err);
        CHECK_JSON(d.body, cases[i].out);
        CHECK(d.body.ptr[d.body.len] == '\0');
        CHECK(d.meta.ptr == NULL && d.parts.ptr == NULL);
    }
    CHECK_OK(decode(s, "{\"Name\":\"n\",\"body\":0,\"x/y\":[1],\"parts\":[{\"k\":1}, null, \"s\"]}", &d, arena, true,
                    0, &err), &err);
    CHECK_JSON(d.meta, "[1]");
    CHECK_EQ_INT(d.parts.len, 3);
    CHECK_JSON(d.parts.ptr[0], "{\"k\":1}");
    CHECK(d.parts.ptr[1].ptr == NULL);
    CHECK_JSON(d.parts.ptr[2], "\"s\"");
    CHECK_EQ_STR(rendered(s, &d), "{\"Name\":\"n\",\"body\":0,\"x/y\":[1],\"parts\":[{\"k\":1},null,\"s\"]}");

    EXPECT(s, &d, "{\"Name\":\"n\",\"body\":null}", 0, {"/body", "null", "body"});
    EXPECT(s, &d, "{\"Name\":\"n\"}", 0, {"/body", "missing", "body"});
    EXPECT(s, &d, "{\"Name\":\"n\",\"body\":[1,]}", 0, {"", "syntax", ""});
    EXPECT(s, &d, "{\"Name\":\"n\",\"body\":\"\xC3\"}", 0, {"", "syntax", ""});
    EXPECT(s, &d, "{\"Name\":\"n\",\"body\":01}", 0, {"", "syntax", ""});
    EXPECT(s, &d, "{\"Name\":\"n\",\"body\":}", 0, {"", "syntax", ""});
    lake_arena_free(arena);
}

static void matches_keys_by_their_json_alias(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &doc_model, &err), &err);
    doc d;
    /* the column name is not a key; paths use the key, issue.column the column */
    EXPECT(s, &d, "{\"name\":\"n\",\"body\":1}", 0, {"/name", "unknown_key", ""}, {"/Name", "missing", "name"});
    EXPECT(s, &d, "{\"Name\":1,\"body\":1,\"Name\":\"n\",\"x/y\":2,\"x/y\":3}", 0, {"/Name", "type", "name"},
           {"/Name", "duplicate_key", "name"}, {"/x~1y", "duplicate_key", "meta"});
    const lake_schema *ev = event_schema();
    event e;
    EXPECT(ev, &e, event_with("\"kind\":\"k\""), 0, {"/kind", "unknown_key", ""});
    EXPECT(ev, &e, event_with("\"type\":5"), 0, {"/type", "duplicate_key", "kind"});
}

static void ndjson_keeps_good_nested_lines(void) {
    char *text = lake_test_read_file(LAKE_TEST_DATA "/nested/events.ndjson");
    CHECK(text);
    lake_records *recs;
    lake_error err = LAKE_ERROR_INIT;
    lake_decode_options o = LAKE_DECODE_OPTIONS_INIT;
    o.skip_validation = true;
    CHECK_STATUS(lake_ndjson_decode(&recs, event_schema(), text, strlen(text), &o, &err), LAKE_EVALIDATION, &err);
    CHECK_EQ_INT(lake_records_count(recs), 5);
    const event *e = lake_records_data(recs);
    CHECK_STR(e[0].items.ptr[0].tags.ptr[1], "xl");
    CHECK_STR(e[3].labels.ptr[0].value.ptr[2], "z");
    CHECK_EQ_INT(lake_records_line(recs, 4), 5);
    want w[] = {{"/scores/0/0", "type", "scores"}, {"/labels/a/0", "null", "labels"}, {"/items", "type", "items"},
                {"/shipping/city", "missing", "shipping"}, {"/attrs/a", "duplicate_key", "attrs"}};
    check_issues(&err, w, 5);
    CHECK_EQ_INT(lake_issues_get(err.issues, 1)->record, 6);
    CHECK_EQ_INT(lake_issues_get(err.issues, 2)->record, 7);
    lake_error_clear(&err);
    lake_records_free(recs);
    free(text);
}

/* ---- running out of memory at each allocation in turn */

static long countdown = -1; /* allocations left before one fails; -1: never */
static long allocations;

static void *failing_malloc(void *ctx, size_t size) {
    (void)ctx;
    allocations++;
    if (countdown == 0) return NULL;
    if (countdown > 0) countdown--;
    return malloc(size);
}
static void *failing_realloc(void *ctx, void *p, size_t old_size, size_t size) {
    (void)ctx;
    (void)old_size;
    allocations++;
    if (countdown == 0) return NULL;
    if (countdown > 0) countdown--;
    return realloc(p, size);
}
static void plain_free(void *ctx, void *p) {
    (void)ctx;
    free(p);
}

/* The schema file and the whole feed, decoded and rendered. */
static int nested_pipeline(const char *schema_text, const char *feed) {
    lake_schema *s = NULL;
    lake_records *recs = NULL;
    lake_error err = LAKE_ERROR_INIT;
    lake__buf out = LAKE__BUF_INIT;
    int rc = lake_schema_parse(&s, schema_text, strlen(schema_text), &err);
    if (rc == LAKE_OK) rc = lake_ndjson_decode(&recs, s, feed, strlen(feed), NULL, &err);
    for (size_t i = 0; rc != LAKE_ENOMEM && i < lake_records_count(recs); i++)
        if (lake__json_write_record(&out, s, (const char *)lake_records_data(recs) + i * lake_schema_record_size(s)))
            rc = LAKE_ENOMEM;
    lake__buf_dispose(&out);
    lake_records_free(recs);
    lake_schema_free(s);
    lake_error_clear(&err);
    return rc;
}

static void every_allocation_failure_is_reported(void) {
    char *schema_text = lake_test_read_file(LAKE_TEST_DATA "/nested/events.schema.json");
    char *feed = lake_test_read_file(LAKE_TEST_DATA "/nested/events.ndjson");
    CHECK(schema_text && feed);
    lake_allocator a = {failing_malloc, failing_realloc, plain_free, NULL};
    lake_set_allocator(&a);
    countdown = -1;
    allocations = 0;
    int clean = nested_pipeline(schema_text, feed);
    long total = allocations;
    for (long n = 0; n < total; n++) {
        countdown = n;
        int rc = nested_pipeline(schema_text, feed);
        if (rc != LAKE_ENOMEM && rc != clean) {
            lake_set_allocator(NULL);
            fprintf(stderr, "  failing allocation %ld gave %d\n", n, rc);
            CHECK(!"status after a failed allocation");
        }
    }
    countdown = -1;
    lake_set_allocator(NULL);
    free(schema_text);
    free(feed);
    CHECK_EQ_INT(clean, LAKE_EVALIDATION);
    CHECK(total > 20);
}

int main(void) {
    LAKE_RUN(decodes_the_valid_lines_into_the_c_model);
    LAKE_RUN(the_schema_file_decodes_what_the_c_model_does);
    LAKE_RUN(render_then_decode_gives_the_record_back);
    LAKE_RUN(reports_the_fixture_lines_issues_with_their_paths);
    LAKE_RUN(the_rules_run_inside_elements);
    LAKE_RUN(names_wrong_shapes_precisely);
    LAKE_RUN(refuses_every_duplicate_map_key);
    LAKE_RUN(decodes_long_and_deep_lists);
    LAKE_RUN(nesting_past_max_depth_is_refused);
    LAKE_RUN(keeps_json_values_as_normalized_text);
    LAKE_RUN(matches_keys_by_their_json_alias);
    LAKE_RUN(ndjson_keeps_good_nested_lines);
    LAKE_RUN(every_allocation_failure_is_reported);
    return lake_test_summary();
}

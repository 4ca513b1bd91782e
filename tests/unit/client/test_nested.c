/* SPDX-License-Identifier: MIT */
/* Nested values on DuckDB through the client's direct path: every shape of
 * the nested event model (empty and NULL lists, lists of NULLs, structs with
 * NULL members and NULL structs, maps of lists, lists three levels deep, JSON)
 * written and read back exactly, as an array, a stream and a first row; the
 * value-by-value path when the table's types differ; updates on a primary
 * key and on merge keys; idempotency keys over nested values; and the
 * database file read by DuckDB itself. test_nested_staged does the same
 * through Parquet parts. */
#include "client_fixture.h"
#include "nested_records.h"

static lake_client *with_events(lake_write_path path, const char *database) {
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = staging_url;
    o.database = database;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    event rows[NR_EVENTS];
    for (int i = 0; i < NR_EVENTS; i++) rows[i] = nr_event(i);
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = path;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    if (lake_client_open(&c, &o, &err) || lake_client_migrate(c, nr_schema(), &err) ||
        lake_client_insert(c, nr_schema(), rows, NR_EVENTS, &io, &r, &err)) {
        fprintf(stderr, "  %s\n", err.message);
        lake_error_clear(&err);
        lake_client_close(c);
        return NULL;
    }
    CHECK_EQ_INT(r.path, path);
    CHECK_EQ_INT(r.inserted, NR_EVENTS);
    return c;
}

/* Every event read back is the one written, in event_id order. */
static size_t same_events(const event *got, size_t n, const int *want, size_t nwant) {
    size_t same = 0;
    for (size_t i = 0; i < n && i < nwant; i++) {
        event e = nr_event(want[i]);
        same += nr_same_record(nr_schema(), (const unsigned char *)&got[i], (const unsigned char *)&e);
    }
    return same;
}

static void every_nested_shape_round_trips_directly(void) {
    lake_client *c = with_events(LAKE_PATH_DIRECT, NULL);
    CHECK(c != NULL);
    if (!c) return;
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    void *out = NULL;
    size_t n = 0;
    lake_source q = LAKE_SQL("SELECT * FROM events ORDER BY event_id");
    CHECK_OK(lake_client_query_all(c, nr_schema(), &q, arena, &out, &n, &err), &err);
    CHECK_EQ_INT(n, NR_EVENTS);
    static const int all[] = {0, 1, 2, 3};
    CHECK_EQ_INT(same_events(out, n, all, NR_EVENTS), NR_EVENTS);
    lake_free(out);

    /* A stream: each record is valid until the next. */
    lake_rows *rows;
    CHECK_OK(lake_client_rows(c, nr_schema(), &q, &rows, &err), &err);
    const void *rec;
    size_t streamed = 0, same = 0;
    while (lake_rows_next(rows, &rec, &err) == LAKE_OK && rec) {
        event e = nr_event((int)streamed++);
        same += nr_same_record(nr_schema(), rec, (const unsigned char *)&e);
    }
    lake_rows_close(rows);
    CHECK_EQ_INT(streamed, NR_EVENTS);
    CHECK_EQ_INT(same, NR_EVENTS);

    /* The first row: a NULL struct stays a NULL pointer, an empty list a non-NULL one. */
    event got;
    lake_source third = LAKE_SQL("SELECT * FROM events WHERE payload = '\"text\"'");
    CHECK_OK(lake_client_query_first(c, nr_schema(), &third, arena, &got, &err), &err);
    event want = nr_event(2);
    CHECK(nr_same_record(nr_schema(), (const unsigned char *)&got, (const unsigned char *)&want));
    CHECK(got.shipping == NULL);
    CHECK(got.attrs.ptr != NULL && got.attrs.len == 0);
    CHECK(got.notes.ptr == NULL);
    CHECK(got.labels.len == 2 && got.labels.ptr[1].value.ptr != NULL && got.labels.ptr[1].value.len == 0);

    /* DuckDB sees the values as values: it can query into them. */
    CHECK_EQ_INT(scalar(c, "SELECT sum(len(items)) AS n FROM events"), 6);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE shipping IS NULL"), 2);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE shipping.zip IS NULL"), 3);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE notes IS NULL"), 2);
    CHECK_EQ_INT(scalar(c, "SELECT len(list_filter(notes, x -> x IS NULL)) AS n FROM events WHERE kind = 'order' "
                           "AND notes IS NOT NULL"), 2);
    CHECK_EQ_INT(scalar(c, "SELECT CAST(scores[1][3] = 9223372036854775807 AS INT) AS n FROM events WHERE len(scores) = 3"), 1);
    CHECK_EQ_INT(scalar(c, "SELECT len(labels['x']) AS n FROM events WHERE cardinality(labels) = 2"), 2);
    CHECK_EQ_INT(scalar(c, "SELECT CAST(json_extract(payload, '$.a[2].b') = 'null' AS INT) AS n FROM events WHERE "
                           "json_type(payload) = 'OBJECT'"), 1);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events WHERE payload = 'null'"), 1); /* JSON null, not SQL NULL */
    lake_arena_free(arena);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* A table whose types are not exactly lakeorm's (wider integers, VARCHAR for
 * JSON) takes rows value by value, cast by the Appender: the same values. */
static void the_value_path_writes_the_same_values(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_exec(c,
                              "CREATE TABLE events (event_id UUID PRIMARY KEY, kind VARCHAR NOT NULL, \"at\" TIMESTAMPTZ "
                              "NOT NULL, items STRUCT(sku VARCHAR, qty BIGINT, price DECIMAL(10,2), tags VARCHAR[])[] "
                              "NOT NULL, shipping STRUCT(city VARCHAR, zip BIGINT), attrs MAP(VARCHAR, VARCHAR) NOT "
                              "NULL, payload VARCHAR, scores BIGINT[][] NOT NULL, notes VARCHAR[], labels "
                              "MAP(VARCHAR, VARCHAR[]) NOT NULL, _ingest_id VARCHAR)",
                              NULL, 0, NULL, &err),
             &err);
    event rows[NR_EVENTS];
    for (int i = 0; i < NR_EVENTS; i++) rows[i] = nr_event(i);
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_DIRECT;
    CHECK_OK(lake_client_insert(c, nr_schema(), rows, NR_EVENTS, &io, NULL, &err), &err);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    void *out = NULL;
    size_t n = 0;
    lake_source q = LAKE_SQL("SELECT * FROM events ORDER BY event_id");
    CHECK_OK(lake_client_query_all(c, nr_schema(), &q, arena, &out, &n, &err), &err);
    static const int all[] = {0, 1, 2, 3};
    CHECK_EQ_INT(same_events(out, n, all, NR_EVENTS), NR_EVENTS);
    lake_free(out);
    lake_arena_free(arena);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* A nested value the table cannot take (a list element past its INTEGER
 * elements, cast by the value path) fails the insert whole. */
static void a_refused_nested_value_leaves_the_table_as_it_was(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, nr_schema(), &err), &err);
    CHECK_OK(lake_client_exec(c, "ALTER TABLE events ALTER scores TYPE INTEGER[][]", NULL, 0, NULL, &err), &err);
    event rows[NR_EVENTS];
    for (int i = 0; i < NR_EVENTS; i++) rows[i] = nr_event(i);
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_DIRECT;
    CHECK_STATUS(lake_client_insert(c, nr_schema(), rows, NR_EVENTS, &io, NULL, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "events");
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), 0);
    CHECK_OK(lake_client_insert(c, nr_schema(), rows + 1, NR_EVENTS - 1, &io, NULL, &err), &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), NR_EVENTS - 1);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* Event 0 again with other nested values: no shipping, one item, new notes. */
static event changed_event(void) {
    static lake_str notes[] = {{"changed", 7}};
    event e = nr_event(0);
    e.shipping = NULL;
    e.items.len = 1;
    e.notes = (lake_list_str){notes, 1};
    e.payload = (lake_json){"[]", 2};
    return e;
}

static int read_event0(lake_client *c, const lake_schema *s, event *got, lake_arena *arena, lake_error *err) {
    lake_source q = LAKE_SQL("SELECT * FROM events WHERE kind = 'order' ORDER BY event_id LIMIT 1");
    return lake_client_query_first(c, s, &q, arena, got, err);
}

static void nested_columns_take_new_values_on_conflict(void) {
    lake_client *c = with_events(LAKE_PATH_DIRECT, NULL);
    CHECK(c != NULL);
    if (!c) return;
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    event again = changed_event(), got, old = nr_event(0);
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_DIRECT;
    /* On the primary key: an error leaves the table as it was, ignore keeps it, update takes the new values. */
    CHECK_STATUS(lake_client_insert(c, nr_schema(), &again, 1, &io, NULL, &err), LAKE_EREMOTE, &err);
    io.on_conflict = LAKE_CONFLICT_IGNORE;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, nr_schema(), &again, 1, &io, &r, &err), &err);
    CHECK_EQ_INT(r.ignored, 1);
    CHECK_OK(read_event0(c, nr_schema(), &got, arena, &err), &err);
    CHECK(nr_same_record(nr_schema(), (const unsigned char *)&got, (const unsigned char *)&old));
    io.on_conflict = LAKE_CONFLICT_UPDATE;
    CHECK_OK(lake_client_insert(c, nr_schema(), &again, 1, &io, &r, &err), &err);
    CHECK_EQ_INT(r.updated, 1);
    CHECK_OK(read_event0(c, nr_schema(), &got, arena, &err), &err);
    CHECK(nr_same_record(nr_schema(), (const unsigned char *)&got, (const unsigned char *)&again));
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), NR_EVENTS);
    lake_arena_free(arena);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* The same struct, merged on a scalar merge key instead of a primary key. */
static const lake_field merged_fields[] = {
    LAKE_FIELD(event, event_id, "event_id,mergeKey", ""),
    LAKE_FIELD(event, kind, "kind,json=type", "required"),
    LAKE_FIELD(event, at, "at", ""),
    LAKE_LIST_OF(event, items, ev_item, LAKE_ELEM_STRUCT(ev_item, ev_item_model), "items", "min=1,dive"),
    LAKE_STRUCT_PTR(event, shipping, ev_address, ev_address_model, "shipping,nullable", ""),
    LAKE_MAP(event, attrs, "attrs", "max=20,dive,keys,alphanum,endkeys,max=64"),
    LAKE_FIELD(event, payload, "payload,nullable", ""),
    LAKE_LIST_OF(event, scores, lake_list_i64, LAKE_ELEM_LIST(lake_list_i64, LAKE_ELEM(int64_t)), "scores", ""),
    LAKE_LIST_OF(event, notes, lake_str, LAKE_ELEM_NULLABLE(lake_str), "notes,nullable", ""),
    LAKE_MAP_OF(event, labels, lake_list_str, LAKE_ELEM_LIST(lake_list_str, LAKE_ELEM(lake_str)), "labels", ""),
};
static const lake_model merged_model = LAKE_MODEL(event, "events", merged_fields);

static void merge_keys_update_nested_columns(void) {
    const lake_schema *s;
    CHECK_OK(lake_schema_of(&s, &merged_model, NULL), NULL);
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    CHECK_OK(lake_client_migrate(c, s, &err), &err);
    event rows[NR_EVENTS];
    for (int i = 0; i < NR_EVENTS; i++) rows[i] = nr_event(i);
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_DIRECT;
    CHECK_OK(lake_client_insert(c, s, rows, NR_EVENTS, &io, NULL, &err), &err);
    event again = changed_event(), got;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, s, &again, 1, &io, &r, &err), &err);
    CHECK_EQ_INT(r.updated, 1);
    CHECK_OK(read_event0(c, s, &got, arena, &err), &err);
    CHECK(nr_same_record(s, (const unsigned char *)&got, (const unsigned char *)&again));
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), NR_EVENTS);
    lake_arena_free(arena);
    lake_client_close(c);
    lake_error_clear(&err);
}

/* The request's fingerprint covers nested values: the same records replay,
 * records that differ only three levels down reuse the key and fail. */
static void idempotency_keys_see_nested_values(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, nr_schema(), &err), &err);
    event rows[NR_EVENTS];
    for (int i = 0; i < NR_EVENTS; i++) rows[i] = nr_event(i);
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_DIRECT;
    io.idempotency_key = "nested-1";
    lake_insert_result first = LAKE_INSERT_RESULT_INIT, again = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, nr_schema(), rows, NR_EVENTS, &io, &first, &err), &err);
    CHECK_OK(lake_client_insert(c, nr_schema(), rows, NR_EVENTS, &io, &again, &err), &err);
    CHECK(again.replayed);
    CHECK(!memcmp(&again.ingest_id, &first.ingest_id, sizeof first.ingest_id));
    static lake_str other_tags[] = {{"red", 3}, {"xs", 2}};
    ev_item items[2] = {rows[0].items.ptr[0], rows[0].items.ptr[1]};
    items[0].tags = (lake_list_str){other_tags, 2};
    rows[0].items.ptr = items;
    CHECK_STATUS(lake_client_insert(c, nr_schema(), rows, NR_EVENTS, &io, NULL, &err), LAKE_EKEYREUSED, &err);
    rows[0] = nr_event(0);
    rows[1].shipping = NULL; /* a struct present or NULL is another request too */
    CHECK_STATUS(lake_client_insert(c, nr_schema(), rows, NR_EVENTS, &io, NULL, &err), LAKE_EKEYREUSED, &err);
    CHECK_EQ_INT(scalar(c, "SELECT count(*) AS n FROM events"), NR_EVENTS);
    lake_client_close(c);
    lake_error_clear(&err);
}

static int keep_lines(void *ctx, const char *json, size_t len) {
    char *out = ctx;
    size_t at = strlen(out);
    snprintf(out + at, 1024 - at, "%.*s\n", (int)len, json);
    return 0;
}

/* A query of any shape prints nested values: structs present and NULL,
 * lists and maps (empty, NULL, holding NULLs), JSON as itself. */
static void queries_without_a_model_read_nested_results(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    char out[1024] = "";
    lake_source q = LAKE_SQL("SELECT * FROM (VALUES (1, {'x': 1, 'y': NULL::VARCHAR}, [[1, NULL], []], "
                             "MAP {'k': {'z': 'v'}}, '{\"a\":[true]}'::JSON), (2, NULL, NULL, MAP {}, 'null'::JSON)) "
                             "AS t(n, s, l, m, j) ORDER BY n");
    CHECK_OK(lake_client_query_json(c, &q, keep_lines, out, &err), &err);
    CHECK_EQ_STR(out, "{\"n\":1,\"s\":{\"x\":1,\"y\":null},\"l\":[[1,null],[]],\"m\":{\"k\":{\"z\":\"v\"}},"
                      "\"j\":{\"a\":[true]}}\n"
                      "{\"n\":2,\"s\":null,\"l\":null,\"m\":{},\"j\":null}\n");
    lake_client_close(c);
    lake_error_clear(&err);
}

/* DuckDB opens the file the client wrote and finds every value, the way
 * Python sees it: None for NULL, [] for empty, dicts for maps and structs. */
static void duckdb_itself_reads_every_value(void) {
    char db[128];
    snprintf(db, sizeof db, "%s/nested.duckdb", staging_dir);
    lake_client *c = with_events(LAKE_PATH_DIRECT, db);
    CHECK(c != NULL);
    lake_client_close(c);
    char script[128], cmd[512];
    snprintf(script, sizeof script, "%s/check.py", staging_dir);
    FILE *f = fopen(script, "w");
    CHECK(f != NULL);
    if (!f) return;
    fputs("import duckdb, decimal, json, sys\n"
          "con = duckdb.connect(sys.argv[1], read_only=True)\n"
          "rows = con.sql('SELECT kind, items, shipping, attrs, payload, scores, notes, labels "
          "FROM events ORDER BY event_id').fetchall()\n"
          "D = decimal.Decimal\n"
          "i0 = [{'sku': 'sku-1', 'qty': 2, 'price': D('19.99'), 'tags': ['red', 'xl']},\n"
          "      {'sku': 'sku-2', 'qty': 1, 'price': D('0.00'), 'tags': []}]\n"
          "i1 = [{'sku': 'sku-3', 'qty': 7, 'price': D('0.05'), 'tags': ['\\u00e9t\\u00e9']}]\n"
          "want = [\n"
          "  ('order', i0, {'city': 'Utrecht', 'zip': 3511}, {'color': 'blue', 'size': ''},\n"
          "   {'a': [1, 2, {'b': None}], 'c': 'd'}, [[1, -2, 2**63 - 1], [], [-2**63]], [None, '', None], {}),\n"
          "  ('refund', i1, {'city': 'Lyon', 'zip': None}, {}, None, [], [], {}),\n"
          "  ('order', i0, None, {}, 'text', [], None, {'x': ['a', 'b'], 'empty': []}),\n"
          "  ('refund', i1, None, {}, None, [], None, {}),\n"
          "]\n"
          "for n, (got, w) in enumerate(zip(rows, want)):\n"
          "    got = list(got)\n"
          "    got[4] = json.loads(got[4]) if got[4] is not None else None\n"
          "    for k, (g, x) in enumerate(zip(got, w)):\n"
          "        assert g == x, (n, k, g, x)\n"
          "assert len(rows) == 4, rows\n"
          "assert con.sql(\"SELECT count(*) FROM events WHERE payload IS NULL\").fetchall()[0][0] == 1\n"
          "assert con.sql(\"SELECT typeof(payload) FROM events LIMIT 1\").fetchall()[0][0] == 'JSON'\n",
          f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s %s %s", LAKE_PYTHON, script, db);
    CHECK_EQ_INT(system(cmd), 0);
}

int main(void) {
    fixture_begin();
    LAKE_RUN(every_nested_shape_round_trips_directly);
    LAKE_RUN(the_value_path_writes_the_same_values);
    LAKE_RUN(a_refused_nested_value_leaves_the_table_as_it_was);
    LAKE_RUN(nested_columns_take_new_values_on_conflict);
    LAKE_RUN(merge_keys_update_nested_columns);
    LAKE_RUN(idempotency_keys_see_nested_values);
    LAKE_RUN(duckdb_itself_reads_every_value);
    LAKE_RUN(queries_without_a_model_read_nested_results);
    return fixture_end();
}

/* SPDX-License-Identifier: MIT */
/* The DuckDB dialect: the SQL text lakeorm sends to the embedded engine. Its
 * tables are DuckDB's own: a real primary key (so INSERT OR IGNORE / OR
 * REPLACE resolve conflicts), transactions across statements, and no
 * partitioning. */
#include "dialects/changes.h"
#include "dialects/move.h"
#include "dialects/quote.h"
#include "schema/type_table.h"

static int ident(lake__buf *b, const char *name) { return lake__quote(b, name, '"'); }

static int put(lake__buf *b, const char *text) {
    lake__buf_puts(b, text);
    return b->failed ? -1 : 0;
}

/* One identifier: the schema is the client's default_schema (USE), and the
 * Appender takes the name whole. */
static int table(lake__buf *b, const char *name) { return ident(b, name); }

static int type(lake__buf *b, const lake_column *c) {
    if (c->type == LAKE_STRUCT) {
        lake__buf_puts(b, "STRUCT(");
        for (size_t i = 0; i < lake_schema_column_count(c->child); i++) {
            const lake_column *f = lake_schema_column(c->child, i);
            if (i) lake__buf_puts(b, ", ");
            ident(b, f->name);
            lake__buf_putc(b, ' ');
            type(b, f);
        }
        lake__buf_putc(b, ')');
        return b->failed ? -1 : 0;
    }
    if (c->type == LAKE_LIST) {
        type(b, lake_schema_column(c->child, 0));
        return put(b, "[]");
    }
    if (c->type == LAKE_MAP) {
        lake__buf_puts(b, "MAP(VARCHAR, ");
        type(b, lake_schema_column(c->child, 1));
        return put(b, ")");
    }
    const lake__type_info *info = lake__type_info_of(c->type);
    if (!info) return -1;
    lake__buf_puts(b, info->duckdb);
    if (c->type == LAKE_DECIMAL) lake__buf_printf(b, "(%u,%u)", c->precision, c->scale);
    return b->failed ? -1 : 0;
}

static int type_probe(lake__buf *b, const lake_column *c) {
    lake__buf_puts(b, "SELECT typeof(CAST(NULL AS ");
    type(b, c);
    lake__buf_puts(b, "))");
    return b->failed ? -1 : 0;
}

static void qualified(lake__buf *b, const char *catalog, const char *schema) {
    if (catalog) {
        ident(b, catalog);
        lake__buf_putc(b, '.');
    }
    ident(b, schema);
}

static int create_schema(lake__buf *b, const char *catalog, const char *schema) {
    lake__buf_puts(b, "CREATE SCHEMA IF NOT EXISTS ");
    qualified(b, catalog, schema);
    return b->failed ? -1 : 0;
}

static int use_schema(lake__buf *b, const char *catalog, const char *schema) {
    lake__buf_puts(b, "USE ");
    qualified(b, catalog, schema);
    return b->failed ? -1 : 0;
}

static int create_table(lake__buf *b, const lake_schema *s, const char *name) {
    lake__buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
    table(b, name ? name : lake_schema_table(s));
    lake__buf_puts(b, " (");
    size_t keys = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        ident(b, c->name);
        lake__buf_putc(b, ' ');
        type(b, c);
        if (!c->nullable) lake__buf_puts(b, " NOT NULL");
        lake__buf_puts(b, ", ");
        keys += c->primary_key;
    }
    ident(b, "_ingest_id");
    lake__buf_puts(b, " VARCHAR");
    if (keys) {
        lake__buf_puts(b, ", PRIMARY KEY (");
        size_t k = 0;
        for (size_t i = 0; i < lake_schema_column_count(s); i++) {
            const lake_column *c = lake_schema_column(s, i);
            if (!c->primary_key) continue;
            if (k++) lake__buf_puts(b, ", ");
            ident(b, c->name);
        }
        lake__buf_putc(b, ')');
    }
    return put(b, ");\n");
}

static int select_all(lake__buf *b, const char *name) {
    lake__buf_puts(b, "SELECT * FROM ");
    return table(b, name);
}

/* The primary key is a constraint DuckDB enforces, so its conflicts resolve in
 * the INSERT itself; merge keys are lakeorm's, and need a MERGE. */
static int move(lake__buf *b, const lake__move *m) {
    if (m->on == LAKE__MATCH_MERGE_KEYS) return lake__move_merge(b, &lake__dialect_duckdb, m, true);
    const char *verb = "INSERT INTO ";
    if (m->on == LAKE__MATCH_PRIMARY_KEY && m->on_conflict == LAKE_CONFLICT_IGNORE) verb = "INSERT OR IGNORE INTO ";
    if (m->on == LAKE__MATCH_PRIMARY_KEY && m->on_conflict == LAKE_CONFLICT_UPDATE) verb = "INSERT OR REPLACE INTO ";
    return lake__move_insert(b, &lake__dialect_duckdb, m, verb);
}

static int duplicate_key(lake__buf *b, const lake__move *m) {
    return lake__move_duplicate_key(b, &lake__dialect_duckdb, m, "VARCHAR");
}

static int count_matched(lake__buf *b, const lake__move *m) {
    return lake__move_count_matched(b, &lake__dialect_duckdb, m, "VARCHAR");
}

static int count_rows(lake__buf *b, const char *name) {
    lake__buf_puts(b, "SELECT count(*) FROM ");
    return table(b, name);
}

/* DuckDB reads local files only: location is a glob of the parts on this
 * machine (the driver copies remote staging here first). */
static int staged_source(lake__buf *b, const char *location, const char *ingest_id, bool filter, lake_param *params,
                         size_t *n) {
    lake__buf_puts(b, "read_parquet(?)");
    params[(*n)++] = lake_param_text(location);
    if (filter) {
        lake__buf_puts(b, " WHERE ");
        ident(b, "_ingest_id");
        lake__buf_puts(b, " = ?");
        params[(*n)++] = lake_param_text(ingest_id);
    }
    return b->failed ? -1 : 0;
}

static int create_temp_like(lake__buf *b, const char *temp, const char *like) {
    lake__buf_puts(b, "CREATE TEMP TABLE ");
    ident(b, temp);
    lake__buf_puts(b, " AS SELECT * FROM ");
    table(b, like);
    lake__buf_puts(b, " LIMIT 0");
    return b->failed ? -1 : 0;
}

static int drop_temp(lake__buf *b, const char *temp) {
    lake__buf_puts(b, "DROP TABLE ");
    return ident(b, temp);
}

static int drop_view(lake__buf *b, const char *view) {
    lake__buf_puts(b, "DROP VIEW IF EXISTS ");
    return ident(b, view);
}

/* ---- a request's rows as parameters in the statement. The DuckDB driver
 * appends rows and binds BLOBs itself, so it uses none of these; they are
 * DuckDB's own forms, for a driver that reaches DuckDB by SQL text only. */

static int from_base64(lake__buf *b, const char *marker) {
    lake__buf_printf(b, "from_base64(%s)", marker);
    return b->failed ? -1 : 0;
}

static int typed_null(lake__buf *b, const lake_column *c) { return lake__move_typed_null(b, &lake__dialect_duckdb, c); }

/* struct_pack("field" := <value>, ...) */
static int struct_value(lake__buf *b, const lake_schema *child, lake__field_value field, void *ctx) {
    lake__buf_puts(b, "struct_pack(");
    for (size_t i = 0; i < lake_schema_column_count(child); i++) {
        if (i) lake__buf_puts(b, ", ");
        ident(b, lake_schema_column(child, i)->name);
        lake__buf_puts(b, " := ");
        if (field(ctx, b, i)) return -1;
    }
    return put(b, ")");
}

/* CAST([e, ...] AS T[]), CAST(MAP {k: v, ...} AS MAP(VARCHAR, T)) */
static int collection_value(lake__buf *b, const lake_column *c, size_t count, lake__field_value item, void *ctx) {
    bool map = c->type == LAKE_MAP;
    lake__buf_puts(b, map ? "CAST(MAP {" : "CAST([");
    for (size_t i = 0; i < (map ? 2 * count : count); i++) {
        if (i) lake__buf_puts(b, map && i % 2 ? ": " : ", ");
        if (item(ctx, b, i)) return -1;
    }
    lake__buf_puts(b, map ? "} AS " : "] AS ");
    type(b, c);
    return put(b, ")");
}

static int values_source(lake__buf *b, const lake_schema *s, const char *rows, size_t rows_len, const char *ingest_id) {
    return lake__move_values_source(b, &lake__dialect_duckdb, s, rows, rows_len, ingest_id);
}

/* ---- _lakeorm_ingests: one transaction holds the key's lookup, the rows and
 * the claim, so the key is a real primary key and a claim replaces. */

static int ingests_create(lake__buf *b) {
    return put(b, "CREATE TABLE IF NOT EXISTS \"_lakeorm_ingests\" (idempotency_key VARCHAR PRIMARY KEY, "
                             "ingest_id VARCHAR NOT NULL, table_name VARCHAR NOT NULL, created_at TIMESTAMPTZ NOT NULL, "
                             "fingerprint VARCHAR)");
}

static int ingests_probe_fingerprint(lake__buf *b) {
    return put(b, "SELECT fingerprint FROM \"_lakeorm_ingests\" LIMIT 0");
}

static int ingests_add_fingerprint(lake__buf *b) {
    return put(b, "ALTER TABLE \"_lakeorm_ingests\" ADD COLUMN IF NOT EXISTS fingerprint VARCHAR");
}

static int ingests_find(lake__buf *b) {
    return put(b, "SELECT concat_ws(' ', ingest_id, coalesce(fingerprint, '-'), table_name) AS lake_key "
                             "FROM \"_lakeorm_ingests\" WHERE idempotency_key = ? AND created_at > ?");
}

static int ingests_claim(lake__buf *b) {
    return put(b, "INSERT OR REPLACE INTO \"_lakeorm_ingests\" (idempotency_key, ingest_id, table_name, "
                             "created_at, fingerprint) VALUES (?, ?, ?, now(), ?)");
}

static int ingest_landed(lake__buf *b, const char *name) {
    lake__buf_puts(b, "SELECT ");
    ident(b, "_ingest_id");
    lake__buf_puts(b, " AS lake_key FROM ");
    table(b, name);
    lake__buf_puts(b, " WHERE ");
    ident(b, "_ingest_id");
    lake__buf_puts(b, " = ? LIMIT 1");
    return b->failed ? -1 : 0;
}

/* The table travels as the parameters ?1 and ?2, not in the text. */
static int describe(lake__buf *b, const char *name) {
    (void)name;
    return put(
        b, "SELECT c.column_name, c.data_type, c.is_nullable = 'YES', "
           "coalesce(list_contains(k.constraint_column_names, c.column_name), false) "
           "FROM information_schema.columns c LEFT JOIN (SELECT constraint_column_names FROM duckdb_constraints() "
           "WHERE table_name = ? AND schema_name = current_schema() AND constraint_type = 'PRIMARY KEY') k ON true "
           "WHERE c.table_name = ? AND c.table_schema = current_schema() ORDER BY c.ordinal_position");
}

const lake__dialect lake__dialect_duckdb = {
    .id = LAKE_DIALECT_DUCKDB,
    .name = "duckdb",
    .enforces_primary_keys = true,
    .ident = ident,
    .table = table,
    .type = type,
    .type_probe = type_probe,
    .create_schema = create_schema,
    .use_schema = use_schema,
    .create_table = create_table,
    .select_all = select_all,
    .begin = "BEGIN TRANSACTION",
    .utc = "SET GLOBAL TimeZone = 'UTC'",
    .commit = "COMMIT",
    .rollback = "ROLLBACK",
    .move = move,
    .duplicate_key = duplicate_key,
    .count_matched = count_matched,
    .count_rows = count_rows,
    .engine_version = lake__dialect_version_select,
    .staged_source = staged_source,
    .create_temp_like = create_temp_like,
    .drop_temp = drop_temp,
    .drop_view = drop_view,
    .union_all = lake__move_union_all,
    .from_base64 = from_base64,
    .typed_null = typed_null,
    .struct_value = struct_value,
    .collection_value = collection_value,
    .values_source = values_source,
    .ingests_create = ingests_create,
    .ingests_probe_fingerprint = ingests_probe_fingerprint,
    .ingests_add_fingerprint = ingests_add_fingerprint,
    .ingests_find = ingests_find,
    .ingests_claim = ingests_claim,
    .ingest_landed = ingest_landed,
    .describe = describe,
    .describe_json = NULL, /* describe says what may be NULL, and the key */
    .properties = NULL,
    .key_property = NULL,
    .render_changes = lake__duckdb_render_changes,
};

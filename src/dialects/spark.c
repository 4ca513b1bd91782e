/* SPDX-License-Identifier: MIT */
/* Spark SQL for Iceberg and Delta tables, as Spark Connect and Databricks SQL
 * warehouses (and the migration files written for them) speak it. Every
 * SELECT names its one column lake_key: the Spark driver reads a text result
 * by that name. */
#include "dialects/spark.h"

#include "dialects/move.h"
#include "dialects/quote.h"
#include "schema/type_table.h"

static int put(lake__buf *b, const char *text) {
    lake__buf_puts(b, text);
    return b->failed ? -1 : 0;
}

int lake__spark_ident(lake__buf *b, const char *name) { return lake__quote(b, name, '`'); }

/* A dotted name is a qualified one, each part quoted: `catalog`.`schema`.`table`
 * (Unity Catalog's three-part names). */
int lake__spark_table(lake__buf *b, const char *name) { return lake__quote_dotted(b, name, '`'); }

static void ident(lake__buf *b, const char *name) { lake__spark_ident(b, name); }

int lake__spark_type(lake__buf *b, const lake_column *c) {
    if (c->type == LAKE_STRUCT) {
        lake__buf_puts(b, "STRUCT<");
        for (size_t i = 0; i < lake_schema_column_count(c->child); i++) {
            const lake_column *f = lake_schema_column(c->child, i);
            if (i) lake__buf_puts(b, ", ");
            ident(b, f->name);
            lake__buf_puts(b, ": ");
            lake__spark_type(b, f);
        }
        lake__buf_putc(b, '>');
        return b->failed ? -1 : 0;
    }
    if (c->type == LAKE_LIST || c->type == LAKE_MAP) {
        lake__buf_puts(b, c->type == LAKE_LIST ? "ARRAY<" : "MAP<STRING, ");
        lake__spark_type(b, lake_schema_column(c->child, c->type == LAKE_MAP));
        return put(b, ">");
    }
    const lake__type_info *info = lake__type_info_of(c->type);
    if (!info) return -1;
    lake__buf_puts(b, info->spark);
    if (c->type == LAKE_DECIMAL) lake__buf_printf(b, "(%u,%u)", c->precision, c->scale);
    return b->failed ? -1 : 0;
}

/* typeof prints a type as DESCRIBE TABLE's data_type does ("decimal(18,2)",
 * "struct<a:int>"). */
int lake__spark_type_probe(lake__buf *b, const lake_column *c) {
    lake__buf_puts(b, "SELECT typeof(CAST(NULL AS ");
    lake__spark_type(b, c);
    return put(b, ")) AS lake_key");
}

static void qualified(lake__buf *b, const char *catalog, const char *schema) {
    if (catalog) {
        ident(b, catalog);
        lake__buf_putc(b, '.');
    }
    ident(b, schema);
}

/* Spark Connect's text; Databricks SQL takes NAMESPACE as a synonym of SCHEMA. */
int lake__spark_create_schema(lake__buf *b, const char *catalog, const char *schema) {
    lake__buf_puts(b, "CREATE NAMESPACE IF NOT EXISTS ");
    qualified(b, catalog, schema);
    return b->failed ? -1 : 0;
}

int lake__spark_use_schema(lake__buf *b, const char *catalog, const char *schema) {
    lake__buf_puts(b, "USE ");
    qualified(b, catalog, schema);
    return b->failed ? -1 : 0;
}

int lake__spark_partition_expr(lake__buf *b, const lake_column *c, lake_dialect format) {
    static const char *const transforms[] = {
        [LAKE_PARTITION_YEAR] = "years", [LAKE_PARTITION_MONTH] = "months",
        [LAKE_PARTITION_DAY] = "days",   [LAKE_PARTITION_HOUR] = "hours"};
    if (format == LAKE_DIALECT_DELTA || c->partition == LAKE_PARTITION_IDENTITY) {
        ident(b, c->name); /* Delta partitions by value; its transforms need generated columns */
    } else if (c->partition == LAKE_PARTITION_BUCKET || c->partition == LAKE_PARTITION_TRUNCATE) {
        lake__buf_printf(b, "%s(%d, ", c->partition == LAKE_PARTITION_BUCKET ? "bucket" : "truncate",
                         (int)c->partition_param);
        ident(b, c->name);
        lake__buf_putc(b, ')');
    } else {
        lake__buf_puts(b, transforms[c->partition]);
        lake__buf_putc(b, '(');
        ident(b, c->name);
        lake__buf_putc(b, ')');
    }
    return b->failed ? -1 : 0;
}

static void key_list(lake__buf *b, const lake_schema *s) {
    size_t k = 0;
    for (size_t i = 0; i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!c->primary_key) continue;
        if (k++) lake__buf_puts(b, ", ");
        ident(b, c->name);
    }
}

static bool has_key(const lake_schema *s) {
    for (size_t i = 0; s && i < lake_schema_column_count(s); i++)
        if (lake_schema_column(s, i)->primary_key) return true;
    return false;
}

int lake__spark_identifier_fields(lake__buf *b, const char *table, const lake_schema *now, const lake_schema *before) {
    lake__buf_puts(b, "ALTER TABLE ");
    lake__spark_table(b, table); /* the name CREATE TABLE gave it, parts and all */
    if (has_key(now)) {
        lake__buf_puts(b, " SET IDENTIFIER FIELDS ");
        key_list(b, now);
    } else {
        lake__buf_puts(b, " DROP IDENTIFIER FIELDS ");
        key_list(b, before);
    }
    return put(b, ";");
}

int lake__spark_create_table(lake__buf *b, const lake_schema *s, const char *table, lake_dialect format) {
    if (!table) table = lake_schema_table(s);
    lake__buf_puts(b, "CREATE TABLE IF NOT EXISTS ");
    lake__spark_table(b, table);
    lake__buf_puts(b, " (");
    size_t n = lake_schema_column_count(s), parts = 0;
    for (size_t i = 0; i < n; i++) {
        const lake_column *c = lake_schema_column(s, i);
        ident(b, c->name);
        lake__buf_putc(b, ' ');
        lake__spark_type(b, c);
        if (!c->nullable) lake__buf_puts(b, " NOT NULL");
        lake__buf_puts(b, ", ");
        parts += c->partition != LAKE_PARTITION_NONE;
    }
    ident(b, "_ingest_id");
    lake__buf_puts(b, format == LAKE_DIALECT_DELTA ? " STRING) USING delta" : " STRING) USING iceberg");
    if (parts) {
        lake__buf_puts(b, " PARTITIONED BY (");
        size_t k = 0;
        for (size_t i = 0; i < n; i++) {
            const lake_column *c = lake_schema_column(s, i);
            if (c->partition == LAKE_PARTITION_NONE) continue;
            if (k++) lake__buf_puts(b, ", ");
            lake__spark_partition_expr(b, c, format);
        }
        lake__buf_putc(b, ')');
    }
    lake__buf_puts(b, ";\n");
    /* Iceberg has no primary key; its identifier fields say the same to its readers. */
    if (format == LAKE_DIALECT_ICEBERG && has_key(s)) {
        lake__spark_identifier_fields(b, table, s, NULL);
        lake__buf_putc(b, '\n');
    }
    return b->failed ? -1 : 0;
}

int lake__spark_select_all(lake__buf *b, const char *table) {
    lake__buf_puts(b, "SELECT * FROM ");
    return lake__spark_table(b, table);
}

/* Iceberg and Delta keep no key constraint: every conflict strategy is a
 * MERGE, which leaves matched rows alone to ignore them. */
int lake__spark_move(lake__buf *b, const lake__move *m) {
    const lake__dialect *d = &lake__dialect_iceberg; /* quoting alike in both formats */
    if (m->on == LAKE__MATCH_MERGE_KEYS) return lake__move_merge(b, d, m, true);
    if (m->on == LAKE__MATCH_PRIMARY_KEY && m->on_conflict != LAKE_CONFLICT_ERROR)
        return lake__move_merge(b, d, m, m->on_conflict == LAKE_CONFLICT_UPDATE);
    return lake__move_insert(b, d, m, "INSERT INTO ");
}

int lake__spark_duplicate_key(lake__buf *b, const lake__move *m) {
    return lake__move_duplicate_key(b, &lake__dialect_iceberg, m, "STRING");
}

int lake__spark_count_matched(lake__buf *b, const lake__move *m) {
    return lake__move_count_matched(b, &lake__dialect_iceberg, m, "STRING");
}

int lake__spark_count_rows(lake__buf *b, const char *table) {
    lake__buf_puts(b, "SELECT CAST(count(*) AS STRING) AS lake_key FROM ");
    return lake__spark_table(b, table);
}

/* The engine reads the parts where they are (a folder it shares, or the
 * object store): the location is a path, quoted as the identifier after
 * `parquet.`. Always filtered: another request's parts may share the folder,
 * and a filtered read costs Spark nothing extra. */
int lake__spark_staged_source(lake__buf *b, const char *location, const char *ingest_id, bool filter,
                              lake_param *params, size_t *n) {
    (void)filter;
    lake__buf_puts(b, "(SELECT * FROM parquet.");
    ident(b, location);
    lake__buf_puts(b, " WHERE ");
    ident(b, "_ingest_id");
    lake__buf_puts(b, " = ?)");
    params[(*n)++] = lake_param_text(ingest_id);
    return b->failed ? -1 : 0;
}

int lake__spark_drop_view(lake__buf *b, const char *view) {
    lake__buf_puts(b, "DROP VIEW IF EXISTS ");
    return lake__spark_ident(b, view);
}

/* ---- a request's rows as parameters in the statement */

int lake__spark_from_base64(lake__buf *b, const char *marker) {
    lake__buf_printf(b, "unbase64(%s)", marker);
    return b->failed ? -1 : 0;
}

int lake__spark_typed_null(lake__buf *b, const lake_column *c) {
    return lake__move_typed_null(b, &lake__dialect_iceberg, c); /* types alike in both formats */
}

/* struct(<value> AS `field`, ...): the AS names the fields as the column's type does. */
int lake__spark_struct_value(lake__buf *b, const lake_schema *child, lake__field_value field, void *ctx) {
    lake__buf_puts(b, "struct(");
    for (size_t i = 0; i < lake_schema_column_count(child); i++) {
        if (i) lake__buf_puts(b, ", ");
        if (field(ctx, b, i)) return -1;
        lake__buf_puts(b, " AS ");
        ident(b, lake_schema_column(child, i)->name);
    }
    return put(b, ")");
}

/* CAST(array(e, ...) AS ARRAY<T>), CAST(map(k, v, ...) AS MAP<STRING, T>): the
 * cast types an empty one and widens the elements' parameters to the column's. */
int lake__spark_collection_value(lake__buf *b, const lake_column *c, size_t count, lake__field_value item,
                                 void *ctx) {
    bool map = c->type == LAKE_MAP;
    lake__buf_puts(b, map ? "CAST(map(" : "CAST(array(");
    for (size_t i = 0; i < (map ? 2 * count : count); i++) {
        if (i) lake__buf_puts(b, ", ");
        if (item(ctx, b, i)) return -1;
    }
    lake__buf_puts(b, ") AS ");
    lake__spark_type(b, c);
    return put(b, ")");
}

int lake__spark_values_source(lake__buf *b, const lake_schema *s, const char *rows, size_t rows_len,
                              const char *ingest_id) {
    return lake__move_values_source(b, &lake__dialect_iceberg, s, rows, rows_len, ingest_id);
}

/* ---- _lakeorm_ingests: no transaction spans the lookup and the write, so a
 * key is claimed by a MERGE just before the rows land, and a claim is proved
 * by its rows (ingest_landed). Spark SQL keeps no primary key. */

int lake__spark_ingests_create(lake__buf *b, lake_dialect format) {
    lake__buf_puts(b, "CREATE TABLE IF NOT EXISTS `_lakeorm_ingests` (idempotency_key STRING, ingest_id STRING, "
                      "table_name STRING, created_at TIMESTAMP, fingerprint STRING) USING ");
    return put(b, format == LAKE_DIALECT_DELTA ? "delta" : "iceberg");
}

int lake__spark_ingests_probe_fingerprint(lake__buf *b) {
    return put(b, "SELECT fingerprint AS lake_key FROM `_lakeorm_ingests` LIMIT 0");
}

/* Spark SQL has no ADD COLUMNS IF NOT EXISTS: the caller probes first, and
 * probes again when this fails (another client added it first). */
int lake__spark_ingests_add_fingerprint(lake__buf *b) {
    return put(b, "ALTER TABLE `_lakeorm_ingests` ADD COLUMNS (fingerprint STRING)");
}

/* Without a key constraint a key may have several records: the newest counts. */
int lake__spark_ingests_find(lake__buf *b) {
    return put(b, "SELECT concat_ws(' ', ingest_id, coalesce(fingerprint, '-'), table_name) AS lake_key "
                  "FROM `_lakeorm_ingests` WHERE idempotency_key = ? AND created_at > ? "
                  "ORDER BY created_at DESC LIMIT 1");
}

int lake__spark_ingests_claim(lake__buf *b) {
    return put(b, "MERGE INTO `_lakeorm_ingests` AS t USING (SELECT ? AS idempotency_key, ? AS ingest_id, ? AS table_name, "
                  "current_timestamp() AS created_at, ? AS fingerprint) AS s ON t.idempotency_key = s.idempotency_key "
                  "WHEN MATCHED THEN UPDATE SET ingest_id = s.ingest_id, table_name = s.table_name, "
                  "created_at = s.created_at, fingerprint = s.fingerprint "
                  "WHEN NOT MATCHED THEN INSERT (idempotency_key, ingest_id, table_name, created_at, fingerprint) "
                  "VALUES (s.idempotency_key, s.ingest_id, s.table_name, s.created_at, s.fingerprint)");
}

int lake__spark_ingest_landed(lake__buf *b, const char *table) {
    lake__buf_puts(b, "SELECT `_ingest_id` AS lake_key FROM ");
    lake__spark_table(b, table);
    return put(b, " WHERE `_ingest_id` = ? LIMIT 1");
}

int lake__spark_describe(lake__buf *b, const char *table) {
    lake__buf_puts(b, "DESCRIBE TABLE ");
    return lake__spark_table(b, table);
}

int lake__spark_describe_json(lake__buf *b, const char *table) {
    lake__buf_puts(b, "DESCRIBE TABLE EXTENDED ");
    lake__spark_table(b, table);
    return put(b, " AS JSON");
}

int lake__spark_properties(lake__buf *b, const char *table) {
    lake__buf_puts(b, "SHOW TBLPROPERTIES ");
    return lake__spark_table(b, table);
}

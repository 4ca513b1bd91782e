/* SPDX-License-Identifier: MIT */
/* The dialect extension point: every SQL text lakeorm sends is built by one
 * of these objects (DuckDB; Iceberg and Delta tables in Spark SQL), so the
 * client and the drivers never write SQL themselves. Builders append to a
 * buffer and return its failure state (non-zero: out of memory); a table
 * name is the model's (quoted as the dialect quotes tables) unless given. */
#ifndef LAKE_DIALECTS_DIALECT_H
#define LAKE_DIALECTS_DIALECT_H

#include <lakeorm/client.h>
#include <lakeorm/schema.h>

#include "util/buf.h"

struct lake__diff; /* dialects/changes.h */

/* How a request's rows meet the rows the table holds. */
typedef enum lake__match_on {
    LAKE__MATCH_NONE = 0,   /* a plain INSERT: a key the table holds is the engine's error, or a duplicate */
    LAKE__MATCH_MERGE_KEYS, /* an upsert on the model's merge keys */
    LAKE__MATCH_PRIMARY_KEY /* a conflict strategy on the primary key */
} lake__match_on;

/* A statement that moves a request's rows from `source` (a FROM-clause
 * fragment lakeorm built: a temporary table or view, the staged parts, a
 * VALUES list) into the table. */
typedef struct lake__move {
    const lake_schema *schema;
    const char *table; /* NULL: the schema's */
    const char *source;
    lake__match_on on;
    /* With LAKE__MATCH_PRIMARY_KEY: IGNORE keeps the table's row, UPDATE takes
     * the request's. Merge keys always update. */
    lake_on_conflict on_conflict;
} lake__move;

/* Appends the value of field `index` of a struct (dialect.h's struct_value);
 * non-zero: it failed, and the struct stops there. */
typedef int (*lake__field_value)(void *ctx, lake__buf *out, size_t index);

typedef struct lake__dialect {
    lake_dialect id;
    const char *name; /* "duckdb", "iceberg", "delta" */
    /* The engine refuses a row whose primary key the table holds (DuckDB);
     * open table formats keep no such constraint, so lakeorm checks it. */
    bool enforces_primary_keys;

    /* ---- names and types */
    int (*ident)(lake__buf *out, const char *name);
    /* A table name: a dotted name is catalog.schema.table where the dialect
     * qualifies names (Spark SQL), one identifier otherwise (DuckDB: its
     * schema is the client's default_schema). */
    int (*table)(lake__buf *out, const char *name);
    int (*type)(lake__buf *out, const lake_column *column);
    /* SELECT that yields, as text, how the engine prints `column`'s type, in
     * the form the catalog (driver columns) shows it. */
    int (*type_probe)(lake__buf *out, const lake_column *column);

    /* ---- namespaces and tables */
    /* catalog may be NULL. */
    int (*create_schema)(lake__buf *out, const char *catalog, const char *schema);
    int (*use_schema)(lake__buf *out, const char *catalog, const char *schema);
    /* CREATE TABLE IF NOT EXISTS: every column, NOT NULL where the schema
     * says, _ingest_id, the primary key (or the format's nearest: Iceberg
     * identifier fields), partitioning; statements end in ";\n". */
    int (*create_table)(lake__buf *out, const lake_schema *s, const char *table);
    /* SELECT * FROM <table> */
    int (*select_all)(lake__buf *out, const char *table);
    /* SELECT of one row, one column: the engine's version as it reports it
     * (lake_client_engine_version). */
    int (*engine_version)(lake__buf *out);

    /* ---- transactions: NULL for dialects whose engine commits each statement */
    const char *begin, *commit, *rollback;
    /* Makes the engine's session time zone UTC for every session, for an
     * engine computing for a table format: files other writers wrote hold
     * instants without a zone (Spark's INT96), which a local zone would
     * shift. NULL where the engine computes for none. */
    const char *utc;

    /* ---- moving a request's rows */
    int (*move)(lake__buf *out, const lake__move *m);
    /* SELECT the first key (its values joined by ", ", as text) that occurs
     * more than once in the source: a MERGE needs each key once per request.
     * The key is m->on's (LAKE__MATCH_NONE: the primary key, which a plain
     * insert collides on); on_conflict is not read. */
    int (*duplicate_key)(lake__buf *out, const lake__move *m);
    /* SELECT, as text, how many source rows have a key the table holds. */
    int (*count_matched)(lake__buf *out, const lake__move *m);
    /* SELECT count(*) of the table. */
    int (*count_rows)(lake__buf *out, const char *table);
    /* The staged parts at `location` (a folder of Parquet files) as a source
     * of the rows of ingest id `ingest_id` only when filter is set (other
     * requests' parts may share the folder: a MERGE must not see them). The
     * parameters the fragment takes are appended to params[*n] (borrowing
     * location and ingest_id); at most two. DuckDB: location is bound as
     * read_parquet's argument, so it is what DuckDB reads (today a glob
     * of the folder's .parquet files, local ones). Spark SQL: location is the
     * folder or object-store URL, in the text as parquet.`<location>`, and the
     * fragment is always filtered. */
    int (*staged_source)(lake__buf *out, const char *location, const char *ingest_id, bool filter, lake_param *params,
                         size_t *n);
    /* A temporary table shaped like the table, empty (CREATE TEMP TABLE ...
     * AS SELECT * ... LIMIT 0), and its removal; a temporary view's removal.
     * NULL where the engine has none. */
    int (*create_temp_like)(lake__buf *out, const char *temp, const char *table);
    int (*drop_temp)(lake__buf *out, const char *temp);
    int (*drop_view)(lake__buf *out, const char *view);
    /* A FROM-clause fragment over several sources read as one (UNION ALL):
     * sources are FROM-clause fragments the caller built (a view's name
     * quoted with ident), n >= 1, taken as they are; one source is itself. */
    int (*union_all)(lake__buf *out, const char *const *sources, size_t n);

    /* ---- a request's rows inside the statement that lands them, every value a
     * parameter (an engine reached by SQL only: Databricks' direct path) */
    /* A bytes value from a parameter that carries it as base64 text, for an
     * API with no binary parameter type; `marker` is the parameter as the
     * driver writes it (`?`, `:p1`). */
    int (*from_base64)(lake__buf *out, const char *marker);
    /* NULL of the column's type, for a value no parameter types (a struct). */
    int (*typed_null)(lake__buf *out, const lake_column *column);
    /* A value of a struct column whose fields are child's columns, in order:
     * field(ctx, out, i) appends field i's value. Non-zero when field or the
     * buffer failed (field is not called again after it fails). */
    int (*struct_value)(lake__buf *out, const lake_schema *child, lake__field_value field, void *ctx);
    /* A value of a list or map column of `count` elements (entries): item(ctx,
     * out, i) appends a list's element i, or for a map the key (i even) and
     * the value (i odd) of entry i / 2, over 2 * count items. */
    int (*collection_value)(lake__buf *out, const lake_column *column, size_t count, lake__field_value item,
                            void *ctx);
    /* A FROM-clause source over a VALUES list: `rows` (rows_len bytes) is the
     * list, "(a, b), (c, d)", each row a value per column of s in order, and
     * `ingest_id` a value (a parameter's marker) every row carries as
     * _ingest_id. */
    int (*values_source)(lake__buf *out, const lake_schema *s, const char *rows, size_t rows_len, const char *ingest_id);

    /* ---- the idempotency keys' table, _lakeorm_ingests */
    /* CREATE TABLE IF NOT EXISTS with (idempotency_key, ingest_id, table_name,
     * created_at, fingerprint). */
    int (*ingests_create)(lake__buf *out);
    /* A statement that fails when the table lacks the fingerprint column
     * (versions before fingerprints), and the ALTER that adds it. */
    int (*ingests_probe_fingerprint)(lake__buf *out);
    int (*ingests_add_fingerprint)(lake__buf *out);
    /* SELECT, as one text "<ingest id> <fingerprint or -> <table>", the
     * newest record of key ?1 created after ?2 (a TIMESTAMP parameter: an
     * instant. DuckDB's created_at is a TIMESTAMPTZ, which DuckDB compares
     * with a plain TIMESTAMP in the session's TimeZone, so its driver binds
     * this one as TIMESTAMPTZ: duckdb_bind_timestamp_tz). */
    int (*ingests_find)(lake__buf *out);
    /* Records (replacing) key ?1 for ingest id ?2, table ?3, fingerprint ?4,
     * created now. */
    int (*ingests_claim)(lake__buf *out);
    /* SELECT _ingest_id of one row of `table` whose _ingest_id is ?1: whether
     * a claimed request's rows landed. */
    int (*ingest_landed)(lake__buf *out, const char *table);

    /* ---- the catalog */
    /* The statement a driver reads a table's columns with (DuckDB:
     * information_schema with the table as ?1 and ?2, which also says what
     * may be NULL and the primary key; Spark SQL: DESCRIBE TABLE, names and
     * types only). */
    int (*describe)(lake__buf *out, const char *table);
    /* DESCRIBE TABLE EXTENDED <table> AS JSON: one row of one text column,
     * json_metadata, a document whose "columns" give each column's "name"
     * and "nullable". Databricks SQL answers it (Databricks Runtime 16.2 and
     * later); Spark 4.0 only for its session catalog's v1 tables, so the
     * Spark driver asks Spark Connect for the schema instead. NULL where
     * describe already says (DuckDB). */
    int (*describe_json)(lake__buf *out, const char *table);
    /* Where the format keeps the primary key among the table's properties:
     * a statement whose rows (text columns key and value) are the
     * properties, and the one that lists the key's columns, "[a,b]"
     * (Iceberg's identifier fields). key_property NULL: the format keeps no
     * primary key (Delta), or describe says it (DuckDB). */
    int (*properties)(lake__buf *out, const char *table);
    const char *key_property;

    /* ---- migrations */
    /* The statements that take a table through a list of changes (a
     * migration file's Up or Down section) in this dialect's ALTER grammar,
     * as dialects/changes.h describes them. */
    int (*render_changes)(lake__buf *out, const struct lake__diff *changes);
} lake__dialect;

extern const lake__dialect lake__dialect_duckdb;
extern const lake__dialect lake__dialect_iceberg;
extern const lake__dialect lake__dialect_delta;

/* The object for a dialect; NULL for an unknown value. */
const lake__dialect *lake__dialect_of(lake_dialect id);
/* SELECT version(): DuckDB, Spark SQL and Databricks SQL all spell it so. */
int lake__dialect_version_select(lake__buf *out);

#endif

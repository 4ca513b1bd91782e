/* SPDX-License-Identifier: MIT */
/* THE type table: every column type's C representation and what each engine
 * and file format calls it. Everything that maps a lakeorm type reads it from
 * here (DDL, Parquet, schema files, record layout). */
#ifndef LAKE_SCHEMA_TYPE_TABLE_H
#define LAKE_SCHEMA_TYPE_TABLE_H

#include <lakeorm/schema.h>

/* X(type, schema-file name, C value type, C optional type, DuckDB, Spark SQL,
 *   Parquet physical, Parquet logical). Strings and bytes have no lake_opt_*
 *   form: their NULL is a NULL pointer, so their optional type is a placeholder
 *   that nothing lays out.
 *   DECIMAL's Parquet physical type depends on its precision (see parquet/).
 *   UUID is STRING in Spark SQL: Spark has no UUID type. JSON is text
 *   everywhere but DuckDB (whose JSON type is VARCHAR checked on insert).
 *   struct, list and map are composite: their rows are in dialects/ and
 *   parquet/, built from their members. */
#define LAKE__TYPE_TABLE(X)                                                                  \
    X(LAKE_BOOL, "bool", bool, lake_opt_bool, "BOOLEAN", "BOOLEAN", PQ(BOOLEAN), PL(NONE))            \
    X(LAKE_INT8, "int8", int8_t, lake_opt_i8, "TINYINT", "TINYINT", PQ(INT32), PL(INT8))        \
    X(LAKE_INT16, "int16", int16_t, lake_opt_i16, "SMALLINT", "SMALLINT", PQ(INT32), PL(INT16)) \
    X(LAKE_INT32, "int32", int32_t, lake_opt_i32, "INTEGER", "INT", PQ(INT32), PL(INT32))       \
    X(LAKE_INT64, "int64", int64_t, lake_opt_i64, "BIGINT", "BIGINT", PQ(INT64), PL(INT64))     \
    X(LAKE_FLOAT32, "float32", float, lake_opt_f32, "FLOAT", "FLOAT", PQ(FLOAT), PL(NONE))            \
    X(LAKE_FLOAT64, "float64", double, lake_opt_f64, "DOUBLE", "DOUBLE", PQ(DOUBLE), PL(NONE))        \
    X(LAKE_STRING, "string", lake_str, lake__no_opt, "VARCHAR", "STRING", PQ(BYTE_ARRAY), PL(STRING)) \
    X(LAKE_BYTES, "bytes", lake_bytes, lake__no_opt, "BLOB", "BINARY", PQ(BYTE_ARRAY), PL(NONE))        \
    X(LAKE_TIMESTAMP, "timestamp", lake_ts, lake_opt_ts, "TIMESTAMPTZ", "TIMESTAMP", PQ(INT64), \
      PL(TIMESTAMP_MICROS_UTC))                                                              \
    X(LAKE_DATE, "date", lake_date, lake_opt_date, "DATE", "DATE", PQ(INT32), PL(DATE))           \
    X(LAKE_DECIMAL, "decimal", lake_dec128, lake_opt_dec128, "DECIMAL", "DECIMAL",            \
      PQ(FIXED_LEN_BYTE_ARRAY), PL(DECIMAL))                                                     \
    X(LAKE_UUID, "uuid", lake_uuid, lake_opt_uuid, "UUID", "STRING", PQ(FIXED_LEN_BYTE_ARRAY), \
      PL(UUID))                                                                                \
    X(LAKE_SORTABLE_ID, "sortable_id", lake_ksuid, lake_opt_ksuid, "VARCHAR", "STRING", PQ(BYTE_ARRAY), \
      PL(STRING))                                                                              \
    X(LAKE_JSON, "json", lake_json, lake__no_opt, "JSON", "STRING", PQ(BYTE_ARRAY), PL(JSON))

/* Parquet physical types (parquet.thrift Type) and the logical annotations lakeorm writes. */
typedef enum lake__pq_physical {
    LAKE__PQ_BOOLEAN = 0,
    LAKE__PQ_INT32 = 1,
    LAKE__PQ_INT64 = 2,
    LAKE__PQ_FLOAT = 4,
    LAKE__PQ_DOUBLE = 5,
    LAKE__PQ_BYTE_ARRAY = 6,
    LAKE__PQ_FIXED_LEN_BYTE_ARRAY = 7,
} lake__pq_physical;

typedef enum lake__pq_logical {
    LAKE__PL_NONE, LAKE__PL_STRING, LAKE__PL_INT8, LAKE__PL_INT16, LAKE__PL_INT32, LAKE__PL_INT64,
    LAKE__PL_DATE, LAKE__PL_TIMESTAMP_MICROS_UTC, LAKE__PL_DECIMAL, LAKE__PL_UUID, LAKE__PL_JSON,
} lake__pq_logical;

#define PQ(name) LAKE__PQ_##name
#define PL(name) LAKE__PL_##name

typedef struct lake__no_opt {
    char v;
    bool valid;
} lake__no_opt;

typedef struct lake__type_info {
    const char *name;
    size_t size, align;         /* of the C value type */
    size_t opt_size, opt_align; /* of the C optional type */
    size_t valid_offset;        /* of the optional type's valid flag */
    const char *duckdb, *spark;
    lake__pq_physical parquet_physical; /* DECIMAL: by precision, see parquet/layout.c */
    lake__pq_logical parquet_logical;
} lake__type_info;

/* NULL for the composite types (struct, list, map) and unknown values. */
const lake__type_info *lake__type_info_of(lake_type type);
/* Looks a scalar schema-file type name up ("int32", "decimal", "struct" ...);
 * 0 when unknown. list<T> and map<string,T> are parsed by schema files. */
lake_type lake__type_by_name(const char *name, size_t len);

#endif

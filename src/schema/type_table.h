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
 *   UUID is STRING in Spark SQL: Spark has no UUID type. */
#define LAKE__TYPE_TABLE(X)                                                                  \
    X(LAKE_BOOL, "bool", bool, lake_opt_bool, "BOOLEAN", "BOOLEAN", "BOOLEAN", "")            \
    X(LAKE_INT8, "int8", int8_t, lake_opt_i8, "TINYINT", "TINYINT", "INT32", "INT(8)")        \
    X(LAKE_INT16, "int16", int16_t, lake_opt_i16, "SMALLINT", "SMALLINT", "INT32", "INT(16)") \
    X(LAKE_INT32, "int32", int32_t, lake_opt_i32, "INTEGER", "INT", "INT32", "INT(32)")       \
    X(LAKE_INT64, "int64", int64_t, lake_opt_i64, "BIGINT", "BIGINT", "INT64", "INT(64)")     \
    X(LAKE_FLOAT32, "float32", float, lake_opt_f32, "FLOAT", "FLOAT", "FLOAT", "")            \
    X(LAKE_FLOAT64, "float64", double, lake_opt_f64, "DOUBLE", "DOUBLE", "DOUBLE", "")        \
    X(LAKE_STRING, "string", lake_str, lake__no_opt, "VARCHAR", "STRING", "BYTE_ARRAY", "STRING") \
    X(LAKE_BYTES, "bytes", lake_bytes, lake__no_opt, "BLOB", "BINARY", "BYTE_ARRAY", "")        \
    X(LAKE_TIMESTAMP, "timestamp", lake_ts, lake_opt_ts, "TIMESTAMPTZ", "TIMESTAMP", "INT64",   \
      "TIMESTAMP(MICROS,true)")                                                              \
    X(LAKE_DATE, "date", lake_date, lake_opt_date, "DATE", "DATE", "INT32", "DATE")           \
    X(LAKE_DECIMAL, "decimal", lake_dec128, lake_opt_dec128, "DECIMAL", "DECIMAL",            \
      "FIXED_LEN_BYTE_ARRAY", "DECIMAL")                                                     \
    X(LAKE_UUID, "uuid", lake_uuid, lake_opt_uuid, "UUID", "STRING", "FIXED_LEN_BYTE_ARRAY",  \
      "UUID")                                                                                \
    X(LAKE_SORTABLE_ID, "sortable_id", lake_ksuid, lake_opt_ksuid, "VARCHAR", "STRING",       \
      "BYTE_ARRAY", "STRING")

typedef struct lake__no_opt {
    char v;
    bool valid;
} lake__no_opt;

typedef struct lake__type_info {
    const char *name;
    size_t size, align;         /* of the C value type */
    size_t opt_size, opt_align; /* of the C optional type */
    size_t valid_offset;        /* of the optional type's valid flag */
    const char *duckdb, *spark, *parquet_physical, *parquet_logical;
} lake__type_info;

/* NULL for LAKE_STRUCT and unknown values. */
const lake__type_info *lake__type_info_of(lake_type type);
/* Looks a schema-file type name up ("int32", "decimal" ...); 0 when unknown. */
lake_type lake__type_by_name(const char *name, size_t len);

#endif

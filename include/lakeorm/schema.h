/* SPDX-License-Identifier: MIT */
/* lakeorm: describing a table once.
 *
 * A model is the user's plain struct plus a static field table built with the
 * macros below. Each macro derives the column type from the member's C type
 * through _Generic, so the table cannot drift from the struct: a member of a
 * type lakeorm does not map (int, long, char *, ...) does not compile, and
 * neither does LAKE_DECIMAL on a non-decimal member or LAKE_STRUCT on a member
 * of another struct type.
 *
 *     typedef struct user {
 *         lake_uuid    id;
 *         lake_str     email;
 *         lake_opt_i32 age;          // nullable because the C type is optional
 *         lake_ts      created_at;
 *         lake_dec128  balance;
 *     } user;
 *
 *     static const lake_field user_fields[] = {
 *         LAKE_FIELD(user, id, "id,pk", ""),
 *         LAKE_FIELD(user, email, "email,mergeKey", "required,email"),
 *         LAKE_FIELD(user, age, "age", "omitempty,gte=0,lte=150"),
 *         LAKE_FIELD(user, created_at, "created_at,partition=day", ""),
 *         LAKE_DECIMAL(user, balance, 18, 2, "balance", "gte=0"),
 *     };
 *     static const lake_model user_model = LAKE_MODEL(user, "users", user_fields);
 *
 * The tag grammar ("column,modifier,...") and the rule grammar are documented in
 * docs/schema.md and docs/validation.md. Tags and rules are compiled once, the
 * first time the model is used (lake_schema_of), never per row. */
#ifndef LAKEORM_SCHEMA_H
#define LAKEORM_SCHEMA_H

#include <stddef.h>

#include "common.h"
#include "error.h"
#include "types.h"

LAKE_BEGIN_DECL

typedef enum lake_type {
    LAKE_BOOL = 1,
    LAKE_INT8,
    LAKE_INT16,
    LAKE_INT32,
    LAKE_INT64,
    LAKE_FLOAT32,
    LAKE_FLOAT64,
    LAKE_STRING,
    LAKE_BYTES,
    LAKE_TIMESTAMP,
    LAKE_DATE,
    LAKE_DECIMAL,
    LAKE_UUID,
    LAKE_SORTABLE_ID,
    LAKE_STRUCT,
    LAKE_LIST,  /* list<T>: a LAKE_LIST_TYPE view */
    LAKE_MAP,   /* map<string,T>: a LAKE_MAP_TYPE view */
    LAKE_JSON,  /* any JSON value, as normalized text: lake_json */
} lake_type;

struct lake_model;

/* One entry of a model's field table. Build it with the macros below. */
typedef struct lake_field {
    const char *member;       /* the C member's name, for messages */
    lake_type type;
    bool optional;            /* a lake_opt_* value; for a struct, a pointer (NULL is NULL) */
    size_t offset;
    size_t size;
    const char *tag;          /* "column[,modifier...]" */
    const char *rules;        /* validation rules, "" for none */
    uint8_t precision, scale; /* LAKE_DECIMAL only */
    const struct lake_model *child;   /* LAKE_STRUCT only */
    const struct lake_field *element; /* LAKE_LIST: the element; LAKE_MAP: the value */
    size_t element_size;              /* LAKE_LIST, LAKE_MAP: sizeof the view's element / value */
} lake_field;

/* Where a model keeps its compiled schema; filled once, thread-safely. */
struct lake_model_cache {
    void *schema;
};

typedef struct lake_model {
    uint32_t magic;
    const char *type_name;
    const char *table;
    size_t size;
    const lake_field *fields;
    size_t field_count;
    struct lake_model_cache *cache;
} lake_model;

#define LAKE_MODEL_MAGIC 0x4c414b45u

#define LAKE__MEMBER(S, m) (((S *)0)->m)

/* The type checks below are the only part that differs between C and C++:
 * C asks _Generic, C++ asks the templates at the end of this header (the
 * same table, so a model compiles, or fails to, the same way in both).
 *
 *   LAKE__TYPE_AT(p)         the lake_type of what pointer p points at; a type
 *                            lakeorm does not map does not compile
 *   LAKE__IS_OPTIONAL_AT(p)  1 when *p is a lake_opt_* value
 *   LAKE__DEC_OPTIONAL_AT(p) 0 for lake_dec128 *, 1 for lake_opt_dec128 *, else no compile
 *   LAKE__CHECKED(p, P, v)   v when p has pointer type P, else no compile
 *   LAKE__STATIC_FIELD(...)  the address of a lake_field with static storage
 *   LAKE__MODEL_CACHE()      the address of a fresh, empty struct lake_model_cache */
#ifndef __cplusplus
/* The lake_type of what pointer p points at; a type lakeorm does not map
 * does not compile. */
#define LAKE__TYPE_AT(p)                                                       \
    _Generic((p),                                                              \
        bool *: LAKE_BOOL, lake_opt_bool *: LAKE_BOOL,                         \
        int8_t *: LAKE_INT8, lake_opt_i8 *: LAKE_INT8,                         \
        int16_t *: LAKE_INT16, lake_opt_i16 *: LAKE_INT16,                     \
        int32_t *: LAKE_INT32, lake_opt_i32 *: LAKE_INT32,                     \
        int64_t *: LAKE_INT64, lake_opt_i64 *: LAKE_INT64,                     \
        float *: LAKE_FLOAT32, lake_opt_f32 *: LAKE_FLOAT32,                   \
        double *: LAKE_FLOAT64, lake_opt_f64 *: LAKE_FLOAT64,                  \
        lake_str *: LAKE_STRING, lake_bytes *: LAKE_BYTES,                     \
        lake_json *: LAKE_JSON,                                                \
        lake_ts *: LAKE_TIMESTAMP, lake_opt_ts *: LAKE_TIMESTAMP,              \
        lake_date *: LAKE_DATE, lake_opt_date *: LAKE_DATE,                    \
        lake_uuid *: LAKE_UUID, lake_opt_uuid *: LAKE_UUID,                    \
        lake_ksuid *: LAKE_SORTABLE_ID, lake_opt_ksuid *: LAKE_SORTABLE_ID)

#define LAKE__IS_OPTIONAL_AT(p)                                                \
    _Generic((p),                                                              \
        lake_opt_bool *: 1, lake_opt_i8 *: 1, lake_opt_i16 *: 1,               \
        lake_opt_i32 *: 1, lake_opt_i64 *: 1, lake_opt_f32 *: 1,               \
        lake_opt_f64 *: 1, lake_opt_ts *: 1, lake_opt_date *: 1,               \
        lake_opt_dec128 *: 1, lake_opt_uuid *: 1, lake_opt_ksuid *: 1,         \
        default: 0)

#define LAKE__DEC_OPTIONAL_AT(p) _Generic((p), lake_dec128 *: 0, lake_opt_dec128 *: 1)
#define LAKE__CHECKED(p, P, v) _Generic((p), P: (v))
#define LAKE__STATIC_FIELD(...) (&(const lake_field){__VA_ARGS__})
#define LAKE__MODEL_CACHE() (&(struct lake_model_cache){NULL})
#else
#define LAKE__TYPE_AT(p) (::lake_cxx::column_type_of<decltype(p)>::type)
#define LAKE__IS_OPTIONAL_AT(p) (::lake_cxx::column_type_of<decltype(p)>::optional)
#define LAKE__DEC_OPTIONAL_AT(p) (::lake_cxx::decimal_of<decltype(p)>::optional)
#define LAKE__CHECKED(p, P, v) (::lake_cxx::checked<decltype(p), P>(v))
/* A function-local static, made on first use: thread-safe and one per use of
 * the macro (each lambda has a type of its own). Field tables and models that
 * use it are initialised when the program starts, before main. */
#define LAKE__STATIC_FIELD(...) \
    ([]() -> const lake_field * { static const lake_field lake_f_ = {__VA_ARGS__}; return &lake_f_; }())
#define LAKE__MODEL_CACHE() \
    ([]() -> struct lake_model_cache * { static struct lake_model_cache lake_c_ = {NULL}; return &lake_c_; }())
#endif

#define LAKE__TYPE_OF(S, m) LAKE__TYPE_AT(&LAKE__MEMBER(S, m))
#define LAKE__IS_OPTIONAL(S, m) LAKE__IS_OPTIONAL_AT(&LAKE__MEMBER(S, m))

/* A scalar, string, bytes, json, time, uuid or sortable-id member. */
#define LAKE_FIELD(S, m, tag, rules)                                           \
    {#m, LAKE__TYPE_OF(S, m), LAKE__IS_OPTIONAL(S, m), offsetof(S, m),         \
     sizeof(LAKE__MEMBER(S, m)), tag, rules, 0, 0, NULL, NULL, 0}

/* A lake_dec128 or lake_opt_dec128 member: DECIMAL(precision, scale),
 * 1 <= precision <= 38, 0 <= scale <= precision. */
#define LAKE_DECIMAL(S, m, precision, scale, tag, rules)                       \
    {#m, LAKE_DECIMAL,                                                         \
     LAKE__DEC_OPTIONAL_AT(&LAKE__MEMBER(S, m)),                               \
     offsetof(S, m), sizeof(LAKE__MEMBER(S, m)), tag, rules, precision, scale, \
     NULL, NULL, 0}

/* A nested struct member of type T described by child_model (a lake_model),
 * stored as a STRUCT column and never NULL. */
#define LAKE_STRUCT(S, m, T, child_model, tag, rules)                          \
    {#m, LAKE_STRUCT, 0, LAKE__CHECKED(&LAKE__MEMBER(S, m), T *, offsetof(S, m)), \
     sizeof(T), tag, rules, 0, 0, &(child_model), NULL, 0}

/* A `T *` member: a nullable STRUCT column, NULL when the pointer is. Decoded
 * structs live in the arena. The tag may say `nullable`; it is implied. */
#define LAKE_STRUCT_PTR(S, m, T, child_model, tag, rules)                      \
    {#m, LAKE_STRUCT, 1, LAKE__CHECKED(&LAKE__MEMBER(S, m), T **, offsetof(S, m)), \
     sizeof(T *), tag, rules, 0, 0, &(child_model), NULL, 0}

/* Element descriptors, for the elements of lists and the values of maps. A
 * scalar element is NULL-able when its C type is lake_opt_*; a string, bytes,
 * json, list or map element when declared with the _NULLABLE form; a struct
 * element when it is a pointer (LAKE_ELEM_STRUCT_PTR). */
#define LAKE__ELEM(T, kind, opt, tag, p, s, child, elem)                       \
    LAKE__ELEM_SIZED(T, kind, opt, tag, p, s, child, elem, 0)
#define LAKE__ELEM_SIZED(T, kind, opt, tag, p, s, child, elem, elem_size)      \
    LAKE__STATIC_FIELD("element", kind, opt, 0, sizeof(T), tag, "", p, s, child, elem, elem_size)
/* sizeof(T) takes a type or, parenthesised, an expression: both forms are used. */
#define LAKE_ELEM(T)                                                           \
    LAKE__ELEM(T, LAKE__TYPE_AT((T *)0), LAKE__IS_OPTIONAL_AT((T *)0), "element", 0, 0, NULL, NULL)
#define LAKE_ELEM_NULLABLE(T)                                                  \
    LAKE__ELEM(T, LAKE__TYPE_AT((T *)0), LAKE__IS_OPTIONAL_AT((T *)0), "element,nullable", 0, 0, NULL, NULL)
#define LAKE_ELEM_DECIMAL(T, precision, scale)                                 \
    LAKE__ELEM(T, LAKE_DECIMAL, LAKE__DEC_OPTIONAL_AT((T *)0),                 \
               "element", precision, scale, NULL, NULL)
#define LAKE_ELEM_STRUCT(T, child_model)                                       \
    LAKE__ELEM(T, LAKE_STRUCT, 0, "element", 0, 0, &(child_model), NULL)
#define LAKE_ELEM_STRUCT_PTR(T, child_model)                                   \
    LAKE__ELEM(T *, LAKE_STRUCT, 1, "element,nullable", 0, 0, &(child_model), NULL)
/* An element that is itself a list (LT: its LAKE_LIST_TYPE view) or a map
 * (MT: its LAKE_MAP_TYPE view) whose elements / values `elem` describes. */
#define LAKE_ELEM_LIST(LT, elem)                                               \
    LAKE__ELEM_SIZED(LT, LAKE_LIST, 0, "element", 0, 0, NULL, elem, sizeof(*((LT *)0)->ptr))
#define LAKE_ELEM_LIST_NULLABLE(LT, elem)                                      \
    LAKE__ELEM_SIZED(LT, LAKE_LIST, 0, "element,nullable", 0, 0, NULL, elem, sizeof(*((LT *)0)->ptr))
#define LAKE_ELEM_MAP(MT, elem)                                                \
    LAKE__ELEM_SIZED(MT, LAKE_MAP, 0, "element", 0, 0, NULL, elem, sizeof(((MT *)0)->ptr->value))
#define LAKE_ELEM_MAP_NULLABLE(MT, elem)                                       \
    LAKE__ELEM_SIZED(MT, LAKE_MAP, 0, "element,nullable", 0, 0, NULL, elem, sizeof(((MT *)0)->ptr->value))

/* A list member (a LAKE_LIST_TYPE view). LAKE_LIST: elements of any type
 * LAKE_FIELD takes, derived from the view. LAKE_LIST_OF: elements of type T
 * described by an element descriptor; T is checked against the view. */
#define LAKE_LIST(S, m, tag, rules)                                            \
    {#m, LAKE_LIST, 0, offsetof(S, m), sizeof(LAKE__MEMBER(S, m)), tag, rules, \
     0, 0, NULL,                                                               \
     LAKE__ELEM(*LAKE__MEMBER(S, m).ptr, LAKE__TYPE_AT(LAKE__MEMBER(S, m).ptr),  \
                LAKE__IS_OPTIONAL_AT(LAKE__MEMBER(S, m).ptr), "element", 0, 0, NULL, NULL), \
     sizeof(*LAKE__MEMBER(S, m).ptr)}
#define LAKE_LIST_OF(S, m, T, elem, tag, rules)                                \
    {#m, LAKE_LIST, 0, LAKE__CHECKED(LAKE__MEMBER(S, m).ptr, T *, offsetof(S, m)), \
     sizeof(LAKE__MEMBER(S, m)), tag, rules, 0, 0, NULL, elem, sizeof(T)}
/* Shorthands of LAKE_LIST_OF that name the element type once. */
#define LAKE_LIST_STRUCT(S, m, T, child_model, tag, rules)                     \
    LAKE_LIST_OF(S, m, T, LAKE_ELEM_STRUCT(T, child_model), tag, rules)
#define LAKE_LIST_DECIMAL(S, m, T, precision, scale, tag, rules)               \
    LAKE_LIST_OF(S, m, T, LAKE_ELEM_DECIMAL(T, precision, scale), tag, rules)

/* A map member (a LAKE_MAP_TYPE view): string keys, values as for lists. */
#define LAKE_MAP(S, m, tag, rules)                                             \
    {#m, LAKE_MAP, 0, offsetof(S, m), sizeof(LAKE__MEMBER(S, m)), tag, rules,  \
     0, 0, NULL,                                                               \
     LAKE__ELEM(LAKE__MEMBER(S, m).ptr->value, LAKE__TYPE_AT(&LAKE__MEMBER(S, m).ptr->value), \
                LAKE__IS_OPTIONAL_AT(&LAKE__MEMBER(S, m).ptr->value), "value", 0, 0, NULL, NULL), \
     sizeof(LAKE__MEMBER(S, m).ptr->value)}
#define LAKE_MAP_OF(S, m, T, elem, tag, rules)                                 \
    {#m, LAKE_MAP, 0, LAKE__CHECKED(&LAKE__MEMBER(S, m).ptr->value, T *, offsetof(S, m)), \
     sizeof(LAKE__MEMBER(S, m)), tag, rules, 0, 0, NULL, elem, sizeof(T)}
#define LAKE_MAP_STRUCT(S, m, T, child_model, tag, rules)                      \
    LAKE_MAP_OF(S, m, T, LAKE_ELEM_STRUCT(T, child_model), tag, rules)

/* The model of struct S stored in `table`, described by the array `fields`. */
#define LAKE_MODEL(S, table, fields)                                           \
    {LAKE_MODEL_MAGIC, #S, table, sizeof(S), fields,                           \
     sizeof(fields) / sizeof((fields)[0]), LAKE__MODEL_CACHE()}

typedef enum lake_partition_transform {
    LAKE_PARTITION_NONE = 0,
    LAKE_PARTITION_IDENTITY,
    LAKE_PARTITION_YEAR,
    LAKE_PARTITION_MONTH,
    LAKE_PARTITION_DAY,
    LAKE_PARTITION_HOUR,
    LAKE_PARTITION_BUCKET,   /* partition_param = number of buckets */
    LAKE_PARTITION_TRUNCATE, /* partition_param = width */
} lake_partition_transform;

typedef struct lake_schema lake_schema;

/* A compiled column, read-only. */
typedef struct lake_column {
    const char *name;
    const char *member;     /* the C member, or the column name for schema files */
    lake_type type;
    bool nullable;
    bool primary_key;
    bool merge_key;
    bool auto_ingest_id;    /* filled with the insert's ingest id */
    lake_partition_transform partition;
    int32_t partition_param;
    uint8_t precision, scale;
    int32_t field_id;       /* 1-based position among the table's columns */
    size_t offset;          /* of the value inside the record */
    const char *rules;      /* the rule text as written */
    /* LAKE_STRUCT: the members. LAKE_LIST: one column, "element", whose
     * record is one element (record size = the stride). LAKE_MAP: "key"
     * (string) and "value", whose record is one entry. */
    const lake_schema *child;
    const char *json_name;  /* the key in JSON objects: the tag's json=, else the name */
    size_t json_name_len;
} lake_column;

/* The compiled schema of a model, cached in the model: the first call compiles
 * it (thread-safe), later calls return the same object. The schema lives as
 * long as the process; do not free it. Fails with LAKE_ESCHEMA naming the
 * field and the problem. */
LAKE_EXTERN int lake_schema_of(const lake_schema **out, const lake_model *model,
                               lake_error *err);

/* A schema from the JSON schema-file format (docs/schema.md), for the CLI and
 * language bindings. Records of such a schema are laid out by lakeorm; see
 * lake_schema_record_size and lake_column.offset. Free with lake_schema_free. */
LAKE_EXTERN int lake_schema_parse(lake_schema **out, const char *json, size_t len,
                                  lake_error *err);
LAKE_EXTERN int lake_schema_load(lake_schema **out, const char *path, lake_error *err);
/* Points a schema from lake_schema_parse/lake_schema_load at another table
 * (the CLI's --table). Not for schemas of C models, which are shared.
 * LAKE_ESCHEMA for a name a table cannot have (docs/schema.md, "Names"). */
LAKE_EXTERN int lake_schema_set_table(lake_schema *schema, const char *table, lake_error *err);
/* Frees a schema from lake_schema_parse/lake_schema_load. NULL is ignored. */
LAKE_EXTERN void lake_schema_free(lake_schema *schema);

/* The schema in the schema-file format; lake_schema_parse of it gives an
 * equivalent schema. *out is NUL-terminated; free it with lake_free. */
LAKE_EXTERN int lake_schema_to_json(const lake_schema *schema, char **out, size_t *out_len);

/* Getters borrow from the schema and live as long as it does. */
LAKE_EXTERN const char *lake_schema_table(const lake_schema *schema);
LAKE_EXTERN size_t lake_schema_record_size(const lake_schema *schema);
LAKE_EXTERN size_t lake_schema_column_count(const lake_schema *schema);
LAKE_EXTERN const lake_column *lake_schema_column(const lake_schema *schema, size_t index);
LAKE_EXTERN const lake_column *lake_schema_find(const lake_schema *schema, const char *name);

/* The type's name in schema files, e.g. "int32", "timestamp". Never NULL. */
LAKE_EXTERN const char *lake_type_name(lake_type type);

/* The SQL a client speaks, and the table format it writes: the embedded
 * engine's own tables, or an open table format. Names: "duckdb", "iceberg",
 * "delta". */
typedef enum lake_dialect {
    LAKE_DIALECT_DUCKDB = 1,
    LAKE_DIALECT_ICEBERG, /* Iceberg tables, in Spark SQL */
    LAKE_DIALECT_DELTA,   /* Delta Lake tables, in Spark SQL */
} lake_dialect;

/* The dialect's name ("delta"); "unknown" for a value that is none. */
LAKE_EXTERN const char *lake_dialect_name(lake_dialect dialect);
/* The dialect a name means: LAKE_OK, or LAKE_EINVAL for any other name. */
LAKE_EXTERN int lake_dialect_parse(const char *name, lake_dialect *out);

/* Writes the column's SQL type in a dialect (e.g. "DECIMAL(18,2)") into buf,
 * NUL-terminated. Returns LAKE_OK, or LAKE_EINVAL for an unknown dialect or
 * when it does not fit. */
LAKE_EXTERN int lake_column_sql_type(const lake_column *column, lake_dialect dialect,
                                     char *buf, size_t buf_size);

LAKE_END_DECL

#ifdef __cplusplus
/* The C++ side of the type checks (see LAKE__TYPE_AT): one specialisation per
 * mapped C type; any other type meets the primary template's static_assert. */
#include <type_traits>
namespace lake_cxx {
template <class P> struct column_type_of {
    static_assert(sizeof(P) == 0, "lakeorm: this member's C type maps to no column type (see lakeorm/types.h)");
};
#define LAKE__CXX_MAP(T, lt, opt)                                               \
    template <> struct column_type_of<T *> {                                     \
        static constexpr lake_type type = lt;                                    \
        static constexpr bool optional = opt;                                    \
    }
LAKE__CXX_MAP(bool, LAKE_BOOL, false);
LAKE__CXX_MAP(lake_opt_bool, LAKE_BOOL, true);
LAKE__CXX_MAP(int8_t, LAKE_INT8, false);
LAKE__CXX_MAP(lake_opt_i8, LAKE_INT8, true);
LAKE__CXX_MAP(int16_t, LAKE_INT16, false);
LAKE__CXX_MAP(lake_opt_i16, LAKE_INT16, true);
LAKE__CXX_MAP(int32_t, LAKE_INT32, false);
LAKE__CXX_MAP(lake_opt_i32, LAKE_INT32, true);
LAKE__CXX_MAP(int64_t, LAKE_INT64, false);
LAKE__CXX_MAP(lake_opt_i64, LAKE_INT64, true);
LAKE__CXX_MAP(float, LAKE_FLOAT32, false);
LAKE__CXX_MAP(lake_opt_f32, LAKE_FLOAT32, true);
LAKE__CXX_MAP(double, LAKE_FLOAT64, false);
LAKE__CXX_MAP(lake_opt_f64, LAKE_FLOAT64, true);
LAKE__CXX_MAP(lake_str, LAKE_STRING, false);
LAKE__CXX_MAP(lake_bytes, LAKE_BYTES, false);
LAKE__CXX_MAP(lake_json, LAKE_JSON, false);
LAKE__CXX_MAP(lake_ts, LAKE_TIMESTAMP, false);
LAKE__CXX_MAP(lake_opt_ts, LAKE_TIMESTAMP, true);
LAKE__CXX_MAP(lake_date, LAKE_DATE, false);
LAKE__CXX_MAP(lake_opt_date, LAKE_DATE, true);
LAKE__CXX_MAP(lake_uuid, LAKE_UUID, false);
LAKE__CXX_MAP(lake_opt_uuid, LAKE_UUID, true);
LAKE__CXX_MAP(lake_ksuid, LAKE_SORTABLE_ID, false);
LAKE__CXX_MAP(lake_opt_ksuid, LAKE_SORTABLE_ID, true);
#undef LAKE__CXX_MAP
template <class P> struct decimal_of {
    static_assert(sizeof(P) == 0, "lakeorm: LAKE_DECIMAL needs a lake_dec128 or lake_opt_dec128 member");
};
template <> struct decimal_of<lake_dec128 *> { static constexpr bool optional = false; };
template <> struct decimal_of<lake_opt_dec128 *> { static constexpr bool optional = true; };
template <class P, class Expected> constexpr size_t checked(size_t value) {
    static_assert(std::is_same<P, Expected>::value, "lakeorm: the member's C type is not the type the macro names");
    return value;
}
} // namespace lake_cxx
#endif

#endif

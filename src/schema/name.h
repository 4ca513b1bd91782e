/* SPDX-License-Identifier: MIT */
/* What a table or column name may hold, whatever it came from: a C model, a
 * schema file, the CLI's --table or --rename, a migration's stored state. */
#ifndef LAKE_SCHEMA_NAME_H
#define LAKE_SCHEMA_NAME_H

#include <stdbool.h>
#include <stddef.h>

/* The prefix of lakeorm's own tables (_lakeorm_ingests), refused in any case
 * for user tables: DuckDB and Spark compare identifiers without case. */
#define LAKE__RESERVED_TABLE_PREFIX "_lakeorm_"

typedef enum lake__name_kind { LAKE__NAME_COLUMN, LAKE__NAME_TABLE } lake__name_kind;

/* LAKE_OK when name[0..len) is 1-128 bytes of valid UTF-8 without a control
 * character (lake__utf8_is_control) and, for a table, no dot-separated part
 * starts with the reserved prefix; else LAKE_ESCHEMA with the reason in why,
 * which never quotes the name (it may be what a terminal must not see). */
int lake__name_check(const char *name, size_t len, lake__name_kind kind, char *why, size_t why_size);

#endif

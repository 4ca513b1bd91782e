/* SPDX-License-Identifier: MIT */
/* The migration folder: listing its files, reading and writing them whole,
 * and the state block each generated file carries. */
#ifndef LAKE_MIGRATE_FILES_H
#define LAKE_MIGRATE_FILES_H

#include <lakeorm/migrate.h>

#include "util/buf.h"

/* Names of the *.sql files directly in dir, sorted ascending; free with
 * lake__names_free. A missing dir gives none. */
typedef struct lake__names {
    char **items;
    size_t count;
} lake__names;
int lake__list_sql(const char *dir, lake__names *out, lake_error *err);
void lake__names_free(lake__names *n);

int lake__read_file(const char *path, char **data, size_t *len, lake_error *err);
/* Writes a file whole: a temporary beside it, fsync, rename. */
int lake__write_file(const char *path, const char *data, size_t len, lake_error *err);

/* The markers of the state block: every line between them is "-- " and a line
 * of the table's schema in the schema-file format. */
#define LAKE__STATE_BEGIN "-- lakeorm-state-begin"
#define LAKE__STATE_END "-- lakeorm-state-end"

/* The schema recorded in the newest file for `table` (NULL when none), and
 * that file's name in `file` (may be NULL). Free with lake_schema_free. */
int lake__prior_state(const char *dir, const lake__names *files, const char *table, lake_schema **out, char *file,
                      size_t file_cap, lake_error *err);

/* Base64 SHA-256 ("h1:" + 44 characters) of bytes. */
void lake__h1(const void *data, size_t len, char out[48]);

#endif

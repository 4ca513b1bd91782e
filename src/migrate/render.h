/* SPDX-License-Identifier: MIT */
/* Each dialect's rendering of a change list into migration statements: every
 * statement ends in ";" on its own line, and a risky one is preceded by a
 * "-- DESTRUCTIVE: <reason>" line. Text from a model goes into a comment line
 * only through lake__escape_controls: goose reads a file line by line, and
 * nothing a model holds may end a comment and start a statement. */
#ifndef LAKE_MIGRATE_RENDER_H
#define LAKE_MIGRATE_RENDER_H

#include "dialects/spark.h"
#include "migrate/diff.h"
#include "util/buf.h"

int lake__render_duckdb(lake__buf *out, const lake__diff *d);
int lake__render_spark(lake__buf *out, const lake__diff *d, lake__table_format format);

/* Shared by the renderers. */
void lake__render_destructive(lake__buf *out, const char *reason);
void lake__render_key_comment(lake__buf *out, const lake__diff *d, bool merge, lake_engine engine);
/* The statement every dialect writes alike for a column change (drop table,
 * rename, drop, add as nullable, type, nullability), preceded by
 * "-- DESTRUCTIVE: <reason>" when reason is non-NULL. */
void lake__render_statement(lake__buf *out, const lake__diff *d, const lake__change *c, lake_engine engine,
                            const char *reason);

#endif

/* SPDX-License-Identifier: MIT */
/* A decoded record as one JSON object: how lakeorm prints rows, the same
 * text whichever engine produced them (docs/cli.md, "query"). */
#ifndef LAKE_JSON_RENDER_H
#define LAKE_JSON_RENDER_H

#include "schema/schema.h"
#include "util/buf.h"

/* Appends {"key":value,...} in the schema's column order, each column under
 * its JSON key (json= alias, else its name), so lake_json_decode reads the
 * text back into the same record: NULL as null,
 * integers and decimals as exact numbers, floats as the shortest text that
 * reads back to the same float32/float64 ("NaN", "Infinity", "-Infinity" as
 * strings), timestamps as "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (UTC), dates as
 * "YYYY-MM-DD", bytes as base64, UUIDs and KSUIDs as their text, structs as
 * objects, lists as arrays, maps as objects of their entries (keys escaped),
 * json columns as their text. Returns 0, or non-zero when memory ran out (b->failed). */
int lake__json_write_record(lake__buf *b, const lake_schema *s, const void *record);

/* Appends column `column` of a record as one cell of text (CSV, a table):
 * the same text the JSON form has, unquoted: strings as they are, bytes as
 * base64, times and ids as their text, floats' "NaN" bare; structs, lists,
 * maps and json columns as their JSON text. Returns 1 when the value is NULL
 * (nothing appended), else 0; memory running out shows in b->failed. */
int lake__json_write_cell(lake__buf *b, const lake_schema *s, size_t column, const void *record);

#endif

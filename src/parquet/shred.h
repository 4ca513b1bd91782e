/* SPDX-License-Identifier: MIT */
/* Shredding: a record's values become one leaf column's entries, each with a
 * repetition level (which list the entry continues) and a definition level
 * (how much of its path is there), as the Parquet format's Dremel encoding
 * defines them (parquet-format README, "Nested Encoding"). */
#ifndef LAKE_PARQUET_SHRED_H
#define LAKE_PARQUET_SHRED_H

#include "parquet/column.h"

/* Appends the entries of the writer's leaf in `count` top-level records
 * (record_size apart): one per value, and one for each NULL, empty list or
 * map, or NULL struct on the way to it. A NULL where the schema allows none
 * returns LAKE_EVALIDATION with *bad_row set (lake__shred_refusal finds such
 * records before anything is appended). */
int lake__shred(lake__column_writer *c, lake__page_scratch *s, const unsigned char *records, size_t count,
                size_t record_size, size_t *bad_row);

/* Whether column c, or anything inside it, can hold a NULL its schema refuses
 * (a non-nullable string, bytes, json, list or map), so records need checking. */
bool lake__shred_may_refuse(const lake__column *c);

/* The column inside c's value in `record` that holds a refused NULL, or NULL
 * when there is none. */
const lake__column *lake__shred_refusal(const lake__column *c, const unsigned char *record);

#endif

/* SPDX-License-Identifier: MIT */
/* The file footer: FileMetaData (parquet.thrift) in Thrift compact. */
#ifndef LAKE_PARQUET_FOOTER_H
#define LAKE_PARQUET_FOOTER_H

#include "parquet/column.h"

typedef struct lake__row_group {
    int64_t rows, uncompressed, compressed, file_offset;
    lake__chunk_meta *chunks; /* one per leaf */
} lake__row_group;

typedef struct lake__footer {
    const lake_schema *schema;
    const bool *omit; /* top-level columns left out of the file, or NULL */
    const lake__leaf *leaves;
    size_t leaf_count;
    bool uuid_as_string, ingest_id;
    int32_t ingest_field_id;
    lake_codec codec;
    const lake__row_group *groups;
    size_t group_count;
    int64_t rows;
    const char *const *kv; /* key, value, ... */
    size_t kv_pairs;
} lake__footer;

int lake__footer_write(lake__buf *out, const lake__footer *f);

#endif

/* SPDX-License-Identifier: MIT */
/* The tag grammar: "column[,modifier[=value]]...". See docs/schema.md. */
#ifndef LAKE_SCHEMA_TAG_H
#define LAKE_SCHEMA_TAG_H

#include <stddef.h>

#include <lakeorm/schema.h>

typedef struct lake__tag {
    const char *name; /* points into the tag text */
    size_t name_len;
    bool primary_key, merge_key, nullable, auto_ingest_id;
    lake_partition_transform partition;
    int32_t partition_param;
    const char *json_name; /* json=<key>, pointing into the tag text; NULL when absent */
    size_t json_name_len;
} lake__tag;

/* Parses a tag; on error writes the reason to why[] and returns LAKE_ESCHEMA. */
int lake__tag_parse(lake__tag *out, const char *tag, char *why, size_t why_size);

#endif

/* SPDX-License-Identifier: MIT */
#ifndef LAKE_JSON_DECODE_H
#define LAKE_JSON_DECODE_H

#include <lakeorm/json.h>

/* Decodes one object into `record` (zeroed first), appending every problem to
 * *issues (created at the first problem) with the given record index. LAKE_OK, LAKE_EVALIDATION or LAKE_ENOMEM. */
int lake__json_decode_into(const lake_schema *schema, const char *json, size_t len, void *record,
                           lake_arena *arena, lake_issues **issues, size_t record_index,
                           const lake_decode_options *opts);

#endif

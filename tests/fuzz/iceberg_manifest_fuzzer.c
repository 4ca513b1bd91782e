/* SPDX-License-Identifier: MIT */
/* An Iceberg manifest or manifest list against arbitrary bytes: each reads
 * or fails with a message. A manifest that reads is written again with its
 * entries as existing ones (what a copy-on-write commit does with the
 * files it keeps) and reads back with the same files. */
#include <stdlib.h>
#include <string.h>

#include "backends/backend.h"
#include "formats/iceberg/metadata.h"
#include "schema/schema.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct row {
    int64_t id;
} row;
static const lake_field fields[] = {LAKE_FIELD(row, id, "id,partition=bucket[8]", "")};
static const lake_model model = LAKE_MODEL(row, "t", fields);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 0;
    lake_error err = LAKE_ERROR_INIT;
    lake__iceberg_manifest *list;
    size_t count;
    int listed = lake__iceberg_manifest_list_read(data, size, arena, &list, &count, &err);
    if (listed && !err.message[0]) abort();
    lake_error_clear(&err);
    if (!listed) { /* a list written again carries every entry's partition summaries over */
        lake__buf out = LAKE__BUF_INIT;
        lake_sink sink = lake__buf_sink(&out);
        lake__iceberg_manifest *again;
        size_t n;
        if (lake__iceberg_manifest_list_write(1, -1, 1, list, count, &sink, &err) ||
            lake__iceberg_manifest_list_read(out.data, out.len, arena, &again, &n, &err) || n != count)
            abort();
        for (size_t i = 0; i < n; i++) {
            if (again[i].partition_count != list[i].partition_count) abort();
            for (size_t k = 0; k < again[i].partition_count; k++) {
                const lake__iceberg_part_summary *a = &again[i].partitions[k], *b = &list[i].partitions[k];
                if (a->contains_null != b->contains_null || a->lower_len != b->lower_len || !a->lower != !b->lower ||
                    (a->lower && memcmp(a->lower, b->lower, a->lower_len)))
                    abort();
            }
        }
        lake__buf_dispose(&out);
        lake_error_clear(&err);
    }
    lake__iceberg_manifest m = {"file:///w/t/metadata/m.avro", (int64_t)size, 0, 0, 7, 7, 42, 0, 0, 0, 0, 0, 0, NULL, 0};
    lake__iceberg_data_file *files;
    int rc = lake__iceberg_manifest_read(data, size, &m, arena, &files, &count, &err);
    if (rc && !err.message[0]) abort(); /* every refusal says why */
    lake_error_clear(&err);
    const lake_schema *schema;
    bool one_partition = true;
    for (size_t i = 0; !rc && i < count; i++) one_partition = one_partition && files[i].partition != NULL;
    if (!rc && count && one_partition && !lake_schema_of(&schema, &model, &err)) {
        lake__buf out = LAKE__BUF_INIT;
        lake_sink sink = lake__buf_sink(&out);
        lake__iceberg_part_summary *sums;
        size_t parts;
        if (lake__iceberg_partition_summaries(schema, files, count, arena, &sums, &parts) || parts != 1) abort();
        /* a manifest of another spec may not fit this model's partition: only what writes must read back */
        if (!lake__iceberg_manifest_write(schema, 99, files, count, &sink, &err)) {
            lake__iceberg_data_file *again;
            size_t n;
            if (lake__iceberg_manifest_read(out.data, out.len, &m, arena, &again, &n, &err) || n != count) abort();
            for (size_t i = 0; i < n; i++)
                if (strcmp(again[i].path, files[i].path) || again[i].records != files[i].records) abort();
        }
        lake__buf_dispose(&out);
    }
    lake_error_clear(&err);
    lake_arena_free(arena);
    return 0;
}

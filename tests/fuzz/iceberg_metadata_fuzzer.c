/* SPDX-License-Identifier: MIT */
/* An Iceberg table metadata file against arbitrary bytes: it reads or fails
 * with a message. One that reads takes a commit of a new snapshot, and the
 * file that makes reads back with that snapshot current, at the next
 * sequence number. */
#include <stdlib.h>
#include <string.h>

#include "formats/iceberg/catalog.h"
#include "formats/iceberg/metadata.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 0;
    lake__iceberg_loaded t;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__iceberg_metadata_read((const char *)data, size, arena, &t, &err);
    if (rc && !err.message[0]) abort(); /* every refusal says why */
    if (!rc) {
        const char *summary[] = {"added-records", "1"};
        lake__iceberg_snapshot s = {123456789, t.current_snapshot_id, t.last_sequence_number + 1, 1700000000000,
                                    "file:///w/t/metadata/snap.avro", "append", summary, 1, 0};
        lake__buf next = LAKE__BUF_INIT;
        if (lake__iceberg_metadata_commit(&next, (const char *)data, size, &(lake__iceberg_update){.snapshot = &s}, "file:///w/t/metadata/v1.json",
                                          1700000000001, &err))
            abort(); /* what reads commits */
        lake__iceberg_loaded again;
        if (lake__iceberg_metadata_read(next.data, next.len, arena, &again, &err) || again.current_snapshot_id != s.id ||
            again.last_sequence_number != s.sequence_number || strcmp(again.current_manifest_list, s.manifest_list))
            abort();
        lake__buf_dispose(&next);
    }
    lake_error_clear(&err);
    lake_arena_free(arena);
    return 0;
}

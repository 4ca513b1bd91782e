/* SPDX-License-Identifier: MIT */
/* An Iceberg table metadata file against arbitrary bytes: it reads or fails
 * with a message. One that reads takes a commit of a new snapshot, and the
 * file that makes reads back with that snapshot current, at the next
 * sequence number; expiring every other snapshot then leaves it alone. */
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
        /* every other snapshot expired: what reads expires, and only the current one stays */
        int64_t *old = lake__arena_alloc(arena, (again.snapshot_count + 1) * sizeof *old, _Alignof(int64_t));
        size_t n = 0, kept = 0;
        for (size_t i = 0; old && i < again.snapshot_count; i++) {
            if (again.snapshots[i].id != s.id) old[n++] = again.snapshots[i].id;
            else kept++;
        }
        lake__buf expired = LAKE__BUF_INIT;
        lake__iceberg_update u = {.expire = old, .expire_count = n, .current_snapshot_id = s.id};
        if (old && lake__iceberg_metadata_commit(&expired, next.data, next.len, &u, "file:///w/t/metadata/v2.json",
                                                 1700000000002, &err))
            abort();
        lake__iceberg_loaded last;
        if (old && (lake__iceberg_metadata_read(expired.data, expired.len, arena, &last, &err) ||
                    last.current_snapshot_id != s.id || last.snapshot_count != kept))
            abort();
        lake__buf_dispose(&expired);
        lake__buf_dispose(&next);
    }
    lake_error_clear(&err);
    lake_arena_free(arena);
    return 0;
}

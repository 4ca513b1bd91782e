/* SPDX-License-Identifier: MIT */
/* What a Spark Connect server sends comes from the network: the error details
 * of a failed call (google.rpc.Status with ErrorInfo) and ExecutePlan
 * responses carrying Arrow batches, decoded as the driver decodes them. The
 * first byte picks which. No crash, no leak, no read past the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm/schema.h>

#include "arrow/ipc.h"
#include "drivers/spark/grpc.h"
#include "spark_connect.pb-c.h"
#include "util/arena.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int touch(void *ctx, const void *record) {
    *(uint64_t *)ctx += (uint64_t)*(const int64_t *)record; /* wraps: only touching the value */
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 1) return 0;
    if (data[0] & 1) {
        lake__grpc_status st;
        memset(&st, 0, sizeof st);
        char message[256] = "";
        lake__grpc_decode_details(data + 1, size - 1, &st, message, sizeof message);
        return 0;
    }
    Spark__Connect__ExecutePlanResponse *r = spark__connect__execute_plan_response__unpack(NULL, size - 1, data + 1);
    if (!r) return 0;
    static const char fields[] = "{\"version\": 1, \"table\": \"r\", \"fields\": [{\"tag\": \"id\", \"type\": \"int64\"}, "
                                 "{\"tag\": \"name,nullable\", \"type\": \"string\"}]}";
    lake_schema *s = NULL;
    lake_arena *arena = NULL;
    uint64_t sum = 0;
    if (r->response_type_case == SPARK__CONNECT__EXECUTE_PLAN_RESPONSE__RESPONSE_TYPE_ARROW_BATCH &&
        lake_schema_parse(&s, fields, sizeof fields - 1, NULL) == LAKE_OK && lake_arena_new(&arena) == LAKE_OK)
        lake__arrow_read(r->arrow_batch->data.data, r->arrow_batch->data.len, s, arena, true, touch, &sum, NULL);
    lake_arena_free(arena);
    lake_schema_free(s);
    spark__connect__execute_plan_response__free_unpacked(r, NULL);
    return 0;
}

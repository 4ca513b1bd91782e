/* SPDX-License-Identifier: MIT */
/* lakeorm's side of the nested decode+validate benchmark: order events (a
 * list of item structs with lists of tags, a map, a nullable struct) decoded
 * into records of events.schema.json and validated with its dive rules. Only
 * the public API: the schema is the file the CLI would load. */
#include "../ndjson_decode.h"

int main(int argc, char **argv) {
    if (argc != 3) {
        fprintf(stderr, "usage: %s SCHEMA.json FILE.ndjson\n", argv[0]);
        return 2;
    }
    lake_schema *schema;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_load(&schema, argv[1], &err)) return fprintf(stderr, "%s\n", err.message), 2;
    size_t size;
    char *data = bench_read_file(argv[2], &size);
    void *record = malloc(lake_schema_record_size(schema));
    int rc = data && record ? bench_decode_lines("lakeorm", schema, data, size, record) : 2;
    free(record);
    free(data);
    lake_schema_free(schema);
    return rc;
}

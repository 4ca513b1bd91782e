/* SPDX-License-Identifier: MIT */
/* Avro container files against arbitrary bytes: a file (any writer's, or a
 * damaged one) reads or fails with a message. A file that reads is written
 * again by lakeorm's writer under its own schema, with every codec, and
 * that file must read back to the same number of records. */
#include <stdlib.h>
#include <string.h>

#include "avro/avro.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int to_buf(void *ctx, const void *p, size_t n, lake_error *err) {
    (void)err;
    return lake__buf_put(ctx, p, n) ? LAKE_ENOMEM : LAKE_OK;
}

static void write_again(const lake__avro_file *f, lake__avro_codec codec) {
    lake__buf out = LAKE__BUF_INIT;
    lake_sink sink = {to_buf, &out};
    lake__avro_writer *w;
    lake_error err = LAKE_ERROR_INIT;
    if (lake__avro_writer_open(&w, f->schema_json, codec, NULL, 0, &sink, &err)) abort(); /* the schema parsed once */
    for (size_t i = 0; i < f->record_count; i++)
        if (lake__avro_writer_append(w, &f->records[i], &err)) abort(); /* values read fit their schema */
    if (lake__avro_writer_close(w, &err)) abort();
    lake__avro_writer_free(w);
    lake_arena *arena;
    if (lake_arena_new(&arena)) abort();
    lake__avro_file again;
    if (lake__avro_read(out.data, out.len, arena, &again, &err) || again.record_count != f->record_count) abort();
    lake_arena_free(arena);
    lake__buf_dispose(&out);
    lake_error_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lake_arena *arena;
    if (lake_arena_new(&arena)) return 0;
    lake__avro_file f;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake__avro_read(data, size, arena, &f, &err);
    if (rc && !err.message[0]) abort(); /* every refusal says why */
    if (!rc && f.record_count <= 1000) {
        write_again(&f, LAKE__AVRO_CODEC_NULL);
        write_again(&f, LAKE__AVRO_CODEC_DEFLATE);
        write_again(&f, LAKE__AVRO_CODEC_ZSTD);
    }
    lake_error_clear(&err);
    lake_arena_free(arena);
    return 0;
}

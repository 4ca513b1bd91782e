/* SPDX-License-Identifier: MIT */
/* lake_arrow_import against a synthetic ArrowSchema and ArrowArray built
 * from the input: a column type to bind to, a format string (any bytes), a
 * dictionary or not, and the array's validity, values, offsets and views.
 * The C Data Interface cannot say how long a buffer is, so the harness
 * keeps every buffer 4 KiB long and the string offsets inside it; all else
 * (list offsets, views, dictionary indices, formats) is the input's, and
 * the importer must refuse what does not fit. Invariants: no crash, no
 * leak, a status of OK, ESCHEMA, EINVAL or EVALIDATION (with issues), and
 * records made only when it is OK or EVALIDATION. */
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "arrow/c_format.h"

enum { POOL = 4096 };

static const char *const TYPES[] = {
    "\"int8\"", "\"int64\"", "\"float32\"", "\"string\"", "\"json\"", "\"uuid\"", "\"sortable_id\"", "\"bytes\"",
    "\"timestamp\"", "\"date\"", "\"decimal(12,3)\"", "\"bool\"", "\"list<int32>\"", "\"map<string,int32?>\"",
    "\"struct\",\"fields\":[{\"tag\":\"x,nullable\",\"type\":\"int32\"}]",
};

static void keep_schema(struct ArrowSchema *s) { (void)s; }
static void keep_array(struct ArrowArray *a) { (void)a; }

typedef struct buffers {
    uint8_t mem[6][POOL];
    int64_t sizes[1];
} buffers;

/* Fills an array of `format` whose buffers come from the input pool. */
static void fill(struct ArrowArray *a, const char *format, int64_t length, const uint8_t *pool, size_t pool_len,
                 buffers *b, const void **ptrs) {
    lake__arrow_type t;
    lake__arrow_format_parse(format, &t);
    for (int k = 0; k < 6; k++) {
        memset(b->mem[k], 0, POOL);
        memcpy(b->mem[k], pool, pool_len < POOL ? pool_len : POOL);
        ptrs[k] = b->mem[k];
    }
    int n = lake__arrow_layout_buffers(t.layout);
    if (t.layout == LAKE__AL_VIEW) { /* validity, views, one data buffer, its size */
        n = 4;
        b->sizes[0] = POOL;
        ptrs[3] = b->sizes;
    }
    if (t.layout == LAKE__AL_BINARY || t.layout == LAKE__AL_LARGE_BINARY) { /* offsets inside the data buffer */
        int64_t at = 0;
        for (int64_t i = 0; i <= length; i++) {
            at += pool_len ? pool[i % pool_len] % 7 : 0;
            if (t.layout == LAKE__AL_BINARY) ((int32_t *)(void *)b->mem[1])[i] = (int32_t)at;
            else ((int64_t *)(void *)b->mem[1])[i] = at;
        }
    }
    *a = (struct ArrowArray){length, -1, 0, n < 1 ? 1 : n, 0, ptrs, NULL, NULL, keep_array, NULL};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 4) return 0;
    const char *type = TYPES[data[0] % (sizeof TYPES / sizeof *TYPES)];
    bool dictionary = data[1] & 1;
    int64_t length = data[1] >> 1 & 7, offset = data[1] >> 4 & 3;
    char format[33];
    size_t f = 0, at = 2;
    while (at < size && data[at] && f < 32) format[f++] = (char)data[at++];
    format[f] = '\0';
    at++;
    const uint8_t *pool = at < size ? data + at : data;
    size_t pool_len = at < size ? size - at : 0;

    char text[512];
    snprintf(text, sizeof text, "{\"table\":\"t\",\"fields\":[{\"tag\":\"c,nullable\",\"type\":%s}]}", type);
    lake_schema *s;
    if (lake_schema_parse(&s, text, strlen(text), NULL)) abort();

    static buffers bufs[6];
    const void *ptrs[6][6];
    /* the column, its child (a list's element, a struct's member, a map's entries) and the entries' key and value */
    struct ArrowSchema key = {"u", "key", NULL, 0, 0, NULL, NULL, keep_schema, NULL};
    struct ArrowSchema value = {"i", "value", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL, keep_schema, NULL};
    struct ArrowSchema *kv[] = {&key, &value};
    struct ArrowSchema entries = {"+s", "entries", NULL, 0, 2, kv, NULL, keep_schema, NULL};
    struct ArrowSchema member = {"i", strchr(type, '{') ? "x" : "item", NULL, ARROW_FLAG_NULLABLE, 0, NULL, NULL,
                                 keep_schema, NULL};
    bool map = !strcmp(format, "+m");
    struct ArrowSchema *kids[] = {map ? &entries : &member};
    bool nests = format[0] == '+';
    struct ArrowSchema dict = {format, NULL, NULL, 0, 0, NULL, NULL, keep_schema, NULL};
    struct ArrowSchema col = {dictionary ? "i" : format, "c", NULL, ARROW_FLAG_NULLABLE, nests ? 1 : 0,
                              nests ? kids : NULL, dictionary ? &dict : NULL, keep_schema, NULL};

    struct ArrowArray arrays[6];
    fill(&arrays[0], dictionary ? "i" : format, length + offset, pool, pool_len, &bufs[0], ptrs[0]);
    arrays[0].offset = offset;
    arrays[0].length = length;
    fill(&arrays[1], format, 16, pool, pool_len, &bufs[1], ptrs[1]); /* the dictionary */
    if (dictionary) arrays[0].dictionary = &arrays[1];
    fill(&arrays[2], map ? "+s" : "i", 64, pool, pool_len, &bufs[2], ptrs[2]); /* the child */
    fill(&arrays[3], "u", 64, pool, pool_len, &bufs[3], ptrs[3]);
    fill(&arrays[4], "i", 64, pool, pool_len, &bufs[4], ptrs[4]);
    struct ArrowArray *kv_arrays[] = {&arrays[3], &arrays[4]};
    if (map) arrays[2].n_children = 2, arrays[2].children = kv_arrays;
    struct ArrowArray *child_arrays[] = {&arrays[2]};
    if (nests) arrays[0].n_children = 1, arrays[0].children = child_arrays;

    struct ArrowSchema *cols[] = {&col};
    struct ArrowArray *col_arrays[] = {&arrays[0]};
    struct ArrowSchema top = {"+s", "", NULL, 0, 1, cols, NULL, keep_schema, NULL};
    const void *top_buffers[] = {NULL};
    struct ArrowArray batch = {length, 0, 0, 1, 1, top_buffers, col_arrays, NULL, keep_array, NULL};

    lake_arena *arena;
    if (lake_arena_new(&arena)) abort();
    lake_error err = LAKE_ERROR_INIT;
    void *records;
    size_t count;
    int rc = lake_arrow_import(s, &top, &batch, 0, arena, &records, &count, &err);
    if (rc != LAKE_OK && rc != LAKE_ESCHEMA && rc != LAKE_EINVAL && rc != LAKE_EVALIDATION && rc != LAKE_ENOMEM) abort();
    if (rc == LAKE_EVALIDATION && !lake_issues_count(err.issues)) abort();
    if ((rc == LAKE_OK || rc == LAKE_EVALIDATION) != (records != NULL)) abort();
    if (records && count != (size_t)length) abort();
    lake_free(records);
    lake_error_clear(&err);
    lake_arena_free(arena);
    lake_schema_free(s);
    return 0;
}

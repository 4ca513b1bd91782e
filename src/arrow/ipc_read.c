#include "arrow/ipc.h"
#include "error/error.h"
int lake__arrow_read(const void *data, size_t len, const lake_schema *s, lake_arena *arena, lake__arrow_row_fn fn,
                     void *ctx, lake_error *err) {
    (void)data, (void)len, (void)s, (void)arena, (void)fn, (void)ctx;
    return lake__error(err, LAKE_ENOTSUP, "todo");
}

/* SPDX-License-Identifier: MIT */
/* The table formats built into this library, by the dialect they keep. */
#include <string.h>

#include "error/error.h"
#include "formats/format.h"

int lake__format_find(const char *dialect, const lake__format_ops **out, lake_error *err) {
    static const lake__format_ops *const all[] = {&lake__delta_format, &lake__iceberg_format};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        if (!strcmp(dialect, all[i]->name)) {
            *out = all[i];
            return LAKE_OK;
        }
    return lake__error(err, LAKE_ENOTSUP, "lakeorm keeps tables of dialects delta and iceberg only (dialect \"%s\" with "
                                          "a warehouse: the engine keeps those tables, so open the client without one)",
                       dialect);
}

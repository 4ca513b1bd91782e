/* SPDX-License-Identifier: MIT */
/* The table formats built into this library, by the dialect they keep. */
#include <string.h>

#include "error/error.h"
#include "formats/format.h"

int lake__format_find(const char *dialect, const lake__format_ops **out, lake_error *err) {
    if (!strcmp(dialect, lake__delta_format.name)) {
        *out = &lake__delta_format;
        return LAKE_OK;
    }
    return lake__error(err, LAKE_ENOTSUP, "lakeorm keeps tables of dialect %s only (dialect \"%s\" with a warehouse: the "
                                          "engine keeps those tables, so open the client without one)",
                       lake__delta_format.name, dialect);
}

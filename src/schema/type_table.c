/* SPDX-License-Identifier: MIT */
#include "schema/type_table.h"

#include <stdalign.h>
#include <string.h>

#define LAKE__ROW(t, name, C, OPT, duck, spark, pphys, plog)                                 \
    [t] = {name, sizeof(C), alignof(C), sizeof(OPT), alignof(OPT),                          \
           offsetof(OPT, valid),                                                              \
           duck, spark, pphys, plog},

static const lake__type_info table[] = {LAKE__TYPE_TABLE(LAKE__ROW)};

const lake__type_info *lake__type_info_of(lake_type type) {
    if (type <= 0 || (size_t)type >= sizeof table / sizeof table[0]) return NULL;
    return table[type].name ? &table[type] : NULL;
}

lake_type lake__type_by_name(const char *name, size_t len) {
    for (size_t t = 1; t < sizeof table / sizeof table[0]; t++)
        if (table[t].name && strlen(table[t].name) == len && memcmp(table[t].name, name, len) == 0)
            return (lake_type)t;
    if (len == 6 && memcmp(name, "struct", 6) == 0) return LAKE_STRUCT;
    return 0;
}

const char *lake_type_name(lake_type type) {
    if (type == LAKE_STRUCT) return "struct";
    if (type == LAKE_LIST) return "list";
    if (type == LAKE_MAP) return "map";
    const lake__type_info *info = lake__type_info_of(type);
    return info ? info->name : "unknown";
}

/* SPDX-License-Identifier: MIT */
/* The drivers built into this library, by name. */
#include <string.h>

#include "drivers/driver.h"
#include "error/error.h"

int lake__driver_find(const char *name, const lake__driver_ops **out, lake_error *err) {
    if (!name || !*name || !strcmp(name, "duckdb")) {
        *out = &lake__duckdb_driver;
        return LAKE_OK;
    }
    if (!strcmp(name, "spark")) {
#ifdef LAKE_WITH_SPARK
        *out = &lake__spark_driver;
        return LAKE_OK;
#else
        return lake__error(err, LAKE_ENOTSUP, "this lakeorm was built without the spark driver (LAKE_WITH_SPARK=OFF)");
#endif
    }
    if (!strcmp(name, "databricks")) {
#ifdef LAKE_WITH_DATABRICKS
        *out = &lake__databricks_driver;
        return LAKE_OK;
#else
        return lake__error(err, LAKE_ENOTSUP,
                           "this lakeorm was built without the databricks driver (LAKE_WITH_DATABRICKS=OFF)");
#endif
    }
    return lake__error(err, LAKE_ENOTSUP, "unknown driver \"%s\": use duckdb, spark or databricks", name);
}

/* URL schemes, whether or not their driver was built: a URL a build cannot
 * serve is refused by lake__driver_find, naming the option. The remote
 * drivers' addresses keep their scheme and their own ;key=value syntax. */
static const struct {
    const char *scheme, *driver;
    bool keeps_scheme;
} schemes[] = {
    {"duckdb://", "duckdb", false},
    {"sc://", "spark", true},          /* a Spark Connect address */
    {"https://", "databricks", true},  /* a Databricks SQL warehouse */
    {"http://", "databricks", true},   /* the same on loopback, for tests */
};

int lake__driver_of_url(const char *url, const char **driver, size_t *skip) {
    for (size_t i = 0; i < sizeof schemes / sizeof *schemes; i++) {
        size_t n = strlen(schemes[i].scheme);
        if (!strncmp(url, schemes[i].scheme, n)) {
            *driver = schemes[i].driver;
            *skip = schemes[i].keeps_scheme ? 0 : n;
            return LAKE_OK;
        }
    }
    return LAKE_ENOTSUP;
}

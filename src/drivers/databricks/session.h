/* SPDX-License-Identifier: MIT */
/* What the Databricks driver calls a session, and the direct path that
 * rides on it (values.c). */
#ifndef LAKE_DRIVERS_DATABRICKS_SESSION_H
#define LAKE_DRIVERS_DATABRICKS_SESSION_H

#include "drivers/databricks/warehouse.h"
#include "drivers/driver.h"

/* A warehouse keeps no session between statements (the namespace travels
 * with each): lakeorm's session is a handle on the driver that, while a
 * direct insert is open on it, carries that insert's VALUES parameters to
 * every statement that reads its rows (lake__stmt.reads_rows). */
struct lake__session {
    lake__dbx *dbx;
    const lake__direct *rows; /* the direct insert open on it, or NULL */
};

/* The direct path: a request's rows become one VALUES list of typed named
 * parameters, read by the INSERT or MERGE that lands them; the operations
 * of lake__driver_ops. Opening it attaches it to the session, freeing it
 * detaches it. */
int lake__dbx_direct_open(lake__session *s, const lake__direct_spec *spec, lake__direct **out, lake_error *err);
int lake__dbx_direct_add(lake__direct *d, const void *records, size_t count, lake_error *err);
int lake__dbx_direct_finish(lake__direct *d, lake__buf *source, lake_error *err);
void lake__dbx_direct_free(lake__direct *d);
/* The parameters the rows travel in (:v1 is the ingest id), valid until the
 * next add or the free. */
void lake__dbx_direct_params(const lake__direct *d, const lake__dbx_param **params, size_t *n);

/* The table's columns (lake__driver_ops.columns; catalog.c). */
int lake__dbx_columns(lake__session *s, const char *table, lake__live_column **out, size_t *count, lake_error *err);

#endif

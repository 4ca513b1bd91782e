/* SPDX-License-Identifier: MIT */
/* What the embedded engine (DuckDB) runs to read a Delta checkpoint for the
 * Delta module (formats/delta/snapshot.c), which builds no SQL itself. */
#ifndef LAKE_DIALECTS_COMPUTE_CHECKPOINT_H
#define LAKE_DIALECTS_COMPUTE_CHECKPOINT_H

#include "util/buf.h"

/* SELECT one row per action of the checkpoint file whose local path is bound
 * to the statement's one ? marker: column "action", the row as JSON text
 * ({"add":{...},"remove":null,...}). Taking the whole row keeps every
 * writer's checkpoint schema readable (Spark's, delta-rs', lakeorm's: their
 * columns differ). Non-zero: out of memory. */
int lake__compute_checkpoint_actions(lake__buf *out);

#endif

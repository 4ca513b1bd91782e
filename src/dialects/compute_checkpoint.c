/* SPDX-License-Identifier: MIT */
#include "dialects/compute_checkpoint.h"

int lake__compute_checkpoint_actions(lake__buf *out) {
    return lake__buf_puts(out, "SELECT CAST(to_json(t) AS VARCHAR) AS action FROM read_parquet(?) AS t") ? -1 : 0;
}

/* SPDX-License-Identifier: MIT */
#ifndef LAKE_IDS_RANDOM_H
#define LAKE_IDS_RANDOM_H

#include <stddef.h>

/* Fills out with bytes from the kernel's CSPRNG. LAKE_OK or LAKE_EIO. */
int lake__random_bytes(void *out, size_t len);

#endif

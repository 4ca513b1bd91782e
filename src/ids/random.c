/* SPDX-License-Identifier: MIT */
#include "ids/random.h"

#include <errno.h>
#include <sys/random.h>

#include <lakeorm/error.h>

int lake__random_bytes(void *out, size_t len) {
    unsigned char *p = out;
    while (len) {
        ssize_t n = getrandom(p, len, 0);
        if (n < 0) {
            if (errno == EINTR) continue;
            return LAKE_EIO;
        }
        p += n;
        len -= (size_t)n;
    }
    return LAKE_OK;
}

/* SPDX-License-Identifier: MIT */
#include "util/nearest.h"

#include <stdint.h>
#include <string.h>

size_t lake__edit_distance(const char *a, size_t n, const char *b) {
    enum { MAX = 64 };
    size_t m = strlen(b), row[MAX + 1];
    if (n > MAX || m > MAX) return SIZE_MAX;
    for (size_t j = 0; j <= m; j++) row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j], best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

const char *lake__nearest(const char *word, size_t len, const char *const *names, size_t count) {
    const char *near = NULL;
    size_t best = 3; /* a suggestion only within two edits: further, it is a guess */
    for (size_t k = 0; k < count; k++) {
        if (!names[k]) continue;
        size_t d = lake__edit_distance(word, len, names[k]);
        if (d < best) best = d, near = names[k];
    }
    return near;
}

/* SPDX-License-Identifier: MIT */
#include <time.h>
#include <unistd.h>

#include "cli.h"

double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(progress *p) {
    p->enabled = isatty(STDERR_FILENO);
    p->last = now_seconds();
}

void progress_update(progress *p, size_t lines, size_t rejected) {
    if (!p->enabled || (lines & 1023)) return;
    double t = now_seconds();
    if (t - p->last < 0.2) return;
    p->last = t;
    fprintf(stderr, "\r%zu lines read, %zu rejected", lines, rejected);
    fflush(stderr);
}

void progress_done(progress *p) {
    if (p->enabled) fprintf(stderr, "\r\033[K");
}

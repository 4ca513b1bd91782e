/* SPDX-License-Identifier: MIT */
/* The progress line ingest and validate draw on a terminal: the share of
 * the input read, records, records a second and the time left. The share
 * is bytes read over the inputs' total size (compressed bytes for gzip and
 * zstd, rows for Parquet: what each reader knows), so it needs every input
 * to be a regular file; a pipe shows records and the rate only. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* How often the line is redrawn at most: often enough to look alive, rarely
 * enough to cost nothing beside the reading. */
#define REDRAW_SECONDS 0.2

double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A file's size, or -1 when it has none to go by (a pipe, a terminal). */
static double size_of(const char *file) {
    struct stat st;
    int rc = strcmp(file, "-") ? stat(file, &st) : fstat(STDIN_FILENO, &st);
    return !rc && S_ISREG(st.st_mode) ? (double)st.st_size : -1;
}

static int progress_enabled(bool quiet) {
    /* Log lines (LAKEORM_LOG) come from the library's threads at any time: they would cut into the line. */
    const char *log = getenv("LAKEORM_LOG");
    return !quiet && !(log && *log) && isatty(STDERR_FILENO);
}

void progress_start(progress *p, bool quiet, const char *const *files, size_t count) {
    memset(p, 0, sizeof *p);
    p->started = p->last = now_seconds();
    if (!(p->enabled = progress_enabled(quiet))) return;
    for (size_t i = 0; i < count && p->total >= 0; i++) {
        double s = size_of(files[i]);
        p->total = s < 0 ? -1 : p->total + s;
    }
    p->files = files;
    p->count = count;
}

static void draw(progress *p, double now) {
    double elapsed = now - p->started, share = -1;
    if (p->total > 0 && p->file_done >= 0) {
        double s = p->file < p->count ? size_of(p->files[p->file]) : 0;
        share = (p->before + (s > 0 ? s * p->file_done : 0)) / p->total;
        if (share > 1) share = 1;
    }
    char line[160];
    int n = 0;
    if (share >= 0) n += snprintf(line + n, sizeof line - (size_t)n, "%3.0f%%  ", share * 100);
    n += snprintf(line + n, sizeof line - (size_t)n, "%zu records", p->records);
    if (elapsed > 0) n += snprintf(line + n, sizeof line - (size_t)n, "  %.0f/s", (double)p->records / elapsed);
    if (share > 0) {
        unsigned long left = (unsigned long)(elapsed * (1 - share) / share + 0.5);
        if (left >= 3600)
            n += snprintf(line + n, sizeof line - (size_t)n, "  ETA %lu:%02lu:%02lu", left / 3600, left / 60 % 60,
                          left % 60);
        else
            n += snprintf(line + n, sizeof line - (size_t)n, "  ETA %lu:%02lu", left / 60, left % 60);
    }
    if (p->rejected) snprintf(line + n, sizeof line - (size_t)n, "  %zu rejected", p->rejected);
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    p->shown = true;
    p->last = now;
}

void progress_update(progress *p, double file_done, size_t records, size_t rejected) {
    if (!p->enabled) return;
    p->records = records;
    p->rejected = rejected;
    p->file_done = file_done;
    if (records & 255) return; /* the clock is read every 256 records, not every one */
    double now = now_seconds();
    if (now - p->last >= REDRAW_SECONDS) draw(p, now);
}

void progress_file_done(progress *p) {
    if (!p->enabled) return;
    if (p->total > 0) {
        double s = size_of(p->files[p->file]);
        p->before += s > 0 ? s : 0;
    }
    p->file++;
    p->file_done = 0;
    draw(p, now_seconds()); /* a file's end is a point worth showing, whatever the clock */
}

void progress_clear(progress *p) {
    if (!p->shown) return;
    fputs("\r\033[K", stderr);
    fflush(stderr);
    p->shown = false;
}

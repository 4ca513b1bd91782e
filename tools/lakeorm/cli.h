/* The lakeorm command: a thin layer over the public API. */
#ifndef LAKE_CLI_H
#define LAKE_CLI_H

#include <stdio.h>

enum { CLI_OK = 0, CLI_REJECTED = 1, CLI_USAGE = 2 };

int cmd_validate(int argc, char **argv);

/* Progress on a terminal: a line on stderr refreshed at most every 200 ms,
 * and nothing at all when stderr is not a TTY. */
typedef struct progress {
    int enabled;
    double last;
} progress;

void progress_start(progress *p);
void progress_update(progress *p, size_t lines, size_t rejected);
void progress_done(progress *p);
double now_seconds(void);

#endif

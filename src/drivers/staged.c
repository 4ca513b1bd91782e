/* SPDX-License-Identifier: MIT */
/* Local copies of staged parts, for engines that read files only. */
#include <dirent.h>
#include <stdio.h>
#include <unistd.h>

#include "drivers/driver.h"

void lake__staged_release(lake__staged *st) {
    if (!st || !st->local_copy[0]) return;
    DIR *d = opendir(st->local_copy);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') continue;
        char path[4500];
        snprintf(path, sizeof path, "%s/%s", st->local_copy, e->d_name);
        unlink(path);
    }
    if (d) closedir(d);
    rmdir(st->local_copy);
    st->local_copy[0] = 0;
}

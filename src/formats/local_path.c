/* SPDX-License-Identifier: MIT */
/* Where the engine reads a table's files: in place under a file://
 * warehouse, else fetched once through the backend into the client's cache
 * folder. Table formats never rewrite a data file, manifest or checkpoint
 * under the same name, so a fetched copy stays right for the client's life. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error/error.h"
#include "formats/format.h"
#include "util/alloc.h"

/* Makes every folder above `path` (the part before its last '/'). */
static int make_parents(char *path) {
    for (char *slash = strchr(path + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = 0;
        int rc = mkdir(path, 0700);
        *slash = '/';
        if (rc && errno != EEXIST) return -1;
    }
    return 0;
}

static int write_all(int fd, const char *data, size_t len) {
    while (len) {
        ssize_t n = write(fd, data, len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        data += n, len -= (size_t)n;
    }
    return 0;
}

int lake__format_local_path(lake_backend *store, const char *cache, const char *key, lake__buf *out,
                            lake_error *err) {
    const char *root = lake_backend_local_root(store);
    if (root) return lake__buf_printf(out, "%s/%s", root, key) ? lake__error(err, LAKE_ENOMEM, "out of memory") : LAKE_OK;
    if (!cache) return lake__error(err, LAKE_ENOTSUP, "no cache folder to fetch %s into", key);
    size_t mark = out->len;
    if (lake__buf_printf(out, "%s/%s", cache, key)) return lake__error(err, LAKE_ENOMEM, "out of memory");
    char *path = out->data + mark;
    struct stat st;
    if (stat(path, &st) == 0) return LAKE_OK;
    char *data = NULL;
    size_t len = 0;
    int rc = lake_backend_get(store, key, &data, &len, err);
    if (rc) return rc;
    /* A private name, then rename: a reader never sees half a file, and two fetches of one file both succeed. */
    static unsigned fetches;
    char tmp[4600];
    snprintf(tmp, sizeof tmp, "%s.%ld-%u.part", path, (long)getpid(), __atomic_fetch_add(&fetches, 1, __ATOMIC_RELAXED));
    int fd = make_parents(path) ? -1 : open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    bool written = fd >= 0 && !write_all(fd, data, len);
    if (fd >= 0 && close(fd)) written = false;
    if (!written || rename(tmp, path)) {
        int saved = errno;
        if (fd >= 0) unlink(tmp);
        rc = lake__error(err, LAKE_EIO, "cannot keep a copy of %s in %s: %s", key, cache, strerror(saved));
    }
    lake__free(data);
    return rc;
}

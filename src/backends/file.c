/* SPDX-License-Identifier: MIT */
/* file:///abs/path: objects are files under a folder. Writes go to a hidden
 * temporary file beside the target, are fsynced, then renamed into place, and
 * the folder is fsynced: an object appears whole or not at all. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/backend.h"
#include "error/error.h"
#include "ids/random.h"
#include "util/alloc.h"
#include "util/buf.h"

typedef struct file_upload {
    int fd;
    char *tmp, *path;
    size_t root_len;
} file_upload;

static char *join(const lake_backend *b, const char *key) {
    lake__buf p = LAKE__BUF_INIT;
    lake__buf_puts(&p, b->local_root);
    lake__buf_putc(&p, '/');
    lake__buf_puts(&p, key);
    return lake__buf_detach(&p, NULL);
}

/* mkdir -p of the folders above path. */
/* mkdir -p of path's folders. A concurrent prune (another upload's cleanup)
 * may remove a folder just made: then start over. */
static int make_parents(char *path, lake_error *err) {
    for (int attempt = 0;; attempt++) {
        int e = 0;
        for (char *p = path + 1; *p && !e; p++) {
            if (*p != '/') continue;
            *p = '\0';
            if (mkdir(path, 0777) && errno != EEXIST) e = errno;
            *p = '/';
        }
        if (!e) return LAKE_OK;
        if (e != ENOENT || attempt == 50) return lake__error(err, LAKE_EIO, "cannot create folder for %s: %s", path, strerror(e));
    }
}

static int fsync_dir(const char *path) {
    char *slash = strrchr(path, '/');
    if (!slash) return 0;
    *slash = '\0';
    int fd = open(*path ? path : "/", O_RDONLY | O_DIRECTORY);
    *slash = '/';
    if (fd < 0) return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* Removes the folders above path that are empty, up to the backend's root. */
static void prune_parents(char *path, size_t root_len) {
    for (char *slash = strrchr(path, '/'); slash && (size_t)(slash - path) > root_len; slash = strrchr(path, '/')) {
        *slash = '\0';
        if (rmdir(path)) break;
    }
}

static int fd_write(void *ctx, const void *data, size_t len, lake_error *err) {
    file_upload *u = ctx;
    const char *p = data;
    while (len) {
        ssize_t n = write(u->fd, p, len);
        if (n < 0) {
            if (errno == EINTR) continue;
            return lake__error(err, LAKE_EIO, "writing %s: %s", u->path, strerror(errno));
        }
        p += n, len -= (size_t)n;
    }
    return LAKE_OK;
}

static void upload_free(file_upload *u) {
    lake__free(u->tmp);
    lake__free(u->path);
    lake__free(u);
}

static int file_put_begin(lake_backend *b, const char *key, void **out, lake_sink *sink, lake_error *err) {
    file_upload *u = lake__calloc(1, sizeof *u);
    if (!u) return lake__error(err, LAKE_ENOMEM, "out of memory");
    u->fd = -1;
    u->root_len = strlen(b->local_root);
    uint8_t r[8];
    lake__buf tmp = LAKE__BUF_INIT;
    if (!(u->path = join(b, key)) || lake__random_bytes(r, sizeof r)) goto fail;
    const char *slash = strrchr(u->path, '/');
    lake__buf_put(&tmp, u->path, (size_t)(slash - u->path) + 1);
    lake__buf_printf(&tmp, ".%s.tmp-%02x%02x%02x%02x%02x%02x%02x%02x", slash + 1, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
    if (!(u->tmp = lake__buf_detach(&tmp, NULL))) goto fail;
    /* A concurrent deletion may prune the folder between mkdir and open: retry. */
    int rc = LAKE_OK;
    for (int attempt = 0; attempt < 50 && u->fd < 0; attempt++) {
        if ((rc = make_parents(u->tmp, err))) {
            upload_free(u);
            return rc;
        }
        u->fd = open(u->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (u->fd < 0 && errno != ENOENT) break;
    }
    if (u->fd < 0) {
        rc = lake__error(err, LAKE_EIO, "cannot create %s: %s", u->tmp, strerror(errno));
        upload_free(u);
        return rc;
    }
    *out = u;
    sink->write = fd_write;
    sink->ctx = u;
    return LAKE_OK;
fail:
    upload_free(u);
    return lake__error(err, LAKE_ENOMEM, "out of memory");
}

static int file_put_commit(lake_backend *b, void *up, lake_error *err) {
    (void)b;
    file_upload *u = up;
    int rc = LAKE_OK;
    if (fsync(u->fd) || close(u->fd)) {
        rc = lake__error(err, LAKE_EIO, "cannot flush %s: %s", u->path, strerror(errno));
        unlink(u->tmp);
    } else if (rename(u->tmp, u->path)) {
        rc = lake__error(err, LAKE_EIO, "cannot publish %s: %s", u->path, strerror(errno));
        unlink(u->tmp);
    } else if (fsync_dir(u->path)) {
        rc = lake__error(err, LAKE_EIO, "cannot sync the folder of %s: %s", u->path, strerror(errno));
    }
    upload_free(u);
    return rc;
}

static void file_put_abort(lake_backend *b, void *up) {
    (void)b;
    file_upload *u = up;
    close(u->fd);
    unlink(u->tmp);
    prune_parents(u->tmp, u->root_len);
    upload_free(u);
}

static int file_put_if_absent(lake_backend *b, const char *key, const void *data, size_t len, lake_error *err) {
    void *up = NULL;
    lake_sink sink = {NULL, NULL};
    int rc = file_put_begin(b, key, &up, &sink, err);
    if (rc) return rc;
    file_upload *u = up;
    if ((rc = sink.write(sink.ctx, data, len, err))) {
        file_put_abort(b, up);
        return rc;
    }
    if (fsync(u->fd) || close(u->fd)) {
        rc = lake__error(err, LAKE_EIO, "cannot flush %s: %s", u->path, strerror(errno));
    } else if (link(u->tmp, u->path)) { /* unlike rename, link refuses an existing name */
        rc = errno == EEXIST ? lake__error(err, LAKE_ECONFLICT, "object %s already exists", key)
                             : lake__error(err, LAKE_EIO, "cannot publish %s: %s", u->path, strerror(errno));
    } else if (fsync_dir(u->path)) {
        rc = lake__error(err, LAKE_EIO, "cannot sync the folder of %s: %s", u->path, strerror(errno));
    }
    unlink(u->tmp);
    upload_free(u);
    return rc;
}

static int file_get(lake_backend *b, const char *key, lake_sink *out, lake_error *err) {
    char *path = join(b, key);
    if (!path) return lake__error(err, LAKE_ENOMEM, "out of memory");
    FILE *f = fopen(path, "rb");
    if (!f) {
        int rc = errno == ENOENT ? lake__error(err, LAKE_ENOTFOUND, "no object %s", key)
                                 : lake__error(err, LAKE_EIO, "cannot read %s: %s", path, strerror(errno));
        lake__free(path);
        return rc;
    }
    char chunk[65536];
    size_t n;
    int rc = LAKE_OK;
    while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0) rc = out->write(out->ctx, chunk, n, err);
    if (!rc && ferror(f)) rc = lake__error(err, LAKE_EIO, "cannot read %s", path);
    fclose(f);
    lake__free(path);
    return rc;
}

/* Listing and deletion never follow a symbolic link and never leave the root:
 * they move folder by folder through descriptors opened with O_NOFOLLOW
 * (openat, fstatat and unlinkat relative to the folder above), so a link
 * planted or swapped in anywhere under the root, the root's "_staging"
 * included, is at most an object to delete as itself. */
static int open_below(int dir, const char *name) {
    return openat(dir, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* An upload's temporary file, as file_put_begin names it: ".NAME.tmp-HEX". */
static bool is_upload_temp(const char *name) {
    const char *mark = strstr(name, ".tmp-");
    return name[0] == '.' && mark && mark > name + 1 && strlen(mark + 5) == 16 &&
           strspn(mark + 5, "0123456789abcdef") == 16;
}

/* Walks the folder open as `dir` (its key prefix in rel) and reports the
 * files and links whose keys start with `prefix`; hidden entries are skipped.
 * With `unfinished`, it reports instead the temporary files of uploads that
 * were never committed nor aborted (their writer was killed). Takes dir over:
 * it is closed on return. */
static int walk(int dir, lake__buf *rel, const char *prefix, bool unfinished, lake_object_fn fn, void *ctx,
                lake_error *err) {
    size_t base = rel->len;
    DIR *d = fdopendir(dir);
    if (!d) {
        close(dir);
        return lake__error(err, LAKE_EIO, "cannot list: %s", strerror(errno));
    }
    int rc = LAKE_OK;
    struct dirent *e;
    while (!rc && (e = readdir(d))) {
        bool temp = is_upload_temp(e->d_name);
        if (e->d_name[0] == '.' && !temp) continue;
        rel->len = base;
        if (base) lake__buf_putc(rel, '/');
        lake__buf_puts(rel, e->d_name);
        if (rel->failed) {
            rc = lake__error(err, LAKE_ENOMEM, "out of memory");
            break;
        }
        size_t plen = strlen(prefix), cmp = rel->len < plen ? rel->len : plen;
        if (strncmp(rel->data, prefix, cmp) != 0) continue; /* cannot lead to the prefix */
        struct stat st;
        if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW)) continue;
        if (S_ISDIR(st.st_mode)) {
            int below = open_below(dirfd(d), e->d_name);
            if (below >= 0 && !temp) rc = walk(below, rel, prefix, unfinished, fn, ctx, err);
            else if (below >= 0) close(below);
            /* else it went away, or was swapped for a link since fstatat: nothing to follow */
        } else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) && rel->len >= plen && temp == unfinished) {
            rc = fn(ctx, rel->data, S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0);
        }
    }
    closedir(d);
    rel->len = base;
    if (rel->data) rel->data[base] = '\0';
    return rc;
}

static int walk_root(lake_backend *b, const char *prefix, bool unfinished, lake_object_fn fn, void *ctx,
                     lake_error *err) {
    int root = open(b->local_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (root < 0)
        return errno == ENOENT || errno == ENOTDIR ? LAKE_OK
                                                   : lake__error(err, LAKE_EIO, "cannot list %s: %s", b->local_root, strerror(errno));
    lake__buf rel = LAKE__BUF_INIT;
    int rc = walk(root, &rel, prefix, unfinished, fn, ctx, err);
    lake__buf_dispose(&rel);
    return rc;
}

static int file_list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    return walk_root(b, prefix, false, fn, ctx, err);
}

static int file_list_unfinished(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    return walk_root(b, prefix, true, fn, ctx, err);
}

/* Deletes the file or link at key (a link as itself), then the folders the
 * deletion emptied, up to the root: every step relative to the folder above. */
static int file_remove(lake_backend *b, const char *key, lake_error *err) {
    int rc = lake__key_check(key, err);
    if (rc) return rc;
    typedef struct level {
        const char *name; /* a segment of the key */
        int dir;          /* the folder holding it, once open */
    } level;
    size_t depth = 1;
    for (const char *p = key; *p; p++) depth += *p == '/';
    char *names = lake__strndup(key, strlen(key));
    level *at = lake__calloc(depth, sizeof *at);
    if (!names || !at) {
        lake__free(names);
        lake__free(at);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    at[0].name = names;
    for (size_t i = 1; i < depth; i++) {
        char *slash = strchr(at[i - 1].name, '/');
        *slash = 0;
        at[i].name = slash + 1;
    }
    size_t opened = 0;
    bool gone = false;
    if ((at[0].dir = open(b->local_root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) opened = 1;
    else if (errno == ENOENT) gone = true;
    else rc = lake__error(err, LAKE_EIO, "cannot open %s: %s", b->local_root, strerror(errno));
    while (!rc && !gone && opened < depth) {
        int below = open_below(at[opened - 1].dir, at[opened - 1].name);
        if (below >= 0) at[opened++].dir = below;
        else if (errno == ENOENT) gone = true;
        else if (errno == ELOOP || errno == ENOTDIR)
            rc = lake__error(err, LAKE_EIO, "cannot delete %s: a folder on its way is a symbolic link or a file, "
                                            "which lakeorm does not follow", key);
        else rc = lake__error(err, LAKE_EIO, "cannot delete %s: %s", key, strerror(errno));
    }
    if (!rc && !gone && unlinkat(at[depth - 1].dir, at[depth - 1].name, 0) && errno != ENOENT)
        rc = lake__error(err, LAKE_EIO, "cannot delete %s: %s", key, strerror(errno));
    /* Drop the folders the deletion emptied; one that still holds something stops it. */
    for (size_t i = depth - 1; !rc && !gone && i > 0; i--)
        if (unlinkat(at[i - 1].dir, at[i - 1].name, AT_REMOVEDIR)) break;
    for (size_t i = 0; i < opened; i++) close(at[i].dir);
    lake__free(at);
    lake__free(names);
    return rc;
}

static const lake_backend_ops file_ops = {
    .version = LAKE_BACKEND_OPS_VERSION,
    .put_begin = file_put_begin,
    .put_commit = file_put_commit,
    .put_abort = file_put_abort,
    .get = file_get,
    .list = file_list,
    .remove = file_remove,
    .put_if_absent = file_put_if_absent,
    .list_unfinished = file_list_unfinished,
    .discard_unfinished = file_remove, /* a temporary file is removed as any other */
    .reach = LAKE_REACH_MACHINE,
};

int lake__file_backend_open(lake_backend *b, const char *path, lake_error *err) {
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') n--;
    if (n == 0 || path[0] != '/') return lake__error(err, LAKE_EINVAL, "file backend URL needs an absolute path: file:///var/lake");
    if (!(b->local_root = lake__strndup(path, n))) return lake__error(err, LAKE_ENOMEM, "out of memory");
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/x", b->local_root);
    int rc = make_parents(probe, err);
    if (rc) return rc;
    b->ops = file_ops;
    return LAKE_OK;
}

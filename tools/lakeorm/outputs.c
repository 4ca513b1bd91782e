/* SPDX-License-Identifier: MIT */
/* Output files. One that names an input is refused: opening it for writing
 * would truncate the input before it is read. Files are compared by device
 * and inode, so a hard link, a symbolic link, ./x or /dev/stdin all count as
 * the file they reach. Character devices are exempt: a terminal is both
 * stdin and an output legitimately, and /dev/null is harmless. */
#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "outputs.h"

static bool identify(const char *path, struct stat *st) {
    int rc = strcmp(path, "-") ? stat(path, st) : fstat(STDIN_FILENO, st);
    return rc == 0 && !S_ISCHR(st->st_mode);
}

static bool same(const struct stat *a, const struct stat *b) { return a->st_dev == b->st_dev && a->st_ino == b->st_ino; }

int refuse_overwrites(const char *command, const file_role *inputs, size_t ninputs, const file_role *outputs,
                      size_t noutputs) {
    for (size_t o = 0; o < noutputs; o++) {
        struct stat out, other;
        if (!outputs[o].path || !identify(outputs[o].path, &out)) continue; /* a new file is no input */
        for (size_t i = 0; i < ninputs; i++)
            if (inputs[i].path && identify(inputs[i].path, &other) && same(&out, &other)) {
                char why[3 * PATH_MAX];
                snprintf(why, sizeof why, "%s %s is %s %s; refusing to overwrite it", outputs[o].flag, outputs[o].path,
                         inputs[i].flag, strcmp(inputs[i].path, "-") ? inputs[i].path : "(stdin)");
                term_error(command, why);
                return CLI_USAGE;
            }
        for (size_t p = 0; p < o; p++)
            if (outputs[p].path && identify(outputs[p].path, &other) && same(&out, &other))
                return refuse_shared_output(command, &outputs[p], &outputs[o]);
    }
    return CLI_OK;
}

int refuse_shared_output(const char *command, const file_role *a, const file_role *b) {
    char why[3 * PATH_MAX];
    snprintf(why, sizeof why, "%s %s and %s %s are the same file; give each its own", a->flag, a->path, b->flag, b->path);
    term_error(command, why);
    return CLI_USAGE;
}

int refuse_same_open_files(const char *command, FILE *fa, const file_role *a, FILE *fb, const file_role *b) {
    struct stat sa, sb;
    if (fstat(fileno(fa), &sa) || fstat(fileno(fb), &sb)) {
        char why[3 * PATH_MAX];
        snprintf(why, sizeof why, "cannot check %s and %s: %s", a->path, b->path, strerror(errno));
        term_error(command, why);
        return CLI_USAGE;
    }
    return !S_ISCHR(sa.st_mode) && same(&sa, &sb) ? refuse_shared_output(command, a, b) : CLI_OK;
}

int write_error(FILE *f) {
    errno = 0;
    if (!fflush(f) && !ferror(f)) return 0;
    return errno ? errno : EIO; /* the error flag came from an earlier write */
}

int close_error(FILE *f) {
    int e = write_error(f);
    if (fclose(f) && !e) e = errno; /* a file system may only report at close (NFS, quotas) */
    return e;
}

int atomic_open(atomic_file *a, const char *path) {
    memset(a, 0, sizeof *a);
    a->path = path;
    char *copy = strdup(path), *copy2 = strdup(path);
    size_t size = strlen(path) + 32;
    a->tmp = malloc(size);
    if (!copy || !copy2 || !a->tmp) {
        free(copy), free(copy2), free(a->tmp), a->tmp = NULL;
        return ENOMEM;
    }
    /* dirname and basename may modify their argument: one copy each */
    snprintf(a->tmp, size, "%s/.%s.lakeorm-XXXXXX", dirname(copy), basename(copy2));
    free(copy), free(copy2);
    int fd = mkstemp(a->tmp);
    if (fd < 0) {
        int e = errno;
        free(a->tmp), a->tmp = NULL;
        return e;
    }
    mode_t mask = umask(0);
    umask(mask);
    if (fchmod(fd, 0666 & ~mask) || !(a->f = fdopen(fd, "wb"))) {
        int e = errno;
        close(fd);
        unlink(a->tmp);
        free(a->tmp), a->tmp = NULL;
        return e;
    }
    return 0;
}

int atomic_commit(atomic_file *a) {
    int e = close_error(a->f);
    a->f = NULL;
    if (!e && rename(a->tmp, a->path)) e = errno;
    if (e) unlink(a->tmp);
    free(a->tmp), a->tmp = NULL;
    return e;
}

void atomic_abort(atomic_file *a) {
    if (a->f) fclose(a->f);
    a->f = NULL;
    if (a->tmp) unlink(a->tmp);
    free(a->tmp), a->tmp = NULL;
}

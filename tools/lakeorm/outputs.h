/* SPDX-License-Identifier: MIT */
/* Output files: refusing those that would overwrite inputs, and checking
 * that everything written reached them (outputs.c). */
#ifndef LAKE_CLI_OUTPUTS_H
#define LAKE_CLI_OUTPUTS_H

#include <stddef.h>
#include <stdio.h>

/* A file a command names: the flag that named it ("--good", "the input") and
 * its path ("-" is stdin; NULL when not given). */
typedef struct file_role {
    const char *flag, *path;
} file_role;

/* command is how messages start ("lakeorm validate"); they escape the paths.
 * Before anything is opened for writing: CLI_OK, or CLI_USAGE after saying
 * which output is which input, or which two existing outputs are one file. */
int refuse_overwrites(const char *command, const file_role *inputs, size_t ninputs, const file_role *outputs,
                      size_t noutputs);
/* After opening two outputs that did not exist before (so nothing was lost):
 * CLI_USAGE when they are one file, reached by two names. */
int refuse_same_open_files(const char *command, FILE *fa, const file_role *a, FILE *fb, const file_role *b);
/* Says that outputs a and b are one file; returns CLI_USAGE. */
int refuse_shared_output(const char *command, const file_role *a, const file_role *b);

/* 0 when everything written to f so far reached it (flushed, no error),
 * else an errno value saying why not. */
int write_error(FILE *f);
/* write_error, then fclose (whose failure counts too); f is closed either way. */
int close_error(FILE *f);

/* An output file replaced only on success: rows go to a temporary file
 * beside it (same folder, so the rename is atomic), which commit renames
 * over the path and abort removes. The path is never half-written. */
typedef struct atomic_file {
    const char *path; /* borrowed */
    char *tmp;
    FILE *f;
} atomic_file;

/* 0, or an errno value (nothing created). The file gets the mode a new file
 * would (0666 less the umask). */
int atomic_open(atomic_file *a, const char *path);
/* Flushes, closes and renames: 0, or an errno value (the temporary removed). */
int atomic_commit(atomic_file *a);
/* Closes and removes the temporary file; the path is left as it was. */
void atomic_abort(atomic_file *a);

#endif

/* SPDX-License-Identifier: MIT */
/* The arguments of ingest and validate, parsed from one option table each,
 * with no side effects: nothing printed, nothing opened. Refusals come back
 * as text for the command to print, so tests/fuzz/cli_args_fuzzer.c can run
 * the parsers over any argv. */
#ifndef LAKE_CLI_ARGS_H
#define LAKE_CLI_ARGS_H

#include <stddef.h>

#include "cli.h"

/* Operands a command takes (a shell's expansion of a glob); a quoted glob
 * is one operand, however many files it matches. */
enum { CLI_MAX_INPUTS = 4096 };

typedef struct ingest_args {
    connect_args conn;
    const char *schema, *table, *input, *rejected, *key;
    int path;        /* a lake_write_path */
    int on_conflict; /* a lake_on_conflict */
    int json, all_or_nothing, no_migrate, quiet;
    /* Every INPUT operand in order (globs unexpanded), input being the first. */
    const char *inputs[CLI_MAX_INPUTS];
    size_t ninputs;
    int format;                 /* an input_format: 0 = by each file's name */
    const char *max_rejected;   /* "N" or "P%", checked by limit_parse */
    const char *threads;        /* "N", checked by cmd_ingest */
} ingest_args;

typedef struct validate_args {
    connect_args conn; /* only --config and --profile: a profile's schema_file */
    const char *schema, *input, *good, *rejected;
    int json, quiet;
    const char *inputs[CLI_MAX_INPUTS]; /* as ingest_args' */
    size_t ninputs;
    int format;
    const char *max_rejected;
    const char *threads; /* "N", checked by cmd_validate */
} validate_args;

typedef struct infer_args {
    const char *output, *table, *input;
    const char *inputs[CLI_MAX_INPUTS]; /* as ingest_args' */
    size_t ninputs;
    int format;
} infer_args;

/* 0, or -1 with the reason (one line, no newline) in why[size]. Strings
 * point into argv. */
int ingest_args_parse(ingest_args *o, int argc, char **argv, char *why, size_t size);
int validate_args_parse(validate_args *o, int argc, char **argv, char *why, size_t size);
/* schema infer's: argv[0] is "infer". */
int infer_args_parse(infer_args *o, int argc, char **argv, char *why, size_t size);

#endif

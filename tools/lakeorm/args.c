/* SPDX-License-Identifier: MIT */
/* One option-table parser for the commands' arguments: each command lists
 * its options (name, kind, where the value goes), and parse() fills the
 * command's struct or says why not, without printing or opening anything. */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "options.h"

typedef enum { OPT_FLAG, OPT_TEXT, OPT_CHOICE } opt_kind;

/* Choices are options.c's (cli_input_formats ...): help, man pages and completions list what is taken. */
typedef struct opt {
    const char *name;
    opt_kind kind;
    size_t offset;              /* an int for FLAG and CHOICE, a const char * for TEXT */
    const char *const *choices; /* CHOICE: NULL-terminated; the index is stored */
} opt;

typedef struct command_spec {
    const char *name;
    const opt *opts;
    size_t count;
    size_t input;    /* the const char * that takes the first INPUT operand */
    size_t inputs;   /* the const char *[CLI_MAX_INPUTS] that takes them all, */
    size_t ninputs;  /* and the size_t that counts them */
} command_spec;

static int refuse(char *why, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int refuse(char *why, size_t size, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

static int refuse_choice(const command_spec *c, const opt *o, const char *value, char *why, size_t size) {
    int n = snprintf(why, size, "lakeorm %s: %s %s: expected one of", c->name, o->name, value);
    for (size_t k = 0; o->choices[k] && n >= 0 && (size_t)n < size; k++)
        n += snprintf(why + n, size - (size_t)n, " %s", o->choices[k]);
    return -1;
}

static int parse(const command_spec *c, void *out, int argc, char **argv, char *why, size_t size) {
    char *base = out;
    size_t operands = 0;
    bool options = true;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const opt *o = NULL;
        if (options && !strcmp(a, "--")) { /* what follows is operands, "-x" too */
            options = false;
            continue;
        }
        for (size_t k = 0; k < c->count && !o && options; k++)
            if (!strcmp(a, c->opts[k].name)) o = &c->opts[k];
        if (!o) {
            if (options && a[0] == '-' && a[1])
                return refuse(why, size, "lakeorm %s: unknown option %s (see lakeorm help %s)", c->name, a, c->name);
            const char **input = (const char **)(base + c->input);
            if (!*input) *input = a;
            if (operands == CLI_MAX_INPUTS)
                return refuse(why, size, "lakeorm %s: more than %d inputs; quote a glob and lakeorm expands it",
                              c->name, CLI_MAX_INPUTS);
            ((const char **)(base + c->inputs))[operands++] = a;
            continue;
        }
        if (o->kind == OPT_FLAG) {
            *(int *)(base + o->offset) = 1;
            continue;
        }
        if (++i == argc) return refuse(why, size, "lakeorm %s: %s needs a value", c->name, o->name);
        if (o->kind == OPT_TEXT) {
            *(const char **)(base + o->offset) = argv[i];
            continue;
        }
        int k = 0;
        while (o->choices[k] && strcmp(argv[i], o->choices[k])) k++;
        if (!o->choices[k]) return refuse_choice(c, o, argv[i], why, size);
        *(int *)(base + o->offset) = k;
    }
    *(size_t *)(base + c->ninputs) = operands;
    return 0;
}


#define TEXT(name, type, member) {name, OPT_TEXT, offsetof(type, member), NULL}
#define FLAG(name, type, member) {name, OPT_FLAG, offsetof(type, member), NULL}

static const opt ingest_opts[] = {
    TEXT("--db", ingest_args, conn.db),
    TEXT("--url", ingest_args, conn.url),
    TEXT("--staging", ingest_args, conn.staging),
    TEXT("--dialect", ingest_args, conn.dialect),
    TEXT("--warehouse", ingest_args, conn.warehouse),
    TEXT("--catalog", ingest_args, conn.catalog),
    TEXT("--config", ingest_args, conn.config),
    TEXT("--profile", ingest_args, conn.profile),
    TEXT("--schema", ingest_args, schema),
    TEXT("--table", ingest_args, table),
    TEXT("--rejected", ingest_args, rejected),
    TEXT("--idempotency-key", ingest_args, key),
    {"--path", OPT_CHOICE, offsetof(ingest_args, path), cli_write_paths},
    {"--on-conflict", OPT_CHOICE, offsetof(ingest_args, on_conflict), cli_conflicts},
    FLAG("--json", ingest_args, json),
    FLAG("--all-or-nothing", ingest_args, all_or_nothing),
    FLAG("--no-migrate", ingest_args, no_migrate),
    FLAG("--quiet", ingest_args, quiet),
    {"--format", OPT_CHOICE, offsetof(ingest_args, format), cli_input_formats},
    TEXT("--max-rejected", ingest_args, max_rejected),
    TEXT("--threads", ingest_args, threads),
};

static const opt validate_opts[] = {
    TEXT("--schema", validate_args, schema),
    TEXT("--good", validate_args, good),
    TEXT("--rejected", validate_args, rejected),
    FLAG("--json", validate_args, json),
    FLAG("--quiet", validate_args, quiet),
    {"--format", OPT_CHOICE, offsetof(validate_args, format), cli_input_formats},
    TEXT("--max-rejected", validate_args, max_rejected),
    TEXT("--config", validate_args, conn.config),
    TEXT("--profile", validate_args, conn.profile),
    TEXT("--threads", validate_args, threads),
};

static const opt infer_opts[] = {
    TEXT("--output", infer_args, output),
    TEXT("--table", infer_args, table),
    {"--format", OPT_CHOICE, offsetof(infer_args, format), cli_input_formats},
};

int ingest_args_parse(ingest_args *o, int argc, char **argv, char *why, size_t size) {
    static const command_spec spec = {
        "ingest", ingest_opts, sizeof ingest_opts / sizeof ingest_opts[0], offsetof(ingest_args, input),
        offsetof(ingest_args, inputs), offsetof(ingest_args, ninputs)};
    memset(o, 0, sizeof *o);
    return parse(&spec, o, argc, argv, why, size);
}

int validate_args_parse(validate_args *o, int argc, char **argv, char *why, size_t size) {
    static const command_spec spec = {
        "validate", validate_opts, sizeof validate_opts / sizeof validate_opts[0], offsetof(validate_args, input),
        offsetof(validate_args, inputs), offsetof(validate_args, ninputs)};
    memset(o, 0, sizeof *o);
    return parse(&spec, o, argc, argv, why, size);
}

int infer_args_parse(infer_args *o, int argc, char **argv, char *why, size_t size) {
    static const command_spec spec = {
        "schema infer", infer_opts, sizeof infer_opts / sizeof infer_opts[0], offsetof(infer_args, input),
        offsetof(infer_args, inputs), offsetof(infer_args, ninputs)};
    memset(o, 0, sizeof *o);
    return parse(&spec, o, argc, argv, why, size);
}

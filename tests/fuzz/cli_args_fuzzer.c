/* SPDX-License-Identifier: MIT */
/* The CLI's argument parsers (tools/lakeorm/args.c) and the rewriting of
 * argv that comes first (options.c: --opt=value, short forms and bundles,
 * "--") over any argv: the input is NUL-separated arguments. Every entry of
 * a rewritten argv must be an argument, the tail of one, or an option's
 * name. A success must leave every string pointing at
 * an argument and every choice in range; a refusal must say why, within the
 * buffer it was given however small; and the buffer's size must not change
 * the verdict. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "options.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_ARGS = 64 };

static void check_text(const char *p, char **argv, int argc) {
    if (!p) return;
    for (int i = 1; i < argc; i++)
        if (p == argv[i]) return;
    abort(); /* a value that is not one of the arguments */
}

/* An operand that starts with a dash is one only after "--". */
static bool ended(char **argv, int argc) {
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--")) return true;
    return false;
}

static void check_refusal(const char *why, size_t size) {
    if (!why[0] || strnlen(why, size) == size) abort(); /* says nothing, or is not terminated */
}

static void check_ingest(int argc, char **argv) {
    ingest_args a, b;
    char why[512], small[12];
    int rc = ingest_args_parse(&a, argc, argv, why, sizeof why);
    if (ingest_args_parse(&b, argc, argv, small, sizeof small) != rc) abort();
    if (rc) {
        check_refusal(why, sizeof why);
        check_refusal(small, sizeof small);
        return;
    }
    if (memcmp(&a, &b, sizeof a)) abort();
    const char *texts[] = {a.conn.db,     a.conn.url,     a.conn.staging, a.conn.config, a.conn.profile,
                           a.schema,      a.table,        a.input,        a.rejected,    a.key};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) check_text(texts[i], argv, argc);
    if (a.path < 0 || a.path > 2 || a.on_conflict < 0 || a.on_conflict > 2) abort();
    if ((a.json | a.all_or_nothing | a.no_migrate) & ~1) abort();
    if (a.input && a.input[0] == '-' && a.input[1] && !ended(argv, argc)) abort(); /* an option taken for the input */
}

static void check_validate(int argc, char **argv) {
    validate_args a, b;
    char why[512], small[12];
    int rc = validate_args_parse(&a, argc, argv, why, sizeof why);
    if (validate_args_parse(&b, argc, argv, small, sizeof small) != rc) abort();
    if (rc) {
        check_refusal(why, sizeof why);
        check_refusal(small, sizeof small);
        return;
    }
    if (memcmp(&a, &b, sizeof a)) abort();
    const char *texts[] = {a.schema, a.input, a.good, a.rejected, a.conn.config, a.conn.profile};
    for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) check_text(texts[i], argv, argc);
    if (a.json & ~1) abort();
    if (a.input && a.input[0] == '-' && a.input[1] && !ended(argv, argc)) abort();
}

/* Inside one of the arguments (the argument or a tail of it) or one of c's option names. */
static bool from_argv_or_table(const cli_command *c, const char *p, char **argv, int argc) {
    for (int i = 0; i < argc; i++)
        if (p >= argv[i] && p <= argv[i] + strlen(argv[i])) return true;
    for (size_t k = 0; k < c->count; k++)
        if (p == c->opts[k].name) return true;
    return false;
}

static void check_normalize(const char *name, int argc, char **argv) {
    const cli_command *c = cli_command_find(name);
    char why[512], **v;
    int n;
    if (cli_normalize(c, argc, argv, &n, &v, why, sizeof why)) {
        check_refusal(why, sizeof why);
        return;
    }
    if (n < 1 || v[n] || v[0] != argv[0]) abort();
    for (int i = 1; i < n; i++)
        if (!from_argv_or_table(c, v[i], argv, argc)) abort();
    /* What the command then parses. */
    if (!strcmp(name, "ingest")) check_ingest(n, v);
    else check_validate(n, v);
    free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    char *argv[MAX_ARGS + 1];
    int argc = 0;
    argv[argc++] = "lakeorm-command"; /* argv[0], as main passes it: the command's name */
    for (size_t at = 0; at <= size && argc < MAX_ARGS; at += strlen(text + at) + 1) argv[argc++] = text + at;
    argv[argc] = NULL;
    check_ingest(argc, argv);
    check_validate(argc, argv);
    check_normalize("ingest", argc, argv);
    check_normalize("validate", argc, argv);
    free(text);
    return 0;
}

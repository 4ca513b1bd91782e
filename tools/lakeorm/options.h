/* SPDX-License-Identifier: MIT */
/* Every command's options in one table: their long names, short forms,
 * whether they take a value and which values. main.c rewrites argv through
 * it before a command parses (--opt=value, short forms and bundles of them
 * become the long form, an unknown option is refused with the nearest
 * name), the commands take their choices from it, the help pages print the
 * choices from it and the shell completions are printed from it, so none
 * of them can drift from the others. */
#ifndef LAKE_CLI_OPTIONS_H
#define LAKE_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef struct cli_option {
    const char *name; /* "--schema" */
    char short_name;  /* 's', or 0 */
    bool value;       /* takes a value: --schema FILE, --schema=FILE, -s FILE, -sFILE */
    bool path;        /* the value names a file or folder (completed as one) */
    const char *const *choices; /* the values it takes, NULL-terminated; NULL: any */
} cli_option;

/* The choices, in the order of the enums the commands store: input_format
 * (input.h), lake_write_path, lake_on_conflict, query_format
 * (query_formats.h). Dialects are checked by the library. */
extern const char *const cli_input_formats[];
extern const char *const cli_write_paths[];
extern const char *const cli_conflicts[];
extern const char *const cli_query_formats[];
extern const char *const cli_dialects[];

typedef struct cli_command {
    const char *name;
    const cli_option *opts;
    size_t count;
    /* query: the first operand (the SQL) ends the options; what follows are
     * parameters, dashes and all. */
    bool operand_ends_options;
} cli_command;

extern const cli_command cli_commands[];
extern const size_t cli_command_count;

const cli_command *cli_command_find(const char *name);
/* Command c's option of that long name, or NULL. */
const cli_option *cli_option_find(const cli_command *c, const char *name);
/* The choices joined with "|" ("json|csv|table|parquet") into out[size]. */
void cli_choices_join(const char *const *choices, char *out, size_t size);

/* Rewrites argv[1..argc) of command c into *out (argv[0] kept; *out_argc
 * entries and a NULL; free *out with free()) with every option in its long
 * form and its value, when it takes one, as the next entry. Short options
 * bundle (-qj is -q -j; -sFILE and -qsFILE give -s the rest). "--" ends
 * the options: it is kept when operands follow (so each command's parser
 * takes what follows as operands, "-x" too), dropped when none do. The strings
 * point into argv or the table. 0, or -1 with the reason (one line, no
 * newline, without the command's name) in why[size]: an unknown option, with the nearest name (edit
 * distance <= 2) when there is one, or out of memory. */
int cli_normalize(const cli_command *c, int argc, char **argv, int *out_argc, char ***out, char *why, size_t size);

/* A bash ("bash") or zsh ("zsh") completion script for lakeorm; false for
 * another shell. */
bool cli_print_completion(FILE *out, const char *shell);

#endif

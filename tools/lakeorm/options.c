/* SPDX-License-Identifier: MIT */
/* The option table of every command (options.h), argv rewritten through it,
 * and the shell completions printed from it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "util/nearest.h"

/* Short forms are the same letter in every command that has the option. */
#define CONNECT                                                                                                       \
    {"--db", 'd', true}, {"--url", 'u', true}, {"--staging", 0, true}, {"--dialect", 0, true},                       \
        {"--warehouse", 0, true}, {"--catalog", 0, true}, {"--config", 0, true}, {"--profile", 0, true}

static const cli_option ingest_opts[] = {
    CONNECT,
    {"--schema", 's', true},
    {"--table", 't', true},
    {"--rejected", 'r', true},
    {"--idempotency-key", 'k', true},
    {"--path", 0, true},
    {"--on-conflict", 0, true},
    {"--json", 'j', false},
    {"--all-or-nothing", 0, false},
    {"--no-migrate", 0, false},
    {"--format", 'f', true},
    {"--max-rejected", 'm', true},
};

static const cli_option validate_opts[] = {
    {"--schema", 's', true}, {"--good", 'g', true},   {"--rejected", 'r', true},
    {"--json", 'j', false},  {"--format", 'f', true}, {"--max-rejected", 'm', true},
    {"--config", 0, true},   {"--profile", 0, true},
};

static const cli_option query_opts[] = {
    CONNECT, {"--format", 'f', true}, {"--output", 'o', true}, {"--exclude-system", 0, false},
};

static const cli_option migrate_opts[] = {
    CONNECT, {"--schema", 's', true}, {"--dir", 0, true}, {"--rename", 0, true}, {"--json", 'j', false},
};

static const cli_option cleanup_opts[] = {CONNECT, {"--older-than", 0, true}, {"--json", 'j', false}};

static const cli_option vacuum_opts[] = {
    CONNECT, {"--table", 't', true}, {"--retain", 0, true}, {"--delete", 0, false}, {"--json", 'j', false},
};

static const cli_option schema_opts[] = {{"--table", 't', true}, {"--output", 'o', true}, {"--format", 'f', true}};

#define COMMAND(name, opts, ends) {name, opts, sizeof opts / sizeof opts[0], ends}

const cli_command cli_commands[] = {
    COMMAND("ingest", ingest_opts, false),   COMMAND("validate", validate_opts, false),
    COMMAND("query", query_opts, true),      COMMAND("migrate", migrate_opts, false),
    COMMAND("cleanup-staging", cleanup_opts, false), COMMAND("vacuum", vacuum_opts, false),
    COMMAND("schema", schema_opts, false),
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_command_find(const char *name) {
    for (size_t i = 0; i < cli_command_count; i++)
        if (!strcmp(name, cli_commands[i].name)) return &cli_commands[i];
    return NULL;
}

static int unknown(const cli_command *c, const char *arg, size_t len, char *why, size_t size) {
    const char *near = NULL;
    size_t best = 3; /* a suggestion only within two edits */
    for (size_t k = 0; k < c->count; k++) {
        size_t d = lake__edit_distance(arg, len, c->opts[k].name);
        if (d < best) best = d, near = c->opts[k].name;
    }
    if (near)
        snprintf(why, size, "unknown option %.*s; did you mean %s?", (int)len, arg, near);
    else
        snprintf(why, size, "unknown option %.*s (see lakeorm help %s)", (int)len, arg, c->name);
    return -1;
}

/* The table's names are static; argv's entries are char *, never written through. */
static char *name_of(const cli_option *o) { return (char *)(uintptr_t)o->name; }

int cli_normalize(const cli_command *c, int argc, char **argv, int *out_argc, char ***out, char *why, size_t size) {
    /* Each entry becomes at most two (--opt=value), plus argv[0] and the NULL. */
    char **v = calloc(2 * (size_t)argc + 2, sizeof *v);
    if (!v) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    int n = 0;
    v[n++] = argv[0];
    bool options = true;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (!options || a[0] != '-' || !a[1]) { /* an operand, or - (stdin) */
            v[n++] = a;
            if (c->operand_ends_options) options = false;
            continue;
        }
        const cli_option *o = NULL;
        const char *value = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a, '=');
            size_t len = eq ? (size_t)(eq - a) : strlen(a);
            for (size_t k = 0; k < c->count && !o; k++)
                if (strlen(c->opts[k].name) == len && !strncmp(a, c->opts[k].name, len)) o = &c->opts[k];
            if (!o) {
                free(v);
                return unknown(c, a, len, why, size);
            }
            if (eq && !o->value) {
                free(v);
                snprintf(why, size, "%s takes no value", o->name);
                return -1;
            }
            if (eq) value = eq + 1;
        } else {
            for (size_t k = 0; k < c->count && !o && !a[2]; k++)
                if (c->opts[k].short_name == a[1]) o = &c->opts[k];
            if (!o) {
                free(v);
                return unknown(c, a, strlen(a), why, size);
            }
        }
        v[n++] = name_of(o);
        if (value) v[n++] = (char *)(uintptr_t)value; /* points into argv[i] */
        else if (o->value && i + 1 < argc) v[n++] = argv[++i]; /* as given, dashes and all */
    }
    v[n] = NULL;
    *out_argc = n;
    *out = v;
    return 0;
}

static void print_names(FILE *out, const cli_command *c) {
    for (size_t k = 0; k < c->count; k++) {
        fprintf(out, "%s%s", k ? " " : "", c->opts[k].name);
        if (c->opts[k].short_name) fprintf(out, " -%c", c->opts[k].short_name);
    }
}

/* One case arm per command: "    ingest) opts=<open>--db -d ... --help<close> ;;". */
static void print_cases(FILE *out, const char *open, const char *close) {
    for (size_t i = 0; i < cli_command_count; i++) {
        fprintf(out, "    %s) opts=%s", cli_commands[i].name, open);
        print_names(out, &cli_commands[i]);
        fprintf(out, " --help%s ;;\n", close);
    }
}

static void print_commands(FILE *out) {
    for (size_t i = 0; i < cli_command_count; i++) fprintf(out, "%s ", cli_commands[i].name);
    fputs("help version", out);
}

bool cli_print_completion(FILE *out, const char *shell) {
    if (!strcmp(shell, "bash")) {
        fputs("# bash completion for lakeorm, printed by `lakeorm help --completion bash`\n"
              "_lakeorm() {\n"
              "    local cur=${COMP_WORDS[COMP_CWORD]} opts\n"
              "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
              "        COMPREPLY=($(compgen -W \"",
              out);
        print_commands(out);
        fputs("\" -- \"$cur\"))\n"
              "        return\n"
              "    fi\n"
              "    case ${COMP_WORDS[1]} in\n",
              out);
        print_cases(out, "\"", "\"");
        fputs("    help) opts=\"--man --completion\"; [[ $cur == -* ]] || opts=\"", out);
        print_commands(out);
        fputs("\" ;;\n"
              "    *) opts=\"\" ;;\n"
              "    esac\n"
              "    if [[ $cur == -* || ${COMP_WORDS[1]} == help ]]; then\n"
              "        COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
              "    else\n"
              "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
              "    fi\n"
              "}\n"
              "complete -o default -F _lakeorm lakeorm\n",
              out);
        return true;
    }
    if (!strcmp(shell, "zsh")) {
        fputs("#compdef lakeorm\n"
              "# zsh completion for lakeorm, printed by `lakeorm help --completion zsh`\n"
              "local -a opts\n"
              "if (( CURRENT == 2 )); then\n"
              "    compadd -- ",
              out);
        print_commands(out);
        fputs("\n"
              "    return\n"
              "fi\n"
              "case $words[2] in\n",
              out);
        print_cases(out, "(", ")");
        fputs("    help) opts=(--man --completion) ;;\n"
              "esac\n"
              "if [[ $PREFIX == -* ]]; then\n"
              "    compadd -- $opts\n"
              "elif [[ $words[2] == help ]]; then\n"
              "    compadd -- ",
              out);
        print_commands(out);
        fputs("\n"
              "else\n"
              "    _files\n"
              "fi\n",
              out);
        return true;
    }
    return false;
}

/* SPDX-License-Identifier: MIT */
/* The option table of every command (options.h), argv rewritten through it,
 * and the shell completions printed from it. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "util/nearest.h"

const char *const cli_input_formats[] = {"auto", "ndjson", "csv", "parquet", NULL};
const char *const cli_write_paths[] = {"auto", "direct", "staged", NULL};
const char *const cli_conflicts[] = {"error", "ignore", "update", NULL};
const char *const cli_query_formats[] = {"json", "csv", "table", "parquet", NULL};
const char *const cli_dialects[] = {"duckdb", "delta", "iceberg", NULL};

#define FLAG(name, short_name) {name, short_name, false, false, NULL}
#define TEXT(name, short_name) {name, short_name, true, false, NULL}
#define PATH(name, short_name) {name, short_name, true, true, NULL}
#define CHOICE(name, short_name, choices) {name, short_name, true, false, choices}

/* Short forms are the same letter in every command that has the option.
 * --staging, --warehouse and --catalog take URLs, or paths (connect.c). */
#define CONNECT                                                                                                       \
    PATH("--db", 'd'), TEXT("--url", 'u'), PATH("--staging", 0), CHOICE("--dialect", 0, cli_dialects),             \
        PATH("--warehouse", 0), PATH("--catalog", 0), PATH("--config", 0), TEXT("--profile", 0)

static const cli_option ingest_opts[] = {
    CONNECT,
    PATH("--schema", 's'),
    TEXT("--table", 't'),
    PATH("--rejected", 'r'),
    TEXT("--idempotency-key", 'k'),
    CHOICE("--path", 0, cli_write_paths),
    CHOICE("--on-conflict", 0, cli_conflicts),
    FLAG("--json", 'j'),
    FLAG("--all-or-nothing", 0),
    FLAG("--no-migrate", 0),
    FLAG("--quiet", 'q'),
    CHOICE("--format", 'f', cli_input_formats),
    TEXT("--max-rejected", 'm'),
    TEXT("--threads", 0),
};

static const cli_option validate_opts[] = {
    PATH("--schema", 's'), PATH("--good", 'g'), PATH("--rejected", 'r'),
    FLAG("--json", 'j'),   CHOICE("--format", 'f', cli_input_formats), TEXT("--max-rejected", 'm'),
    FLAG("--quiet", 'q'),  PATH("--config", 0),  TEXT("--profile", 0), TEXT("--threads", 0),
};

static const cli_option query_opts[] = {
    CONNECT, CHOICE("--format", 'f', cli_query_formats), PATH("--output", 'o'), FLAG("--exclude-system", 0),
};

static const cli_option migrate_opts[] = {
    CONNECT, PATH("--schema", 's'), PATH("--dir", 0), TEXT("--rename", 0), FLAG("--json", 'j'),
};

static const cli_option cleanup_opts[] = {CONNECT, TEXT("--older-than", 0), FLAG("--json", 'j')};

static const cli_option vacuum_opts[] = {
    CONNECT, TEXT("--table", 't'), TEXT("--retain", 0), FLAG("--delete", 0), FLAG("--json", 'j'),
};

static const cli_option doctor_opts[] = {CONNECT, FLAG("--json", 'j'), TEXT("--timeout", 0)};

static const cli_option schema_opts[] = {
    TEXT("--table", 't'), PATH("--output", 'o'), CHOICE("--format", 'f', cli_input_formats)};

static const cli_option stack_opts[] = {
    PATH("--dir", 0), TEXT("--only", 0), TEXT("--port-base", 0), PATH("--tools", 0)};

#define COMMAND(name, opts, ends) {name, opts, sizeof opts / sizeof opts[0], ends}

const cli_command cli_commands[] = {
    COMMAND("ingest", ingest_opts, false),   COMMAND("validate", validate_opts, false),
    COMMAND("query", query_opts, true),      COMMAND("migrate", migrate_opts, false),
    COMMAND("cleanup-staging", cleanup_opts, false), COMMAND("vacuum", vacuum_opts, false),
    COMMAND("schema", schema_opts, false),   COMMAND("doctor", doctor_opts, false),
    COMMAND("stack", stack_opts, false),
};
const size_t cli_command_count = sizeof cli_commands / sizeof cli_commands[0];

const cli_command *cli_command_find(const char *name) {
    for (size_t i = 0; i < cli_command_count; i++)
        if (!strcmp(name, cli_commands[i].name)) return &cli_commands[i];
    return NULL;
}

const cli_option *cli_option_find(const cli_command *c, const char *name) {
    for (size_t k = 0; k < c->count; k++)
        if (!strcmp(name, c->opts[k].name)) return &c->opts[k];
    return NULL;
}

void cli_choices_join(const char *const *choices, char *out, size_t size) {
    size_t n = 0;
    out[0] = 0;
    for (size_t k = 0; choices[k] && n < size; k++) {
        int w = snprintf(out + n, size - n, "%s%s", k ? "|" : "", choices[k]);
        if (w < 0) break;
        n += (size_t)w;
    }
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

/* Command c's option whose short form is ch, or NULL. */
static const cli_option *short_option(const cli_command *c, char ch) {
    for (size_t k = 0; k < c->count; k++)
        if (c->opts[k].short_name == ch) return &c->opts[k];
    return NULL;
}

int cli_normalize(const cli_command *c, int argc, char **argv, int *out_argc, char ***out, char *why, size_t size) {
    /* An entry becomes at most one per letter plus a value (a bundle: -qjsFILE), or two (--opt=value);
     * argv[0] and the NULL besides. */
    size_t cap = 2;
    for (int i = 1; i < argc; i++) cap += strlen(argv[i]) + 2;
    char **v = calloc(cap, sizeof *v);
    if (!v) {
        snprintf(why, size, "out of memory");
        return -1;
    }
    int n = 0;
    v[n++] = argv[0];
    bool options = true;
    for (int i = 1; i < argc; i++) {
        char *a = argv[i];
        if (options && !strcmp(a, "--")) { /* the end of the options: what follows is an operand, "-x" too */
            options = false;
            if (i + 1 < argc) v[n++] = a; /* each command's parser honours it */
            continue;
        }
        if (!options || a[0] != '-' || !a[1]) { /* an operand, or - (stdin) */
            v[n++] = a;
            if (c->operand_ends_options) options = false;
            continue;
        }
        if (a[1] == '-') {
            const char *eq = strchr(a, '=');
            size_t len = eq ? (size_t)(eq - a) : strlen(a);
            const cli_option *o = NULL;
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
            v[n++] = name_of(o);
            if (eq) v[n++] = (char *)(uintptr_t)(eq + 1); /* points into argv[i] */
            else if (o->value && i + 1 < argc) v[n++] = argv[++i]; /* as given, dashes and all */
            continue;
        }
        /* Short forms, bundled as getopt does: flags, then at most one that takes a value, which takes the
         * rest of the entry (-sFILE) or, when none is left, the next entry. A long name after one dash
         * (-schema) is a slip, not -s with the value "chema". */
        for (size_t k = 0; k < c->count; k++)
            if (!strcmp(a + 1, c->opts[k].name + 2)) {
                free(v);
                snprintf(why, size, "unknown option %s; did you mean %s?", a, c->opts[k].name);
                return -1;
            }
        for (const char *p = a + 1; *p; p++) {
            const cli_option *o = short_option(c, *p);
            if (!o) {
                free(v);
                if (p == a + 1 && !a[2]) return unknown(c, a, 2, why, size);
                snprintf(why, size, "unknown option -%c in %s (see lakeorm help %s)", *p, a, c->name);
                return -1;
            }
            v[n++] = name_of(o);
            if (!o->value) continue;
            if (p[1]) v[n++] = (char *)(uintptr_t)(p + 1); /* points into argv[i] */
            else if (i + 1 < argc) v[n++] = argv[++i];
            break;
        }
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

/* What a shell does to complete an option's value. */
typedef struct value_actions {
    const char *choices_open, *choices_close; /* around the choices, space-separated */
    const char *path, *text;                  /* a file or folder; a value with nothing to offer */
} value_actions;

/* One case arm per option that takes a value, on "COMMAND:PREVIOUS-WORD":
 * "    ingest:--format|ingest:-f) <open>auto ndjson csv parquet<close> ;;". */
static void print_value_cases(FILE *out, const value_actions *act) {
    for (size_t i = 0; i < cli_command_count; i++) {
        const cli_command *c = &cli_commands[i];
        for (size_t k = 0; k < c->count; k++) {
            const cli_option *o = &c->opts[k];
            if (!o->value) continue;
            fprintf(out, "    %s:%s", c->name, o->name);
            if (o->short_name) fprintf(out, "|%s:-%c", c->name, o->short_name);
            fputs(") ", out);
            if (o->choices) {
                fputs(act->choices_open, out);
                for (size_t n = 0; o->choices[n]; n++) fprintf(out, "%s%s", n ? " " : "", o->choices[n]);
                fputs(act->choices_close, out);
            } else {
                fputs(o->path ? act->path : act->text, out);
            }
            fputs(" ;;\n", out);
        }
    }
}

bool cli_print_completion(FILE *out, const char *shell) {
    if (!strcmp(shell, "bash")) {
        static const value_actions bash = {"COMPREPLY=($(compgen -W \"", "\" -- \"$cur\")); return",
                                           "COMPREPLY=($(compgen -f -- \"$cur\")); return",
                                           "compopt +o default 2>/dev/null; COMPREPLY=(); return"};
        fputs("# bash completion for lakeorm, printed by `lakeorm help --completion bash`\n"
              "_lakeorm() {\n"
              "    local cur=${COMP_WORDS[COMP_CWORD]} prev= opts\n"
              "    if [ \"$COMP_CWORD\" -eq 1 ]; then\n"
              "        COMPREPLY=($(compgen -W \"",
              out);
        print_commands(out);
        fputs("\" -- \"$cur\"))\n"
              "        return\n"
              "    fi\n"
              "    prev=${COMP_WORDS[COMP_CWORD-1]}\n"
              "    # --opt=VALUE: bash splits the word at the = (COMP_WORDBREAKS)\n"
              "    if [[ $cur == = ]]; then cur=\n"
              "    elif [[ $prev == = ]]; then prev=${COMP_WORDS[COMP_CWORD-2]}\n"
              "    fi\n"
              "    case ${COMP_WORDS[1]}:$prev in\n",
              out);
        print_value_cases(out, &bash);
        fputs("    esac\n"
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
        static const value_actions zsh = {"compadd -- ", "; return", "_files; return", "return"};
        fputs("#compdef lakeorm\n"
              "# zsh completion for lakeorm, printed by `lakeorm help --completion zsh`\n"
              "local -a opts\n"
              "local prev=$words[CURRENT-1]\n"
              "if (( CURRENT == 2 )); then\n"
              "    compadd -- ",
              out);
        print_commands(out);
        fputs("\n"
              "    return\n"
              "fi\n"
              "# --opt=VALUE: the option is what comes before the =, the value what follows\n"
              "if [[ $PREFIX == --*=* ]]; then\n"
              "    prev=${PREFIX%%=*}\n"
              "    compset -P '*='\n"
              "fi\n"
              "case $words[2]:$prev in\n",
              out);
        print_value_cases(out, &zsh);
        fputs("esac\n"
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

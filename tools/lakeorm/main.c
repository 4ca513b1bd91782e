/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "options.h"

/* lakeorm help [COMMAND], help --man [COMMAND] (roff), help --completion bash|zsh. */
static int help(int argc, char **argv) {
    if (argc > 2 && !strcmp(argv[2], "--completion")) {
        if (argc == 4 && cli_print_completion(stdout, argv[3])) return CLI_OK;
        term_error("lakeorm help", "--completion needs bash or zsh");
        return CLI_USAGE;
    }
    int man = argc > 2 && !strcmp(argv[2], "--man");
    const char *page = argc > 2 + man ? argv[2 + man] : NULL;
    if (man ? help_print_man(stdout, page) : help_print(stdout, page)) return CLI_OK;
    term_errorf("lakeorm", "no manual page for \"%s\"", page);
    return CLI_USAGE;
}

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {{"ingest", cmd_ingest},   {"validate", cmd_validate},
                    {"query", cmd_query},     {"migrate", cmd_migrate},
                    {"cleanup-staging", cmd_cleanup_staging}, {"vacuum", cmd_vacuum},
                    {"schema", cmd_schema},   {"doctor", cmd_doctor},
                    {"stack", cmd_stack}};
    if (argc < 2) {
        help_print(stderr, NULL);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        printf("lakeorm %s\n", lake_version());
        return CLI_OK;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) return help(argc, argv);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name)) {
            if (wants_help(argc - 1, argv + 1)) {
                help_print(stdout, cmd);
                return CLI_OK;
            }
            /* Every command parses the long form only: --opt=value and short forms become it here. */
            char why[512], who[64], **args;
            int n;
            if (cli_normalize(cli_command_find(cmd), argc - 1, argv + 1, &n, &args, why, sizeof why)) {
                snprintf(who, sizeof who, "lakeorm %s", cmd);
                term_error(who, why);
                return CLI_USAGE;
            }
            int status = commands[i].run(n, args);
            free(args);
            return status;
        }
    term_errorf("lakeorm", "unknown command \"%s\"; lakeorm help lists them", cmd);
    return CLI_USAGE;
}

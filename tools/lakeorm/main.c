/* SPDX-License-Identifier: MIT */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int main(int argc, char **argv) {
    static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
    } commands[] = {{"ingest", cmd_ingest},   {"validate", cmd_validate},
                    {"query", cmd_query},     {"migrate", cmd_migrate},
                    {"cleanup-staging", cmd_cleanup_staging}, {"vacuum", cmd_vacuum},
                    {"schema", cmd_schema}};
    if (argc < 2) {
        help_print(stderr, NULL);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
        printf("lakeorm %s\n", lake_version());
        return CLI_OK;
    }
    if (!strcmp(cmd, "help") || !strcmp(cmd, "--help") || !strcmp(cmd, "-h")) {
        if (help_print(stdout, argc > 2 ? argv[2] : NULL)) return CLI_OK;
        term_errorf("lakeorm", "no manual page for \"%s\"", argv[2]);
        return CLI_USAGE;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(cmd, commands[i].name)) {
            if (wants_help(argc - 1, argv + 1)) {
                help_print(stdout, cmd);
                return CLI_OK;
            }
            return commands[i].run(argc - 1, argv + 1);
        }
    term_errorf("lakeorm", "unknown command \"%s\"; lakeorm help lists them", cmd);
    return CLI_USAGE;
}

#include <stdio.h>
#include <string.h>

#include <lakeorm.h>

#include "cli.h"

static void usage(FILE *out) {
    fprintf(out,
            "usage: lakeorm <command> [options]\n"
            "\n"
            "commands:\n"
            "  validate --schema FILE [--json] [--good FILE] [--rejected FILE] [INPUT]\n"
            "      decode and validate each NDJSON line of INPUT (or stdin) against a\n"
            "      schema file; exit 0 when every line is good, 1 when any is rejected,\n"
            "      2 on a usage or schema error\n"
            "  version    print the library version\n"
            "  help       print this text\n"
            "\n"
            "docs/cli.md describes every command and option.\n");
}

int main(int argc, char **argv) {
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "validate") == 0) return cmd_validate(argc - 1, argv + 1);
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("lakeorm %s\n", lake_version());
        return CLI_OK;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    fprintf(stderr, "lakeorm: unknown command \"%s\"\n\n", cmd);
    usage(stderr);
    return CLI_USAGE;
}

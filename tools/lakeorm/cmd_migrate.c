/* lakeorm migrate: creates each schema file's table when it is missing. */
#include <string.h>

#include "cli.h"

int cmd_migrate(int argc, char **argv) {
    connect_args conn = {0};
    const char *schemas[64];
    int count = 0;
    for (int i = 1; i < argc; i++) {
        int c = connect_flag(&conn, argc, argv, &i);
        if (c < 0) return CLI_USAGE;
        if (c) continue;
        if (!strcmp(argv[i], "--schema") && i + 1 < argc && count < 64) {
            schemas[count++] = argv[++i];
        } else {
            fprintf(stderr, "lakeorm migrate: unexpected %s (see lakeorm help migrate)\n", argv[i]);
            return CLI_USAGE;
        }
    }
    if (!count) {
        fprintf(stderr, "usage: lakeorm migrate (--db FILE | --url URL) --schema FILE [--schema FILE...]\n");
        return CLI_USAGE;
    }
    /* Every schema file parses before anything is created. */
    lake_schema *loaded[64] = {0};
    lake_error err = LAKE_ERROR_INIT;
    int status = CLI_OK;
    for (int i = 0; i < count && !status; i++)
        if (lake_schema_load(&loaded[i], schemas[i], &err)) {
            fprintf(stderr, "lakeorm migrate: %s\n", err.message);
            status = CLI_USAGE;
        }
    lake_client *client = NULL;
    if (!status) status = connect_open(&conn, &client);
    for (int i = 0; i < count && !status; i++) {
        if (lake_client_migrate(client, loaded[i], &err)) {
            fprintf(stderr, "lakeorm migrate: %s: %s\n", lake_schema_table(loaded[i]), err.message);
            status = CLI_FAILED;
        } else {
            printf("%s: ready\n", lake_schema_table(loaded[i]));
        }
    }
    lake_client_close(client);
    for (int i = 0; i < count; i++) lake_schema_free(loaded[i]);
    lake_error_clear(&err);
    return status;
}

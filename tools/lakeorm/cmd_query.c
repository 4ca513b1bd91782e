/* SPDX-License-Identifier: MIT */
/* lakeorm query: runs one query with text parameters and prints each row as
 * a JSON object on its own line, streaming. The client renders the rows from
 * their typed values (lake_client_query_json), so every driver prints the
 * same row the same way. The client opens read-only: a query writes nothing. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static int print_line(void *ctx, const char *json, size_t len) {
    (void)ctx;
    fwrite(json, 1, len, stdout);
    fputc('\n', stdout);
    return ferror(stdout) ? LAKE_EIO : 0;
}

int cmd_query(int argc, char **argv) {
    connect_args conn = {0};
    const char *sql = NULL;
    char **params = NULL;
    int nparams = 0;
    for (int i = 1; i < argc; i++) {
        int c = connect_flag(&conn, argc, argv, &i);
        if (c < 0) return CLI_USAGE;
        if (c) continue;
        if (argv[i][0] == '-' && !sql) {
            term_errorf("lakeorm query", "unknown option %s (see lakeorm help query)", argv[i]);
            return CLI_USAGE;
        }
        if (!sql) {
            sql = argv[i];
        } else {
            params = argv + i; /* everything after the SQL is a parameter, dashes and all */
            nparams = argc - i;
            break;
        }
    }
    if (!sql) {
        fprintf(stderr, "usage: lakeorm query (--db FILE | --url URL) SQL [PARAM...]\n");
        return CLI_USAGE;
    }
    conn.read_only = true;
    lake_client *client;
    int status = connect_open(&conn, &client);
    if (status) return status;
    /* The user's SQL as given: engines report its errors against its own text. */
    /* Command-line parameters are text: cast them in the SQL where another type is meant. */
    lake_param *typed = calloc(nparams ? (size_t)nparams : 1, sizeof *typed);
    if (!typed) {
        term_error("lakeorm query", "out of memory");
        lake_client_close(client);
        return CLI_FAILED;
    }
    for (int i = 0; i < nparams; i++) typed[i] = lake_param_text(params[i]);
    lake_source q = LAKE_SQL_PARAMS(sql, typed, (size_t)nparams);
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_client_query_json(client, &q, print_line, NULL, &err);
    free(typed);
    if (rc == LAKE_EIO && ferror(stdout)) {
        fprintf(stderr, "lakeorm query: cannot write the rows to stdout\n");
        status = CLI_FAILED;
    } else if (rc) {
        term_error_block("lakeorm query", err.message);
        status = rc == LAKE_EINVAL || rc == LAKE_ENOTSUP ? CLI_USAGE : CLI_FAILED;
    }
    lake_error_clear(&err);
    if (fflush(stdout) && !status) {
        fprintf(stderr, "lakeorm query: cannot write the rows to stdout\n");
        status = CLI_FAILED;
    }
    lake_client_close(client);
    return status;
}

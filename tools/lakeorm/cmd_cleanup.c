/* SPDX-License-Identifier: MIT */
/* lakeorm cleanup-staging: removes staged parts that crashed inserts left. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int64_t parse_age(const char *text) {
    errno = 0;
    char *end;
    long long n = strtoll(text, &end, 10);
    if (errno || end == text || n < 0) return -1;
    long long unit = !*end || !strcmp(end, "s") ? 1 : !strcmp(end, "m") ? 60 : !strcmp(end, "h") ? 3600
                   : !strcmp(end, "d") ? 86400 : 0;
    if (!unit || n > (long long)(INT64_MAX / 1000000 / unit)) return -1;
    return (int64_t)(n * unit) * 1000000;
}

int cmd_cleanup_staging(int argc, char **argv) {
    connect_args conn = {0};
    const char *age = NULL;
    int json = 0;
    for (int i = 1; i < argc; i++) {
        int c = connect_flag(&conn, argc, argv, &i);
        if (c < 0) return CLI_USAGE;
        if (c) continue;
        if (!strcmp(argv[i], "--older-than") && i + 1 < argc) age = argv[++i];
        else if (!strcmp(argv[i], "--json")) json = 1;
        else {
            term_errorf("lakeorm cleanup-staging", "unexpected %s (see lakeorm help cleanup-staging)", argv[i]);
            return CLI_USAGE;
        }
    }
    int status;
    int64_t older = parse_age(age ? age : "24h");
    if (older < 0) {
        term_errorf("lakeorm cleanup-staging", "--older-than %s: use a number with s, m, h or d", age);
        return CLI_USAGE;
    }
    bool profile = false;
    if (!conn.staging && !conn.url &&
        (status = connect_profile_value(&conn, "lakeorm cleanup-staging", "url", NULL, 0, &profile)))
        return status;
    if (!conn.staging && !conn.url && !profile) {
        fprintf(stderr, "usage: lakeorm cleanup-staging (--staging URL | --url URL | --profile NAME) [--older-than 24h] "
                        "[--json]\n");
        return CLI_USAGE;
    }
    if (conn.staging && !conn.db && !conn.url) conn.db = ":memory:"; /* staging needs no tables */
    lake_client *client;
    status = connect_open(&conn, &client);
    if (status) return status;
    lake_cleanup_report r = LAKE_CLEANUP_REPORT_INIT;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_client_cleanup_staging(client, older, &r, &err)) {
        term_error("lakeorm cleanup-staging", err.message);
        status = CLI_FAILED;
    } else {
        if (json)
            printf("{\"scanned\":%zu,\"deleted\":%zu,\"failed\":%zu,\"objects\":%zu}\n", r.scanned, r.deleted, r.failed,
                   r.objects);
        else
            printf("scanned %zu ingest prefixes, deleted %zu (%zu objects), %zu failed or unknown\n", r.scanned,
                   r.deleted, r.objects, r.failed);
        status = r.failed ? CLI_REJECTED : CLI_OK;
    }
    lake_error_clear(&err);
    lake_client_close(client);
    return status;
}

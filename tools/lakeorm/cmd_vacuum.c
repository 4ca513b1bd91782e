/* SPDX-License-Identifier: MIT */
/* lakeorm vacuum: deletes the files no recent version of a table lakeorm
 * keeps reads; a dry run unless --delete. */
#include <string.h>

#include "cli.h"

typedef struct listing {
    int json;
    bool dry_run;
} listing;

static int print_file(void *ctx, const char *key, uint64_t size) {
    listing *l = ctx;
    if (l->json) {
        char *quoted = NULL;
        size_t len;
        if (lake_json_quote(key, strlen(key), &quoted, &len)) return LAKE_ENOMEM;
        printf("{\"file\":%s,\"bytes\":%llu,\"deleted\":%s}\n", quoted, (unsigned long long)size,
               l->dry_run ? "false" : "true");
        lake_free(quoted);
    } else {
        fputs(l->dry_run ? "would delete " : "deleted ", stdout);
        term_puts(stdout, key);
        printf(" (%llu bytes)\n", (unsigned long long)size);
    }
    return LAKE_OK;
}

int cmd_vacuum(int argc, char **argv) {
    connect_args conn = {0};
    const char *table = NULL, *retain = NULL;
    listing l = {0, true};
    for (int i = 1; i < argc; i++) {
        int c = connect_flag(&conn, argc, argv, &i);
        if (c < 0) return CLI_USAGE;
        if (c) continue;
        if (!strcmp(argv[i], "--table") && i + 1 < argc) table = argv[++i];
        else if (!strcmp(argv[i], "--retain") && i + 1 < argc) retain = argv[++i];
        else if (!strcmp(argv[i], "--delete")) l.dry_run = false;
        else if (!strcmp(argv[i], "--json")) l.json = 1;
        else {
            term_errorf("lakeorm vacuum", "unexpected %s (see lakeorm help vacuum)", argv[i]);
            return CLI_USAGE;
        }
    }
    int64_t retain_us = parse_age(retain ? retain : "168h");
    if (retain_us < 0) {
        term_errorf("lakeorm vacuum", "--retain %s: use a number with s, m, h or d", retain);
        return CLI_USAGE;
    }
    if (!table) {
        fprintf(stderr, "usage: lakeorm vacuum --table NAME (--dialect delta|iceberg --warehouse URL [--catalog URL] | --url URL) "
                        "[--retain 168h] [--delete] [--json]\n");
        return CLI_USAGE;
    }
    conn.read_only = l.dry_run;
    lake_client *client;
    int status = connect_open(&conn, &client);
    if (status) return status;
    lake_vacuum_report r = LAKE_VACUUM_REPORT_INIT;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_client_vacuum(client, table, retain_us, l.dry_run, print_file, &l, &r, &err);
    if (rc) {
        term_error("lakeorm vacuum", err.message);
        status = rc == LAKE_EINVAL || rc == LAKE_ENOTSUP ? CLI_USAGE : CLI_FAILED;
    } else if (l.json) {
        printf("{\"files\":%llu,\"bytes\":%llu,\"dry_run\":%s}\n", (unsigned long long)r.files,
               (unsigned long long)r.bytes, l.dry_run ? "true" : "false");
    } else {
        printf("%s %llu files, %llu bytes%s\n", l.dry_run ? "would delete" : "deleted", (unsigned long long)r.files,
               (unsigned long long)r.bytes, l.dry_run ? " (a dry run: --delete deletes them)" : "");
    }
    lake_error_clear(&err);
    lake_client_close(client);
    return status;
}

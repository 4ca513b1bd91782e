/* SPDX-License-Identifier: MIT */
/* lakeorm query: runs one query with text parameters and writes its rows,
 * streaming, as NDJSON (the default), CSV, an aligned table or a Parquet
 * file (query_formats.c). The rows come typed, in the result's own schema
 * (lake_client_rows with no schema), and every format prints a value in the
 * library's one text form, so every driver prints the same row the same way.
 * The client opens read-only: a query writes nothing to the database.
 *
 * A query prints what it selects, the system column _ingest_id too;
 * --exclude-system leaves that column out, so that the output of SELECT *
 * has the schema's own columns, which ingest and validate take back (they
 * refuse _ingest_id: an ingest stamps its own). */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "interrupt.h"
#include "options.h"
#include "outputs.h"
#include "query_formats.h"
#include "schema/schema.h"


typedef struct query_args {
    connect_args conn;
    const char *sql, *output;
    char **params;
    int nparams, format, exclude_system;
} query_args;

static int parse(query_args *a, int argc, char **argv) {
    memset(a, 0, sizeof *a);
    bool options = true;
    for (int i = 1; i < argc; i++) {
        if (options && !a->sql && !strcmp(argv[i], "--")) { /* the SQL follows, whatever it starts with */
            options = false;
            continue;
        }
        int c = options ? connect_flag(&a->conn, argc, argv, &i) : 0;
        if (c < 0) return CLI_USAGE;
        if (c) continue;
        if (options && !a->sql && (!strcmp(argv[i], "--format") || !strcmp(argv[i], "--output"))) {
            if (++i == argc) {
                term_errorf("lakeorm query", "%s needs a value", argv[i - 1]);
                return CLI_USAGE;
            }
            if (argv[i - 1][2] == 'o') {
                a->output = argv[i];
                continue;
            }
            int k = 0;
            while (cli_query_formats[k] && strcmp(argv[i], cli_query_formats[k])) k++;
            if (!cli_query_formats[k]) {
                char choices[128];
                cli_choices_join(cli_query_formats, choices, sizeof choices);
                term_errorf("lakeorm query", "--format %s: expected one of %s", argv[i], choices);
                return CLI_USAGE;
            }
            a->format = k;
            continue;
        }
        if (options && !a->sql && !strcmp(argv[i], "--exclude-system")) {
            a->exclude_system = 1;
            continue;
        }
        if (options && argv[i][0] == '-' && !a->sql) {
            term_errorf("lakeorm query", "unknown option %s (see lakeorm help query)", argv[i]);
            return CLI_USAGE;
        }
        if (!a->sql) {
            a->sql = argv[i];
        } else {
            a->params = argv + i; /* everything after the SQL is a parameter, dashes and all */
            a->nparams = argc - i;
            break;
        }
    }
    if (!a->sql) {
        fprintf(stderr, "usage: lakeorm query (--db FILE | --url URL) [--format json|csv|table|parquet] "
                        "[--output FILE] [--exclude-system] SQL [PARAM...]\n");
        return CLI_USAGE;
    }
    if (a->format == FORMAT_PARQUET && !a->output) {
        term_error("lakeorm query", "--format parquet needs --output FILE (a Parquet file is not written to a pipe)");
        return CLI_USAGE;
    }
    file_role in = {"--db", a->conn.db}, out = {"--output", a->output};
    return refuse_overwrites("lakeorm query", &in, 1, &out, 1);
}

/* Streams the rows into the writer, rec being the first (NULL: none);
 * stops at the first failure or signal. */
static int copy_rows(lake_rows *rows, const void *rec, const lake_schema *schema, query_format format, FILE *out,
                     lake_error *err) {
    query_writer *w;
    int rc = query_writer_open(&w, format, out, schema, err);
    while (!rc && rec) {
        rc = query_writer_row(w, rec, err);
        if (!rc && interrupt_signal()) rc = LAKE_ERROR; /* cmd_query says so */
        if (!rc) rc = lake_rows_next(rows, &rec, err);
    }
    if (!rc) rc = query_writer_close(w, err);
    query_writer_free(w);
    return rc;
}

int cmd_query(int argc, char **argv) {
    query_args a;
    int status = parse(&a, argc, argv);
    if (status) return status;
    a.conn.read_only = true;
    lake_client *client;
    if ((status = connect_open(&a.conn, &client))) return status;
    if (a.output && interrupt_install()) {
        term_errorf("lakeorm query", "cannot catch signals: %s", strerror(errno));
        lake_client_close(client);
        return CLI_FAILED;
    }
    /* The user's SQL as given: engines report its errors against its own text.
     * Command-line parameters are text: cast them in the SQL where another type is meant. */
    lake_param *typed = calloc(a.nparams ? (size_t)a.nparams : 1, sizeof *typed);
    lake_error err = LAKE_ERROR_INIT;
    lake_rows *rows = NULL;
    lake_schema *shown = NULL;
    atomic_file file = {0};
    int rc = typed ? LAKE_OK : lake_error_set(&err, LAKE_ENOMEM, "out of memory");
    for (int i = 0; typed && i < a.nparams; i++) typed[i] = lake_param_text(a.params[i]);
    lake_source q = LAKE_SQL_PARAMS(a.sql, typed, (size_t)a.nparams);
    if (!rc) rc = lake_client_rows(client, NULL, &q, &rows, &err); /* a bad query fails before any file exists */
    /* The first row before the schema: some engines describe the result with its first batch. */
    const void *first = NULL;
    if (!rc) rc = lake_rows_next(rows, &first, &err);
    const lake_schema *schema = rc ? NULL : lake_rows_schema(rows);
    /* No rows, and an engine that describes a result only with its rows: JSON has nothing to print. */
    if (!rc && !schema && a.format != FORMAT_JSON)
        rc = lake_error_set(&err, LAKE_ENOTSUP, "the engine returned no rows and no columns to write a header from");
    if (!rc && schema && a.exclude_system && !(rc = lake__schema_without_ingest_id(schema, &shown, &err))) schema = shown;
    int e = 0;
    if (!rc && a.output && (e = atomic_open(&file, a.output))) {
        term_errorf("lakeorm query", "cannot create a file beside --output %s: %s", a.output, strerror(e));
        status = CLI_USAGE;
    } else if (!rc) {
        FILE *out = a.output ? file.f : stdout;
        rc = copy_rows(rows, first, schema, (query_format)a.format, out, &err);
        if (!rc && !a.output && (e = write_error(stdout))) rc = LAKE_EIO;
        if (!rc && a.output && (e = atomic_commit(&file))) rc = LAKE_EIO;
        if (rc) atomic_abort(&file);
        if (rc == LAKE_EIO && e) lake_error_set(&err, LAKE_EIO, "cannot write %s: %s", a.output ? a.output : "stdout", strerror(e));
    }
    int sig = interrupt_signal();
    if (sig && rc) {
        fprintf(stderr, "lakeorm query: interrupted by %s: --output %s left as it was\n",
                sig == SIGINT ? "SIGINT" : "SIGTERM", a.output);
        status = 128 + sig;
    } else if (rc) {
        term_error_block("lakeorm query", err.message);
        status = rc == LAKE_EINVAL || rc == LAKE_ENOTSUP ? CLI_USAGE : CLI_FAILED;
    }
    lake__schema_extended_free(shown);
    lake_rows_close(rows);
    free(typed);
    lake_error_clear(&err);
    lake_client_close(client);
    return status;
}

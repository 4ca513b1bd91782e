/* lakeorm query: runs one query with text parameters and prints each row as
 * a JSON object on its own line, streaming, through the engine's own JSON
 * rendering (so every column type prints, also those no model maps): DuckDB's
 * to_json on its native handle, Spark SQL's to_json(struct(*)) through the
 * client's typed reader (Spark Connect and Databricks SQL). */
#include <stdlib.h>
#include <string.h>

#include <duckdb.h>

#include "cli.h"

static int print_rows(duckdb_connection con, const char *sql, char **params, int nparams, size_t *rows) {
    /* A wrapper, not string pasting of values: parameters stay bound. */
    size_t len = strlen(sql);
    while (len && (sql[len - 1] == ';' || sql[len - 1] == ' ' || sql[len - 1] == '\n')) len--;
    char *wrapped = malloc(len + 96);
    if (!wrapped) return CLI_FAILED;
    snprintf(wrapped, len + 96, "SELECT to_json(lake_row) FROM (%.*s\n) AS lake_row", (int)len, sql);
    duckdb_prepared_statement stmt;
    int status = CLI_OK;
    if (duckdb_prepare(con, wrapped, &stmt) == DuckDBError) {
        fprintf(stderr, "lakeorm query: %s\n", duckdb_prepare_error(stmt));
        duckdb_destroy_prepare(&stmt);
        free(wrapped);
        return CLI_USAGE;
    }
    free(wrapped);
    if ((idx_t)nparams != duckdb_nparams(stmt)) {
        fprintf(stderr, "lakeorm query: the query takes %llu parameters, %d given\n",
                (unsigned long long)duckdb_nparams(stmt), nparams);
        duckdb_destroy_prepare(&stmt);
        return CLI_USAGE;
    }
    for (int i = 0; i < nparams; i++) duckdb_bind_varchar(stmt, (idx_t)i + 1, params[i]);
    duckdb_pending_result pending;
    duckdb_result res;
    if (duckdb_pending_prepared_streaming(stmt, &pending) == DuckDBError ||
        duckdb_execute_pending(pending, &res) == DuckDBError) {
        const char *why = duckdb_pending_error(pending);
        fprintf(stderr, "lakeorm query: %s\n", why ? why : duckdb_result_error(&res));
        duckdb_destroy_pending(&pending);
        duckdb_destroy_result(&res);
        duckdb_destroy_prepare(&stmt);
        return CLI_FAILED;
    }
    duckdb_destroy_pending(&pending);
    duckdb_data_chunk chunk;
    while ((chunk = duckdb_fetch_chunk(res))) {
        duckdb_vector v = duckdb_data_chunk_get_vector(chunk, 0);
        duckdb_string_t *data = duckdb_vector_get_data(v);
        idx_t n = duckdb_data_chunk_get_size(chunk);
        for (idx_t r = 0; r < n; r++) {
            fwrite(duckdb_string_t_data(&data[r]), 1, duckdb_string_t_length(data[r]), stdout);
            fputc('\n', stdout);
        }
        *rows += n;
        duckdb_destroy_data_chunk(&chunk);
    }
    if (duckdb_result_error(&res)) {
        fprintf(stderr, "lakeorm query: %s\n", duckdb_result_error(&res));
        status = CLI_FAILED;
    }
    duckdb_destroy_result(&res);
    duckdb_destroy_prepare(&stmt);
    return status;
}

typedef struct json_line {
    lake_str line;
} json_line;
static const lake_field json_line_fields[] = {LAKE_FIELD(json_line, line, "line", "")};
static const lake_model json_line_model = LAKE_MODEL(json_line, "rows", json_line_fields);

static int print_line(void *ctx, const void *record) {
    const json_line *j = record;
    fwrite(j->line.ptr, 1, j->line.len, stdout);
    fputc('\n', stdout);
    ++*(size_t *)ctx;
    return 0;
}

static int print_rows_spark(lake_client *client, const char *sql, char **params, int nparams, size_t *rows) {
    const lake_schema *schema;
    lake_error err = LAKE_ERROR_INIT;
    size_t len = strlen(sql);
    while (len && (sql[len - 1] == ';' || sql[len - 1] == ' ' || sql[len - 1] == '\n')) len--;
    char *wrapped = malloc(len + 96);
    if (!wrapped) return CLI_FAILED;
    snprintf(wrapped, len + 96, "SELECT to_json(struct(*)) AS line FROM (%.*s\n) AS lake_row", (int)len, sql);
    lake_source q = LAKE_SQL_PARAMS(wrapped, (const char *const *)params, (size_t)nparams);
    int rc = lake_schema_of(&schema, &json_line_model, &err);
    if (!rc) rc = lake_client_query(client, schema, &q, print_line, rows, &err);
    free(wrapped);
    if (rc) fprintf(stderr, "lakeorm query: %s\n", err.message);
    lake_error_clear(&err);
    return rc ? CLI_FAILED : CLI_OK;
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
            fprintf(stderr, "lakeorm query: unknown option %s (see lakeorm help query)\n", argv[i]);
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
    lake_client *client;
    int status = connect_open(&conn, &client);
    if (status) return status;
    const char *driver;
    duckdb_database *db = lake_client_native(client, &driver);
    duckdb_connection con;
    size_t rows = 0;
    if (!strcmp(driver, "spark") || !strcmp(driver, "databricks")) {
        status = print_rows_spark(client, sql, params, nparams, &rows);
    } else if (duckdb_connect(*db, &con) == DuckDBError) {
        fprintf(stderr, "lakeorm query: cannot connect\n");
        status = CLI_FAILED;
    } else {
        status = print_rows(con, sql, params, nparams, &rows);
        duckdb_disconnect(&con);
    }
    if (fflush(stdout)) status = CLI_FAILED;
    lake_client_close(client);
    return status;
}

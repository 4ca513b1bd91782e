/* lakeorm ingest: NDJSON lines decoded and validated one by one, every
 * rejected line reported, the good ones inserted as one request, in
 * constant memory whatever the input size. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { BATCH = 4096 };

typedef struct options {
    connect_args conn;
    const char *schema, *table, *input, *rejected, *key;
    lake_write_path path;
    lake_on_conflict on_conflict;
    int json, all_or_nothing, no_migrate;
} options;

static int pick(const char *flag, const char *value, const char *const *names, int count) {
    for (int k = 0; k < count; k++)
        if (!strcmp(value, names[k])) return k;
    fprintf(stderr, "lakeorm ingest: %s %s: expected one of", flag, value);
    for (int k = 0; k < count; k++) fprintf(stderr, " %s", names[k]);
    fputc('\n', stderr);
    return -1;
}

static int parse_args(options *o, int argc, char **argv) {
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int c = connect_flag(&o->conn, argc, argv, &i);
        if (c < 0) return -1;
        if (c) continue;
        const char *value = NULL;
        if (!strcmp(a, "--schema") || !strcmp(a, "--table") || !strcmp(a, "--rejected") ||
            !strcmp(a, "--idempotency-key") || !strcmp(a, "--path") || !strcmp(a, "--on-conflict")) {
            if (++i == argc) {
                fprintf(stderr, "lakeorm ingest: %s needs a value\n", a);
                return -1;
            }
            value = argv[i];
        }
        if (!strcmp(a, "--schema")) o->schema = value;
        else if (!strcmp(a, "--table")) o->table = value;
        else if (!strcmp(a, "--rejected")) o->rejected = value;
        else if (!strcmp(a, "--idempotency-key")) o->key = value;
        else if (!strcmp(a, "--path")) {
            static const char *const paths[] = {"auto", "direct", "staged"};
            int k = pick(a, value, paths, 3);
            if (k < 0) return -1;
            o->path = (lake_write_path)k;
        } else if (!strcmp(a, "--on-conflict")) {
            static const char *const strategies[] = {"error", "ignore", "update"};
            int k = pick(a, value, strategies, 3);
            if (k < 0) return -1;
            o->on_conflict = (lake_on_conflict)k;
        } else if (!strcmp(a, "--json")) o->json = 1;
        else if (!strcmp(a, "--all-or-nothing")) o->all_or_nothing = 1;
        else if (!strcmp(a, "--no-migrate")) o->no_migrate = 1;
        else if (!strcmp(a, "-") || a[0] != '-') {
            if (o->input) {
                fprintf(stderr, "lakeorm ingest: one input file at most\n");
                return -1;
            }
            o->input = a;
        } else {
            fprintf(stderr, "lakeorm ingest: unknown option %s (see lakeorm help ingest)\n", a);
            return -1;
        }
    }
    if (!o->schema) {
        fprintf(stderr, "usage: lakeorm ingest --schema FILE (--db FILE | --url URL) [options] [INPUT]\n");
        return -1;
    }
    return 0;
}

typedef struct run {
    const options *o;
    lake_schema *schema;
    lake_client *client;
    lake_ingest *ingest;
    FILE *in, *rejected;
    lake_arena *arena;
    unsigned char *batch;
    size_t pending, lines, records, bad;
    lake_error err;
} run;

/* Appends the pending good records; their strings live in the arena until then. */
static int flush(run *r) {
    if (!r->pending) return CLI_OK;
    int rc = lake_ingest_append(r->ingest, r->batch, r->pending, &r->err);
    r->pending = 0;
    lake_arena_reset(r->arena);
    if (rc) {
        fprintf(stderr, "lakeorm ingest: %s\n", r->err.message);
        return rc == LAKE_EVALIDATION ? CLI_USAGE : CLI_FAILED;
    }
    return CLI_OK;
}

static int read_lines(run *r) {
    const options *o = r->o;
    size_t size = lake_schema_record_size(r->schema), cap = 0;
    char *line = NULL;
    size_t len, raw;
    progress bar;
    progress_start(&bar);
    int status = CLI_OK;
    while (status == CLI_OK && next_record_line(r->in, &line, &cap, &r->lines, &len, &raw)) {
        r->records++;
        int rc = lake_json_decode(r->schema, line, len, r->batch + r->pending * size, r->arena, r->lines, NULL, &r->err);
        if (rc == LAKE_OK) {
            if (++r->pending == BATCH) status = flush(r);
        } else if (rc == LAKE_EVALIDATION) {
            r->bad++;
            if (o->json) report_json(stdout, r->lines, r->err.issues, NULL, 0);
            else report_text(stdout, r->lines, r->err.issues);
            if (r->rejected) report_json(r->rejected, r->lines, r->err.issues, line, len);
        } else {
            fprintf(stderr, "lakeorm ingest: line %zu: %s\n", r->lines, r->err.message);
            status = CLI_FAILED;
        }
        progress_update(&bar, r->lines, r->bad);
    }
    progress_done(&bar);
    free(line);
    if (status == CLI_OK && ferror(r->in)) {
        fprintf(stderr, "lakeorm ingest: read error: %s\n", strerror(errno));
        status = CLI_USAGE;
    }
    return status == CLI_OK ? flush(r) : status;
}

static void summary(const run *r, const char *outcome, const lake_insert_result *res, double seconds) {
    char id[LAKE_UUID_TEXT_LEN + 1] = "";
    if (res) lake_uuid_format(&res->ingest_id, id);
    size_t inserted = res && !res->replayed ? r->records - r->bad : 0;
    if (r->o->json)
        printf("{\"summary\":{\"outcome\":\"%s\",\"records\":%zu,\"inserted\":%zu,\"rejected\":%zu,"
               "\"table\":\"%s\",\"ingest_id\":\"%s\",\"path\":\"%s\",\"replayed\":%s,\"seconds\":%.3f}}\n",
               outcome, r->records, inserted, r->bad, lake_schema_table(r->schema), id,
               res ? (res->path == LAKE_PATH_STAGED ? "staged" : "direct") : "", res && res->replayed ? "true" : "false",
               seconds);
    fprintf(stderr, "lakeorm ingest: %zu records, %zu inserted into %s, %zu rejected (%.2f s)%s%s%s\n", r->records,
            inserted, lake_schema_table(r->schema), r->bad, seconds, *id ? ", ingest id " : "", id,
            res && res->replayed ? " (a retry: already written)" : "");
}

int cmd_ingest(int argc, char **argv) {
    options o;
    if (parse_args(&o, argc, argv)) return CLI_USAGE;
    run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    r.in = stdin;
    int status = CLI_USAGE;
    if (lake_schema_load(&r.schema, o.schema, &r.err) || (o.table && lake_schema_set_table(r.schema, o.table, &r.err))) {
        fprintf(stderr, "lakeorm ingest: %s\n", r.err.message);
        goto done;
    }
    if (o.input && strcmp(o.input, "-") && !(r.in = fopen(o.input, "rb"))) {
        fprintf(stderr, "lakeorm ingest: cannot read %s: %s\n", o.input, strerror(errno));
        goto done;
    }
    if (o.rejected && !(r.rejected = fopen(o.rejected, "wb"))) {
        fprintf(stderr, "lakeorm ingest: cannot write %s: %s\n", o.rejected, strerror(errno));
        goto done;
    }
    if (lake_arena_new(&r.arena) || !(r.batch = malloc(BATCH * lake_schema_record_size(r.schema)))) {
        fprintf(stderr, "lakeorm ingest: out of memory\n");
        goto done;
    }
    if ((status = connect_open(&o.conn, &r.client))) goto done;
    status = CLI_FAILED;
    if (!o.no_migrate && lake_client_migrate(r.client, r.schema, &r.err)) {
        fprintf(stderr, "lakeorm ingest: %s\n", r.err.message);
        goto done;
    }
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = o.path;
    io.on_conflict = o.on_conflict;
    io.idempotency_key = o.key;
    if (lake_client_ingest_begin(r.client, r.schema, &io, &r.ingest, &r.err)) {
        fprintf(stderr, "lakeorm ingest: %s\n", r.err.message);
        status = r.err.code == LAKE_EINVAL || r.err.code == LAKE_ENOTSUP ? CLI_USAGE : CLI_FAILED;
        goto done;
    }
    double started = now_seconds();
    if ((status = read_lines(&r))) goto done;
    if (r.bad && o.all_or_nothing) {
        summary(&r, "refused", NULL, now_seconds() - started);
        status = CLI_REJECTED;
        goto done; /* the request is aborted below: nothing written */
    }
    lake_insert_result res;
    lake_ingest *in = r.ingest;
    r.ingest = NULL;
    if (lake_ingest_commit(in, &res, &r.err)) {
        fprintf(stderr, "lakeorm ingest: nothing written: %s\n", r.err.message);
        status = CLI_FAILED;
        goto done;
    }
    summary(&r, "inserted", &res, now_seconds() - started);
    status = r.bad ? CLI_REJECTED : CLI_OK;
done:
    lake_ingest_abort(r.ingest);
    lake_client_close(r.client);
    if (r.in && r.in != stdin) fclose(r.in);
    if (r.rejected && fclose(r.rejected)) status = CLI_FAILED;
    if (fflush(stdout)) status = CLI_FAILED;
    free(r.batch);
    lake_arena_free(r.arena);
    lake_schema_free(r.schema);
    lake_error_clear(&r.err);
    return status;
}

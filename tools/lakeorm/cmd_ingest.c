/* SPDX-License-Identifier: MIT */
/* lakeorm ingest: records (NDJSON, CSV, Parquet; several files, one
 * request) decoded and validated one by one, every rejected one reported,
 * the good ones inserted as one request, in constant memory whatever the
 * input size.
 *
 * The first BATCH good records are held back: an input that ends within
 * them is sent as one lake_client_insert, whose AUTO path knows the size and
 * so goes direct below the client's fast_path_bytes (a streaming request,
 * whose size is unknown, stages whenever the staging is one the engine
 * reads). Only a longer input streams, batch by batch, through one
 * lake_client_ingest_begin request.
 *
 * With --threads above 1, records are decoded and checked on that many
 * threads by the library's pipeline (parallel.h) and handed back in input
 * order: the first batch still
 * goes through the one-by-one path above, so the path chosen, the reports,
 * their line numbers and the exit status are those of --threads 1. */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "cli.h"
#include "input.h"
#include "interrupt.h"
#include "outputs.h"
#include "parallel.h"
#include "client/ingest.h"

enum { BATCH = 4096 };

typedef ingest_args options;

typedef struct run {
    const options *o;
    lake_schema *schema;
    lake_client *client;
    lake_ingest *ingest;
    FILE *rejected;
    lake_arena *arena;
    unsigned char *batch;
    parallel pipe; /* --threads above 1: pipe.pipe is not NULL */
    size_t pending, lines, records, bad;
    bool streaming; /* the input outgrew the first batch: its records went to r->ingest */
    bool several;   /* reports name the file */
    progress bar;
    lake_error err;
} run;

/* Appends the pending good records to the streaming request; their strings
 * live in the arena until then. */
static int flush(run *r) {
    r->streaming = true;
    if (!r->pending) return CLI_OK;
    int rc = lake_ingest_append(r->ingest, r->batch, r->pending, &r->err);
    r->pending = 0;
    lake_arena_reset(r->arena);
    if (rc) {
        term_error("lakeorm ingest", r->err.message);
        return rc == LAKE_EVALIDATION ? CLI_USAGE : CLI_FAILED;
    }
    return CLI_OK;
}

/* A record that is not good: reported when rejected (rc LAKE_EVALIDATION,
 * its issues in rec->issues or err), else the request fails. */
static int judge_bad(run *r, const input_record *rec, int rc, const lake_error *err) {
    const options *o = r->o;
    progress_clear(&r->bar);
    if (rc == LAKE_EVALIDATION) {
        r->bad++;
        /* A report that cannot be written stops the request before
         * commit: the user would not learn which lines were left out. */
        const char *failed = report_rejected(o->json, r->rejected, o->rejected, r->several ? rec->file : NULL,
                                             rec->line, rec->issues ? rec->issues : err->issues, rec->json,
                                             rec->len, rec->raw, rec->raw_len);
        if (!failed) return CLI_OK;
        term_errorf("lakeorm ingest", "cannot write %s: %s; nothing written", failed, strerror(errno));
        return CLI_FAILED;
    }
    term_errorf("lakeorm ingest", "%s%sline %zu: %s", r->several ? rec->file : "", r->several ? ": " : "",
                rec->line, err->message);
    return CLI_FAILED;
}

/* One record of any input: decoded, then held for the request or reported. */
static int on_record(void *ctx, const input_record *rec) {
    run *r = ctx;
    if (interrupt_signal()) return CLI_FAILED; /* a read it cut short is no read error: the caller says why */
    size_t size = lake_schema_record_size(r->schema);
    r->records++;
    /* A full batch goes out only once another record follows: an input of exactly BATCH stays one insert. */
    int status = CLI_OK;
    if (r->pending == BATCH && (status = flush(r))) return status;
    int rc = rec->issues ? LAKE_EVALIDATION
                         : lake_json_decode(r->schema, rec->json, rec->len, r->batch + r->pending * size, r->arena,
                                            rec->line, NULL, &r->err);
    if (rc == LAKE_OK) r->pending++;
    else status = judge_bad(r, rec, rc, &r->err);
    progress_update(&r->bar, rec->done, r->records, r->bad);
    return status;
}

/* A chunk decoded by the pipeline, in input order. Until the input outgrows
 * the first batch its records take the one-by-one path (decoded again: at
 * most BATCH of them), so the request is the one --threads 1 makes; after
 * that the chunk's good records are appended as the threads decoded them. */
static int on_chunk(void *ctx, lake__chunk *c) {
    run *r = ctx;
    size_t n = lake__chunk_count(c), first_good = SIZE_MAX, good;
    int status = CLI_OK;
    input_record rec = {0};
    for (size_t i = 0; i < n && !status; i++) {
        parallel_record(c, i, &rec);
        if (!r->streaming) {
            /* The record that ends the first batch starts the stream: what it left pending goes first. */
            if (!(status = on_record(r, &rec)) && r->streaming) status = flush(r);
            continue;
        }
        if (interrupt_signal()) return CLI_FAILED;
        const lake_error *err;
        int rc = lake__chunk_outcome(c, i, &good, &err);
        r->records++;
        if (rc != LAKE_OK) status = judge_bad(r, &rec, rc, err);
        else if (first_good == SIZE_MAX) first_good = good;
    }
    if (!status && n) progress_update(&r->bar, rec.done, r->records, r->bad);
    if (status || first_good == SIZE_MAX) return status;
    size_t count;
    const unsigned char *records = lake__chunk_good(c, &count);
    /* Decoded by lake_json_decode, which checked them: not checked twice. */
    if (lake__ingest_append_checked(r->ingest, records + first_good * lake_schema_record_size(r->schema),
                                    count - first_good, &r->err)) {
        term_error("lakeorm ingest", r->err.message);
        return r->err.code == LAKE_EVALIDATION ? CLI_USAGE : CLI_FAILED;
    }
    return CLI_OK;
}

/* A pipeline's status as the command's: out of memory said and failed. */
static int piped(run *r, int status) {
    if (status != LAKE_ENOMEM) return status;
    progress_clear(&r->bar);
    fprintf(stderr, "lakeorm ingest: out of memory\n");
    return CLI_FAILED;
}

/* Every input, in order, into the one request. */
static int read_inputs(run *r, const input_list *files) {
    progress_start(&r->bar, r->o->quiet, files->files, files->count);
    int status = CLI_OK;
    for (size_t i = 0; i < files->count && !status; i++) {
        const char *file = files->files[i];
        input_format format = (input_format)r->o->format;
        status = r->pipe.pipe ? piped(r, parallel_read(&r->pipe, "lakeorm ingest", file, format, r->schema))
                              : input_read("lakeorm ingest", file, format, r->schema, on_record, r);
        if (!status) progress_file_done(&r->bar);
    }
    progress_clear(&r->bar);
    if (interrupt_signal()) return status;
    /* What is left: the streaming request's last batch, or the whole input, sent by commit_request. */
    return status == CLI_OK && r->streaming ? flush(r) : status;
}

/* Writes the request: the streaming one committed, or, when the input fit in
 * the first batch, that batch as one insert (the request begun up front is
 * dropped unused: it was begun so that a request the library refuses, such
 * as an on-conflict strategy the model cannot take or a read-only client, is
 * refused before any input is read, and exits 2 as before). */
static int commit_request(run *r, const lake_insert_options *io, lake_insert_result *res) {
    lake_ingest *in = r->ingest;
    r->ingest = NULL;
    int rc;
    if (r->streaming) {
        rc = lake_ingest_commit(in, res, &r->err);
    } else {
        lake_ingest_abort(in);
        rc = lake_client_insert(r->client, r->schema, r->batch, r->pending, io, res, &r->err);
        lake_arena_reset(r->arena);
    }
    if (rc == LAKE_EVALIDATION) { /* as an append's: the library's checks refused what the decoder passed */
        term_error("lakeorm ingest", r->err.message);
        return CLI_USAGE;
    }
    if (rc) {
        term_errorf("lakeorm ingest", "nothing written: %s", r->err.message);
        return CLI_FAILED;
    }
    return CLI_OK;
}

/* The --rejected file is complete once the input is read: closed before
 * commit, so a failure to write it still writes nothing. */
static int close_rejected(run *r) {
    if (!r->rejected) return CLI_OK;
    int e = close_error(r->rejected);
    r->rejected = NULL;
    if (!e) return CLI_OK;
    term_errorf("lakeorm ingest", "cannot write %s: %s; nothing written", r->o->rejected, strerror(e));
    return CLI_FAILED;
}

static void summary(const run *r, const char *outcome, const lake_insert_result *res, double seconds) {
    char id[LAKE_UUID_TEXT_LEN + 1] = "";
    if (res) lake_uuid_format(&res->ingest_id, id);
    /* What the engine did: rows whose key the table held were updated or ignored. */
    unsigned long long inserted = res ? res->inserted : 0, updated = res ? res->updated : 0,
                       ignored = res ? res->ignored : 0;
    if (r->o->json)
        printf("{\"summary\":{\"outcome\":\"%s\",\"records\":%zu,\"inserted\":%llu,\"updated\":%llu,"
               "\"ignored\":%llu,\"rejected\":%zu,\"table\":\"%s\",\"ingest_id\":\"%s\",\"path\":\"%s\","
               "\"replayed\":%s,\"seconds\":%.3f}}\n",
               outcome, r->records, inserted, updated, ignored, r->bad, lake_schema_table(r->schema), id,
               res ? (res->path == LAKE_PATH_STAGED ? "staged" : "direct") : "", res && res->replayed ? "true" : "false",
               seconds);
    if (r->o->quiet) return;
    fprintf(stderr, "lakeorm ingest: %zu records, %llu inserted into %s, %zu rejected, %llu updated, %llu ignored "
            "(%.2f s)%s%s%s\n", r->records, inserted, lake_schema_table(r->schema), r->bad, updated, ignored, seconds,
            *id ? ", ingest id " : "", id, res && res->replayed ? " (a retry: already written)" : "");
}

int cmd_ingest(int argc, char **argv) {
    options o;
    char why[1024];
    if (ingest_args_parse(&o, argc, argv, why, sizeof why)) {
        term_puts(stderr, why); /* it quotes the arguments */
        fputc('\n', stderr);
        return CLI_USAGE;
    }
    reject_limit limit;
    int found;
    if (limit_parse("lakeorm ingest", o.max_rejected, &limit)) return CLI_USAGE;
    unsigned threads;
    if ((found = connect_threads(&o.conn, "lakeorm ingest", o.threads, &threads))) return found;
    if (o.threads) o.conn.threads = threads; /* the profile's reaches the client by itself */
    char schema_file[PATH_MAX];
    found = connect_schema(&o.conn, "lakeorm ingest",
                               "lakeorm ingest --schema FILE (--db FILE | --url URL | --profile NAME) [options] [INPUT...]",
                               &o.schema, schema_file, sizeof schema_file);
    if (found) return found;
    run r;
    memset(&r, 0, sizeof r);
    r.o = &o;
    input_list files = {0};
    file_role *inputs = NULL;
    bool committed = false;
    int status = CLI_USAGE, e;
    if (lake_schema_load(&r.schema, o.schema, &r.err) || (o.table && lake_schema_set_table(r.schema, o.table, &r.err))) {
        term_error("lakeorm ingest", r.err.message);
        goto done;
    }
    if (inputs_expand("lakeorm ingest", o.inputs, o.ninputs, &files)) goto done;
    r.several = files.count > 1;
    if (!(inputs = calloc(files.count + 2, sizeof *inputs))) {
        fprintf(stderr, "lakeorm ingest: out of memory\n");
        goto done;
    }
    inputs[0] = (file_role){"--schema", o.schema};
    inputs[1] = (file_role){"--db", o.conn.db};
    for (size_t i = 0; i < files.count; i++) inputs[i + 2] = (file_role){"the input", files.files[i]};
    const file_role outputs[] = {{"--rejected", o.rejected}};
    if (refuse_overwrites("lakeorm ingest", inputs, files.count + 2, outputs, 1)) goto done;
    if (o.rejected && !(r.rejected = fopen(o.rejected, "wb"))) {
        term_errorf("lakeorm ingest", "cannot write %s: %s", o.rejected, strerror(errno));
        goto done;
    }
    if (lake_arena_new(&r.arena) || !(r.batch = malloc(BATCH * lake_schema_record_size(r.schema)))) {
        fprintf(stderr, "lakeorm ingest: out of memory\n");
        goto done;
    }
    /* From here on a signal aborts the request: the client removes what it staged. */
    if (interrupt_install()) {
        fprintf(stderr, "lakeorm ingest: cannot catch signals: %s\n", strerror(errno));
        status = CLI_FAILED;
        goto done;
    }
    if ((status = connect_open(&o.conn, &r.client))) goto done;
    status = CLI_FAILED;
    if (!o.no_migrate && lake_client_migrate(r.client, r.schema, &r.err)) {
        term_error("lakeorm ingest", r.err.message);
        if (r.err.code == LAKE_EINVAL) status = CLI_USAGE; /* the model cannot define a table */
        goto done;
    }
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = (lake_write_path)o.path;
    io.on_conflict = (lake_on_conflict)o.on_conflict;
    io.idempotency_key = o.key;
    if (lake_client_ingest_begin(r.client, r.schema, &io, &r.ingest, &r.err)) {
        term_error("lakeorm ingest", r.err.message);
        status = r.err.code == LAKE_EINVAL || r.err.code == LAKE_ENOTSUP ? CLI_USAGE : CLI_FAILED;
        goto done;
    }
    r.pipe = (parallel){NULL, on_record, &r};
    if (threads > 1 && lake__pipeline_open(&r.pipe.pipe, r.schema, threads, on_chunk, &r)) {
        fprintf(stderr, "lakeorm ingest: cannot start %u threads: out of memory\n", threads);
        goto done;
    }
    double started = now_seconds();
    if ((status = read_inputs(&r, &files)) || interrupt_signal() || (status = close_rejected(&r))) goto done;
    if ((e = write_error(stdout))) {
        fprintf(stderr, "lakeorm ingest: cannot write stdout: %s; nothing written\n", strerror(e));
        status = CLI_FAILED;
        goto done;
    }
    if (r.bad && (o.all_or_nothing || limit_exceeded(&limit, r.bad, r.records))) {
        if (!o.all_or_nothing)
            fprintf(stderr, "lakeorm ingest: %zu rejected is over --max-rejected %s: nothing written\n", r.bad,
                    o.max_rejected);
        summary(&r, "refused", NULL, now_seconds() - started);
        status = CLI_REJECTED;
        goto done; /* the request is aborted below: nothing written */
    }
    if (interrupt_signal()) goto done;
    lake_insert_result res = LAKE_INSERT_RESULT_INIT;
    if ((status = commit_request(&r, &io, &res))) goto done;
    /* Written: a signal from now on is too late to undo anything, and only the report remains. */
    committed = true;
    summary(&r, res.replayed ? "replayed" : "inserted", &res, now_seconds() - started);
    status = r.bad && !limit.set ? CLI_REJECTED : CLI_OK; /* under --max-rejected, a success */
done:
    lake__pipeline_free(r.pipe.pipe); /* its threads stop before the request they fed is aborted */
    lake_ingest_abort(r.ingest);
    lake_client_close(r.client);
    inputs_free(&files);
    free(inputs);
    if (r.rejected) fclose(r.rejected); /* only after a failure: close_rejected checks it before commit */
    if ((e = write_error(stdout)) && committed) {
        fprintf(stderr, "lakeorm ingest: written, but the report could not be: stdout: %s\n", strerror(e));
        status = CLI_REPORT;
    } else if (committed && write_error(stderr)) {
        status = CLI_REPORT; /* the text summary went nowhere, and so would a message */
    } else if (e && status < CLI_USAGE) {
        fprintf(stderr, "lakeorm ingest: cannot write stdout: %s; nothing written\n", strerror(e));
        status = CLI_FAILED;
    }
    int sig = interrupt_signal();
    if (sig && !committed) {
        fprintf(stderr, "lakeorm ingest: interrupted by %s: nothing written\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
        status = 128 + sig;
    }
    free(r.batch);
    lake_arena_free(r.arena);
    lake_schema_free(r.schema);
    lake_error_clear(&r.err);
    return status;
}

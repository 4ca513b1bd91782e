/* SPDX-License-Identifier: MIT */
/* lakeorm validate: decode and validate NDJSON against a schema file, line by
 * line in constant memory, reporting every rejected line and losing none.
 * With --threads above 1, records are decoded and checked on that many
 * threads by the library's pipeline (parallel.h) and judged here in input
 * order: the reports, line numbers, --good and --rejected bytes and the exit
 * status are those of --threads 1. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "args.h"
#include "cli.h"
#include "input.h"
#include "outputs.h"
#include "parallel.h"

static FILE *open_out(const char *path) {
    FILE *f = fopen(path, "wb");
    if (!f) term_errorf("lakeorm validate", "cannot write %s: %s", path, strerror(errno));
    return f;
}

/* Says which output failed; returns the status (docs/cli.md: an I/O error is 2). */
static int write_failed(const char *what, int e) {
    term_errorf("lakeorm validate", "cannot write %s: %s", what, strerror(e));
    return CLI_USAGE;
}

/* Closes an output; CLI_OK, or why not after saying so. */
static int close_out(FILE *f, const char *path) {
    int e = close_error(f);
    return e ? write_failed(path, e) : CLI_OK;
}

/* One validate run: what each record meets. */
typedef struct vrun {
    const validate_args *o;
    const lake_schema *schema;
    FILE *good, *rejected;
    lake_arena *arena;
    void *record;
    size_t records, bad;
    bool several; /* reports name the file */
    progress bar;
    lake_error err;
} vrun;

/* What --good keeps: the NDJSON line as read, else the JSON the record was judged as, and a line end. */
static bool keep_good(vrun *v, const input_record *rec) {
    if (rec->good) return fwrite(rec->good, 1, rec->good_len, v->good) == rec->good_len;
    return fwrite(rec->json, 1, rec->len, v->good) == rec->len && putc('\n', v->good) != EOF;
}

/* A record's verdict (rc and err from its decoding; a record rejected as read has its issues). */
static int judge(vrun *v, const input_record *rec, int rc, const lake_error *err) {
    int status = CLI_OK;
    if (rc == LAKE_OK) {
        if (v->good && !keep_good(v, rec)) status = write_failed(v->o->good, errno);
    } else if (rc == LAKE_EVALIDATION) {
        v->bad++;
        progress_clear(&v->bar);
        const char *failed = report_rejected(v->o->json, v->rejected, v->o->rejected, v->several ? rec->file : NULL,
                                             rec->line, rec->issues ? rec->issues : err->issues, rec->json,
                                             rec->len, rec->raw, rec->raw_len);
        if (failed) status = write_failed(failed, errno);
    } else {
        progress_clear(&v->bar);
        term_errorf("lakeorm validate", "%s%sline %zu: %s", v->several ? rec->file : "", v->several ? ": " : "",
                    rec->line, err->message);
        status = CLI_USAGE;
    }
    return status;
}

static int on_record(void *ctx, const input_record *rec) {
    vrun *v = ctx;
    v->records++;
    int rc = rec->issues ? LAKE_EVALIDATION
                         : lake_json_decode(v->schema, rec->json, rec->len, v->record, v->arena, rec->line, NULL, &v->err);
    int status = judge(v, rec, rc, &v->err);
    lake_arena_reset(v->arena);
    progress_update(&v->bar, rec->done, v->records, v->bad);
    return status;
}

/* A chunk the pipeline's threads judged, in input order. */
static int on_chunk(void *ctx, lake__chunk *c) {
    vrun *v = ctx;
    size_t n = lake__chunk_count(c), good;
    input_record rec = {0};
    int status = CLI_OK;
    for (size_t i = 0; i < n && !status; i++) {
        const lake_error *err;
        parallel_record(c, i, &rec);
        int rc = lake__chunk_outcome(c, i, &good, &err);
        v->records++;
        status = judge(v, &rec, rc, err);
    }
    if (n) progress_update(&v->bar, rec.done, v->records, v->bad);
    return status;
}

int cmd_validate(int argc, char **argv) {
    validate_args o;
    char why[1024];
    reject_limit limit;
    if (validate_args_parse(&o, argc, argv, why, sizeof why)) {
        term_puts(stderr, why); /* it quotes the arguments */
        fputc('\n', stderr);
        return CLI_USAGE;
    }
    if (limit_parse("lakeorm validate", o.max_rejected, &limit)) return CLI_USAGE;
    unsigned threads;
    int found = connect_threads(&o.conn, "lakeorm validate", o.threads, &threads);
    if (found) return found;
    char schema_file[PATH_MAX];
    found = connect_schema(&o.conn, "lakeorm validate",
                               "lakeorm validate --schema FILE [--json] [--good FILE] [--rejected FILE] [INPUT...]",
                               &o.schema, schema_file, sizeof schema_file);
    if (found) return found;

    vrun v;
    memset(&v, 0, sizeof v);
    v.o = &o;
    parallel pipe = {NULL, on_record, &v}; /* --threads above 1: pipe.pipe is not NULL */
    lake_schema *schema = NULL;
    if (lake_schema_load(&schema, o.schema, &v.err)) {
        term_error("lakeorm validate", v.err.message);
        lake_error_clear(&v.err);
        return CLI_USAGE;
    }
    v.schema = schema;
    int status = CLI_USAGE;
    input_list files = {0};
    if (inputs_expand("lakeorm validate", o.inputs, o.ninputs, &files)) goto done;
    v.several = files.count > 1;
    /* Every input and the schema are inputs no output may overwrite. */
    file_role *inputs = calloc(files.count + 1, sizeof *inputs);
    if (!inputs) {
        fprintf(stderr, "lakeorm validate: out of memory\n");
        goto done;
    }
    inputs[0] = (file_role){"--schema", o.schema};
    for (size_t i = 0; i < files.count; i++) inputs[i + 1] = (file_role){"the input", files.files[i]};
    const file_role outputs[] = {{"--good", o.good}, {"--rejected", o.rejected}};
    int refused = refuse_overwrites("lakeorm validate", inputs, files.count + 1, outputs, 2);
    free(inputs);
    if (refused) goto done;
    if ((o.good && !(v.good = open_out(o.good))) || (o.rejected && !(v.rejected = open_out(o.rejected)))) goto done;
    if (v.good && v.rejected &&
        refuse_same_open_files("lakeorm validate", v.good, &outputs[0], v.rejected, &outputs[1]))
        goto done;
    if (lake_arena_new(&v.arena) || !(v.record = malloc(lake_schema_record_size(schema))) ||
        (threads > 1 && lake__pipeline_open(&pipe.pipe, schema, threads, on_chunk, &v))) {
        fprintf(stderr, "lakeorm validate: out of memory\n");
        goto done;
    }

    progress_start(&v.bar, o.quiet, files.files, files.count);
    double started = now_seconds();
    int read = CLI_OK;
    for (size_t i = 0; i < files.count && !read; i++) {
        read = pipe.pipe ? parallel_read(&pipe, "lakeorm validate", files.files[i], (input_format)o.format, schema)
                         : input_read("lakeorm validate", files.files[i], (input_format)o.format, schema, on_record, &v);
        if (read == LAKE_ENOMEM) {
            progress_clear(&v.bar);
            fprintf(stderr, "lakeorm validate: out of memory\n");
            read = CLI_USAGE;
        }
        if (!read) progress_file_done(&v.bar);
    }
    progress_clear(&v.bar);
    if (read) {
        status = read; /* said where it failed */
        goto done;
    }
    int e = write_error(stdout);
    if (e) {
        status = write_failed("stdout", e);
        goto done;
    }
    FILE *g = v.good, *r = v.rejected;
    v.good = v.rejected = NULL;
    int closed = g ? close_out(g, o.good) : CLI_OK;
    if (r && close_out(r, o.rejected)) closed = CLI_USAGE;
    if (closed) goto done;
    if (!o.quiet)
        fprintf(stderr, "lakeorm validate: %zu records, %zu good, %zu rejected (%.2f s)\n", v.records,
                v.records - v.bad, v.bad, now_seconds() - started);
    /* --max-rejected makes a tolerated share of rejections a success (scripts under set -e). */
    status = !v.bad || (limit.set && !limit_exceeded(&limit, v.bad, v.records)) ? CLI_OK : CLI_REJECTED;
    if (limit.set && status == CLI_REJECTED)
        fprintf(stderr, "lakeorm validate: %zu rejected is over --max-rejected %s\n", v.bad, o.max_rejected);
done:
    lake__pipeline_free(pipe.pipe);
    if (v.good) fclose(v.good); /* only after a failure: the outputs are closed and checked above */
    if (v.rejected) fclose(v.rejected);
    inputs_free(&files);
    free(v.record);
    lake_arena_free(v.arena);
    lake_schema_free(schema);
    lake_error_clear(&v.err);
    return status;
}

/* SPDX-License-Identifier: MIT */
/* lakeorm validate: decode and validate NDJSON against a schema file, line by
 * line in constant memory, reporting every rejected line and losing none. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "args.h"
#include "cli.h"
#include "outputs.h"

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

int cmd_validate(int argc, char **argv) {
    validate_args o;
    char why[1024];
    if (validate_args_parse(&o, argc, argv, why, sizeof why)) {
        term_puts(stderr, why); /* it quotes the arguments */
        fputc('\n', stderr);
        return CLI_USAGE;
    }

    lake_error err = LAKE_ERROR_INIT;
    lake_schema *schema = NULL;
    if (lake_schema_load(&schema, o.schema, &err)) {
        term_error("lakeorm validate", err.message);
        lake_error_clear(&err);
        return CLI_USAGE;
    }
    int status = CLI_USAGE;
    FILE *in = stdin, *good = NULL, *rejected = NULL;
    lake_arena *arena = NULL;
    void *record = NULL;
    char *line = NULL;
    size_t cap = 0, lines = 0, records = 0, bad = 0;
    const file_role inputs[] = {{"the input", o.input ? o.input : "-"}, {"--schema", o.schema}};
    const file_role outputs[] = {{"--good", o.good}, {"--rejected", o.rejected}};
    if (refuse_overwrites("lakeorm validate", inputs, 2, outputs, 2)) goto done;
    if (o.input && strcmp(o.input, "-") != 0 && !(in = fopen(o.input, "rb"))) {
        term_errorf("lakeorm validate", "cannot read %s: %s", o.input, strerror(errno));
        in = NULL;
        goto done;
    }
    if ((o.good && !(good = open_out(o.good))) || (o.rejected && !(rejected = open_out(o.rejected)))) goto done;
    if (good && rejected && refuse_same_open_files("lakeorm validate", good, &outputs[0], rejected, &outputs[1])) goto done;
    if (lake_arena_new(&arena) || !(record = malloc(lake_schema_record_size(schema)))) {
        fprintf(stderr, "lakeorm validate: out of memory\n");
        goto done;
    }

    progress bar;
    progress_start(&bar);
    double started = now_seconds();
    size_t len, raw;
    while (next_record_line(in, &line, &cap, &lines, &len, &raw)) {
        records++;
        int rc = lake_json_decode(schema, line, len, record, arena, lines, NULL, &err);
        if (rc == LAKE_OK) {
            if (good && fwrite(line, 1, raw, good) != raw) {
                progress_done(&bar);
                status = write_failed(o.good, errno);
                goto done;
            }
        } else if (rc == LAKE_EVALIDATION) {
            bad++;
            const char *failed = report_rejected(o.json, rejected, o.rejected, lines, err.issues, line, raw);
            if (failed) {
                progress_done(&bar);
                status = write_failed(failed, errno);
                goto done;
            }
        } else {
            progress_done(&bar);
            fprintf(stderr, "lakeorm validate: line %zu: ", lines);
            term_puts(stderr, err.message);
            fputc('\n', stderr);
            goto done;
        }
        lake_arena_reset(arena);
        progress_update(&bar, lines, bad);
    }
    progress_done(&bar);
    if (ferror(in)) {
        fprintf(stderr, "lakeorm validate: read error: %s\n", strerror(errno));
        goto done;
    }
    int e = write_error(stdout);
    if (e) {
        status = write_failed("stdout", e);
        goto done;
    }
    FILE *g = good, *r = rejected;
    good = rejected = NULL;
    int closed = g ? close_out(g, o.good) : CLI_OK;
    if (r && close_out(r, o.rejected)) closed = CLI_USAGE;
    if (closed) goto done;
    fprintf(stderr, "lakeorm validate: %zu records, %zu good, %zu rejected (%.2f s)\n", records,
            records - bad, bad, now_seconds() - started);
    status = bad ? CLI_REJECTED : CLI_OK;
done:
    if (in && in != stdin) fclose(in);
    if (good) fclose(good); /* only after a failure: the outputs are closed and checked above */
    if (rejected) fclose(rejected);
    free(line);
    free(record);
    lake_arena_free(arena);
    lake_schema_free(schema);
    lake_error_clear(&err);
    return status;
}

/* lakeorm validate: decode and validate NDJSON against a schema file, line by
 * line in constant memory, reporting every rejected line and losing none. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "cli.h"

typedef struct options {
    const char *schema, *input, *good, *rejected;
    int json;
} options;

static int parse_args(options *o, int argc, char **argv) {
    memset(o, 0, sizeof *o);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char **slot = strcmp(a, "--schema") == 0     ? &o->schema
                          : strcmp(a, "--good") == 0       ? &o->good
                          : strcmp(a, "--rejected") == 0   ? &o->rejected
                                                           : NULL;
        if (slot) {
            if (++i == argc) {
                fprintf(stderr, "lakeorm validate: %s needs a value\n", a);
                return -1;
            }
            *slot = argv[i];
        } else if (strcmp(a, "--json") == 0) {
            o->json = 1;
        } else if (strcmp(a, "-") == 0 || a[0] != '-') {
            if (o->input) {
                fprintf(stderr, "lakeorm validate: one input file at most\n");
                return -1;
            }
            o->input = a;
        } else {
            fprintf(stderr, "lakeorm validate: unknown option %s\n", a);
            return -1;
        }
    }
    if (!o->schema) {
        fprintf(stderr, "usage: lakeorm validate --schema FILE [--json] [--good FILE] [--rejected FILE] [INPUT]\n");
        return -1;
    }
    return 0;
}

static FILE *open_out(const char *path) {
    FILE *f = fopen(path, "wb");
    if (!f) fprintf(stderr, "lakeorm validate: cannot write %s: %s\n", path, strerror(errno));
    return f;
}

int cmd_validate(int argc, char **argv) {
    options o;
    if (parse_args(&o, argc, argv)) return CLI_USAGE;

    lake_error err = LAKE_ERROR_INIT;
    lake_schema *schema = NULL;
    if (lake_schema_load(&schema, o.schema, &err)) {
        fprintf(stderr, "lakeorm validate: %s\n", err.message);
        lake_error_clear(&err);
        return CLI_USAGE;
    }
    int status = CLI_USAGE;
    FILE *in = stdin, *good = NULL, *rejected = NULL;
    lake_arena *arena = NULL;
    void *record = NULL;
    char *line = NULL;
    size_t cap = 0, lines = 0, records = 0, bad = 0;
    if (o.input && strcmp(o.input, "-") != 0 && !(in = fopen(o.input, "rb"))) {
        fprintf(stderr, "lakeorm validate: cannot read %s: %s\n", o.input, strerror(errno));
        in = NULL;
        goto done;
    }
    if ((o.good && !(good = open_out(o.good))) || (o.rejected && !(rejected = open_out(o.rejected)))) goto done;
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
            if (good) fwrite(line, 1, raw, good);
        } else if (rc == LAKE_EVALIDATION) {
            bad++;
            if (o.json) report_json(stdout, lines, err.issues, NULL, 0);
            else report_text(stdout, lines, err.issues);
            if (rejected) report_json(rejected, lines, err.issues, line, len);
        } else {
            progress_done(&bar);
            fprintf(stderr, "lakeorm validate: line %zu: %s\n", lines, err.message);
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
    if ((good && fflush(good)) || (rejected && fflush(rejected)) || fflush(stdout)) {
        fprintf(stderr, "lakeorm validate: write error: %s\n", strerror(errno));
        goto done;
    }
    fprintf(stderr, "lakeorm validate: %zu records, %zu good, %zu rejected (%.2f s)\n", records,
            records - bad, bad, now_seconds() - started);
    status = bad ? CLI_REJECTED : CLI_OK;
done:
    if (in && in != stdin) fclose(in);
    if (good && fclose(good)) status = CLI_USAGE;
    if (rejected && fclose(rejected)) status = CLI_USAGE;
    free(line);
    free(record);
    lake_arena_free(arena);
    lake_schema_free(schema);
    lake_error_clear(&err);
    return status;
}

/* SPDX-License-Identifier: MIT */
/* lakeorm schema infer: reads a sample with the input readers ingest and
 * validate use and prints a schema file that validates it (docs/cli.md). */
#include <ctype.h>
#include <errno.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "args.h"
#include "cli.h"
#include "infer.h"
#include "input.h"
#include "outputs.h"

#define COMMAND "lakeorm schema infer"

typedef struct irun {
    infer_shape *shape;
    size_t records;
    bool several;
} irun;

/* A sample that is not what it claims helps nobody: the first bad record
 * stops the run (exit 1) and is named. */
static int on_record(void *ctx, const input_record *rec) {
    irun *r = ctx;
    const char *why = NULL;
    if (rec->issues) {
        const lake_issue *i = lake_issues_count(rec->issues) ? lake_issues_get(rec->issues, 0) : NULL;
        why = i ? i->message : "not a record";
    } else {
        why = infer_record(r->shape, rec->json, rec->len);
    }
    if (why) {
        term_errorf(COMMAND, "%s%sline %zu: %s; nothing inferred", r->several ? rec->file : "",
                    r->several ? ": " : "", rec->line, why);
        return CLI_REJECTED;
    }
    r->records++;
    return CLI_OK;
}

/* The table a file's name gives: its base name without extensions, every
 * byte but letters, digits and _ as _, a leading digit or the reserved
 * _lakeorm_ prefix after a "t_", at most 128 bytes (docs/schema.md, Names). */
static void table_from(const char *file, char out[129]) {
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    size_t len = strcspn(base, ".");
    if (!strcmp(file, "-") || !len) {
        strcpy(out, "sample");
        return;
    }
    size_t n = 0;
    bool prefix = isdigit((unsigned char)base[0]) || !strncasecmp(base, "_lakeorm_", 9);
    if (prefix) out[n++] = 't', out[n++] = '_';
    for (size_t i = 0; i < len && n < 128; i++)
        out[n++] = isalnum((unsigned char)base[i]) || base[i] == '_' ? base[i] : '_';
    out[n] = 0;
}

static int infer(int argc, char **argv) {
    infer_args o;
    char why[1024];
    if (infer_args_parse(&o, argc, argv, why, sizeof why)) {
        term_puts(stderr, why);
        fputc('\n', stderr);
        return CLI_USAGE;
    }
    input_list files;
    if (inputs_expand(COMMAND, o.inputs, o.ninputs, &files)) return CLI_USAGE;
    /* CSV cells are all text: when every input is CSV, values that disagree
     * widen to string rather than json (infer.h). */
    bool csv = true;
    for (size_t i = 0; i < files.count; i++) csv = csv && input_resolve(files.files[i], (input_format)o.format) == INPUT_CSV;
    irun r = {infer_new(csv), 0, files.count > 1};
    lake__buf out = {0};
    lake_schema *schema = NULL;
    lake_error err = LAKE_ERROR_INIT;
    int status = CLI_OK;
    if (!r.shape) {
        term_error(COMMAND, "out of memory");
        status = CLI_USAGE;
    }
    for (size_t i = 0; i < files.count && !status; i++)
        status = input_read(COMMAND, files.files[i], (input_format)o.format, NULL, on_record, &r);
    if (!status && !r.records) {
        term_error(COMMAND, "the sample has no records: nothing to infer from");
        status = CLI_USAGE;
    }
    char table[129];
    if (!status) {
        if (o.table) snprintf(table, sizeof table, "%s", o.table);
        else table_from(files.files[0], table);
        if (infer_write(r.shape, table, &out)) {
            term_error(COMMAND, "out of memory");
            status = CLI_USAGE;
        } else if (lake_schema_parse(&schema, out.data, out.len, &err)) { /* --table's name, a key the rules refuse */
            term_errorf(COMMAND, "the inferred schema does not compile: %s", err.message);
            status = CLI_USAGE;
        }
    }
    if (!status) {
        FILE *f = o.output ? fopen(o.output, "wb") : stdout;
        int e = f ? 0 : errno;
        if (f && fwrite(out.data, 1, out.len, f) != out.len) e = errno;
        if (f) {
            int c = f == stdout ? write_error(f) : close_error(f);
            if (!e) e = c;
        }
        if (e) {
            term_errorf(COMMAND, "cannot write %s: %s", o.output ? o.output : "stdout", strerror(e));
            status = CLI_USAGE;
        } else {
            fprintf(stderr, "%zu records, %zu columns inferred\n", r.records, lake_schema_column_count(schema));
        }
    }
    lake_schema_free(schema);
    lake_error_clear(&err);
    lake__buf_dispose(&out);
    infer_free(r.shape);
    inputs_free(&files);
    return status;
}

int cmd_schema(int argc, char **argv) {
    if (argc < 2 || strcmp(argv[1], "infer")) {
        term_errorf("lakeorm schema", "%s; lakeorm help schema", argc < 2 ? "which? (infer)" : "unknown subcommand");
        return CLI_USAGE;
    }
    if (wants_help(argc - 1, argv + 1)) {
        help_print(stdout, "schema");
        return CLI_OK;
    }
    return infer(argc - 1, argv + 1);
}

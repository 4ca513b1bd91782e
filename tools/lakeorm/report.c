/* SPDX-License-Identifier: MIT */
/* How the CLI reports rejected lines: one line of text, or one JSON object. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

#include "cli.h"
#include "json_pointer.h"
#include "util/base64.h"
#include "util/utf8.h"

/* A rejected line must be recoverable byte for byte: "input" is its text
 * without the final "\n" (a CRLF line keeps its "\r"); bytes that are not
 * UTF-8 cannot be a JSON string, so then "input_base64" holds them exactly;
 * "newline":false marks a last line that had no "\n". */
int report_json(FILE *out, const char *file, size_t line, const lake_issues *issues, const char *text, size_t len) {
    char *errors = NULL, *quoted = NULL, *base64 = NULL, *name = NULL;
    size_t n;
    bool newline = false;
    if (text && len && text[len - 1] == '\n') {
        newline = true;
        len--;
    }
    int rc = -1;
    if (lake_issues_to_json(issues, 0, lake_issues_count(issues), &errors, &n) ||
        (text && lake_json_quote(text, len, &quoted, &n)) || (file && lake_json_quote(file, strlen(file), &name, &n)) ||
        (text && !lake__utf8_valid(text, len) && !(base64 = malloc((len + 2) / 3 * 4 + 1)))) {
        errno = ENOMEM;
        goto done;
    }
    if (base64) base64[lake__base64_encode((const uint8_t *)text, len, base64)] = 0;
    fprintf(out, "{\"line\":%zu,", line);
    if (name) fprintf(out, "\"file\":%s,", name);
    fprintf(out, "\"errors\":%s", errors);
    if (quoted) fprintf(out, ",\"input\":%s", quoted);
    if (base64) fprintf(out, ",\"input_base64\":\"%s\"", base64);
    if (text && !newline) fputs(",\"newline\":false", out);
    fputs("}\n", out);
    rc = ferror(out) ? -1 : 0;
done:
    lake_free(errors);
    lake_free(quoted);
    lake_free(name);
    free(base64);
    return rc;
}

const char *report_rejected(int json, FILE *rejected, const char *rejected_name, const char *file, size_t line,
                            const lake_issues *issues, const char *record, size_t record_len, const char *text,
                            size_t raw) {
    if (json) {
        if (report_json(stdout, file, line, issues, NULL, 0)) return "stdout";
    } else {
        report_text(stdout, file, line, issues, record, record_len);
        if (ferror(stdout)) return "stdout";
    }
    return rejected && report_json(rejected, file, line, issues, text, raw) ? rejected_name : NULL;
}

/* What a line shows of a value at most: enough to recognise it, never a screenful. */
enum { VALUE_SHOWN = 80 };

/* " (value: "x")" after an issue: the value its path points at, as written. */
static void put_value(FILE *out, const char *record, size_t record_len, const char *path, lake_arena *arena) {
    const char *at;
    size_t n;
    if (!record || !arena || !*path || !json_pointer_find(record, record_len, path, arena, &at, &n)) return;
    fputs(" (value: ", out);
    if (n <= VALUE_SHOWN) {
        term_write(out, at, n);
    } else {
        size_t cut = VALUE_SHOWN - 3;
        while (cut && ((unsigned char)at[cut] & 0xC0) == 0x80) cut--; /* not inside a UTF-8 sequence */
        term_write(out, at, cut);
        fputs("...", out);
    }
    fputc(')', out);
}

void report_text(FILE *out, const char *file, size_t line, const lake_issues *issues, const char *record,
                 size_t record_len) {
    lake_arena *arena = NULL;
    if (record && lake_arena_new(&arena)) arena = NULL; /* then no values: the issues still print */
    if (file) {
        term_puts(out, file);
        fputs(": ", out);
    }
    fprintf(out, "line %zu:", line);
    for (size_t i = 0; i < lake_issues_count(issues); i++) {
        const lake_issue *it = lake_issues_get(issues, i);
        /* The path, parameter and message can quote the record's keys and values. */
        fputs(i ? "; " : " ", out);
        term_puts(out, *it->path ? it->path : "/");
        fprintf(out, " [%s%s", it->rule, *it->param ? "=" : "");
        term_puts(out, it->param);
        fputs("] ", out);
        term_puts(out, it->message);
        put_value(out, record, record_len, it->path, arena);
    }
    fputc('\n', out);
    lake_arena_free(arena);
}

bool next_record_line(FILE *in, char **line, size_t *cap, size_t *line_no, size_t *len, size_t *raw) {
    ssize_t n;
    while ((n = getline(line, cap, in)) >= 0) {
        ++*line_no;
        size_t l = (size_t)n;
        if (l && (*line)[l - 1] == '\n') l--;
        if (l && (*line)[l - 1] == '\r') l--;
        size_t k = 0;
        while (k < l && ((*line)[k] == ' ' || (*line)[k] == '\t')) k++;
        if (k == l) continue; /* blank lines hold no record, but count */
        *len = l;
        *raw = (size_t)n;
        return true;
    }
    return false;
}

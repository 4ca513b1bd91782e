/* How the CLI reports rejected lines: one line of text, or one JSON object. */
#include <lakeorm.h>

#include "cli.h"

int report_json(FILE *out, size_t line, const lake_issues *issues, const char *text, size_t len) {
    char *errors = NULL, *quoted = NULL;
    size_t n;
    if (lake_issues_to_json(issues, 0, lake_issues_count(issues), &errors, &n)) return -1;
    if (text && lake_json_quote(text, len, &quoted, &n)) {
        lake_free(errors);
        return -1;
    }
    fprintf(out, "{\"line\":%zu,\"errors\":%s", line, errors);
    if (quoted) fprintf(out, ",\"input\":%s", quoted);
    fputs("}\n", out);
    lake_free(errors);
    lake_free(quoted);
    return 0;
}

void report_text(FILE *out, size_t line, const lake_issues *issues) {
    fprintf(out, "line %zu:", line);
    for (size_t i = 0; i < lake_issues_count(issues); i++) {
        const lake_issue *it = lake_issues_get(issues, i);
        fprintf(out, "%s %s [%s%s%s] %s", i ? ";" : "", *it->path ? it->path : "/", it->rule,
                *it->param ? "=" : "", it->param, it->message);
    }
    fputc('\n', out);
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

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

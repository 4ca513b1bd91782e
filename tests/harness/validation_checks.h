/* SPDX-License-Identifier: MIT */
/* What the validation tests assert: a record's issues in one line, and the
 * schema-file text a schema compile refuses. */
#ifndef LAKE_TEST_VALIDATION_CHECKS_H
#define LAKE_TEST_VALIDATION_CHECKS_H

#include "lake_test.h"

/* Validates one record: "ok", or its issues as "rule@path;..." (with_param:
 * "rule=param@path;..."), or the status and message of another failure. */
static const char *lake_test_problems(const lake_schema *s, const void *record, bool with_param) {
    static char out[2048];
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_validate(s, record, 1, &err);
    if (rc == LAKE_OK) return "ok";
    out[0] = '\0';
    for (size_t i = 0; i < lake_issues_count(err.issues); i++) {
        const lake_issue *it = lake_issues_get(err.issues, i);
        snprintf(out + strlen(out), sizeof out - strlen(out), "%s%s%s%s@%s", i ? ";" : "", it->rule,
                 with_param ? "=" : "", with_param ? it->param : "", it->path);
    }
    if (rc != LAKE_EVALIDATION) snprintf(out, sizeof out, "status %d: %s", rc, err.message);
    lake_error_clear(&err);
    return out;
}

/* Fails the case unless a schema file with these fields is LAKE_ESCHEMA
 * whose message contains `why`. */
#define LAKE_CHECK_REFUSED(fields, why)                                                             \
    do {                                                                                            \
        char text_[2048];                                                                           \
        snprintf(text_, sizeof text_, "{\"table\": \"t\", \"fields\": [%s]}", fields);              \
        lake_schema *s_ = NULL;                                                                     \
        lake_error err_ = LAKE_ERROR_INIT;                                                          \
        int rc_ = lake_schema_parse(&s_, text_, strlen(text_), &err_);                              \
        bool said_ = rc_ == LAKE_ESCHEMA && strstr(err_.message, why);                             \
        if (!said_) fprintf(stderr, "  got %d: %s\n", rc_, err_.message);                           \
        lake_schema_free(s_);                                                                       \
        lake_error_clear(&err_);                                                                    \
        if (!said_) LAKE_FAIL_AT("%s: expected LAKE_ESCHEMA saying \"%s\"", fields, why);          \
    } while (0)

#endif

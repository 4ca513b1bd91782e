/* SPDX-License-Identifier: MIT */
/* The one error builder: sets lake_error objects and collects validation issues. */
#ifndef LAKE_ERROR_ERROR_H
#define LAKE_ERROR_ERROR_H

#include <lakeorm/error.h>

/* Fills err (when non-NULL) and returns code, so callers can `return lake__error(...)`. */
int lake__error(lake_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

int lake__issues_new(lake_issues **out);
void lake__issues_free(lake_issues *issues);
/* Appends one issue; strings are copied. Returns LAKE_OK or LAKE_ENOMEM. */
int lake__issues_add(lake_issues *issues, size_t record, const char *path, const char *column,
                     const char *rule, const char *param, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
/* Moves every issue of `from` to the end of `to`, emptying `from`. */
int lake__issues_move(lake_issues *to, lake_issues *from);
void lake__issues_clear(lake_issues *issues);
/* Adds offset to every issue's record index. */
void lake__issues_shift(lake_issues *issues, size_t offset);

/* Hands `issues` to err (which takes ownership; freed if err is NULL) with code
 * LAKE_EVALIDATION and a summary message. Returns LAKE_EVALIDATION. */
int lake__error_issues(lake_error *err, lake_issues *issues, const char *what);

#endif

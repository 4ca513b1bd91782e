/* SPDX-License-Identifier: MIT */
/* The one error builder: sets lake_error objects and collects validation issues. */
#ifndef LAKE_ERROR_ERROR_H
#define LAKE_ERROR_ERROR_H

#include <lakeorm/error.h>

/* Fills err (when non-NULL) and returns code, so callers can `return lake__error(...)`. */
int lake__error(lake_error *err, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The same for an engine's refusal, with what the driver decided from the
 * engine's own error class or SQLSTATE: `kind`, and the class and SQLSTATE as
 * the engine gave them (NULL or "" for none). The class is cut to fit
 * lake_error.engine_class, control characters shown as '?'; a SQLSTATE that
 * is not five digits or capitals is dropped (both may come off the network). */
int lake__error_engine(lake_error *err, int code, lake_error_kind kind, const char *engine_class,
                       const char *sqlstate, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

/* Says again in err what `why` (filled by a step below) said, after a
 * printf-style prefix: "checking keys: " + why's message. err takes why's
 * code, kind, engine class and SQLSTATE, and its issues move (why keeps none),
 * so the refusal stays classified however often it is re-said. err may be why
 * itself; with err NULL nothing changes. Returns why's code. */
int lake__error_forward(lake_error *err, lake_error *why, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* What a SQLSTATE (ISO 9075 class + subclass, as SQL engines report them)
 * means for the caller: the one mapping every driver falls back on when its
 * engine gives no class lakeorm knows better. NULL, "" or a malformed state:
 * LAKE_KIND_NONE. */
lake_error_kind lake__sqlstate_kind(const char *sqlstate);
/* Five digits or capitals, as ISO 9075 writes a SQLSTATE; false for NULL. */
bool lake__sqlstate_valid(const char *sqlstate);

/* What an error class of Spark SQL (as Spark Connect and Databricks SQL
 * report it, "DELTA_CONCURRENT_APPEND") or a JVM exception's class name
 * ("org.apache.iceberg.exceptions.CommitFailedException") means, where it says
 * more than its SQLSTATE (or comes without one); LAKE_KIND_NONE otherwise. */
lake_error_kind lake__error_class_kind(const char *error_class);

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

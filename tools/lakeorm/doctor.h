/* SPDX-License-Identifier: MIT */
/* lakeorm doctor's findings: one row per check, printed as a table or one
 * JSON document (doctor_report.c), and the watchdog that keeps a check that
 * hangs (an engine that never answers) from hanging the command. */
#ifndef LAKE_CLI_DOCTOR_H
#define LAKE_CLI_DOCTOR_H

#include <stdbool.h>
#include <stdio.h>

typedef enum doctor_status { DOCTOR_PASS = 0, DOCTOR_WARN, DOCTOR_FAIL, DOCTOR_SKIP } doctor_status;

/* Starts a report; json: print one JSON document rather than the table.
 * timeout_s bounds each check (doctor_begin to the next). */
void doctor_open(bool json, double timeout_s);
/* A check is about to run: if it is still running timeout_s later, the
 * watchdog adds it as failed ("timed out"), prints the report and exits 1. */
void doctor_begin(const char *check);
/* What the watchdog's row says to do should the running check time out
 * (copied; NULL: check the server): a scratch table it could not drop. */
void doctor_if_stuck(const char *fix);
/* A finding. fix: one line saying what to do (NULL when there is nothing to
 * do); detail is a printf format. Both are copied (and cut to fit). */
void doctor_add(const char *check, doctor_status status, const char *fix, const char *detail, ...)
    __attribute__((format(printf, 4, 5)));
/* Prints the report on stdout; the exit status: 0 when no check failed, 1. */
int doctor_close(void);

#endif

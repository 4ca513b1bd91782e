/* SPDX-License-Identifier: MIT */
/* lakeorm doctor's report: rows kept in order, printed once at the end (or
 * by the watchdog, when a check outlives its time), as a plain table a
 * terminal shows well or as one JSON document. */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <lakeorm.h>

#include "cli.h"
#include "doctor.h"

enum { MAX_ROWS = 96 };

typedef struct row {
    char check[64];
    doctor_status status;
    char detail[640];
    char fix[320];
} row;

/* One report per process (a command runs once): the watchdog thread and the
 * checks share it under `lock`. */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t moved = PTHREAD_COND_INITIALIZER;
static struct {
    row rows[MAX_ROWS];
    size_t count;
    bool json, printed;
    double timeout_s;
    char current[64]; /* the check running, "" between checks */
    char stuck_fix[320]; /* its fix should it time out; "" for the default */
    unsigned generation; /* bumped by each doctor_begin */
} report;

static const char *const names[] = {"pass", "warn", "fail", "skip"};

static void add_locked(const char *check, doctor_status status, const char *fix, const char *detail) {
    if (report.count == MAX_ROWS) return;
    row *r = &report.rows[report.count++];
    snprintf(r->check, sizeof r->check, "%s", check);
    r->status = status;
    snprintf(r->detail, sizeof r->detail, "%s", detail);
    snprintf(r->fix, sizeof r->fix, "%s", fix ? fix : "");
}

void doctor_add(const char *check, doctor_status status, const char *fix, const char *detail, ...) {
    char text[sizeof report.rows[0].detail];
    va_list ap;
    va_start(ap, detail);
    vsnprintf(text, sizeof text, detail, ap);
    va_end(ap);
    pthread_mutex_lock(&lock);
    add_locked(check, status, fix, text);
    pthread_mutex_unlock(&lock);
}

static void json_string(FILE *out, const char *text) {
    char *q = NULL;
    size_t len;
    if (lake_json_quote(text, strlen(text), &q, &len)) {
        fputs("\"\"", out);
        return;
    }
    fwrite(q, 1, len, out);
    lake_free(q);
}

static bool any_failed(void) {
    for (size_t i = 0; i < report.count; i++)
        if (report.rows[i].status == DOCTOR_FAIL) return true;
    return false;
}

/* STATUS  CHECK  DETAIL, the check column as wide as its longest name, and
 * under a failure or warning its fix, indented: details are long (an
 * endpoint, an engine's message), so they end the line rather than sit in a
 * column a terminal would wrap. */
static void print_table(FILE *out) {
    size_t width = 5;
    for (size_t i = 0; i < report.count; i++)
        if (strlen(report.rows[i].check) > width) width = strlen(report.rows[i].check);
    fprintf(out, "%-6s %-*s  %s\n", "STATUS", (int)width, "CHECK", "DETAIL");
    for (size_t i = 0; i < report.count; i++) {
        const row *r = &report.rows[i];
        fprintf(out, "%-6s %-*s  ", names[r->status], (int)width, r->check);
        term_puts(out, r->detail);
        fputc('\n', out);
        if (r->fix[0]) {
            fprintf(out, "%-6s %-*s  fix: ", "", (int)width, "");
            term_puts(out, r->fix);
            fputc('\n', out);
        }
    }
    size_t counts[4] = {0};
    for (size_t i = 0; i < report.count; i++) counts[report.rows[i].status]++;
    fprintf(out, "%zu passed, %zu warned, %zu failed, %zu skipped\n", counts[0], counts[1], counts[2], counts[3]);
}

static void print_json(FILE *out) {
    fprintf(out, "{\"ok\":%s,\"checks\":[", any_failed() ? "false" : "true");
    for (size_t i = 0; i < report.count; i++) {
        const row *r = &report.rows[i];
        fputs(i ? ",{\"check\":" : "{\"check\":", out);
        json_string(out, r->check);
        fprintf(out, ",\"status\":\"%s\",\"detail\":", names[r->status]);
        json_string(out, r->detail);
        fputs(",\"fix\":", out);
        if (r->fix[0]) json_string(out, r->fix);
        else fputs("null", out);
        fputc('}', out);
    }
    fputs("]}\n", out);
}

static int print_locked(void) {
    report.printed = true;
    if (report.json) print_json(stdout);
    else print_table(stdout);
    fflush(stdout);
    return any_failed() ? CLI_REJECTED : CLI_OK;
}

/* Waits out each check; one that outlives timeout_s ends the process with
 * the report so far, since a blocked call (a connect that retries, a server
 * that never answers) cannot be cancelled from here. */
static void *watchdog(void *arg) {
    (void)arg;
    pthread_mutex_lock(&lock);
    for (;;) {
        while (!report.current[0] && !report.printed) pthread_cond_wait(&moved, &lock);
        if (report.printed) break;
        unsigned generation = report.generation;
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        double whole = (double)(time_t)report.timeout_s, frac = report.timeout_s - whole;
        until.tv_sec += (time_t)whole;
        until.tv_nsec += (long)(frac * 1e9);
        if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
        int rc = 0;
        while (rc == 0 && report.generation == generation && report.current[0] && !report.printed)
            rc = pthread_cond_timedwait(&moved, &lock, &until);
        if (rc != 0 && report.generation == generation && report.current[0] && !report.printed) {
            char detail[160];
            snprintf(detail, sizeof detail, "no answer within %g s", report.timeout_s);
            add_locked(report.current, DOCTOR_FAIL,
                       report.stuck_fix[0] ? report.stuck_fix
                                           : "check that the server is up and reachable from here (or give it "
                                             "longer: --timeout SECONDS)",
                       detail);
            print_locked();
            _exit(CLI_REJECTED);
        }
    }
    pthread_mutex_unlock(&lock);
    return NULL;
}

void doctor_open(bool json, double timeout_s) {
    report.json = json;
    report.timeout_s = timeout_s;
    pthread_t t;
    if (!pthread_create(&t, NULL, watchdog, NULL)) pthread_detach(t);
}

void doctor_begin(const char *check) {
    pthread_mutex_lock(&lock);
    snprintf(report.current, sizeof report.current, "%s", check ? check : "");
    report.stuck_fix[0] = 0;
    report.generation++;
    pthread_cond_broadcast(&moved);
    pthread_mutex_unlock(&lock);
}

void doctor_if_stuck(const char *fix) {
    pthread_mutex_lock(&lock);
    snprintf(report.stuck_fix, sizeof report.stuck_fix, "%s", fix ? fix : "");
    pthread_mutex_unlock(&lock);
}

int doctor_close(void) {
    pthread_mutex_lock(&lock);
    report.current[0] = 0;
    int status = print_locked();
    pthread_cond_broadcast(&moved);
    pthread_mutex_unlock(&lock);
    return status;
}

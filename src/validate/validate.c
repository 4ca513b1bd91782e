/* SPDX-License-Identifier: MIT */
#include <lakeorm/validate.h>

#include "error/error.h"
#include "util/alloc.h"
#include "util/workers.h"
#include "validate/check.h"
#include "validate/validate.h"

enum {
    SHARE_FROM = 4096, /* fewer records are checked on the caller's thread alone */
    MAX_SHARES = 64,   /* a batch is cut into at most this many ranges, each with its own report */
};

typedef struct batch {
    const lake_schema *s;
    const void *records;
    const void *const *ptrs;
    size_t count, per_share;
    unsigned threads;
    lake__report *reports; /* one per share */
} batch;

static void check_range(const batch *b, size_t from, size_t to, lake__report *r) {
    for (size_t i = from; i < to; i++) {
        r->record = i;
        const void *rec = b->ptrs ? b->ptrs[i] : (const unsigned char *)b->records + i * b->s->record_size;
        if (!rec) lake__report_add(r, NULL, 0, "", "required", "", "record is NULL");
        else lake__check_record(b->s, rec, r);
    }
}

static void check_share(void *ctx, size_t k, unsigned worker) {
    (void)worker;
    const batch *b = ctx;
    size_t from = k * b->per_share, to = from + b->per_share < b->count ? from + b->per_share : b->count;
    check_range(b, from, to, &b->reports[k]);
}

/* Checks the records into r: a large batch in ranges on the process's
 * threads, their issues joined in record order. */
static void check_all(const batch *b, lake__report *r) {
    size_t shares = b->count / (SHARE_FROM / 4); /* ranges of at least 1,024 records */
    if (shares > MAX_SHARES) shares = MAX_SHARES;
    lake__report *reports = b->count >= SHARE_FROM ? lake__calloc(shares, sizeof *reports) : NULL;
    if (!reports) {
        check_range(b, 0, b->count, r);
        return;
    }
    batch shared = *b;
    shared.per_share = (b->count + shares - 1) / shares;
    shared.reports = reports;
    lake__workers_run(b->threads, shares, check_share, &shared);
    for (size_t k = 0; k < shares; k++) {
        r->oom |= reports[k].oom;
        if (!reports[k].issues) continue;
        if (!r->issues) {
            r->issues = reports[k].issues;
            continue;
        }
        if (lake__issues_move(r->issues, reports[k].issues)) r->oom = true;
        lake__issues_free(reports[k].issues);
    }
    lake__free(reports);
}

int lake__validate_on(const lake_schema *s, const void *records, const void *const *ptrs, size_t count,
                      unsigned threads, lake_error *err) {
    if (!s) return lake__error(err, LAKE_EINVAL, "lake_validate: schema is NULL");
    if (count && !records && !ptrs) return lake__error(err, LAKE_EINVAL, "lake_validate: records is NULL");
    lake__report r = {0};
    batch b = {s, records, ptrs, count, 0, threads, NULL};
    check_all(&b, &r);
    if (r.oom) {
        lake__issues_free(r.issues);
        return lake__error(err, LAKE_ENOMEM, "out of memory validating");
    }
    if (lake_issues_count(r.issues) == 0) {
        lake__issues_free(r.issues);
        return LAKE_OK;
    }
    return lake__error_issues(err, r.issues, "validation failed");
}

int lake_validate(const lake_schema *s, const void *records, size_t count, lake_error *err) {
    return lake__validate_on(s, records, NULL, count, 0, err);
}

int lake_validate_ptrs(const lake_schema *s, const void *const *records, size_t count, lake_error *err) {
    if (count && !records) return lake__error(err, LAKE_EINVAL, "lake_validate_ptrs: records is NULL");
    return lake__validate_on(s, NULL, records, count, 0, err);
}

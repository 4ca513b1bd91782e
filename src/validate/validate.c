/* SPDX-License-Identifier: MIT */
#include <lakeorm/validate.h>

#include "error/error.h"
#include "validate/check.h"

static int run(const lake_schema *s, const void *records, const void *const *ptrs, size_t count,
               lake_error *err) {
    if (!s) return lake__error(err, LAKE_EINVAL, "lake_validate: schema is NULL");
    if (count && !records && !ptrs) return lake__error(err, LAKE_EINVAL, "lake_validate: records is NULL");
    lake__report r = {0};
    for (size_t i = 0; i < count; i++) {
        r.record = i;
        const void *rec = ptrs ? ptrs[i] : (const unsigned char *)records + i * s->record_size;
        if (!rec) lake__report_add(&r, NULL, 0, "", "required", "", "record is NULL");
        else lake__check_record(s, rec, &r);
    }
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
    return run(s, records, NULL, count, err);
}

int lake_validate_ptrs(const lake_schema *s, const void *const *records, size_t count, lake_error *err) {
    if (count && !records) return lake__error(err, LAKE_EINVAL, "lake_validate_ptrs: records is NULL");
    return run(s, NULL, records, count, err);
}

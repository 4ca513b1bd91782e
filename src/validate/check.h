/* SPDX-License-Identifier: MIT */
/* Running compiled rules over values in records. */
#ifndef LAKE_VALIDATE_CHECK_H
#define LAKE_VALIDATE_CHECK_H

#include "error/report.h"
#include "schema/schema.h"

/* Checks one column of `record` against its rules. Struct columns are not
 * entered (callers walk nested records themselves). */
void lake__check_column(const lake__column *col, const void *record, lake__report *r);
/* Checks every column of a record, nested structs included. */
void lake__check_record(const lake_schema *schema, const void *record, lake__report *r);

#endif

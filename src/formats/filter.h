/* SPDX-License-Identifier: MIT */
/* What a statement asks of the one table it reads: the conjuncts of its
 * WHERE clause that compare a column of that table with a value the
 * statement fixes (a literal or a bound parameter). The engine's driver
 * finds them (drivers/duckdb/filter.c); a table format uses them to leave
 * out files no matching row can be in. Only ever a hint: a file kept for
 * nothing costs time, never a row, since the engine still applies the whole
 * WHERE clause. So a conjunct the driver cannot read is left out, never
 * guessed. */
#ifndef LAKE_FORMATS_FILTER_H
#define LAKE_FORMATS_FILTER_H

#include <stddef.h>

#include <lakeorm/client.h>

typedef enum lake__filter_op {
    LAKE__FILTER_EQ, LAKE__FILTER_LT, LAKE__FILTER_LE, LAKE__FILTER_GT, LAKE__FILTER_GE,
    LAKE__FILTER_IN,       /* equal to one of values */
    LAKE__FILTER_IS_NULL,  /* no values */
    LAKE__FILTER_NOT_NULL, /* no values */
} lake__filter_op;

/* column op value(s): a text value is a literal's text as written (the
 * engine casts it to the column's type: '2024-01-01' against a date), a
 * parameter's is typed as it was bound. Never a NULL value: a comparison
 * with NULL is left out. */
typedef struct lake__filter_term {
    const char *column; /* as the statement spells it: match it without regard to case */
    lake__filter_op op;
    const lake_param *values;
    size_t value_count;
} lake__filter_term;

typedef struct lake__scan_filter {
    const char *table; /* the table, as the statement names it */
    const lake__filter_term *terms;
    size_t term_count;
} lake__scan_filter;

#endif

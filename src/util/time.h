/* SPDX-License-Identifier: MIT */
/* Calendar arithmetic and the text forms of timestamps and dates. */
#ifndef LAKE_UTIL_TIME_H
#define LAKE_UTIL_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Days since 1970-01-01 of a proleptic Gregorian date (month 1-12). */
/* Now, in Unix milliseconds (the wall clock). */
int64_t lake__now_ms(void);

int64_t lake__days_from_civil(int64_t year, unsigned month, unsigned day);
void lake__civil_from_days(int64_t days, int64_t *year, unsigned *month, unsigned *day);
unsigned lake__days_in_month(int64_t year, unsigned month);

/* RFC 3339 date-time ("2024-03-05T12:34:56.123456Z", offsets "+01:00", 'T'/'t'/' '
 * is not allowed, 'Z'/'z' are) to UTC microseconds. Fractions past microseconds
 * must be zeros: precision is never dropped silently. Returns NULL on success or
 * a static reason. */
const char *lake__parse_timestamp(const char *s, size_t len, int64_t *us);
/* "YYYY-MM-DD" to days since the epoch. NULL on success or a static reason. */
const char *lake__parse_date(const char *s, size_t len, int32_t *days);

/* Writes "YYYY-MM-DDTHH:MM:SS[.ffffff]Z" (fraction only when non-zero); returns length. */
size_t lake__format_timestamp(int64_t us, char out[40]);
size_t lake__format_date(int32_t days, char out[16]);

#endif

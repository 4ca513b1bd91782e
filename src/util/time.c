/* SPDX-License-Identifier: MIT */
#include "util/time.h"

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

int64_t lake__now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Howard Hinnant's days_from_civil algorithm (public-domain description). */
int64_t lake__days_from_civil(int64_t y, unsigned m, unsigned d) {
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

void lake__civil_from_days(int64_t z, int64_t *year, unsigned *month, unsigned *day) {
    z += 719468;
    int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    *day = doy - (153 * mp + 2) / 5 + 1;
    *month = mp < 10 ? mp + 3 : mp - 9;
    *year = (int64_t)yoe + era * 400 + (*month <= 2);
}

static bool leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

unsigned lake__days_in_month(int64_t year, unsigned month) {
    static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && leap(year) ? 29 : days[month - 1];
}

static bool digits(const char *s, size_t n, unsigned *out) {
    unsigned v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(unsigned char)s[i] - '0';
        if (d > 9) return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

static const char *parse_ymd(const char *s, unsigned *y, unsigned *m, unsigned *d) {
    if (!digits(s, 4, y) || s[4] != '-' || !digits(s + 5, 2, m) || s[7] != '-' ||
        !digits(s + 8, 2, d))
        return "expected a date as YYYY-MM-DD";
    if (*m < 1 || *m > 12) return "month out of range";
    if (*d < 1 || *d > lake__days_in_month(*y, *m)) return "day out of range for the month";
    return NULL;
}

const char *lake__parse_date(const char *s, size_t len, int32_t *days) {
    unsigned y, m, d;
    if (len != 10) return "expected a date as YYYY-MM-DD";
    const char *why = parse_ymd(s, &y, &m, &d);
    if (why) return why;
    *days = (int32_t)lake__days_from_civil(y, m, d);
    return NULL;
}

const char *lake__parse_timestamp(const char *s, size_t len, int64_t *us) {
    static const char *shape = "expected an RFC 3339 timestamp such as 2024-03-05T12:34:56Z";
    unsigned y, mo, d, h, mi, sec;
    if (len < 20) return shape;
    const char *why = parse_ymd(s, &y, &mo, &d);
    if (why) return why;
    if ((s[10] != 'T' && s[10] != 't') || !digits(s + 11, 2, &h) || s[13] != ':' ||
        !digits(s + 14, 2, &mi) || s[16] != ':' || !digits(s + 17, 2, &sec))
        return shape;
    if (h > 23 || mi > 59 || sec > 59) return "time of day out of range";
    size_t i = 19;
    int64_t frac = 0;
    if (s[i] == '.') {
        size_t start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (i - start < 6) frac = frac * 10 + (s[i] - '0');
            else if (s[i] != '0') return "sub-microsecond precision would be lost";
            i++;
        }
        if (i == start) return shape;
        for (size_t n = i - start; n < 6; n++) frac *= 10;
    }
    int offset = 0;
    if (i < len && (s[i] == 'Z' || s[i] == 'z')) {
        i++;
    } else if (i + 6 == len && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
        unsigned oh, om;
        if (!digits(s + i + 1, 2, &oh) || !digits(s + i + 4, 2, &om) || oh > 23 || om > 59)
            return "time zone offset out of range";
        offset = (int)(oh * 60 + om) * (s[i] == '-' ? -1 : 1);
        i += 6;
    } else {
        return "expected a time zone: Z or +HH:MM";
    }
    if (i != len) return shape;
    int64_t days = lake__days_from_civil(y, mo, d);
    int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - (int64_t)offset * 60;
    *us = secs * 1000000 + frac;
    return NULL;
}

size_t lake__format_timestamp(int64_t us, char out[40]) {
    int64_t secs = us / 1000000, frac = us % 1000000;
    if (frac < 0) frac += 1000000, secs--;
    int64_t days = secs / 86400, rem = secs % 86400;
    if (rem < 0) rem += 86400, days--;
    int64_t y;
    unsigned m, d;
    lake__civil_from_days(days, &y, &m, &d);
    int n = snprintf(out, 40, "%04lld-%02u-%02uT%02d:%02d:%02d", (long long)y, m, d,
                     (int)(rem / 3600), (int)(rem / 60 % 60), (int)(rem % 60));
    if (frac) n += snprintf(out + n, 40 - (size_t)n, ".%06d", (int)frac);
    out[n++] = 'Z';
    out[n] = '\0';
    return (size_t)n;
}

size_t lake__format_date(int32_t days, char out[16]) {
    int64_t y;
    unsigned m, d;
    lake__civil_from_days(days, &y, &m, &d);
    return (size_t)snprintf(out, 16, "%04lld-%02u-%02u", (long long)y, m, d);
}

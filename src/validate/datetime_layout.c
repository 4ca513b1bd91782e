/* SPDX-License-Identifier: MIT */
/* Go's reference-time layouts ("2006-01-02T15:04:05Z07:00"), parse side:
 * whether time.Parse(layout, value) would succeed. */
#include <stdbool.h>
#include <string.h>
#include <strings.h>

#include "util/time.h"
#include "validate/formats.h"

enum elem {
    E_NONE, E_LONG_MONTH, E_MONTH, E_NUM_MONTH, E_ZERO_MONTH, E_LONG_WEEKDAY, E_WEEKDAY,
    E_DAY, E_UNDER_DAY, E_ZERO_DAY, E_YDAY, E_HOUR, E_HOUR12, E_ZERO_HOUR12, E_MINUTE,
    E_ZERO_MINUTE, E_SECOND, E_ZERO_SECOND, E_LONG_YEAR, E_YEAR, E_PM, E_pm, E_TZ,
    E_ISO_TZ, E_NUM_TZ, E_FRAC0, E_FRAC9,
};

typedef struct token {
    enum elem e;
    size_t len;     /* layout bytes */
    int tz_form;    /* 4: hhmm, 5: hh:mm, 2: hh, 6: hhmmss, 8: hh:mm:ss */
    size_t digits;  /* fraction digits */
} token;

static bool starts(const char *l, size_t n, size_t i, const char *w) {
    size_t k = strlen(w);
    return i + k <= n && memcmp(l + i, w, k) == 0;
}

/* The layout element starting at l[i], or E_NONE for a literal byte. */
static token element(const char *l, size_t n, size_t i) {
    token t = {E_NONE, 1, 0, 0};
    static const struct { const char *w; enum elem e; int tz; } words[] = {
        {"January", E_LONG_MONTH, 0}, {"Jan", E_MONTH, 0}, {"Monday", E_LONG_WEEKDAY, 0},
        {"Mon", E_WEEKDAY, 0}, {"MST", E_TZ, 0}, {"002", E_YDAY, 0}, {"01", E_ZERO_MONTH, 0},
        {"02", E_ZERO_DAY, 0}, {"03", E_ZERO_HOUR12, 0}, {"04", E_ZERO_MINUTE, 0},
        {"05", E_ZERO_SECOND, 0}, {"06", E_YEAR, 0}, {"15", E_HOUR, 0}, {"1", E_NUM_MONTH, 0},
        {"2006", E_LONG_YEAR, 0}, {"2", E_DAY, 0}, {"_2", E_UNDER_DAY, 0}, {"3", E_HOUR12, 0},
        {"4", E_MINUTE, 0}, {"5", E_SECOND, 0}, {"PM", E_PM, 0}, {"pm", E_pm, 0},
        {"-07:00:00", E_NUM_TZ, 8}, {"-070000", E_NUM_TZ, 6}, {"-07:00", E_NUM_TZ, 5},
        {"-0700", E_NUM_TZ, 4}, {"-07", E_NUM_TZ, 2}, {"Z07:00:00", E_ISO_TZ, 8},
        {"Z070000", E_ISO_TZ, 6}, {"Z07:00", E_ISO_TZ, 5}, {"Z0700", E_ISO_TZ, 4},
        {"Z07", E_ISO_TZ, 2},
    };
    if ((l[i] == '.' || l[i] == ',') && i + 1 < n && (l[i + 1] == '0' || l[i + 1] == '9')) {
        size_t j = i + 1;
        while (j < n && l[j] == l[i + 1]) j++;
        if (j == n || l[j] < '0' || l[j] > '9') {
            t.e = l[i + 1] == '0' ? E_FRAC0 : E_FRAC9;
            t.len = j - i;
            t.digits = j - i - 1;
            return t;
        }
    }
    if (starts(l, n, i, "_2006")) return t; /* a literal '_' before the year */
    for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
        if (!starts(l, n, i, words[k].w)) continue;
        /* Go reads "Mon" only when no lowercase letter follows ("Month" is literal). */
        if ((words[k].e == E_MONTH || words[k].e == E_WEEKDAY) && i + 3 < n && l[i + 3] >= 'a' && l[i + 3] <= 'z')
            continue;
        t.e = words[k].e;
        t.len = strlen(words[k].w);
        t.tz_form = words[k].tz;
        return t;
    }
    return t;
}

static bool digit(char c) { return c >= '0' && c <= '9'; }

/* Reads exactly `fixed` digits, or 1..max digits when fixed is 0. */
static bool number(const char *v, size_t n, size_t *j, size_t fixed, size_t max, int *out) {
    size_t k = 0;
    int x = 0;
    size_t limit = fixed ? fixed : max;
    while (k < limit && *j + k < n && digit(v[*j + k])) x = x * 10 + (v[*j + k] - '0'), k++;
    if (k == 0 || (fixed && k != fixed)) return false;
    *j += k;
    *out = x;
    return true;
}

static bool name(const char *v, size_t n, size_t *j, const char *const *names, size_t count, int *index) {
    for (size_t k = 0; k < count; k++) {
        size_t len = strlen(names[k]);
        if (*j + len <= n && strncasecmp(v + *j, names[k], len) == 0) {
            *j += len;
            *index = (int)k;
            return true;
        }
    }
    return false;
}

static bool tz_offset(const char *v, size_t n, size_t *j, int form) {
    if (*j >= n || (v[*j] != '+' && v[*j] != '-')) return false;
    (*j)++;
    int h, m, s;
    if (!number(v, n, j, 2, 0, &h) || h > 23) return false;
    if (form == 2) return true;
    if (form == 5 || form == 8) {
        if (*j >= n || v[*j] != ':') return false;
        (*j)++;
    }
    if (!number(v, n, j, 2, 0, &m) || m > 59) return false;
    if (form == 4 || form == 5) return true;
    if (form == 8) {
        if (*j >= n || v[*j] != ':') return false;
        (*j)++;
    }
    return number(v, n, j, 2, 0, &s) && s <= 59;
}

bool lake__matches_go_layout(const char *l, size_t ln, const char *v, size_t n) {
    static const char *const long_months[] = {"January", "February", "March", "April", "May", "June", "July",
                                              "August", "September", "October", "November", "December"};
    static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static const char *const long_days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"};
    static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    int year = 1, month = 1, day = 1, hour = 0, x, pm = -1;
    bool hour12 = false;
    size_t i = 0, j = 0;
    while (i < ln) {
        token t = element(l, ln, i);
        switch (t.e) {
        case E_NONE:
            if (l[i] == ' ') {
                if (j >= n || v[j] != ' ') return false;
                while (i < ln && l[i] == ' ') i++;
                while (j < n && v[j] == ' ') j++;
                continue;
            }
            if (j >= n || v[j] != l[i]) return false;
            j++;
            break;
        case E_LONG_MONTH: if (!name(v, n, &j, long_months, 12, &x)) return false; month = x + 1; break;
        case E_MONTH: if (!name(v, n, &j, months, 12, &x)) return false; month = x + 1; break;
        case E_NUM_MONTH: case E_ZERO_MONTH:
            if (!number(v, n, &j, t.e == E_ZERO_MONTH ? 2 : 0, 2, &month) || month < 1 || month > 12) return false;
            break;
        case E_LONG_WEEKDAY: if (!name(v, n, &j, long_days, 7, &x)) return false; break;
        case E_WEEKDAY: if (!name(v, n, &j, days, 7, &x)) return false; break;
        case E_UNDER_DAY:
            if (j < n && v[j] == ' ') j++;
            /* fall through */
        case E_DAY: case E_ZERO_DAY:
            if (!number(v, n, &j, t.e == E_ZERO_DAY ? 2 : 0, 2, &day) || day < 1 || day > 31) return false;
            break;
        case E_YDAY: if (!number(v, n, &j, 3, 0, &x) || x < 1 || x > 366) return false; break;
        case E_HOUR: if (!number(v, n, &j, 0, 2, &hour) || hour > 23) return false; break;
        case E_HOUR12: case E_ZERO_HOUR12:
            if (!number(v, n, &j, t.e == E_ZERO_HOUR12 ? 2 : 0, 2, &hour) || hour > 12) return false;
            hour12 = true;
            break;
        case E_MINUTE: case E_ZERO_MINUTE: case E_SECOND: case E_ZERO_SECOND: {
            bool zero = t.e == E_ZERO_MINUTE || t.e == E_ZERO_SECOND;
            if (!number(v, n, &j, zero ? 2 : 0, 2, &x) || x > 59) return false;
            /* Go accepts a fraction after the seconds even when the layout has none. */
            if ((t.e == E_SECOND || t.e == E_ZERO_SECOND) && j + 1 < n && (v[j] == '.' || v[j] == ',') &&
                digit(v[j + 1])) {
                token next = i + t.len < ln ? element(l, ln, i + t.len) : (token){E_NONE, 0, 0, 0};
                if (next.e != E_FRAC0 && next.e != E_FRAC9) {
                    j++;
                    while (j < n && digit(v[j])) j++;
                }
            }
            break;
        }
        case E_LONG_YEAR: if (!number(v, n, &j, 4, 0, &year)) return false; break;
        case E_YEAR:
            if (!number(v, n, &j, 2, 0, &year)) return false;
            year += year >= 69 ? 1900 : 2000;
            break;
        case E_PM: case E_pm: {
            const char *am = t.e == E_PM ? "AM" : "am", *pmw = t.e == E_PM ? "PM" : "pm";
            if (j + 2 <= n && memcmp(v + j, am, 2) == 0) pm = 0;
            else if (j + 2 <= n && memcmp(v + j, pmw, 2) == 0) pm = 1;
            else return false;
            j += 2;
            break;
        }
        case E_TZ: {
            size_t k = 0;
            while (j + k < n && v[j + k] >= 'A' && v[j + k] <= 'Z') k++;
            if (k < 3 || k > 5) return false;
            j += k;
            break;
        }
        case E_ISO_TZ:
            if (j < n && v[j] == 'Z') {
                j++;
                break;
            }
            /* fall through */
        case E_NUM_TZ:
            if (!tz_offset(v, n, &j, t.tz_form)) return false;
            break;
        case E_FRAC0:
            if (j >= n || v[j] != l[i]) return false;
            j++;
            for (size_t k = 0; k < t.digits; k++, j++)
                if (j >= n || !digit(v[j])) return false;
            break;
        case E_FRAC9:
            if (j < n && (v[j] == '.' || v[j] == ',') && j + 1 < n && digit(v[j + 1])) {
                j++;
                while (j < n && digit(v[j])) j++;
            }
            break;
        }
        i += t.len;
    }
    if (j != n) return false;
    if (hour12 && pm == 1 && hour < 12) hour += 12;
    (void)hour;
    return day <= (int)lake__days_in_month(year, (unsigned)month);
}

bool lake__go_layout_valid(const char *l, size_t n) {
    for (size_t i = 0; i < n;) {
        token t = element(l, n, i);
        if (t.e != E_NONE) return true;
        i += t.len;
    }
    return false;
}

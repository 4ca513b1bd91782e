/* SPDX-License-Identifier: MIT */
#include "util/decimal.h"

#include <stdbool.h>
#include <string.h>

#define E19 ((lake__i128)10000000000000000000ULL)
const lake__i128 lake__pow10[LAKE_DECIMAL_MAX_PRECISION + 1] = {
    1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000, 1000000000, 10000000000, 100000000000,
    1000000000000, 10000000000000, 100000000000000, 1000000000000000, 10000000000000000, 100000000000000000,
    1000000000000000000, E19, E19 * 10, E19 * 100, E19 * 1000, E19 * 10000, E19 * 100000, E19 * 1000000,
    E19 * 10000000, E19 * 100000000, E19 * 1000000000, E19 * 10000000000, E19 * 100000000000,
    E19 * 1000000000000, E19 * 10000000000000, E19 * 100000000000000, E19 * 1000000000000000,
    E19 * 10000000000000000, E19 * 100000000000000000, E19 * 1000000000000000000, E19 * E19,
};
#undef E19

const char *lake__dec_parse(const char *s, size_t len, unsigned precision, unsigned scale,
                            lake__i128 *out) {
    static const char *syntax = "expected a decimal number such as 12.34";
    size_t i = 0;
    bool neg = false;
    if (i < len && s[i] == '-') neg = true, i++;
    size_t int_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9') i++;
    size_t int_end = i, frac_start = i, frac_end = i;
    if (i < len && s[i] == '.') {
        frac_start = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9') i++;
        frac_end = i;
        if (frac_end == frac_start) return syntax;
    }
    if (int_end == int_start) return syntax;
    if (int_end - int_start > 1 && s[int_start] == '0') return syntax;
    long exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        bool eneg = false;
        if (i < len && (s[i] == '+' || s[i] == '-')) eneg = s[i] == '-', i++;
        size_t e0 = i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (exp < 100000) exp = exp * 10 + (s[i] - '0');
            i++;
        }
        if (i == e0) return syntax;
        if (eneg) exp = -exp;
    }
    if (i != len) return syntax;

    /* value = digits * 10^(exp - fraction length); unscaled = value * 10^scale */
    long shift = exp - (long)(frac_end - frac_start) + (long)scale;
    unsigned __int128 acc = 0;
    unsigned sig = 0; /* significant digits accumulated */
    size_t ndigits = (int_end - int_start) + (frac_end - frac_start);
    /* digits from position `keep` on fall below the scale (all of them when keep < 0) */
    long keep = shift < 0 ? (long)ndigits + shift : (long)ndigits;
    for (size_t k = 0; k < ndigits; k++) {
        char c = k < int_end - int_start ? s[int_start + k] : s[frac_start + k - (int_end - int_start)];
        unsigned d = (unsigned)(c - '0');
        if ((long)k >= keep) {
            if (d) return "more decimal places than the column's scale";
            continue;
        }
        if (sig == 0 && d == 0) continue;
        if (++sig > precision) return "too many digits for the column's precision";
        acc = acc * 10 + d;
    }
    for (long k = 0; k < shift; k++) {
        if (acc == 0) break;
        if (++sig > precision) return "too many digits for the column's precision";
        acc *= 10;
    }
    lake__i128 v = (lake__i128)acc;
    *out = neg ? -v : v;
    return NULL;
}

lake__dec_fit lake__dec_rescale(lake__i128 *x, int from, int to, unsigned precision) {
    lake__i128 v = *x;
    /* Zero stops both loops: a scale from a server may be absurd. */
    for (long long shift = (long long)to - from; shift > 0 && v; shift--)
        if (__builtin_mul_overflow(v, 10, &v)) return LAKE__DEC_TOO_BIG;
    for (long long shift = (long long)to - from; shift < 0 && v; shift++) {
        if (v % 10) return LAKE__DEC_LOSES_DIGITS;
        v /= 10;
    }
    lake__i128 limit = lake__pow10[precision < LAKE_DECIMAL_MAX_PRECISION ? precision : LAKE_DECIMAL_MAX_PRECISION];
    if (v >= limit || v <= -limit) return LAKE__DEC_TOO_BIG;
    *x = v;
    return LAKE__DEC_FITS;
}

size_t lake__dec_format(lake__i128 v, unsigned scale, char out[48]) {
    char tmp[48];
    size_t n = 0;
    unsigned __int128 mag = v < 0 ? (unsigned __int128)0 - (unsigned __int128)v : (unsigned __int128)v;
    do {
        tmp[n++] = (char)('0' + (int)(mag % 10));
        mag /= 10;
    } while (mag || n <= scale);
    size_t o = 0;
    if (v < 0) out[o++] = '-';
    while (n > 0) {
        out[o++] = tmp[--n];
        if (n == scale && scale) out[o++] = '.';
    }
    out[o] = '\0';
    return o;
}

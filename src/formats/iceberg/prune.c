/* SPDX-License-Identifier: MIT */
/* Which data files a read needs: a file is left out when one of the
 * statement's conjuncts (formats/filter.h) cannot hold for any of its rows,
 * by the file's partition values under the table's spec (identity, the
 * monotone transforms, buckets) or by its column statistics (lower and
 * upper bounds, null counts). A conjunct whose column or value this file
 * cannot read exactly as the engine would is not used: a file is kept
 * whenever in doubt, the engine filtering its rows anyway. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error/error.h"
#include "formats/iceberg/iceberg.h"
#include "formats/iceberg/transform.h"
#include "json/scan.h"
#include "util/alloc.h"
#include "util/time.h"

typedef enum form { FORM_LONG, FORM_DECIMAL, FORM_BYTES } form;

/* One value in the column's own terms: the long Iceberg keeps for ints,
 * dates, timestamps and booleans, an unscaled decimal at the column's
 * scale, or UTF-8 bytes. */
typedef struct value {
    int64_t l;
    lake__i128 dec;
    const unsigned char *bytes;
    size_t len;
} value;

typedef struct term {
    const lake__iceberg_field *field;
    form form;
    lake__filter_op op;
    value *values;
    size_t value_count;
} term;

typedef enum kind { K_INT, K_DATE, K_TIMESTAMP, K_TIMESTAMPTZ, K_STRING, K_BOOL, K_DECIMAL, K_OTHER } kind;

static kind kind_of(const char *type, int *scale) {
    static const struct { const char *name; kind k; } kinds[] = {
        {"int", K_INT}, {"long", K_INT}, {"date", K_DATE}, {"timestamp", K_TIMESTAMP},
        {"timestamptz", K_TIMESTAMPTZ}, {"string", K_STRING}, {"boolean", K_BOOL},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (!strcmp(type, kinds[i].name)) return kinds[i].k;
    unsigned p, s;
    if (sscanf(type, "decimal(%u, %u)", &p, &s) == 2 && p <= 38 && s <= p) {
        *scale = (int)s;
        return K_DECIMAL;
    }
    return K_OTHER;
}

/* A timestamp without zone as DuckDB reads one ("2024-01-01 10:00:00"):
 * microseconds of that wall time, as Iceberg keeps a timestamp. */
static bool local_timestamp(const char *s, size_t len, int64_t *us) {
    char text[48];
    if (len < 10 || len + 2 > sizeof text) return false;
    memcpy(text, s, len);
    for (size_t i = 11; i < len; i++)
        if (text[i] == '+' || text[i] == '-' || text[i] == 'Z' || text[i] == 'z') return false;
    if (len == 10) memcpy(text + len, "T00:00:00", 9), len += 9;
    if (text[10] == ' ') text[10] = 'T';
    text[len++] = 'Z';
    return !lake__parse_timestamp(text, len, us);
}

/* The value a parameter or literal takes in the column's terms, as the
 * engine compares them; false when it would compare otherwise (a double
 * against an int, a zoneless text against an instant, ...). */
static bool value_for(kind k, int scale, const lake_param *p, value *out) {
    memset(out, 0, sizeof *out);
    const char *text = p->type == LAKE_PARAM_TEXT ? p->v.text.ptr : NULL;
    size_t len = text ? p->v.text.len : 0;
    switch (k) {
    case K_INT:
        if (p->type == LAKE_PARAM_INT64) return out->l = p->v.i64, true;
        if (p->type == LAKE_PARAM_DECIMAL) {
            lake__i128 x = lake__dec_get(p->v.dec.value);
            if (lake__dec_rescale(&x, p->v.dec.scale, 0, 19) != LAKE__DEC_FITS || x > INT64_MAX || x < INT64_MIN) return false;
            return out->l = (int64_t)x, true;
        }
        return text && lake__json_parse_int64(text, len, &out->l);
    case K_DATE:
        if (p->type == LAKE_PARAM_DATE) return out->l = p->v.date.days, true;
        if (!text) return false;
        int32_t days;
        if (lake__parse_date(text, len, &days)) return false;
        return out->l = days, true;
    case K_TIMESTAMP: return text && local_timestamp(text, len, &out->l);
    case K_TIMESTAMPTZ:
        if (p->type == LAKE_PARAM_TIMESTAMP) return out->l = p->v.ts.us, true;
        return text && !lake__parse_timestamp(text, len, &out->l);
    case K_STRING:
        if (!text) return false;
        out->bytes = (const unsigned char *)text, out->len = len;
        return true;
    case K_BOOL:
        if (p->type != LAKE_PARAM_BOOL) return false;
        return out->l = p->v.b, true;
    case K_DECIMAL: {
        lake__i128 x;
        int from;
        if (p->type == LAKE_PARAM_DECIMAL) x = lake__dec_get(p->v.dec.value), from = p->v.dec.scale;
        else if (p->type == LAKE_PARAM_INT64) x = p->v.i64, from = 0;
        else if (text) return !lake__dec_parse(text, len, 38, (unsigned)scale, &out->dec);
        else return false;
        if (lake__dec_rescale(&x, from, scale, 38) != LAKE__DEC_FITS) return false;
        return out->dec = x, true;
    }
    case K_OTHER: return false;
    }
    return false;
}

static int compare(form f, const value *a, const value *b) {
    if (f == FORM_LONG) return a->l < b->l ? -1 : a->l > b->l;
    if (f == FORM_DECIMAL) return a->dec < b->dec ? -1 : a->dec > b->dec;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->bytes, b->bytes, n) : 0;
    return c ? c : a->len < b->len ? -1 : a->len > b->len;
}

/* Whether some x with lo <= x <= hi (either end may be missing) can satisfy
 * "x op v" for one of the term's values. */
static bool may_satisfy(const term *t, const value *lo, const value *hi) {
    for (size_t i = 0; i < t->value_count; i++) {
        const value *v = &t->values[i];
        bool below = lo && compare(t->form, lo, v) > 0, above = hi && compare(t->form, hi, v) < 0;
        bool ok = false;
        switch (t->op) {
        case LAKE__FILTER_EQ: case LAKE__FILTER_IN: ok = !below && !above; break;
        case LAKE__FILTER_LT: ok = !lo || compare(t->form, lo, v) < 0; break;
        case LAKE__FILTER_LE: ok = !below; break;
        case LAKE__FILTER_GT: ok = !hi || compare(t->form, hi, v) > 0; break;
        case LAKE__FILTER_GE: ok = !above; break;
        default: ok = true;
        }
        if (ok) return true;
    }
    return false;
}

/* A single-value bound (spec, appendix D) in the term's form. */
static bool bound_value(const term *t, const unsigned char *b, size_t len, value *out) {
    memset(out, 0, sizeof *out);
    if (t->form == FORM_BYTES) return out->bytes = b, out->len = len, true;
    if (!len || len > (t->form == FORM_LONG ? 8u : 16u)) return false;
    if (t->form == FORM_LONG) { /* little-endian, sign-extended */
        uint64_t x = (b[len - 1] & 0x80) ? ~(uint64_t)0 : 0;
        for (size_t i = len; i-- > 0;) x = x << 8 | b[i];
        return out->l = (int64_t)x, true;
    }
    lake__i128 x = (b[0] & 0x80) ? -1 : 0; /* a decimal: big-endian two's complement */
    for (size_t i = 0; i < len; i++) x = (lake__i128)(((unsigned __int128)x << 8) | b[i]);
    return out->dec = x, true;
}

/* Whether text sorts alike by UTF-8 bytes (DuckDB, lakeorm's bounds) and by
 * UTF-16 code units (Java writers' bounds): it does unless it holds
 * characters from U+E000 up, whose lead bytes are 0xEE and above. */
static bool same_order_everywhere(const unsigned char *b, size_t len) {
    for (size_t i = 0; i < len; i++)
        if (b[i] >= 0xEE) return false;
    return true;
}

/* Whether the file's statistics of the term's column leave room for a row. */
static bool stats_allow(const term *t, const lake__iceberg_data_file *f) {
    size_t c = f->column_count;
    for (size_t i = 0; i < f->column_count; i++)
        if (f->field_ids[i] == t->field->id) c = i;
    if (c == f->column_count) return true;
    int64_t values = f->value_counts ? f->value_counts[c] : -1, nulls = f->null_counts ? f->null_counts[c] : -1;
    if (t->op == LAKE__FILTER_IS_NULL) return nulls != 0;
    bool all_null = values >= 0 && nulls == values;
    if (t->op == LAKE__FILTER_NOT_NULL || all_null) return !all_null;
    value lo, hi;
    bool has_lo = f->lower && f->lower[c] && bound_value(t, f->lower[c], f->lower_lens[c], &lo);
    bool has_hi = f->upper && f->upper[c] && bound_value(t, f->upper[c], f->upper_lens[c], &hi);
    if (t->form == FORM_BYTES) {
        for (size_t i = 0; i < t->value_count; i++)
            if (!same_order_everywhere(t->values[i].bytes, t->values[i].len)) return true;
        has_lo = has_lo && same_order_everywhere(lo.bytes, lo.len);
        has_hi = has_hi && same_order_everywhere(hi.bytes, hi.len);
    }
    return may_satisfy(t, has_lo ? &lo : NULL, has_hi ? &hi : NULL);
}

/* A transform's name parsed: "identity", "day", "bucket[16]", ... */
typedef enum transform { T_IDENTITY, T_YEAR, T_MONTH, T_DAY, T_HOUR, T_BUCKET, T_TRUNCATE, T_OTHER } transform;

static transform transform_of(const char *name, int32_t *param) {
    static const char *const names[] = {"identity", "year", "month", "day", "hour"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (!strcmp(name, names[i])) return (transform)i;
    char close;
    if (sscanf(name, "bucket[%d%c", param, &close) == 2 && close == ']' && *param > 0) return T_BUCKET;
    if (sscanf(name, "truncate[%d%c", param, &close) == 2 && close == ']' && *param > 0) return T_TRUNCATE;
    return T_OTHER;
}

/* The transform of a value, in the form the partition keeps; false when
 * lakeorm does not compute it for this column. */
static bool transformed(kind k, transform tr, int32_t param, const value *v, value *out) {
    *out = *v;
    bool instant = k == K_TIMESTAMP || k == K_TIMESTAMPTZ;
    switch (tr) {
    case T_IDENTITY: return true;
    case T_YEAR: case T_MONTH: case T_DAY: case T_HOUR:
        if (k == K_DATE && tr != T_HOUR) {
            out->l = tr == T_YEAR ? lake__iceberg_years_from_days((int32_t)v->l)
                   : tr == T_MONTH ? lake__iceberg_months_from_days((int32_t)v->l) : v->l;
            return true;
        }
        if (!instant) return false;
        out->l = tr == T_YEAR ? lake__iceberg_years_from_micros(v->l) : tr == T_MONTH ? lake__iceberg_months_from_micros(v->l)
               : tr == T_DAY ? lake__iceberg_days_from_micros(v->l) : lake__iceberg_hours_from_micros(v->l);
        return true;
    case T_TRUNCATE:
        if (k == K_INT) out->l = lake__iceberg_truncate_long(v->l, param);
        else if (k == K_DECIMAL) out->dec = lake__iceberg_truncate_decimal(v->dec, param);
        else if (k == K_STRING) out->len = lake__iceberg_truncate_text((const char *)v->bytes, v->len, param);
        else return false;
        return true;
    case T_BUCKET:
        memset(out, 0, sizeof *out);
        if (k == K_INT || k == K_DATE || instant) out->l = lake__iceberg_bucket_long(v->l, param);
        else if (k == K_DECIMAL) out->l = lake__iceberg_bucket_decimal(v->dec, param);
        else if (k == K_STRING) out->l = lake__iceberg_bucket_bytes(v->bytes, v->len, param);
        else return false;
        return true;
    case T_OTHER: return false;
    }
    return false;
}

/* Whether partitions whose values (transform tr of the term's column) lie
 * in [lo, hi] can hold a row for the term's values. Every transform here
 * keeps order (x <= y gives T(x) <= T(y)) but bucket, whose range only
 * tells that a value's bucket is outside it. */
static bool range_allows(const term *t, kind k, transform tr, int32_t param, const value *lo, const value *hi) {
    if (tr == T_BUCKET && t->op != LAKE__FILTER_EQ && t->op != LAKE__FILTER_IN) return true;
    term on_partition = {t->field, tr == T_BUCKET ? FORM_LONG : t->form, t->op, NULL, 0};
    /* x < v gives T(x) <= T(v): a strict comparison turns loose on a transform */
    if (t->op == LAKE__FILTER_LT && tr != T_IDENTITY) on_partition.op = LAKE__FILTER_LE;
    if (t->op == LAKE__FILTER_GT && tr != T_IDENTITY) on_partition.op = LAKE__FILTER_GE;
    if (t->op == LAKE__FILTER_IN) on_partition.op = LAKE__FILTER_EQ;
    for (size_t i = 0; i < t->value_count; i++) {
        value tv, v = t->values[i];
        /* On a whole-number source x < v is x <= v - 1 (and x > v is x >= v + 1),
         * which keeps a value on a partition's edge out of the one below it. */
        if (tr != T_IDENTITY && tr != T_BUCKET && (t->op == LAKE__FILTER_LT || t->op == LAKE__FILTER_GT)) {
            int step = t->op == LAKE__FILTER_LT ? -1 : 1;
            if (t->form == FORM_LONG && k != K_BOOL && v.l != (step < 0 ? INT64_MIN : INT64_MAX)) v.l += step;
            else if (t->form == FORM_DECIMAL) v.dec += step;
        }
        if (!transformed(k, tr, param, &v, &tv)) return true;
        if (on_partition.form == FORM_BYTES && !same_order_everywhere(tv.bytes, tv.len)) return true;
        on_partition.values = &tv, on_partition.value_count = 1;
        if (may_satisfy(&on_partition, lo, hi)) return true;
    }
    return false;
}

/* The form a transform's partition values take for the term's column. */
static form partition_form(const term *t, transform tr) { return tr == T_BUCKET ? FORM_LONG : t->form; }

/* Whether a file's partition (value p) can hold a row for the term. */
static bool partition_allows(const term *t, kind k, transform tr, int32_t param, const lake__iceberg_part *p) {
    if (p->kind == LAKE__ICEBERG_PART_NULL) return t->op == LAKE__FILTER_IS_NULL; /* T(x) is NULL only for NULL x */
    if (t->op == LAKE__FILTER_IS_NULL) return false;
    if (t->op == LAKE__FILTER_NOT_NULL) return true;
    form f = partition_form(t, tr);
    lake__iceberg_part_kind want = f == FORM_LONG ? (k == K_BOOL ? LAKE__ICEBERG_PART_BOOL : LAKE__ICEBERG_PART_LONG)
                                 : f == FORM_DECIMAL ? LAKE__ICEBERG_PART_DECIMAL : LAKE__ICEBERG_PART_BYTES;
    if (p->kind != want) return true; /* written otherwise than lakeorm reads it: no judgement */
    value pv = {p->l, p->dec, p->bytes, p->len};
    return range_allows(t, k, tr, param, &pv, &pv);
}

/* Whether a manifest whose files' partition values the summary bounds can
 * list a row for the term. Bounds a writer left out say nothing. */
static bool summary_allows(const term *t, kind k, transform tr, int32_t param, const lake__iceberg_part_summary *s) {
    if (t->op == LAKE__FILTER_IS_NULL) return s->contains_null;
    if (t->op == LAKE__FILTER_NOT_NULL || !s->lower || !s->upper) return true;
    term as_partition = {t->field, partition_form(t, tr), t->op, NULL, 0};
    value lo, hi;
    if (!bound_value(&as_partition, s->lower, s->lower_len, &lo) || !bound_value(&as_partition, s->upper, s->upper_len, &hi))
        return true;
    if (as_partition.form == FORM_BYTES && (!same_order_everywhere(lo.bytes, lo.len) || !same_order_everywhere(hi.bytes, hi.len)))
        return true;
    return range_allows(t, k, tr, param, &lo, &hi);
}

static const lake__iceberg_field *field_named(const lake__iceberg_loaded *m, const char *name) {
    for (size_t i = 0; i < m->field_count; i++)
        if (!strcasecmp(m->fields[i].name, name)) return &m->fields[i];
    return NULL;
}

/* The filter's terms this file can judge by, in the columns' terms. */
static size_t usable_terms(const lake__iceberg_loaded *m, const lake__scan_filter *filter, lake_arena *arena,
                           term *out) {
    size_t n = 0;
    for (size_t i = 0; i < filter->term_count; i++) {
        const lake__filter_term *ft = &filter->terms[i];
        const lake__iceberg_field *field = field_named(m, ft->column);
        int scale = 0;
        kind k = field && !field->child_count ? kind_of(field->type, &scale) : K_OTHER;
        if (k == K_OTHER) continue;
        term t = {field, k == K_DECIMAL ? FORM_DECIMAL : k == K_STRING ? FORM_BYTES : FORM_LONG, ft->op, NULL,
                  ft->value_count};
        if (t.value_count && !(t.values = lake__arena_alloc(arena, t.value_count * sizeof *t.values, _Alignof(value))))
            continue; /* out of memory: read the file, as in any doubt */
        bool usable = true;
        for (size_t v = 0; usable && v < t.value_count; v++) usable = value_for(k, scale, &ft->values[v], &t.values[v]);
        if (usable) out[n++] = t;
    }
    return n;
}

typedef struct pruning {
    const lake__iceberg_table_state *t;
    const term *terms;
    size_t count;
} pruning;

/* Whether the default spec's partition values (a file's, parts: one per
 * spec field) or their ranges (a manifest's summaries, sums) leave room for
 * a row of every term, by each spec field whose source is its column. */
static bool spec_allows(const pruning *p, const lake__iceberg_part *parts, const lake__iceberg_part_summary *sums) {
    const lake__iceberg_loaded *m = &p->t->meta;
    for (size_t i = 0; i < p->count; i++) {
        int scale;
        kind k = kind_of(p->terms[i].field->type, &scale);
        for (size_t s = 0; s < m->spec_count; s++) {
            int32_t param = 0;
            transform tr = m->spec[s].source_id == p->terms[i].field->id ? transform_of(m->spec[s].transform, &param) : T_OTHER;
            if (tr == T_OTHER) continue;
            if (parts && !partition_allows(&p->terms[i], k, tr, param, &parts[s])) return false;
            if (sums && !summary_allows(&p->terms[i], k, tr, param, &sums[s])) return false;
        }
    }
    return true;
}

static bool manifest_needed(void *ctx, const lake__iceberg_manifest *mf) {
    const pruning *p = ctx;
    const lake__iceberg_loaded *m = &p->t->meta;
    if (mf->spec_id != m->default_spec_id || !mf->partitions || mf->partition_count != m->spec_count) return true;
    return spec_allows(p, NULL, mf->partitions);
}

static bool file_needed(const pruning *p, size_t file) {
    const lake__iceberg_table_state *t = p->t;
    const lake__iceberg_data_file *f = &t->files[file];
    for (size_t i = 0; i < p->count; i++)
        if (!stats_allow(&p->terms[i], f)) return false;
    bool same_spec = t->manifests[t->file_manifest[file]].spec_id == t->meta.default_spec_id && f->partition;
    return !same_spec || spec_allows(p, f->partition, NULL);
}

int lake__iceberg_prune(lake__iceberg_table_state *t, const lake__scan_filter *filter, size_t **kept, size_t *count,
                        lake_error *err) {
    *kept = NULL, *count = 0;
    term *terms = filter ? lake__malloc((filter->term_count ? filter->term_count : 1) * sizeof *terms) : NULL;
    lake_arena *arena = NULL;
    if (filter && (!terms || lake_arena_new(&arena))) {
        lake__free(terms);
        return lake__error(err, LAKE_ENOMEM, "out of memory");
    }
    pruning p = {t, terms, filter ? usable_terms(&t->meta, filter, arena, terms) : 0};
    int rc = lake__iceberg_list_where(t, p.count ? manifest_needed : NULL, &p, err);
    size_t *out = rc ? NULL : lake__malloc((t->file_count ? t->file_count : 1) * sizeof *out);
    if (!rc && !out) rc = lake__error(err, LAKE_ENOMEM, "out of memory");
    for (size_t i = 0; !rc && i < t->file_count; i++)
        if (file_needed(&p, i)) out[(*count)++] = i;
    lake_arena_free(arena);
    lake__free(terms);
    if (rc) *count = 0;
    *kept = out;
    return rc;
}

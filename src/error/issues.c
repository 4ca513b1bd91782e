/* SPDX-License-Identifier: MIT */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "error/error.h"
#include "json/write.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"

struct lake_issues {
    lake_issue *items;
    size_t count, cap;
    lake_arena *strings;
};

int lake__issues_new(lake_issues **out) {
    lake_issues *l = lake__calloc(1, sizeof *l);
    if (!l || lake_arena_new(&l->strings) != LAKE_OK) {
        lake__free(l);
        *out = NULL;
        return LAKE_ENOMEM;
    }
    *out = l;
    return LAKE_OK;
}

void lake__issues_clear(lake_issues *issues) {
    if (!issues) return;
    issues->count = 0;
    lake_arena_reset(issues->strings);
}

void lake__issues_shift(lake_issues *issues, size_t offset) {
    for (size_t i = 0; issues && i < issues->count; i++) issues->items[i].record += offset;
}

void lake__issues_free(lake_issues *issues) {
    if (!issues) return;
    lake_arena_free(issues->strings);
    lake__free(issues->items);
    lake__free(issues);
}

size_t lake_issues_count(const lake_issues *issues) { return issues ? issues->count : 0; }

const lake_issue *lake_issues_get(const lake_issues *issues, size_t index) {
    return issues && index < issues->count ? &issues->items[index] : NULL;
}

static int reserve(lake_issues *l) {
    if (l->count < l->cap) return LAKE_OK;
    size_t cap = l->cap ? l->cap * 2 : 8, bytes;
    if (lake__mul_size(&bytes, cap, sizeof *l->items)) return LAKE_ENOMEM;
    lake_issue *p = lake__realloc(l->items, l->cap * sizeof *l->items, bytes);
    if (!p) return LAKE_ENOMEM;
    l->items = p;
    l->cap = cap;
    return LAKE_OK;
}

static const char *keep(lake_issues *l, const char *s) {
    return lake__arena_strndup(l->strings, s ? s : "", s ? strlen(s) : 0);
}

static int push(lake_issues *l, size_t record, const char *path, const char *column,
                const char *rule, const char *param, const char *message) {
    if (reserve(l)) return LAKE_ENOMEM;
    lake_issue *it = &l->items[l->count];
    it->record = record;
    if (!(it->path = keep(l, path)) || !(it->column = keep(l, column)) ||
        !(it->rule = keep(l, rule)) || !(it->param = keep(l, param)) ||
        !(it->message = keep(l, message)))
        return LAKE_ENOMEM;
    l->count++;
    return LAKE_OK;
}

int lake__issues_add(lake_issues *issues, size_t record, const char *path, const char *column,
                     const char *rule, const char *param, const char *fmt, ...) {
    char message[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    return push(issues, record, path, column, rule, param, message);
}

int lake__issues_move(lake_issues *to, lake_issues *from) {
    for (size_t i = 0; i < from->count; i++) {
        const lake_issue *it = &from->items[i];
        int rc = push(to, it->record, it->path, it->column, it->rule, it->param, it->message);
        if (rc) return rc;
    }
    lake__issues_clear(from);
    return LAKE_OK;
}

int lake_issues_to_json(const lake_issues *issues, size_t first, size_t count, char **out,
                        size_t *out_len) {
    lake__buf b = LAKE__BUF_INIT;
    size_t total = lake_issues_count(issues);
    size_t end = first > total ? total : (count > total - first ? total : first + count);
    lake__buf_putc(&b, '[');
    for (size_t i = first; i < end; i++) {
        const lake_issue *it = &issues->items[i];
        if (i > first) lake__buf_putc(&b, ',');
        lake__buf_printf(&b, "{\"record\":%zu,\"path\":", it->record);
        lake__json_write_string(&b, it->path, strlen(it->path));
        lake__buf_puts(&b, ",\"column\":");
        lake__json_write_string(&b, it->column, strlen(it->column));
        lake__buf_puts(&b, ",\"rule\":");
        lake__json_write_string(&b, it->rule, strlen(it->rule));
        lake__buf_puts(&b, ",\"param\":");
        lake__json_write_string(&b, it->param, strlen(it->param));
        lake__buf_puts(&b, ",\"message\":");
        lake__json_write_string(&b, it->message, strlen(it->message));
        lake__buf_putc(&b, '}');
    }
    lake__buf_putc(&b, ']');
    *out = lake__buf_detach(&b, out_len);
    return *out ? LAKE_OK : LAKE_ENOMEM;
}

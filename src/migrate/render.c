/* What the renderers share. */
#include "migrate/render.h"

#include "sql/quote.h"

void lake__render_destructive(lake__buf *b, const char *reason) {
    lake__buf_puts(b, "-- DESTRUCTIVE: ");
    lake__buf_puts(b, reason);
    lake__buf_putc(b, '\n');
}

static void keys(lake__buf *b, const lake_schema *s, bool merge, lake_engine engine) {
    size_t k = 0;
    lake__buf_putc(b, '(');
    for (size_t i = 0; s && i < lake_schema_column_count(s); i++) {
        const lake_column *c = lake_schema_column(s, i);
        if (!(merge ? c->merge_key : c->primary_key)) continue;
        if (k++) lake__buf_puts(b, ", ");
        lake__sql_quote_ident(b, c->name, engine);
    }
    lake__buf_putc(b, ')');
}

/* "-- merge keys: (a) -> (a, b)": keys that live in lakeorm, not in DDL. */
void lake__render_key_comment(lake__buf *b, const lake__diff *d, bool merge, lake_engine engine) {
    lake__buf_puts(b, merge ? "-- merge keys: " : "-- primary key: ");
    keys(b, d->before, merge, engine);
    lake__buf_puts(b, " -> ");
    keys(b, d->after, merge, engine);
    lake__buf_putc(b, '\n');
}

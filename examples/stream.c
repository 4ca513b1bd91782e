/* SPDX-License-Identifier: MIT */
/* stream: both directions in constant memory. A request fed batch by batch
 * (as records arrive from a socket or a file) commits all at once; a read
 * streams rows one at a time however many there are. */
#include <stdio.h>

#include <lakeorm.h>

typedef struct click {
    int64_t  user_id;
    lake_str page;
    lake_ts  clicked_at;
} click;

static const lake_field click_fields[] = {
    LAKE_FIELD(click, user_id, "user_id", "min=1"),
    LAKE_FIELD(click, page, "page", "required,startswith=/"),
    LAKE_FIELD(click, clicked_at, "clicked_at", ""),
};
static const lake_model click_model = LAKE_MODEL(click, "clicks", click_fields);

int main(void) {
    static const char *pages[] = {"/", "/pricing", "/docs", "/blog"};
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    lake_ingest *ingest = NULL;
    lake_rows *rows = NULL;
    if (lake_schema_of(&schema, &click_model, &err) || lake_client_open(&client, NULL, &err) ||
        lake_client_migrate(client, schema, &err) || lake_client_ingest_begin(client, schema, NULL, &ingest, &err))
        goto fail;

    click batch[1000];
    for (int b = 0; b < 100; b++) { /* 100 batches of 1000: one request, one ingest id */
        for (int i = 0; i < 1000; i++) {
            const char *p = pages[(b + i) % 4];
            batch[i] = (click){1 + (b * 1000 + i) % 5000, {p, 0}, {1700000000000000LL + b * 1000 + i}};
            while (p[batch[i].page.len]) batch[i].page.len++;
        }
        if (lake_ingest_append(ingest, batch, 1000, &err)) goto fail;
    }
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    lake_ingest *done = ingest;
    ingest = NULL;
    if (lake_ingest_commit(done, &r, &err)) goto fail;
    printf("committed %llu clicks in one request\n", (unsigned long long)r.rows);

    lake_source by_time = LAKE_SQL("SELECT * FROM clicks ORDER BY clicked_at");
    if (lake_client_rows(client, schema, &by_time, &rows, &err)) goto fail;
    const void *rec;
    long long seen = 0, docs = 0;
    while (lake_rows_next(rows, &rec, &err) == LAKE_OK && rec) {
        const click *c = rec;
        seen++;
        docs += c->page.len == 5 && c->page.ptr[1] == 'd';
    }
    lake_rows_close(rows);
    if (err.code) goto fail;
    printf("streamed %lld rows back, %lld of them on /docs\n", seen, docs);
    lake_client_close(client);
    return seen == 100000 ? 0 : 1;
fail:
    fprintf(stderr, "stream: %s\n", err.message);
    lake_error_clear(&err);
    lake_ingest_abort(ingest);
    lake_client_close(client);
    return 1;
}

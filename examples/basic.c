/* SPDX-License-Identifier: MIT */
/* basic: describe a table once, create it, insert records, read them back typed.
 * Usage: example_basic [DATABASE]   (default: an in-memory database) */
#include <stdio.h>
#include <string.h>

#include <lakeorm.h>

typedef struct book {
    int64_t  id;
    lake_str title;
    lake_str author;
    lake_opt_i32 year;  /* nullable: the C type says so */
} book;

static const lake_field book_fields[] = {
    LAKE_FIELD(book, id, "id,pk", "min=1"),
    LAKE_FIELD(book, title, "title", "required,max=200"),
    LAKE_FIELD(book, author, "author", "required"),
    LAKE_FIELD(book, year, "year", "omitempty,gte=1450"),
};
static const lake_model book_model = LAKE_MODEL(book, "books", book_fields);

#define S(text) ((lake_str){text, sizeof text - 1})

static int print_book(void *ctx, const void *record) {
    const book *b = record;
    (void)ctx;
    printf("%lld  %.*s, by %.*s", (long long)b->id, (int)b->title.len, b->title.ptr, (int)b->author.len, b->author.ptr);
    if (b->year.valid) printf(" (%d)", b->year.v);
    printf("\n");
    return 0;
}

int main(int argc, char **argv) {
    lake_error err = LAKE_ERROR_INIT;
    const lake_schema *schema;
    lake_client *client = NULL;
    lake_client_options opts = LAKE_CLIENT_OPTIONS_INIT;
    opts.database = argc > 1 ? argv[1] : NULL;
    if (lake_schema_of(&schema, &book_model, &err) || lake_client_open(&client, &opts, &err) ||
        lake_client_migrate(client, schema, &err))
        goto fail;

    book books[] = {
        {1, S("The C Programming Language"), S("Kernighan and Ritchie"), {1978, true}},
        {2, S("Lions' Commentary on UNIX"), S("John Lions"), {1977, true}},
        {3, S("A Book of Unknown Date"), S("Anonymous"), {0, false}},
    };
    lake_insert_result result = LAKE_INSERT_RESULT_INIT;
    if (lake_client_insert(client, schema, books, 3, NULL, &result, &err)) goto fail;
    char id[LAKE_UUID_TEXT_LEN + 1];
    lake_uuid_format(&result.ingest_id, id);
    printf("inserted %llu books as ingest %s\n", (unsigned long long)result.rows, id);

    lake_source all = LAKE_SQL("SELECT * FROM books ORDER BY id");
    if (lake_client_query(client, schema, &all, print_book, NULL, &err)) goto fail;
    lake_client_close(client);
    return 0;
fail:
    fprintf(stderr, "basic: %s\n", err.message);
    lake_error_clear(&err);
    lake_client_close(client);
    return 1;
}

/* SPDX-License-Identifier: MIT */
/* Engine type texts compared by structure: DuckDB's and Spark's spellings,
 * differences named by their path, hostile member names, and texts that are
 * not types left to a whole-text comparison. */
#include "lake_test.h"
#include "migrate/type_text.h"

static void expect(const char *model, const char *table, int rc, const char *path, const char *what) {
    lake__type_difference d;
    int got = lake__type_text_compare(model, table, &d);
    if (got != rc) LAKE_FAIL_AT("compare(%s, %s) = %d, want %d", model, table, got, rc);
    if (rc != 1) return;
    CHECK_EQ_STR(d.path, path);
    CHECK_EQ_STR(d.what, what);
}

static void alike_types_have_no_difference(void) {
    expect("STRUCT(sku VARCHAR, price DECIMAL(10,2), marks INTEGER[])[]",
           "STRUCT(sku VARCHAR, price DECIMAL(10,2), marks INTEGER[])[]", 0, NULL, NULL);
    expect("MAP(VARCHAR, BIGINT[])", "MAP(VARCHAR, BIGINT[])", 0, NULL, NULL);
    expect("array<struct<sku:string,price:decimal(10,2),marks:array<int>>>",
           "array<struct<sku:string,price:decimal(10,2),marks:array<int>>>", 0, NULL, NULL);
    expect("map<string,array<bigint>>", "map<string,array<bigint>>", 0, NULL, NULL);
    expect("TIMESTAMP WITH TIME ZONE", "TIMESTAMP WITH TIME ZONE", 0, NULL, NULL);
    expect("JSON", "JSON", 0, NULL, NULL);
    expect("INTEGER[][]", "INTEGER[][]", 0, NULL, NULL);
}

static void differences_are_named_by_their_path(void) {
    expect("STRUCT(sku VARCHAR, price DECIMAL(10,2))[]", "STRUCT(sku VARCHAR, price DECIMAL(12,2))[]", 1,
           ".element.price", "the table has DECIMAL(12,2), the model says DECIMAL(10,2)");
    expect("array<struct<sku:string,price:decimal(10,2)>>", "array<struct<sku:string,price:decimal(12,2)>>", 1,
           ".element.price", "the table has decimal(12,2), the model says decimal(10,2)");
    expect("MAP(VARCHAR, BIGINT[])", "MAP(VARCHAR, INTEGER[])", 1, ".value.element",
           "the table has INTEGER, the model says BIGINT");
    expect("map<string,array<bigint>>", "map<string,bigint>", 1, ".value",
           "the table has bigint, the model says array<bigint>");
    expect("STRUCT(a INTEGER, b STRUCT(c VARCHAR, d INTEGER))", "STRUCT(a INTEGER, b STRUCT(c VARCHAR))", 1, ".b.d",
           "the table has no such member, the model says INTEGER");
    expect("struct<a:int>", "struct<a:int,z:string>", 1, ".z", "the table has this member (string), the model does not");
    expect("STRUCT(a INTEGER, b VARCHAR)", "STRUCT(b VARCHAR, a INTEGER)", 1, "",
           "the members are in another order: the table has (b, a), the model (a, b)");
    expect("BIGINT", "INTEGER", 1, "", "the table has INTEGER, the model says BIGINT");
    expect("JSON", "VARCHAR", 1, "", "the table has VARCHAR, the model says JSON");
}

/* DuckDB quotes a name with "..." and Spark with `...`, doubling the quote;
 * a name may hold the other engine's separators. */
static void quoted_member_names_are_read_whole(void) {
    expect("STRUCT(\"a b\" INTEGER, \"q\"\"x\" VARCHAR, \"c:d\" INTEGER[])",
           "STRUCT(\"a b\" INTEGER, \"q\"\"x\" VARCHAR, \"c:d\" INTEGER[])", 0, NULL, NULL);
    expect("STRUCT(\"a b\" INTEGER, \"q\"\"x\" VARCHAR)", "STRUCT(\"a b\" INTEGER, \"q\"\"x\" BIGINT)", 1, ".q\"x",
           "the table has BIGINT, the model says VARCHAR");
    expect("struct<`a b`:int,`q``x`:string>", "struct<`a b`:bigint,`q``x`:string>", 1, ".a b",
           "the table has bigint, the model says int");
    expect("STRUCT(\"a, b\" INTEGER)", "STRUCT(\"a, b\" INTEGER)", 0, NULL, NULL);
}

static void texts_that_are_not_types_are_refused(void) {
    expect("STRUCT(a INTEGER", "STRUCT(a INTEGER)", -1, NULL, NULL);
    expect("MAP(VARCHAR)", "MAP(VARCHAR)", -1, NULL, NULL);
    expect("", "INTEGER", -1, NULL, NULL);
    expect("STRUCT(\"a INTEGER)", "INTEGER", -1, NULL, NULL);
    expect("INTEGER) x", "INTEGER", -1, NULL, NULL);
}

int main(void) {
    LAKE_RUN(alike_types_have_no_difference);
    LAKE_RUN(differences_are_named_by_their_path);
    LAKE_RUN(quoted_member_names_are_read_whole);
    LAKE_RUN(texts_that_are_not_types_are_refused);
    return lake_test_summary();
}

/* SPDX-License-Identifier: MIT */
/* The redaction rule (src/util/redact.c): userinfo after "://", values of
 * credential keys in queries and connection strings, nested URLs, and text cut
 * short by the buffer still without the secret. */
#include "lake_test.h"
#include "util/redact.h"

static const char *redacted(const char *text) {
    static char out[512];
    return lake__redact(text, out, sizeof out);
}

static void userinfo_is_hidden(void) {
    CHECK_EQ_STR(redacted("s3://AKID:SECRET@lake/p"), "s3://***@lake/p");
    CHECK_EQ_STR(redacted("s3://AKID:SE/CRET@lake/p?region=x"), "s3://***@lake/p?region=x");
    CHECK_EQ_STR(redacted("https://user:p@ss@host/sql/1.0/warehouses/a;wait=5"), "https://***@host/sql/1.0/warehouses/a;wait=5");
    CHECK_EQ_STR(redacted("http://127.0.0.1:9000"), "http://127.0.0.1:9000");
    CHECK_EQ_STR(redacted("file:///var/lake"), "file:///var/lake");
}

static void credential_values_are_hidden(void) {
    CHECK_EQ_STR(redacted("s3://b/p?region=eu&secret_access_key=X1&profile=dev"),
                 "s3://b/p?region=eu&secret_access_key=***&profile=dev");
    CHECK_EQ_STR(redacted("sc://host:15002/;user_id=me;token=T0K3N;use_ssl=true"),
                 "sc://host:15002/;user_id=me;token=***;use_ssl=true");
    CHECK_EQ_STR(redacted("https://h/sql/1.0/warehouses/w;client_id=app;client_secret=S"),
                 "https://h/sql/1.0/warehouses/w;client_id=app;client_secret=***");
    CHECK_EQ_STR(redacted("https://b.s3.amazonaws.com/k?X-Amz-Date=1&X-Amz-Signature=abc&x-amz-credential=A%2F1"),
                 "https://b.s3.amazonaws.com/k?X-Amz-Date=***&X-Amz-Signature=***&x-amz-credential=***");
    CHECK_EQ_STR(redacted("password=pw sig=s apikey=k Authorization=Bearer"), "password=*** sig=*** apikey=*** Authorization=***");
    CHECK_EQ_STR(redacted("chunk_size=big"), "chunk_size=big");
    CHECK(lake__redact_secret_key("AWS_SESSION_TOKEN", 17));
    CHECK(!lake__redact_secret_key("endpoint", 8));
}

static void nested_urls_are_redacted_too(void) {
    CHECK_EQ_STR(redacted("s3://lake/p?endpoint=http://AKID:SECRET@127.0.0.1:9000&region=us-east-1"),
                 "s3://lake/p?endpoint=http://***@127.0.0.1:9000&region=us-east-1");
    CHECK_EQ_STR(redacted("duckdb:///x?staging=s3://lake/p?session_token=abc"), "duckdb:///x?staging=s3://lake/p?session_token=***");
}

static void a_short_buffer_cuts_after_redacting(void) {
    char out[24];
    CHECK_EQ_STR(lake__redact("s3://b/p?token=SECRETSECRETSECRET&x=1", out, sizeof out), "s3://b/p?token=***&x=1");
    CHECK_EQ_STR(lake__redact("s3://AKID:SECRETSECRETSECRET@bucket-with-a-long-name/p", out, sizeof out),
                 "s3://***@bucket-with-a-");
    CHECK_EQ_STR(lake__redact(NULL, out, sizeof out), "");
    CHECK_EQ_STR(lake__redact("abc", out, 1), "");
}

int main(void) {
    LAKE_RUN(userinfo_is_hidden);
    LAKE_RUN(credential_values_are_hidden);
    LAKE_RUN(nested_urls_are_redacted_too);
    LAKE_RUN(a_short_buffer_cuts_after_redacting);
    return lake_test_summary();
}

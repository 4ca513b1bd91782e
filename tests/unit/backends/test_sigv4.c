/* SPDX-License-Identifier: MIT */
/* The SigV4 signer against AWS's published test suite (aws-sig-v4-test-suite:
 * credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, service
 * "service") and the S3 developer guide's GET-object example. */
#include "backends/s3/sigv4.h"
#include "lake_test.h"

static const lake__sigv4 suite = {"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "us-east-1", "service",
                                  "20150830T123600Z"};

typedef struct vector {
    const char *name, *method, *path;
    lake__kv query[3];
    size_t nquery;
    lake__kv headers[4]; /* besides host and x-amz-date */
    size_t nheaders;
    const char *body;
    const char *signed_headers, *signature;
} vector;

static const vector vectors[] = {
    {"get-vanilla", "GET", "/", {{0}}, 0, {{0}}, 0, "", "host;x-amz-date",
     "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
    {"get-vanilla-query-order-key-case", "GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}}, 2, {{0}}, 0, "",
     "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
    {"get-vanilla-empty-query-key", "GET", "/", {{"Param1", "value1"}}, 1, {{0}}, 0, "", "host;x-amz-date",
     "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
    {"get-unreserved", "GET", "/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", {{0}}, 0, {{0}}, 0,
     "", "host;x-amz-date", "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
    {"get-utf8", "GET", "/\xE1\x88\xB4", {{0}}, 0, {{0}}, 0, "", "host;x-amz-date",
     "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
    {"get-vanilla-utf8-query", "GET", "/", {{"\xE1\x88\xB4", "bar"}}, 1, {{0}}, 0, "", "host;x-amz-date",
     "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
    {"get-vanilla-query-unreserved", "GET", "/",
     {{"-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz",
       "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}}, 1, {{0}}, 0, "", "host;x-amz-date",
     "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
    {"get-header-value-trim", "GET", "/", {{0}}, 0, {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}}, 2, "",
     "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
    {"get-header-key-duplicate", "GET", "/", {{0}}, 0,
     {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}}, 3, "",
     "host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
    {"post-header-key-sort", "POST", "/", {{0}}, 0, {{"My-Header1", "value1"}}, 1, "",
     "host;my-header1;x-amz-date", "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
    {"post-header-value-case", "POST", "/", {{0}}, 0, {{"My-Header1", "VALUE1"}}, 1, "",
     "host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
    {"post-sts-header-before", "POST", "/", {{0}}, 0,
     {{"X-Amz-Security-Token",
       "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8YUuwthA"
       "x7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE8YQcHNVXAkiY"
       "9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj2ICCR/oLxBA=="}},
     1, "", "host;x-amz-date;x-amz-security-token", "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead"},
    {"post-vanilla-query-nonunreserved", "POST", "/", {{"@#$%^", ""}, {"+", "/,?><`\";:\\|][{}"}}, 2, {{0}}, 0, "",
     "host;x-amz-date", "66c82657c86e26fb25238d0e69f011edc4c6df5ae71119d7cb98ed9b87393c1e"},
    {"post-x-www-form-urlencoded", "POST", "/", {{0}}, 0, {{"Content-Type", "application/x-www-form-urlencoded"}}, 1,
     "Param1=value1", "content-type;host;x-amz-date", "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a"},
};

static void the_aws_test_suite(void) {
    for (size_t i = 0; i < sizeof vectors / sizeof vectors[0]; i++) {
        const vector *v = &vectors[i];
        lake__kv headers[6] = {{"Host", "example.amazonaws.com"}, {"X-Amz-Date", "20150830T123600Z"}};
        for (size_t k = 0; k < v->nheaders; k++) headers[2 + k] = v->headers[k];
        char hash[65];
        lake__sha256_hex(v->body, strlen(v->body), hash);
        lake__buf out = LAKE__BUF_INIT;
        CHECK_EQ_INT(lake__sigv4_authorization(&out, &suite, v->method, v->path, v->query, v->nquery, headers,
                                               2 + v->nheaders, hash), 0);
        char want[400];
        snprintf(want, sizeof want, "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                                    "SignedHeaders=%s, Signature=%s", v->signed_headers, v->signature);
        if (strcmp(out.data, want)) fprintf(stderr, "  %s\n", v->name);
        CHECK_EQ_STR(out.data, want);
        lake__buf_dispose(&out);
    }
}

/* The S3 guide's example: GET /test.txt with a Range header, empty payload hash. */
static void the_s3_get_object_example(void) {
    const lake__sigv4 key = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1", "s3",
                             "20130524T000000Z"};
    const char *empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    lake__kv headers[] = {{"Host", "examplebucket.s3.amazonaws.com"}, {"Range", "bytes=0-9"},
                          {"x-amz-content-sha256", empty}, {"x-amz-date", "20130524T000000Z"}};
    lake__buf out = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__sigv4_authorization(&out, &key, "GET", "/test.txt", NULL, 0, headers, 4, empty), 0);
    CHECK_EQ_STR(out.data, "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                           "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                           "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    lake__buf_dispose(&out);
}

static void encoding_rules(void) {
    lake__buf b = LAKE__BUF_INIT;
    lake__uri_encode(&b, "a b/c+d=e~\xC3\xA9", 12, true);
    lake__buf_putc(&b, 0);
    CHECK_EQ_STR(b.data, "a%20b/c%2Bd%3De~%C3%A9");
    b.len = 0;
    lake__kv q[] = {{"uploads", ""}, {"prefix", "a b"}, {"list-type", "2"}};
    lake__canonical_query(&b, q, 3);
    lake__buf_putc(&b, 0);
    CHECK_EQ_STR(b.data, "list-type=2&prefix=a%20b&uploads=");
    lake__buf_dispose(&b);
}

int main(void) {
    LAKE_RUN(the_aws_test_suite);
    LAKE_RUN(the_s3_get_object_example);
    LAKE_RUN(encoding_rules);
    return lake_test_summary();
}

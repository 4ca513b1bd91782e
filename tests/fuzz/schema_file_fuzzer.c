/* SPDX-License-Identifier: MIT */
/* Schema files (and the tag and rule grammars inside them) against arbitrary
 * bytes. A file that parses must survive a round trip: to_json, parse again,
 * and to_json gives the same text. */
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    lake_schema *s = NULL, *again = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_parse(&s, (const char *)data, size, &err) == LAKE_OK) {
        char *a = NULL, *b = NULL;
        size_t alen, blen;
        if (lake_schema_to_json(s, &a, &alen)) abort();
        if (lake_schema_parse(&again, a, alen, &err)) abort();
        if (lake_schema_to_json(again, &b, &blen)) abort();
        if (alen != blen || memcmp(a, b, alen) != 0) abort();
        lake_free(a);
        lake_free(b);
    } else if (!err.message[0]) {
        abort();
    }
    lake_schema_free(s);
    lake_schema_free(again);
    lake_error_clear(&err);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* S3's XML answers come from the network: every parser lakeorm has for them,
 * over any bytes. No crash, no leak, no read past the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backends/s3/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int visit(void *ctx, const char *key, uint64_t size) {
    (void)size;
    *(size_t *)ctx += strlen(key); /* touch every byte handed out */
    return 0;
}

static int visit_upload(void *ctx, const char *key, const char *upload_id) {
    *(size_t *)ctx += strlen(key) + strlen(upload_id);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *xml = (const char *)data;
    lake__s3_error e;
    lake__s3_parse_error(xml, size, &e);
    char id[512], token[2048], key[1100], code[64];
    lake__s3_parse_upload_id(xml, size, id, sizeof id);
    int truncated;
    size_t seen = 0;
    lake__s3_parse_list(xml, size, visit, &seen, &truncated, token, sizeof token);
    lake__s3_parse_delete(xml, size, key, sizeof key, code, sizeof code);
    char next_id[2048];
    lake__s3_parse_uploads(xml, size, visit_upload, &seen, &truncated, token, next_id, sizeof token);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* GCS's JSON answers (listings, errors, tokens) come from the network: every
 * parser lakeorm has for them, over any bytes. */
#include <stdint.h>
#include <string.h>

#include "backends/gcs/json.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int visit(void *ctx, const char *name, uint64_t size) {
    (void)size;
    *(size_t *)ctx += strlen(name);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    const char *text = (const char *)data;
    char token[2048], message[300];
    size_t seen = 0;
    lake__gcs_parse_list(text, size, visit, &seen, token, sizeof token);
    lake__gcs_parse_error(text, size, message, sizeof message);
    static const char *const keys[] = {"access_token", "expires_in", "private_key"};
    char *values[3] = {NULL, NULL, NULL};
    if (lake__gcs_json_fields(text, size, keys, values, 3, NULL) == 0)
        for (int i = 0; i < 3; i++) lake__free(values[i]);
    return 0;
}

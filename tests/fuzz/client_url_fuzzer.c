/* SPDX-License-Identifier: MIT */
/* The client URL parser: CLI arguments and configuration files reach it.
 * Any bytes: no crash, no leak, and a success yields options the client
 * would accept or refuse cleanly. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"
#include "util/alloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *url = malloc(size + 1);
    if (!url) return 0;
    memcpy(url, data, size);
    url[size] = 0; /* a C string: stops at the first NUL like any caller's would */
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    char *storage;
    lake_error err = LAKE_ERROR_INIT;
    if (lake__client_url_parse(url, &o, &storage, &err) == LAKE_OK) {
        if (o.database) (void)strlen(o.database);
        if (o.staging) (void)strlen(o.staging);
        if (o.default_schema) (void)strlen(o.default_schema);
    } else if (!err.message[0]) {
        abort(); /* every refusal says why */
    }
    lake__free(storage);
    lake_error_clear(&err);
    free(url);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* What the object-store tests share: an upload fed in fixed-size writes, a
 * listing that counts what it saw, and a wait for a helper server's port. */
#ifndef LAKE_STORE_HELPERS_H
#define LAKE_STORE_HELPERS_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lake_test.h"

/* Whether something accepts connections on 127.0.0.1:port. */
static inline bool listening(int port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0;
    if (fd >= 0) close(fd);
    return ok;
}


static inline int put(lake_backend *b, const char *key, const void *data, size_t len, size_t chunk) {
    lake_upload *u;
    lake_sink sink;
    lake_error err = LAKE_ERROR_INIT;
    int rc = lake_backend_put_begin(b, key, &u, &sink, &err);
    for (size_t at = 0; !rc && at < len; at += chunk)
        rc = sink.write(sink.ctx, (const char *)data + at, len - at < chunk ? len - at : chunk, &err);
    if (!rc) rc = lake_backend_put_commit(u, &err);
    else lake_backend_put_abort(u);
    if (rc) fprintf(stderr, "  put %s: %s\n", key, err.message);
    lake_error_clear(&err);
    return rc;
}

typedef struct listing {
    size_t count;
    uint64_t bytes;
    char first[256], last[256];
} listing;

static inline int count(void *ctx, const char *key, uint64_t size) {
    listing *l = ctx;
    if (!l->count) snprintf(l->first, sizeof l->first, "%s", key);
    snprintf(l->last, sizeof l->last, "%s", key);
    l->count++;
    l->bytes += size;
    return LAKE_OK;
}

#endif

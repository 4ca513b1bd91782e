/* SPDX-License-Identifier: MIT */
/* A request's fingerprint: what an idempotency key is recorded with, so a
 * retry can be told from another request reusing the key. It is SHA-256 over
 * the table name and the values of every record the request wrote, in order,
 * fed batch by batch: the same records give the same fingerprint whichever
 * path, process or machine sends them. */
#ifndef LAKE_CLIENT_FINGERPRINT_H
#define LAKE_CLIENT_FINGERPRINT_H

#include <lakeorm/schema.h>

enum { LAKE__FINGERPRINT_HEX = 64 };

typedef struct lake__fingerprint {
    void *md; /* OpenSSL's EVP_MD_CTX */
} lake__fingerprint;

/* Starts one over `table`. LAKE_ENOMEM when OpenSSL cannot. */
int lake__fingerprint_begin(lake__fingerprint *f, const char *table, lake_error *err);
/* Adds `count` validated records (contiguous, or pointed to when ptrs). */
int lake__fingerprint_add(lake__fingerprint *f, const lake_schema *s, const void *records, const void *const *ptrs,
                          size_t count, lake_error *err);
/* The digest as lowercase hex into out; the fingerprint is disposed of. */
int lake__fingerprint_end(lake__fingerprint *f, char out[LAKE__FINGERPRINT_HEX + 1], lake_error *err);
/* Frees one not ended; safe on a zeroed or ended one. */
void lake__fingerprint_dispose(lake__fingerprint *f);

#endif

/* SPDX-License-Identifier: MIT */
/* S3's XML responses, read with expat into the few fields lakeorm uses. The
 * bytes come from the network: every parser here is fuzzed. */
#ifndef LAKE_BACKENDS_S3_XML_H
#define LAKE_BACKENDS_S3_XML_H

#include <stddef.h>
#include <stdint.h>

#include <lakeorm/error.h>

/* <Error><Code/><Message/><RequestId/><Key/></Error>; fields "" when absent.
 * Returns 0 when the body is such an error document. */
typedef struct lake__s3_error {
    char code[64], message[256], request_id[128], key[256];
} lake__s3_error;
int lake__s3_parse_error(const char *xml, size_t len, lake__s3_error *out);

/* InitiateMultipartUploadResult/UploadId into out (cap bytes); 0 on success. */
int lake__s3_parse_upload_id(const char *xml, size_t len, char *out, size_t cap);

/* ListBucketResult: fn for each Contents (key, size); *truncated and the next
 * continuation token (cap bytes). A non-zero return from fn stops and is
 * returned; -1 when the document is malformed. */
typedef int (*lake__s3_object_fn)(void *ctx, const char *key, uint64_t size);
int lake__s3_parse_list(const char *xml, size_t len, lake__s3_object_fn fn, void *ctx, int *truncated, char *token,
                        size_t cap);

/* ListMultipartUploadsResult: fn for each Upload (key, upload id); *truncated
 * and the markers to ask for the next page with (cap bytes each). A non-zero
 * return from fn stops and is returned; -1 when the document is malformed. */
typedef int (*lake__s3_upload_fn)(void *ctx, const char *key, const char *upload_id);
int lake__s3_parse_uploads(const char *xml, size_t len, lake__s3_upload_fn fn, void *ctx, int *truncated,
                           char *next_key, char *next_upload_id, size_t cap);

/* DeleteResult: the first <Error> entry's key and code, if any; 0 when the
 * document parses (check failed_key[0] for a failure). */
int lake__s3_parse_delete(const char *xml, size_t len, char *failed_key, size_t key_cap, char *code, size_t code_cap);

#endif

/* SPDX-License-Identifier: MIT */
/* What an Iceberg REST catalog answers (open-api/rest-catalog-open-api.yaml
 * in apache/iceberg), read without the network: the catalog's
 * configuration, a table's metadata (LoadTableResult, CommitTableResponse),
 * a list of namespaces, an error document and an OAuth2 token. Network input: fuzzed
 * (tests/fuzz/iceberg_rest_response_fuzzer.c). */
#ifndef LAKE_FORMATS_ICEBERG_REST_RESPONSE_H
#define LAKE_FORMATS_ICEBERG_REST_RESPONSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <lakeorm/error.h>
#include <lakeorm/json.h>

#include "formats/iceberg/catalog.h"
#include "util/buf.h"

/* A CatalogConfig: the path prefix the server asks for ("overrides" over
 * "defaults", as the spec orders them), into arena; NULL when neither has
 * one. LAKE_EREMOTE when the answer is malformed or the prefix could not
 * stand in a URL path (empty, '?', '#', "..", blanks, control bytes). */
int lake__iceberg_rest_config_read(const char *json, size_t len, lake_arena *arena, const char **prefix,
                                   lake_error *err);

/* A LoadTableResult or CommitTableResponse: "metadata-location" into
 * location (Hadoop's file:/abs written as the URI file:///abs), the
 * "metadata" object's text into metadata, as lake__json_copy normalizes it.
 * Both buffers are emptied first. With storage (NULL: not read), the storage
 * properties vended for the table (catalog.h's lake__iceberg_storage: the
 * "config" map overlaid by the "storage-credentials" entry with the longest
 * prefix of the metadata location), their strings into arena. LAKE_EREMOTE
 * naming what is missing or malformed (never a vended value); LAKE_ENOMEM. */
int lake__iceberg_rest_table_read(const char *json, size_t len, lake__buf *location, lake__buf *metadata,
                                  lake_arena *arena, lake__iceberg_storage *storage, lake_error *err);

/* A ListNamespacesResponse ({"namespaces":[["a"],["b","c"]],
 * "next-page-token":..}): each namespace's levels joined by '.', appended
 * to names NUL-terminated one after the other (*count of them), and the
 * next page's token into arena (NULL on the last page). LAKE_EREMOTE when
 * malformed (a level that is not a string, an empty namespace); LAKE_ENOMEM. */
int lake__iceberg_rest_namespaces_read(const char *json, size_t len, lake_arena *arena, lake__buf *names,
                                       size_t *count, const char **next_token, lake_error *err);

/* An IcebergErrorResponse ({"error":{"message":..,"type":..,"code":..}}):
 * its message and type into arena, each NULL when absent. False when the
 * text is not such a document. */
bool lake__iceberg_rest_error_read(const char *json, size_t len, lake_arena *arena, const char **message,
                                   const char **type);

/* An OAuth2 token response (RFC 6749 section 5.1): access_token into arena,
 * expires_in in seconds (0 when not given). LAKE_EAUTH when there is no
 * token. */
int lake__iceberg_rest_token_read(const char *json, size_t len, lake_arena *arena, const char **token,
                                  int64_t *expires_in, lake_error *err);

/* Whether a bearer token can go into a header as it is: visible ASCII only
 * (RFC 6750's b64token is narrower), so no token can end the header line. */
bool lake__iceberg_rest_token_usable(const char *token);

#endif

/* SPDX-License-Identifier: MIT */
/* lake_components: the libraries this build links, asked for their versions
 * at run time, because a shared library upgraded under lakeorm is what a
 * support question needs to know (lakeorm doctor prints them). It names
 * every part's library, so it sits above the folders, beside lakeorm.map:
 * the client's code names no engine (tests/seams). */
#include <duckdb.h>
#include <lz4.h>
#include <openssl/crypto.h>
#include <sqlite3.h>
#include <zlib.h>
#include <zstd.h>

#include <lakeorm/common.h>

#ifdef LAKE_WITH_HTTP
#include <curl/curl.h>
#endif
#ifdef LAKE_WITH_S3
#include <expat.h>
#endif
#ifdef LAKE_WITH_SPARK
#include <grpc/grpc.h>
#include <protobuf-c/protobuf-c.h>
#endif

void lake_components(lake_component_fn fn, void *ctx) {
    if (!fn) return;
    fn(ctx, "lakeorm", lake_version());
    fn(ctx, "duckdb", duckdb_library_version());
#ifdef LAKE_WITH_HTTP
    fn(ctx, "libcurl", curl_version_info(CURLVERSION_NOW)->version);
#endif
    fn(ctx, "OpenSSL", OpenSSL_version(OPENSSL_VERSION));
    fn(ctx, "zstd", ZSTD_versionString());
    fn(ctx, "lz4", LZ4_versionString());
    fn(ctx, "zlib", zlibVersion());
    fn(ctx, "sqlite", sqlite3_libversion());
#ifdef LAKE_WITH_S3
    fn(ctx, "expat", XML_ExpatVersion());
#endif
#ifdef LAKE_WITH_SPARK
    fn(ctx, "gRPC", grpc_version_string());
    fn(ctx, "protobuf-c", protobuf_c_version());
#endif
}

/* SPDX-License-Identifier: MIT */
/* Unity Catalog volumes as a backend, against tests/databricks/server.py's
 * Files API on a local folder, without Spark: the backend contract,
 * listings over several pages, folders removed with their last file, a
 * refused token said plainly, volume paths and hostile listings refused, and a Databricks
 * client staging on a volume (PAT and OAuth) with cleanup-staging over it.
 * The staged inserts themselves, read by the warehouse, are in test_client.c. */
#include <curl/curl.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "../backends/backend_contract.h"
#include "fake_warehouse.h"

#include "backends/volumes/answer.h"
#include "backends/volumes/volumes.h"
#include "client/client.h"
#include "util/alloc.h"
#include "util/buf.h"

static char state[64], volumes[128];

/* ---- a bearer source for the backend alone: a fixed token */

typedef struct fixed_token {
    const char *token;
    int refusals; /* 401s the backend reported */
} fixed_token;

static int fixed_header(void *ctx, char *out, size_t cap, lake_error *err) {
    (void)err;
    snprintf(out, cap, "Authorization: Bearer %s", ((fixed_token *)ctx)->token);
    return LAKE_OK;
}

static bool fixed_refused(void *ctx, const char *header) {
    (void)header;
    ((fixed_token *)ctx)->refusals++;
    return false; /* a personal access token does not change */
}

static lake_backend *open_volume(const char *path, fixed_token *t) {
    lake__bearer auth = {fixed_header, fixed_refused, t};
    lake_backend *b = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__volume_backend_open(&b, warehouse_url, path, &auth, &err), &err);
    return b;
}

static fixed_token good = {"dapi-test", 0};

static bool exists(const char *local) {
    char path[400];
    snprintf(path, sizeof path, "%s/%s", volumes, local);
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- the cases */

static void keeps_the_backend_contract(void) {
    long made = stat_of("directories_made");
    backend_contract(open_volume("/Volumes/main/lake/stage/contract", &good), "/Volumes/main/lake/stage/contract");
    /* The fake refuses an upload into a missing folder: the backend made it, then uploaded again. */
    CHECK(stat_of("directories_made") > made);
}

static void lists_across_pages(void) {
    lake_backend *b = open_volume("dbfs:/Volumes/main/lake/stage/pages/", &good);
    CHECK_EQ_STR(lake_backend_url(b), "/Volumes/main/lake/stage/pages");
    CHECK_EQ_INT(lake_backend_reach(b), LAKE_REACH_NETWORK);
    char key[64];
    for (int i = 0; i < 7; i++) {
        snprintf(key, sizeof key, "_staging/a/part-%05d.parquet", i);
        CHECK_OK(put(b, key, "x"), NULL);
    }
    CHECK_OK(put(b, "_staging/b/part-00000.parquet", "yy"), NULL);
    CHECK_OK(put(b, "_staging/ab", "z"), NULL);
    long pages = stat_of("directory_pages");
    /* The server answers 2 entries a page: _staging (2 pages), _staging/a (4), _staging/b (1). */
    CHECK_EQ_STR(list(b, "_staging/"),
                 "_staging/a/part-00000.parquet=1 _staging/a/part-00001.parquet=1 _staging/a/part-00002.parquet=1 "
                 "_staging/a/part-00003.parquet=1 _staging/a/part-00004.parquet=1 _staging/a/part-00005.parquet=1 "
                 "_staging/a/part-00006.parquet=1 _staging/ab=1 _staging/b/part-00000.parquet=2");
    CHECK_EQ_INT(stat_of("directory_pages") - pages, 7);
    /* A prefix inside a folder's name lists that folder only, not its siblings' contents. */
    pages = stat_of("directory_pages");
    CHECK_EQ_STR(list(b, "_staging/b"), "_staging/b/part-00000.parquet=2");
    CHECK_EQ_INT(stat_of("directory_pages") - pages, 3);
    CHECK_EQ_STR(list(b, "nothing/here"), "");
    size_t deleted;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_delete_prefix(b, "_staging/a/", &deleted, &err), &err);
    CHECK_EQ_INT(deleted, 7);
    CHECK(!exists("main/lake/stage/pages/_staging/a")); /* the folder went with its last file */
    CHECK(exists("main/lake/stage/pages/_staging/b"));
    CHECK_OK(lake_backend_delete_prefix(b, "", &deleted, &err), &err);
    CHECK_EQ_INT(deleted, 2);
    CHECK(!exists("main/lake/stage/pages/_staging")); /* up to the backend's root, which stays */
    CHECK(exists("main/lake/stage/pages"));
    lake_backend_free(b);
}

static void a_refused_token_is_said_plainly(void) {
    fixed_token bad = {"dapi-wrong", 0};
    lake_backend *b = open_volume("/Volumes/main/lake/stage/refused", &bad);
    lake_upload *u;
    lake_sink sink;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_put_begin(b, "_staging/x/part-00000.parquet", &u, &sink, &err), &err);
    CHECK_OK(sink.write(sink.ctx, "PAR1", 4, &err), &err);
    CHECK_STATUS(lake_backend_put_commit(u, &err), LAKE_EAUTH, &err);
    CHECK_EQ_INT(err.kind, LAKE_KIND_PERMISSION);
    CHECK_CONTAINS(err.message, "databricks volume: PUT /Volumes/main/lake/stage/refused/_staging/x/part-00000.parquet");
    CHECK_CONTAINS(err.message, "HTTP 401 UNAUTHENTICATED: Invalid access token");
    CHECK_CONTAINS(err.message, "check the token");
    CHECK(!strstr(err.message, "dapi-wrong")); /* the secret is never repeated */
    CHECK_EQ_INT(bad.refusals, 1);             /* asked once whether a new token could help */
    CHECK_STATUS(lake_backend_list(b, "", note, NULL, &err), LAKE_EAUTH, &err);
    lake_backend_free(b);
    lake_error_clear(&err);
}

static void volume_paths_are_checked(void) {
    static const char *bad[] = {"/Volumes/main/lake", "/Volumes/main//lake/v", "/Volumes/main/../v/x",
                                "/Volume/main/lake/v", "dbfs:/Volumes/a/./c"};
    lake__bearer auth = {fixed_header, fixed_refused, &good};
    lake_error err = LAKE_ERROR_INIT;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        lake_backend *b = NULL;
        CHECK_STATUS(lake__volume_backend_open(&b, warehouse_url, bad[i], &auth, &err), LAKE_EINVAL, &err);
        CHECK_CONTAINS(err.message, "/Volumes/<catalog>/<schema>/<volume>");
        CHECK(b == NULL);
    }
    /* Outside a Databricks client, a volume is not a backend URL: said so, not "unknown scheme". */
    lake_backend *b = NULL;
    CHECK_STATUS(lake_backend_open(&b, "/Volumes/main/lake/stage", &err), LAKE_ENOTSUP, &err);
    CHECK_CONTAINS(err.message, "databricks driver");
    lake_error_clear(&err);
}

/* A listing is network input: an entry whose name would leave its folder,
 * or a page of another shape, is refused whole. */
static void hostile_listings_are_refused(void) {
    static const char *const bad[] = {
        "{\"contents\":[{\"name\":\"..\",\"is_directory\":true}]}",
        "{\"contents\":[{\"name\":\"a/b\",\"file_size\":1}]}",
        "{\"contents\":[{\"name\":\"\",\"file_size\":1}]}",
        "{\"contents\":[{\"name\":\"a\\u0000b\",\"file_size\":1}]}",
        "{\"contents\":[{\"name\":\"a\",\"file_size\":-1}]}",
        "{\"contents\":{}}",
        "{\"contents\":[],\"next_page_token\":7}",
        "[]",
        "{\"contents\":[]} trailing",
    };
    lake_arena *arena;
    CHECK(lake_arena_new(&arena) == 0);
    lake__volume_entry *e;
    size_t n;
    const char *token;
    lake_error err = LAKE_ERROR_INIT;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CHECK_STATUS(lake__volume_parse_page(bad[i], strlen(bad[i]), arena, &e, &n, &token, &err), LAKE_EREMOTE, &err);
        CHECK_CONTAINS(err.message, "a directory listing that is not one");
    }
    const char *page = "{\"contents\":[{\"path\":\"/Volumes/c/s/v/d\",\"name\":\"d\",\"is_directory\":true,"
                       "\"last_modified\":1},{\"name\":\"f\",\"is_directory\":false,\"file_size\":12}],"
                       "\"next_page_token\":\"abc\",\"other\":[1]}";
    CHECK_OK(lake__volume_parse_page(page, strlen(page), arena, &e, &n, &token, &err), &err);
    CHECK_EQ_INT(n, 2);
    CHECK(e[0].directory && !strcmp(e[0].name, "d") && !e[1].directory && e[1].size == 12);
    CHECK_EQ_STR(token, "abc");
    CHECK_OK(lake__volume_parse_page("{}", 2, arena, &e, &n, &token, &err), &err);
    CHECK(n == 0 && token == NULL);
    lake_arena_free(arena);
    lake_error_clear(&err);
}

static lake_client *open_client(const char *keys, const char *staging) {
    char database[400];
    snprintf(database, sizeof database, "%s/sql/1.0/warehouses/wh-test;%s", warehouse_url, keys);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.driver = "databricks";
    o.database = database; /* no default schema: opening runs no statement (this server has no Spark) */
    o.staging = staging;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    return c;
}

/* What a crashed insert leaves on a volume, cleanup-staging finds and removes, folders included;
 * with a service principal's OAuth token as well as a personal access token. */
static void cleanup_staging_over_a_volume(void) {
    static const char *const keys[] = {"token=dapi-test", "client_id=sp-test;client_secret=sp-secret"};
    for (size_t k = 0; k < 2; k++) {
        lake_client *c = open_client(keys[k], "/Volumes/main/lake/stage/cleanup");
        CHECK_EQ_STR(lake_backend_url(c->staging), "/Volumes/main/lake/stage/cleanup");
        lake_error err = LAKE_ERROR_INIT;
        CHECK_OK(lake_backend_put_if_absent(c->staging, "_staging/0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f/part-00001.parquet",
                                            "PAR1", 4, &err), &err);
        CHECK_OK(lake_backend_put_if_absent(c->staging, "_staging/0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f/part-00002.parquet",
                                            "PAR1", 4, &err), &err);
        CHECK(exists("main/lake/stage/cleanup/_staging/0190f6a3-5b1c-7d2e-8f00-1a2b3c4d5e6f"));
        lake_cleanup_report r = LAKE_CLEANUP_REPORT_INIT;
        CHECK_OK(lake_client_cleanup_staging(c, (int64_t)3600 * 1000000, &r, &err), &err);
        CHECK_EQ_INT(r.scanned, 1);
        CHECK_EQ_INT(r.deleted, 1);
        CHECK_EQ_INT(r.objects, 2);
        CHECK(!exists("main/lake/stage/cleanup/_staging"));
        lake_client_close(c);
        lake_error_clear(&err);
    }
    CHECK(stat_of("tokens_issued") >= 1);
}

int main(void) {
    snprintf(state, sizeof state, "%s/lake-volumes-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    if (!mkdtemp(state)) return 1;
    snprintf(volumes, sizeof volumes, "%s/volumes", state);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    const char *const options[] = {"--volumes", volumes, "--page-size", "2", "--client-id", "sp-test",
                                   "--client-secret", "sp-secret", NULL};
    start_server(NULL, state, options);
    LAKE_RUN(keeps_the_backend_contract);
    LAKE_RUN(lists_across_pages);
    LAKE_RUN(a_refused_token_is_said_plainly);
    LAKE_RUN(volume_paths_are_checked);
    LAKE_RUN(hostile_listings_are_refused);
    LAKE_RUN(cleanup_staging_over_a_volume);
    stop_server();
    curl_global_cleanup();
    char cmd[200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", state);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", state);
    return lake_test_summary();
}

/* SPDX-License-Identifier: MIT */
/* Deletion stays inside what it was asked to delete: staging cleanup on a
 * file:// root never follows a symbolic link (one at _staging/<id>, one
 * nested in a prefix, one to a file, _staging itself one) and deletes links as
 * links; an object store's listing that names a key outside the prefix is
 * refused before anything is deleted (a fake S3 server on loopback plays the
 * confused store), and so is any backend's. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backends/backend.h"
#include "lake_test.h"

/* UUIDv7s from 2022: any --older-than passes them. */
#define OLD_A "017f22e2-79b0-7000-8000-00000000000a"
#define OLD_B "017f22e2-79b0-7000-8000-00000000000b"
#define OLD_C "017f22e2-79b0-7000-8000-00000000000c"

static char base[64]; /* holds root/ (the staging root) and outside/ (what must survive) */
static char root[96], outside[96];

static void path_of(char *out, size_t cap, const char *dir, const char *rel) { snprintf(out, cap, "%s/%s", dir, rel); }

static void write_file(const char *dir, const char *rel, const char *text) {
    char path[512];
    path_of(path, sizeof path, dir, rel);
    for (char *p = path + strlen(dir) + 1; *p; p++) /* its folders */
        if (*p == '/') {
            *p = 0;
            mkdir(path, 0777);
            *p = '/';
        }
    FILE *f = fopen(path, "wb");
    CHECK(f != NULL);
    fputs(text, f);
    fclose(f);
}

static bool exists(const char *dir, const char *rel) {
    char path[512];
    struct stat st;
    path_of(path, sizeof path, dir, rel);
    return lstat(path, &st) == 0;
}

static void plant_link(const char *target, const char *rel) {
    char path[512];
    path_of(path, sizeof path, root, rel);
    CHECK(symlink(target, path) == 0);
}

static void remove_tree(const char *path) {
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", path);
    CHECK(system(cmd) == 0);
}

static void fresh(void) {
    remove_tree(root);
    remove_tree(outside);
    CHECK(mkdir(root, 0777) == 0 && mkdir(outside, 0777) == 0);
    write_file(outside, "keep.txt", "precious");
    write_file(outside, "part-00001.parquet", "precious");
    write_file(outside, OLD_C "/part-00001.parquet", "precious");
}

/* Runs lake_client_cleanup_staging over root and returns its report. */
static lake_cleanup_report cleanup(void) {
    char url[128];
    snprintf(url, sizeof url, "file://%s", root);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.staging = url;
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    lake_cleanup_report r = LAKE_CLEANUP_REPORT_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    int rc = lake_client_cleanup_staging(c, 3600 * (int64_t)1000000, &r, &err);
    lake_client_close(c);
    CHECK_OK(rc, &err);
    lake_error_clear(&err);
    return r;
}

static void outside_survives(void) {
    CHECK(exists(outside, "keep.txt"));
    CHECK(exists(outside, "part-00001.parquet"));
    CHECK(exists(outside, OLD_C "/part-00001.parquet"));
}

static void link_at_an_ingest_prefix_is_deleted_as_a_link(void) {
    fresh();
    write_file(root, "_staging/" OLD_A "/part-00001.parquet", "PAR1");
    plant_link(outside, "_staging/" OLD_B);
    lake_cleanup_report r = cleanup();
    outside_survives();
    CHECK(!exists(root, "_staging/" OLD_B)); /* the link went, as a link */
    CHECK(!exists(root, "_staging/" OLD_A)); /* the real old prefix went */
    CHECK_EQ_INT(r.deleted, 2);
    CHECK_EQ_INT(r.failed, 0);
}

static void link_nested_in_a_prefix_is_not_followed(void) {
    fresh();
    write_file(root, "_staging/" OLD_A "/part-00001.parquet", "PAR1");
    plant_link(outside, "_staging/" OLD_A "/nested");
    plant_link(outside, "_staging/" OLD_A "/deep");
    char file_target[256];
    path_of(file_target, sizeof file_target, outside, "keep.txt");
    plant_link(file_target, "_staging/" OLD_A "/part-00002.parquet");
    lake_cleanup_report r = cleanup();
    outside_survives();
    CHECK(!exists(root, "_staging/" OLD_A));
    CHECK_EQ_INT(r.deleted, 1);
    CHECK_EQ_INT(r.objects, 4); /* one part and three links */
}

static void staging_folder_that_is_a_link_is_not_walked(void) {
    fresh();
    plant_link(outside, "_staging");
    lake_cleanup_report r = cleanup();
    outside_survives();
    CHECK_EQ_INT(r.scanned, 0);
    CHECK_EQ_INT(r.deleted, 0);
}

/* A writer killed mid-upload leaves only its hidden temporary file: cleanup
 * finds the prefix through it and removes both, but nothing else hidden. */
static void killed_uploads_are_cleaned_up(void) {
    fresh();
    write_file(root, "_staging/" OLD_A "/.part-00001.parquet.tmp-0123456789abcdef", "PAR1");
    write_file(root, "_staging/" OLD_B "/part-00001.parquet", "PAR1");
    write_file(root, "_staging/" OLD_B "/.part-00002.parquet.tmp-fedcba9876543210", "PA");
    write_file(root, "_staging/" OLD_C "/.keep", "not an upload");
    lake_cleanup_report r = cleanup();
    outside_survives();
    CHECK(!exists(root, "_staging/" OLD_A));
    CHECK(!exists(root, "_staging/" OLD_B));
    CHECK(exists(root, "_staging/" OLD_C "/.keep"));
    CHECK_EQ_INT(r.deleted, 2);
    CHECK_EQ_INT(r.objects, 3);
}

static void listing_reports_links_without_following_them(void) {
    fresh();
    write_file(root, "_staging/" OLD_A "/part-00001.parquet", "PAR1");
    plant_link(outside, "_staging/" OLD_A "/nested");
    char url[128];
    snprintf(url, sizeof url, "file://%s", root);
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_backend_open(&b, url, &err), &err);
    size_t n = 0;
    CHECK_OK(lake_backend_delete_prefix(b, "_staging/" OLD_A "/nested", &n, &err), &err);
    CHECK_EQ_INT(n, 1);
    CHECK(!exists(root, "_staging/" OLD_A "/nested"));
    CHECK(exists(root, "_staging/" OLD_A "/part-00001.parquet"));
    outside_survives();
    lake_backend_free(b);
}

/* ---- a backend whose listing strays outside the prefix */

static int removed;

static int stray_list(lake_backend *b, const char *prefix, lake_object_fn fn, void *ctx, lake_error *err) {
    (void)b, (void)prefix, (void)err;
    int rc = fn(ctx, "_staging/" OLD_A "/part-00001.parquet", 4);
    return rc ? rc : fn(ctx, "tables/users/data.parquet", 4);
}

static int stray_remove(lake_backend *b, const char *key, lake_error *err) {
    (void)b, (void)key, (void)err;
    removed++;
    return LAKE_OK;
}

static void any_backend_refuses_a_listing_outside_the_prefix(void) {
    /* Only what deletion calls: built by hand, as lake_backend_new wants every required operation. */
    lake_backend b = {.ops = {.version = LAKE_BACKEND_OPS_VERSION, .list = stray_list, .remove = stray_remove}};
    lake_error err = LAKE_ERROR_INIT;
    size_t n = 99;
    removed = 0;
    CHECK_STATUS(lake_backend_delete_prefix(&b, "_staging/" OLD_A, &n, &err), LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "tables/users/data.parquet");
    CHECK_CONTAINS(err.message, "refused, nothing deleted");
    CHECK_EQ_INT(removed, 0);
    CHECK_EQ_INT(n, 0);
    lake_error_clear(&err);
}

#ifdef LAKE_WITH_S3
/* ---- a fake S3 server: lists one key of the prefix and one outside it, counts deletions */

typedef struct fake_s3 {
    int listener;
    int deletes; /* DELETE or POST ?delete requests seen */
    pthread_t thread;
} fake_s3;

static const char listing[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
    "<ListBucketResult><Name>lake</Name><IsTruncated>false</IsTruncated>"
    "<Contents><Key>stage/_staging/" OLD_A "/part-00001.parquet</Key><Size>4</Size></Contents>"
    "<Contents><Key>stage/tables/users/data.parquet</Key><Size>4</Size></Contents>"
    "</ListBucketResult>";

static void *serve(void *arg) {
    fake_s3 *s = arg;
    for (;;) {
        int fd = accept(s->listener, NULL, NULL);
        if (fd < 0) return NULL;
        char req[8192];
        size_t len = 0;
        ssize_t got;
        while (len < sizeof req - 1 && (got = read(fd, req + len, sizeof req - 1 - len)) > 0) {
            len += (size_t)got;
            req[len] = 0;
            char *end = strstr(req, "\r\n\r\n");
            if (!end) continue;
            char *cl = strcasestr(req, "Content-Length:");
            size_t body = cl && cl < end ? strtoul(cl + 15, NULL, 10) : 0;
            if (len >= (size_t)(end + 4 - req) + body) break;
        }
        req[len] = 0;
        bool list = !strncmp(req, "GET ", 4) && strstr(req, "list-type=2");
        if (!list && (strncmp(req, "GET ", 4) || strstr(req, "delete"))) __atomic_add_fetch(&s->deletes, 1, __ATOMIC_SEQ_CST);
        const char *body = list ? listing : "<DeleteResult></DeleteResult>";
        char head[256];
        int n = snprintf(head, sizeof head,
                         "HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                         strlen(body));
        if (write(fd, head, (size_t)n) < 0 || write(fd, body, strlen(body)) < 0) {}
        close(fd);
    }
}

static void s3_listing_outside_the_prefix_is_refused(void) {
    fake_s3 s = {socket(AF_INET, SOCK_STREAM, 0), 0, 0};
    CHECK(s.listener >= 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0};
    socklen_t alen = sizeof addr;
    CHECK(bind(s.listener, (struct sockaddr *)&addr, sizeof addr) == 0 && listen(s.listener, 16) == 0);
    CHECK(getsockname(s.listener, (struct sockaddr *)&addr, &alen) == 0);
    CHECK(pthread_create(&s.thread, NULL, serve, &s) == 0);
    char endpoint[64];
    snprintf(endpoint, sizeof endpoint, "http://127.0.0.1:%u", ntohs(addr.sin_port));
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    o.endpoint = endpoint;
    o.access_key = "fake";
    o.secret_key = "fake-secret";
    o.max_attempts = 1;
    lake_backend *b = NULL;
    lake_error err = LAKE_ERROR_INIT;
    size_t n = 99;
    int rc = lake_backend_open_s3(&b, "s3://lake/stage", &o, &err);
    if (!rc) rc = lake_backend_delete_prefix(b, "_staging/" OLD_A, &n, &err);
    lake_backend_free(b);
    shutdown(s.listener, SHUT_RDWR); /* ends accept: the server thread returns */
    close(s.listener);
    pthread_join(s.thread, NULL);
    CHECK_STATUS(rc, LAKE_EREMOTE, &err);
    CHECK_CONTAINS(err.message, "outside it: refused");
    CHECK_EQ_INT(s.deletes, 0);
    CHECK_EQ_INT(n, 0);
    lake_error_clear(&err);
}
#endif

int main(void) {
    const char *tmp = getenv("TMPDIR");
    snprintf(base, sizeof base, "%s/lake-bounds-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(base)) return 1;
    snprintf(root, sizeof root, "%s/root", base);
    snprintf(outside, sizeof outside, "%s/outside", base);
    LAKE_RUN(link_at_an_ingest_prefix_is_deleted_as_a_link);
    LAKE_RUN(link_nested_in_a_prefix_is_not_followed);
    LAKE_RUN(staging_folder_that_is_a_link_is_not_walked);
    LAKE_RUN(killed_uploads_are_cleaned_up);
    LAKE_RUN(listing_reports_links_without_following_them);
    LAKE_RUN(any_backend_refuses_a_listing_outside_the_prefix);
#ifdef LAKE_WITH_S3
    LAKE_RUN(s3_listing_outside_the_prefix_is_refused);
#endif
    remove_tree(base);
    return lake_test_summary();
}

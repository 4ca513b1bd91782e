/* SPDX-License-Identifier: MIT */
/* lakeorm doctor: checks a setup end to end (the libraries, local folders,
 * the engine, each object store, the catalog) with the connect flags every
 * engine command takes, and says for each failure what to do. Every probe
 * goes through the public API, the same paths ingest and query take. */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/x509.h>
#ifdef LAKE_WITH_HTTP
#include <curl/curl.h>
#endif

#include <lakeorm.h>

#include "cli.h"
#include "doctor.h"
#include "util/redact.h"

#define WHO "lakeorm doctor"

static void component(void *ctx, const char *name, const char *version) {
    (void)ctx;
    char check[64];
    snprintf(check, sizeof check, "version.%s", name);
    doctor_add(check, DOCTOR_PASS, NULL, "%s", version);
}

/* ---- local folders */

/* The path a file:// URL or a plain path names; NULL for other schemes. */
static const char *local_path(const char *value, const char *scheme) {
    if (!value) return NULL;
    if (!strstr(value, "://")) return value;
    size_t n = strlen(scheme);
    return !strncmp(value, scheme, n) ? value + n : NULL;
}

/* Whether lakeorm can make or write `path`: a folder the file backend makes
 * when missing, so the nearest part of it that exists must be a folder this
 * user may write into; or, with file_in, a file (a DuckDB database, a SQLite
 * catalog) whose engine makes the file but not its folder, which must
 * exist. Tests run as root, to whom every mode bit is open, so a regular
 * file in the way is the failure that always shows. */
static void check_folder(const char *check, const char *path, bool file_in) {
    char at[PATH_MAX];
    if (snprintf(at, sizeof at, "%s", path) >= (int)sizeof at) {
        doctor_add(check, DOCTOR_FAIL, "use a shorter path", "%s: too long", path);
        return;
    }
    if (file_in) {
        char *slash = strrchr(at, '/');
        if (slash) *(slash == at ? slash + 1 : slash) = 0;
        else snprintf(at, sizeof at, ".");
    }
    char folder[PATH_MAX];
    memcpy(folder, at, sizeof folder);
    struct stat st;
    while (stat(at, &st) != 0) {
        char *slash = strrchr(at, '/');
        if (!slash) {
            snprintf(at, sizeof at, ".");
            continue;
        }
        if (slash == at) {
            at[1] = 0;
            if (stat(at, &st) != 0) break;
            continue;
        }
        *slash = 0;
    }
    char fix[PATH_MAX + 96];
    if (file_in && strcmp(at, folder)) {
        snprintf(fix, sizeof fix, "create the folder first: mkdir -p %s", folder);
        doctor_add(check, DOCTOR_FAIL, fix, "%s: its folder %s does not exist", path, folder);
    } else if (!S_ISDIR(st.st_mode)) {
        snprintf(fix, sizeof fix, "point it at a folder: %s is a file", at);
        doctor_add(check, DOCTOR_FAIL, fix, "%s: cannot be made, %s is not a folder", path, at);
    } else if (access(at, W_OK | X_OK) != 0) {
        snprintf(fix, sizeof fix, "make %s writable for this user (chmod u+w), or point it elsewhere", at);
        doctor_add(check, DOCTOR_FAIL, fix, "%s: %s is not writable (%s)", path, at, strerror(errno));
    } else {
        if (strcmp(at, path)) doctor_add(check, DOCTOR_PASS, NULL, "%s: made in %s, which is writable", path, at);
        else doctor_add(check, DOCTOR_PASS, NULL, "%s: writable", path);
    }
}

static void check_paths(const connect_args *conn) {
    const char *p;
    if (conn->db && strcmp(conn->db, ":memory:")) check_folder("path.database", conn->db, true);
    if ((p = local_path(conn->staging, "file://"))) check_folder("path.staging", p, false);
    if ((p = local_path(conn->warehouse, "file://"))) check_folder("path.warehouse", p, false);
    if ((p = local_path(conn->catalog, "sqlite://"))) {
        char path[PATH_MAX];
        snprintf(path, sizeof path, "%s", p);
        path[strcspn(path, "?")] = 0;
        check_folder("path.catalog", path, true);
    }
}

/* ---- what to do about an error */

/* The bucket of an s3:// or gs:// URL, into out. */
static const char *bucket_of(const char *url, char *out, size_t cap) {
    const char *b = strstr(url, "://");
    b = b ? b + 3 : url;
    size_t n = strcspn(b, "/?");
    snprintf(out, cap, "%.*s", (int)(n < cap ? n : cap - 1), b);
    return out;
}

static const char *store_fix(lake_backend *b, const lake_error *err, char *out, size_t cap) {
    const char *url = lake_backend_url(b);
    bool s3 = !strncmp(url, "s3://", 5), gs = !strncmp(url, "gs://", 5);
    char bucket[128];
    lake_backend_transport t = LAKE_BACKEND_TRANSPORT_INIT;
    lake_backend_transport_info(b, &t);
    if (t.tls && !t.tls_verified && !t.tls_insecure && err->code == LAKE_EIO)
        snprintf(out, cap, "the server's certificate is not trusted here: see the .tls row");
    else if (!strcmp(err->engine_class, "NoSuchBucket") || (err->code == LAKE_ENOTFOUND && (s3 || gs)))
        snprintf(out, cap, "create the bucket %s (or point the URL at one that exists)", bucket_of(url, bucket, sizeof bucket));
    else if (!strcmp(err->engine_class, "RequestTimeTooSkewed"))
        snprintf(out, cap, "this machine's clock is off by more than 15 minutes: sync it with NTP");
    else if (err->code == LAKE_EAUTH && s3)
        snprintf(out, cap, "set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) to keys this server "
                           "accepts, with rights on bucket %s", bucket_of(url, bucket, sizeof bucket));
    else if (err->code == LAKE_EAUTH && gs)
        snprintf(out, cap, "set GOOGLE_APPLICATION_CREDENTIALS to a service-account key with rights on bucket %s",
                 bucket_of(url, bucket, sizeof bucket));
    else if (err->code == LAKE_ETIMEOUT || ((s3 || gs) && err->code == LAKE_EIO))
        snprintf(out, cap, "check the endpoint (?endpoint=, AWS_ENDPOINT_URL) and that the server is up and reachable");
    else if (err->code == LAKE_EIO)
        snprintf(out, cap, "make the folder writable for this user, and check the disk has room");
    else
        snprintf(out, cap, "see the detail: the store refused the request");
    return out;
}

static const char *engine_fix(const lake_error *err) {
    switch (err->code) {
    case LAKE_EAUTH: return "check the credentials: a token in the connection string (;token=) or DATABRICKS_TOKEN";
    case LAKE_EINVAL:
    case LAKE_ENOTSUP: return "fix the connect flags (--db, --url, --dialect, --warehouse, --catalog): see lakeorm help";
    case LAKE_EIO: return "check the database file's folder and the staging folder are writable";
    default:
        return err->kind == LAKE_KIND_PERMISSION ? "grant this user the right to create and drop tables in the schema"
                                                 : "check that the engine is up and the address and port are right";
    }
}

/* ---- the engine */

/* A table of the configured kind (the engine's, or a Delta or Iceberg table
 * in the warehouse), created and dropped: what ingest's migrate does first.
 * Its name is new each run, so a table a crashed run left is never reused. */
static bool check_scratch(lake_client *c, const char *where) {
    lake_uuid id;
    char uuid[LAKE_UUID_TEXT_LEN + 1], table[64], json[256];
    if (lake_uuid7_new(&id)) {
        doctor_add("engine.scratch", DOCTOR_FAIL, "lakeorm could not name a table: report this", "no randomness for a table name");
        return false;
    }
    lake_uuid_format(&id, uuid);
    for (char *p = uuid; *p; p++)
        if (*p == '-') *p = '_';
    snprintf(table, sizeof table, "lakeorm_doctor_%s", uuid);
    snprintf(json, sizeof json,
             "{\"version\":1,\"table\":\"%s\",\"fields\":[{\"tag\":\"id,pk\",\"type\":\"int64\"},"
             "{\"tag\":\"note,nullable\",\"type\":\"string\"}]}",
             table);
    lake_schema *schema = NULL;
    lake_error err = LAKE_ERROR_INIT;
    bool ok = false;
    doctor_begin("engine.scratch");
    char stuck[200];
    snprintf(stuck, sizeof stuck, "the engine did not answer in time: if table %s was made, drop it by hand", table);
    doctor_if_stuck(stuck);
    if (lake_schema_parse(&schema, json, strlen(json), &err)) {
        doctor_add("engine.scratch", DOCTOR_FAIL, "lakeorm refused its own scratch schema: report this", "%s", err.message);
    } else if (lake_client_migrate(c, schema, &err)) {
        doctor_add("engine.scratch", DOCTOR_FAIL, engine_fix(&err), "creating table %s: %s", table, err.message);
    } else {
        /* Dropped whatever comes next: only a failed drop leaves it. */
        lake_error_clear(&err);
        if (lake_client_drop(c, schema, &err)) {
            char fix[160];
            snprintf(fix, sizeof fix, "drop the table %s by hand, and let this user drop tables", table);
            doctor_add("engine.scratch", DOCTOR_FAIL, fix, "created table %s, but dropping it: %s", table, err.message);
        } else {
            doctor_add("engine.scratch", DOCTOR_PASS, NULL, "created and dropped table %s%s", table, where);
            ok = true;
        }
    }
    lake_error_clear(&err);
    lake_schema_free(schema);
    return ok;
}

/* ---- object stores */

static int found_key(void *ctx, const char *key, uint64_t size) {
    (void)size;
    return !strcmp(ctx, key) ? 1 : 0;
}

static void check_transport(const char *role, lake_backend *b) {
    lake_backend_transport t = LAKE_BACKEND_TRANSPORT_INIT;
    if (lake_backend_transport_info(b, &t) || !t.http) return;
    const char *url = lake_backend_url(b);
    bool s3 = !strncmp(url, "s3://", 5);
    char check[64], fix[700];
    snprintf(check, sizeof check, "%s.clock", role);
    if (!t.clock_known) {
        doctor_add(check, DOCTOR_SKIP, NULL, "the server sent no Date header (or no answer)");
    } else {
        double skew = (double)t.clock_skew_us / 1e6, off = skew < 0 ? -skew : skew;
        /* SigV4 signatures older or newer than 15 minutes are refused;
         * past a minute, something is already drifting. */
        doctor_status st = off > 900 && s3 ? DOCTOR_FAIL : off > 60 ? DOCTOR_WARN : DOCTOR_PASS;
        snprintf(fix, sizeof fix, "this machine's clock is %.0f min %s the server's: sync it with NTP", off / 60,
                 skew > 0 ? "behind" : "ahead of");
        doctor_add(check, st, st == DOCTOR_PASS ? NULL : fix, "skew %+lld s (server minus local clock)%s",
                   (long long)(skew < 0 ? skew - 0.5 : skew + 0.5), s3 ? "; S3 refuses requests signed more than 15 min off" : "");
    }
    snprintf(check, sizeof check, "%s.tls", role);
    const char *bundle = t.ca_bundle[0] ? t.ca_bundle : "libcurl's default";
    if (!t.tls) doctor_add(check, DOCTOR_SKIP, NULL, "http:// endpoint: no TLS");
    else if (t.tls_insecure)
        doctor_add(check, DOCTOR_WARN, "drop insecure=1 once the server has a certificate this machine trusts",
                   "certificate verification is off");
    else if (t.tls_verified) doctor_add(check, DOCTOR_PASS, NULL, "certificate verified against %s", bundle);
    else {
        snprintf(fix, sizeof fix, "install the issuing CA in %s, or give the server a certificate for its name", bundle);
        /* The verify result is OpenSSL's X509_V_ERR_* when libcurl verifies with it. */
        const char *why = "";
#ifdef LAKE_WITH_HTTP
        const char *tls = curl_version_info(CURLVERSION_NOW)->ssl_version;
        if (tls && !strncmp(tls, "OpenSSL", 7)) why = X509_verify_cert_error_string(t.tls_verify_result);
#endif
        doctor_add(check, DOCTOR_FAIL, fix, "certificate not verified (verify result %ld%s%s, CA bundle %s)",
                   t.tls_verify_result, why[0] ? ": " : "", why, bundle);
    }
}

/* put, get (the same bytes), list (finds it), delete of one object under
 * _lakeorm_doctor/, then what the answers showed of the clock and TLS. */
static void check_store(const char *role, lake_backend *b) {
    char url[512], check[64], key[96], body[128], fix[300];
    lake__redact(lake_backend_url(b), url, sizeof url);
    lake_uuid id;
    char uuid[LAKE_UUID_TEXT_LEN + 1];
    lake_uuid7_new(&id);
    lake_uuid_format(&id, uuid);
    snprintf(key, sizeof key, "_lakeorm_doctor/%s", uuid);
    int len = snprintf(body, sizeof body, "lakeorm doctor probe %s\n", uuid);
    lake_error err = LAKE_ERROR_INIT;

    snprintf(check, sizeof check, "%s.put", role);
    doctor_begin(check);
    bool put = !lake_backend_put(b, key, body, (size_t)len, &err);
    if (put) doctor_add(check, DOCTOR_PASS, NULL, "%s: wrote %s", url, key);
    else doctor_add(check, DOCTOR_FAIL, store_fix(b, &err, fix, sizeof fix), "%s: %s", url, err.message);
    lake_error_clear(&err);

    snprintf(check, sizeof check, "%s.get", role);
    doctor_begin(check);
    char *data = NULL;
    size_t got = 0;
    if (!put) doctor_add(check, DOCTOR_SKIP, NULL, "nothing was written");
    else if (lake_backend_get(b, key, &data, &got, &err))
        doctor_add(check, DOCTOR_FAIL, store_fix(b, &err, fix, sizeof fix), "%s", err.message);
    else if (got != (size_t)len || memcmp(data, body, got))
        doctor_add(check, DOCTOR_FAIL, "the store returns other bytes than it was given: check a proxy or gateway "
                                       "in between", "read %zu bytes back, not the %d written", got, len);
    else doctor_add(check, DOCTOR_PASS, NULL, "read the same %d bytes back", len);
    lake_free(data);
    lake_error_clear(&err);

    snprintf(check, sizeof check, "%s.list", role);
    doctor_begin(check);
    if (!put) doctor_add(check, DOCTOR_SKIP, NULL, "nothing was written");
    else {
        int rc = lake_backend_list(b, "_lakeorm_doctor/", found_key, key, &err);
        if (rc == 1) doctor_add(check, DOCTOR_PASS, NULL, "listing _lakeorm_doctor/ shows it");
        else if (rc) doctor_add(check, DOCTOR_FAIL, store_fix(b, &err, fix, sizeof fix), "%s", err.message);
        else doctor_add(check, DOCTOR_FAIL, "the store lists late or not at all: lakeorm needs listings that show "
                                            "what was written", "listing _lakeorm_doctor/ does not show %s", key);
    }
    lake_error_clear(&err);

    /* Tried even when the put failed: a put that failed late may have left it. */
    snprintf(check, sizeof check, "%s.delete", role);
    doctor_begin(check);
    size_t deleted = 0;
    int rc = lake_backend_delete_prefix(b, key, &deleted, &err);
    if (!put) doctor_add(check, DOCTOR_SKIP, NULL, "nothing was written");
    else if (rc) doctor_add(check, DOCTOR_FAIL, store_fix(b, &err, fix, sizeof fix), "%s", err.message);
    else doctor_add(check, deleted == 1 ? DOCTOR_PASS : DOCTOR_FAIL, deleted == 1 ? NULL : "see the store's logs",
                    "deleted %zu object%s", deleted, deleted == 1 ? "" : "s");
    lake_error_clear(&err);
    doctor_begin(NULL);
    check_transport(role, b);
}

/* ---- the command */

/* The catalog that names Iceberg tables, when the client has one: it
 * answers a listing (reachable, credentials accepted), then the scratch
 * table was registered and dropped through it. */
typedef struct listing {
    size_t count;
    char names[200];
} listing;

static int list_one(void *ctx, const char *name) {
    listing *l = ctx;
    size_t n = strlen(l->names);
    if (n < sizeof l->names - 1)
        snprintf(l->names + n, sizeof l->names - n, "%s%s", l->count ? ", " : "", name);
    l->count++;
    return 0;
}

static bool check_catalog(lake_client *c) {
    listing l = {0, ""};
    lake_error err = LAKE_ERROR_INIT;
    doctor_begin("catalog.namespaces");
    int rc = lake_client_namespaces(c, list_one, &l, &err);
    bool has = rc != LAKE_ENOTSUP;
    if (!has) {
        /* no catalog: nothing to report */
    } else if (rc) {
        const char *fix = rc == LAKE_EAUTH ? "set LAKEORM_ICEBERG_TOKEN, or LAKEORM_ICEBERG_CLIENT_ID and "
                                             "LAKEORM_ICEBERG_CLIENT_SECRET, to credentials the catalog accepts"
                                           : "check the catalog URL (--catalog) and that its server is up";
        doctor_add("catalog.namespaces", DOCTOR_FAIL, fix, "%s", err.message);
    } else {
        doctor_add("catalog.namespaces", DOCTOR_PASS, NULL, "%zu namespace%s%s%s", l.count, l.count == 1 ? "" : "s",
                   l.count ? ": " : "", l.names);
    }
    lake_error_clear(&err);
    return has;
}

/* profile_url: the profile's url, shown when no flag names the engine. */
static void check_client(const connect_args *conn, const char *profile_url) {
    lake_client *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    char shown[512] = "";
    lake__redact(conn->url ? conn->url : conn->db ? conn->db : profile_url, shown, sizeof shown);
    doctor_begin("engine.reachable");
    if (connect_open_quiet(conn, &c, &err)) {
        doctor_add("engine.reachable", DOCTOR_FAIL, engine_fix(&err), "%s", err.message);
        lake_error_clear(&err);
        return;
    }
    const char *driver = "duckdb";
    lake_client_native(c, &driver);
    /* Opening a remote engine connects lazily: asking its version reaches it. */
    char version[128];
    if (lake_client_engine_version(c, version, sizeof version, &err)) {
        doctor_add("engine.reachable", DOCTOR_FAIL, engine_fix(&err), "%s %s: %s", driver, shown, err.message);
        lake_error_clear(&err);
    } else {
        lake_error_clear(&err);
        doctor_add("engine.reachable", DOCTOR_PASS, NULL, "%s %s", driver, shown[0] ? shown : "(in memory)");
        doctor_add("engine.version", DOCTOR_PASS, NULL, "%s %s", driver, version);
        lake_backend *wh = lake_client_warehouse(c);
        char where[600] = "";
        if (wh) {
            char url[512];
            snprintf(where, sizeof where, " in warehouse %s", lake__redact(lake_backend_url(wh), url, sizeof url));
        }
        bool catalog = check_catalog(c);
        bool scratch = check_scratch(c, where);
        if (catalog)
            doctor_add("catalog.tables", scratch ? DOCTOR_PASS : DOCTOR_FAIL,
                       scratch ? NULL : "see engine.scratch: the catalog made or dropped no table",
                       scratch ? "the scratch table was registered and dropped through it"
                               : "a table could not be made and dropped through it");
    }
    lake_backend *staging = lake_client_staging(c), *warehouse = lake_client_warehouse(c);
    /* The default staging folder, and --url's, were not named by a flag. */
    if (staging && !conn->staging && lake_backend_local_root(staging))
        check_folder("path.staging", lake_backend_local_root(staging), false);
    if (warehouse && conn->url && lake_backend_local_root(warehouse))
        check_folder("path.warehouse", lake_backend_local_root(warehouse), false);
    if (staging) check_store("staging", staging);
    if (warehouse) check_store("warehouse", warehouse);
    doctor_begin(NULL);
    lake_client_close(c);
}

int cmd_doctor(int argc, char **argv) {
    connect_args conn = {0};
    bool json = false;
    double timeout = 10;
    for (int i = 1; i < argc; i++) {
        int c = connect_flag(&conn, argc, argv, &i);
        if (c < 0) return CLI_USAGE;
        if (c) continue;
        if (!strcmp(argv[i], "--json")) json = true;
        else if (!strcmp(argv[i], "--timeout") && i + 1 < argc) {
            char *end;
            errno = 0;
            timeout = strtod(argv[++i], &end);
            if (errno || *end || end == argv[i] || !(timeout > 0 && timeout <= 3600)) {
                term_errorf(WHO, "--timeout %s: use seconds, more than 0 and at most 3600", argv[i]);
                return CLI_USAGE;
            }
        } else {
            term_errorf(WHO, "unexpected %s (see lakeorm help doctor)", argv[i]);
            return CLI_USAGE;
        }
    }
    if (conn.url && (conn.db || conn.staging || conn.dialect || conn.warehouse || conn.catalog)) {
        term_error(WHO, "--url carries the database and its options; drop --db, --staging, --dialect, --warehouse "
                        "and --catalog (as ?staging=...&dialect=...&warehouse=...&catalog=...)");
        return CLI_USAGE;
    }
    /* The profile's engine (shown in the report) and its own folders,
     * checked as the flags' would be. */
    bool has_profile;
    static char from_profile[4][PATH_MAX + 512];
    static const char *const keys[] = {"url", "staging", "warehouse", "catalog"};
    char *const outs[] = {from_profile[0], from_profile[1], from_profile[2], from_profile[3]};
    int status = connect_profile_values(&conn, WHO, 4, keys, outs, sizeof from_profile[0], &has_profile);
    if (status) return status;
    const char **slot[] = {&conn.staging, &conn.warehouse, &conn.catalog};
    for (int k = 0; k < 3 && !conn.url; k++)
        if (!*slot[k] && from_profile[k + 1][0]) *slot[k] = from_profile[k + 1];
    /* Nothing named, by flags or a profile: the embedded engine itself. */
    if (!has_profile && !conn.db && !conn.url && !conn.warehouse) conn.db = ":memory:";
    doctor_open(json, timeout);
    lake_components(component, NULL);
    check_paths(&conn);
    check_client(&conn, from_profile[0]);
    return doctor_close();
}

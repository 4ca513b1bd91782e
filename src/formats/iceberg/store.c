/* SPDX-License-Identifier: MIT */
/* A table's files through the storage credentials its catalog vended (a
 * REST catalog's LoadTableResult "config" or "storage-credentials":
 * Polaris, Unity, Glue, Lakekeeper hand out short-lived keys scoped to the
 * table). The backend is the warehouse's URL opened again with those
 * credentials over the ones the URL, the environment or the credentials file
 * would give: the same bucket and prefix, so a table's keys, and the cache
 * folder's copies of its files, are the same as through the warehouse. */
#include <string.h>

#include "error/error.h"
#include "formats/iceberg/iceberg.h"
#include "util/redact.h"

static void log_vended(const lake__iceberg *ice, const char *table, const char *kind, const char *endpoint) {
    const lake__format_config *cfg = &ice->cfg;
    if (!cfg->log || cfg->log_level > LAKE_LOG_DEBUG) return;
    char shown[256];
    /* What was vended, never its values. */
    lake_log_field fields[] = {
        {"table", table, LAKE_LOG_TEXT},
        {"credentials", kind, LAKE_LOG_TEXT},
        {"endpoint", endpoint ? lake__redact(endpoint, shown, sizeof shown) : "the warehouse's", LAKE_LOG_TEXT}};
    cfg->log(cfg->log_ctx, LAKE_LOG_DEBUG, "iceberg.vended_credentials", fields, sizeof fields / sizeof *fields);
}

int lake__iceberg_store_open(const lake__iceberg *ice, const char *table, const lake__iceberg_storage *vended,
                             lake_backend **out, lake_error *err) {
    *out = NULL;
    const char *url = lake_backend_url(ice->cfg.warehouse);
    int rc = LAKE_OK;
    if (!strncmp(url, "s3://", 5) && vended->access_key && vended->secret_key) {
        lake_s3_options o = LAKE_S3_OPTIONS_INIT;
        o.access_key = vended->access_key, o.secret_key = vended->secret_key, o.session_token = vended->session_token;
        o.endpoint = vended->endpoint; /* NULL: the warehouse URL's endpoint=, else the environment's */
        o.region = vended->region;
        o.path_style = vended->path_style;
        rc = lake_backend_open_s3(out, url, &o, err);
        if (!rc) log_vended(ice, table, vended->session_token ? "s3 session" : "s3 keys", vended->endpoint);
    } else if (!strncmp(url, "gs://", 5) && vended->gcs_token) {
        lake_gcs_options o = LAKE_GCS_OPTIONS_INIT;
        o.access_token = vended->gcs_token;
        rc = lake_backend_open_gcs(out, url, &o, err);
        if (!rc) log_vended(ice, table, "gcs token", NULL);
    }
    if (rc && err)
        lake__error_forward(err, err, "table %s: the storage credentials its catalog vended cannot be used: ", table);
    return rc;
}

/* SPDX-License-Identifier: MIT */
/* lakeorm: configuration files. A lakeorm.toml names connection profiles,
 * each the settings of one client, so neither a program nor the CLI needs
 * them spelled out:
 *
 *   default_profile = "dev"
 *
 *   [profiles.dev]
 *   url = "duckdb:///srv/lake/dev.duckdb?pool=4"
 *   staging = "file:///srv/lake/stage"
 *   schema_file = "schemas/users.json"
 *
 *   [profiles.prod]
 *   url = "sc://spark.internal:15002/;token=${SPARK_TOKEN}"
 *   dialect = "iceberg"
 *   schema = "lake.db"
 *   staging = "s3://bucket/stage"
 *
 * A profile's keys are the query keys of a client URL (lake_client_open_url:
 * staging, schema, dialect, warehouse, catalog, compression, row_group_bytes,
 * fast_path_bytes, max_in_flight, pool, idempotency_ttl, read_only,
 * log_level), with TOML's types (pool = 4, read_only = true), plus `url`
 * (the driver and database, with a query of its own, which the keys
 * override) and `schema_file` (the schema file a command uses when it is
 * given none; relative to the file's folder). Unknown keys and wrong types are errors naming
 * file:line and the key. Strings may hold ${NAME} and ${NAME:-default}
 * (the default when NAME is unset or empty), read from the environment when the file is
 * loaded; $$ is a literal $. A variable that is unset and has no default
 * is an error when its profile is used, not before. docs/cli.md,
 * "Configuration file", has the whole format. */
#ifndef LAKEORM_CONFIG_H
#define LAKEORM_CONFIG_H

#include "client.h"
#include "common.h"
#include "error.h"

LAKE_BEGIN_DECL

typedef struct lake_config lake_config;

/* Loads a configuration file. path NULL looks in order for $LAKEORM_CONFIG,
 * ./lakeorm.toml, then $XDG_CONFIG_HOME/lakeorm/lakeorm.toml
 * (~/.config/lakeorm/lakeorm.toml when XDG_CONFIG_HOME is unset), and gives
 * LAKE_OK with *out NULL when none of them exists. A file named by path or
 * $LAKEORM_CONFIG that does not exist is LAKE_ENOTFOUND; one that is not
 * valid is LAKE_EINVAL naming file:line. Free with lake_config_free. */
LAKE_EXTERN int lake_config_load(lake_config **out, const char *path, lake_error *err);

/* The same from text[len] in memory; `name` (may be NULL: "lakeorm.toml")
 * is what messages call the file, and the folder schema_file is relative to. */
LAKE_EXTERN int lake_config_parse(lake_config **out, const char *text, size_t len, const char *name,
                                  lake_error *err);

/* The file the configuration was read from (the path or the name given).
 * Borrowed: lives as long as c. */
LAKE_EXTERN const char *lake_config_path(const lake_config *c);

/* Which profile to use: `name` when not NULL, else $LAKEORM_PROFILE when
 * set and not empty, else the file's default_profile, else a profile named
 * "default". A profile so named that the file lacks is LAKE_ENOTFOUND
 * listing the file's profiles. When nothing names one (and there is no
 * "default"), LAKE_OK with *profile NULL. *profile is borrowed from c. */
LAKE_EXTERN int lake_config_profile(const lake_config *c, const char *name, const char **profile,
                                    lake_error *err);

/* The value of a profile's key as text: a string as written, ${...}
 * expanded; an integer in decimal; a boolean as true or false; schema_file
 * as a path (made relative to the file's folder). *value NULL when the
 * profile does not set it. profile NULL: the one lake_config_profile(c,
 * NULL) picks. LAKE_ENOTFOUND for a missing profile; LAKE_EINVAL for a key
 * no profile takes, or a value whose variable is unset. Borrowed from c. */
LAKE_EXTERN int lake_config_get(const lake_config *c, const char *profile, const char *key, const char **value,
                                lake_error *err);

/* Fills *opts (initialised by the caller, LAKE_CLIENT_OPTIONS_INIT or
 * its own) with what the profile sets, as lake_client_open_url would: the
 * driver and database of its url, then its url's query, then its keys;
 * what it does not set is left as it was. Strings point into c: keep c
 * until the client is open (lake_client_open copies them). profile NULL:
 * as lake_config_get. */
LAKE_EXTERN int lake_config_client_options(const lake_config *c, const char *profile, lake_client_options *opts,
                                           lake_error *err);

/* Frees the configuration. NULL is ignored. */
LAKE_EXTERN void lake_config_free(lake_config *c);

/* Opens a client from a profile: the file at config_path (NULL: the lookup
 * of lake_config_load; finding none is LAKE_ENOTFOUND), the profile named
 * (NULL: lake_config_profile's choice; none is LAKE_ENOTFOUND). overrides
 * (may be NULL) win over the file, field by field: every field that differs
 * from LAKE_CLIENT_OPTIONS_INIT replaces the profile's (the driver and
 * database together, when either is set), which is also how a logger is
 * given. */
LAKE_EXTERN int lake_client_open_profile(lake_client **out, const char *config_path, const char *profile,
                                         const lake_client_options *overrides, lake_error *err);

LAKE_END_DECL

#endif

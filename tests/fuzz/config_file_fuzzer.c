/* SPDX-License-Identifier: MIT */
/* The configuration file reader (lakeorm.toml): any bytes, no crash, no
 * leak; a refusal always says why, and a file that loads gives every
 * profile's settings, or a reason, for any key. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <lakeorm.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* Fixed variables, so ${...} expands the same way on every run. */
    static int once;
    if (!once) {
        setenv("LAKE_FUZZ_SET", "value", 1);
        setenv("LAKE_FUZZ_EMPTY", "", 1);
        unsetenv("LAKEORM_PROFILE");
        once = 1;
    }
    lake_config *c = NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_config_parse(&c, (const char *)data, size, "fuzz.toml", &err)) {
        if (c || !err.message[0]) abort();
        lake_error_clear(&err);
        return 0;
    }
    static const char *const profiles[] = {NULL, "default", "dev", "a"};
    static const char *const keys[] = {"url", "schema_file", "staging", "pool", "read_only", "log_level"};
    for (size_t p = 0; p < sizeof profiles / sizeof profiles[0]; p++) {
        lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
        int rc = lake_config_client_options(c, profiles[p], &o, &err);
        if (rc && !err.message[0]) abort();
        if (!rc && o.database) (void)strlen(o.database);
        for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
            const char *value = NULL;
            rc = lake_config_get(c, profiles[p], keys[k], &value, &err);
            if (rc && (value || !err.message[0])) abort();
            if (value) (void)strlen(value);
        }
        lake_error_clear(&err);
    }
    lake_config_free(c);
    return 0;
}

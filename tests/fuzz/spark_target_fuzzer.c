/* SPDX-License-Identifier: MIT */
/* Spark Connect connection strings come from users and configuration files:
 * any bytes parse to a target or a clear error, and nothing leaks. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drivers/spark/target.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = 0;
    lake__spark_target t;
    lake_error err = LAKE_ERROR_INIT;
    lake__spark_target_parse(text, &t, &err);
    lake__spark_target_dispose(&t);
    lake_error_clear(&err);
    free(text);
    return 0;
}

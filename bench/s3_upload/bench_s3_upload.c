/* SPDX-License-Identifier: MIT */
/* Uploads files to an S3 endpoint through lakeorm's backend, streaming each
 * in 1 MiB writes as the Parquet writer would, and prints one line:
 * name=lakeorm bytes=... seconds=...
 * Usage: bench_s3_upload ENDPOINT PART_MIB PARALLEL FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <lakeorm.h>

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
    if (argc < 5) return 2;
    lake_s3_options o = LAKE_S3_OPTIONS_INIT;
    o.endpoint = argv[1];
    o.access_key = "lakeorm";
    o.secret_key = "lakeorm-secret";
    o.part_size = strtoull(argv[2], NULL, 10) << 20;
    o.max_parallel = (unsigned)atoi(argv[3]);
    lake_backend *b;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_backend_open_s3(&b, "s3://lake/bench-lakeorm", &o, &err)) {
        fprintf(stderr, "%s\n", err.message);
        return 1;
    }
    static char chunk[1 << 20];
    unsigned long long total = 0;
    double t = now();
    for (int i = 4; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (!f) return 1;
        const char *name = strrchr(argv[i], '/');
        lake_upload *u;
        lake_sink sink;
        int rc = lake_backend_put_begin(b, name ? name + 1 : argv[i], &u, &sink, &err);
        size_t n;
        while (!rc && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
            rc = sink.write(sink.ctx, chunk, n, &err);
            total += n;
        }
        fclose(f);
        if (!rc) rc = lake_backend_put_commit(u, &err);
        else lake_backend_put_abort(u);
        if (rc) {
            fprintf(stderr, "%s\n", err.message);
            return 1;
        }
    }
    t = now() - t;
    printf("name=lakeorm bytes=%llu seconds=%.3f\n", total, t);
    lake_backend_delete_prefix(b, "", NULL, NULL);
    lake_backend_free(b);
    return 0;
}

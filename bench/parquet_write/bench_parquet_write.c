/* SPDX-License-Identifier: MIT */
/* lakeorm's side of the Parquet write benchmark: N generated rows of an
 * 8-column record streamed through lake_parquet_writer to a ZSTD file, in
 * batches, so memory stays flat. usage: bench_parquet_write N OUT [level [threads [held]]]
 * (level -1 writes uncompressed, to time the encoding alone; threads 0, the
 * default, is one per processor; `held`: all N rows are generated before the
 * clock starts and appended from memory, as the peers write a table they
 * hold, so no helper thread works while the caller generates) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <lakeorm.h>

typedef struct event {
    lake_uuid id;
    lake_str email;   /* high cardinality */
    lake_str country; /* low cardinality */
    lake_opt_i32 age;
    lake_ts created_at;
    lake_opt_ts updated_at;
    lake_dec128 balance;
    double score;
} event;

static const lake_field event_fields[] = {
    LAKE_FIELD(event, id, "id,pk", ""),
    LAKE_FIELD(event, email, "email", ""),
    LAKE_FIELD(event, country, "country", ""),
    LAKE_FIELD(event, age, "age", ""),
    LAKE_FIELD(event, created_at, "created_at", ""),
    LAKE_FIELD(event, updated_at, "updated_at", ""),
    LAKE_DECIMAL(event, balance, 18, 2, "balance", ""),
    LAKE_FIELD(event, score, "score", ""),
};
static const lake_model event_model = LAKE_MODEL(event, "events", event_fields);

static uint64_t rng = 0x243F6A8885A308D3u;
static uint64_t next(void) { /* splitmix64 */
    uint64_t z = (rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum { BATCH = 8192 };

static const char *countries[] = {"UK", "US", "DE", "FR", "NL", "ES", "IT", "SE"};

/* Rows at .. at+k-1 of the sequence (the generator's state moves on). */
static void generate(event *rows, char (*emails)[48], size_t at, size_t k) {
    for (size_t i = 0; i < k; i++) {
        event *e = &rows[i];
        uint64_t a = next(), b = next(), r = next();
        memcpy(e->id.b, &a, 8);
        memcpy(e->id.b + 8, &b, 8);
        e->id.b[6] = (uint8_t)(0x40 | (e->id.b[6] & 0x0F));
        e->id.b[8] = (uint8_t)(0x80 | (e->id.b[8] & 0x3F));
        int len = snprintf(emails[i], sizeof emails[i], "user%zu@mail%u.example.com", at + i, (unsigned)(r % 1000));
        e->email = (lake_str){emails[i], (size_t)len};
        e->country = (lake_str){countries[r >> 60 & 7], 2};
        e->age = (lake_opt_i32){(int32_t)(r >> 8 & 127), (r & 0xFF) > 51};
        e->created_at.us = 1700000000000000LL + (int64_t)(at + i) * 1000 + (int64_t)(r >> 40 & 999);
        e->updated_at = (lake_opt_ts){{e->created_at.us + (int64_t)(r >> 20 & 0xFFFFF)}, (r >> 16 & 1) != 0};
        e->balance = (lake_dec128){r % 100000000000u, 0};
        e->score = (double)(r >> 11) / 9007199254740992.0;
    }
}

int main(int argc, char **argv) {
    if (argc < 3) return fprintf(stderr, "usage: %s N OUT [level [threads [held]]]\n", argv[0]), 2;
    size_t n = strtoull(argv[1], NULL, 10);
    bool held = argc > 5 && strcmp(argv[5], "held") == 0;
    static event batch_rows[BATCH];
    static char batch_emails[BATCH][48];
    event *rows = batch_rows;
    char (*emails)[48] = batch_emails;
    if (held) {
        rows = malloc((n ? n : 1) * sizeof *rows);
        emails = malloc((n ? n : 1) * sizeof *emails);
        if (!rows || !emails) return fprintf(stderr, "out of memory holding %zu rows\n", n), 2;
        generate(rows, emails, 0, n);
    }
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&s, &event_model, &err)) return 2;
    FILE *out = fopen(argv[2], "wb");
    if (!out) return perror(argv[2]), 2;
    setvbuf(out, NULL, _IOFBF, 1 << 20);
    lake_sink sink = lake_sink_stdio(out);
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.level = argc > 3 ? atoi(argv[3]) : 3;
    o.threads = argc > 4 ? (unsigned)atoi(argv[4]) : 0;
    if (o.level < 0) o.codec = LAKE_CODEC_UNCOMPRESSED, o.level = 0; /* level -1: encoding alone */
    lake_parquet_writer *w;
    double gen = 0, start = now();
    if (lake_parquet_writer_open(&w, s, &sink, &o, &err)) return fprintf(stderr, "%s\n", err.message), 1;
    for (size_t at = 0; at < n; at += BATCH) {
        size_t k = n - at < BATCH ? n - at : BATCH;
        const event *batch = held ? rows + at : rows;
        if (!held) {
            double g0 = now();
            generate(rows, emails, at, k);
            gen += now() - g0;
        }
        if (lake_parquet_writer_append(w, batch, k, &err)) return fprintf(stderr, "%s\n", err.message), 1;
    }
    if (lake_parquet_writer_close(w, &err)) return fprintf(stderr, "%s\n", err.message), 1;
    fflush(out);
    double seconds = now() - start - gen;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("RESULT name=%s threads=%u rows=%zu seconds=%.6f bytes=%llu peak_rss_kb=%ld generate_seconds=%.3f\n", held ? "lakeorm-held" : "lakeorm", o.threads, n, seconds,
           (unsigned long long)lake_parquet_writer_bytes(w), ru.ru_maxrss, gen);
    lake_parquet_writer_free(w);
    fclose(out);
    if (held) free(rows), free(emails);
    return 0;
}

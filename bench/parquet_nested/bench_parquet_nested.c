/* SPDX-License-Identifier: MIT */
/* lakeorm's side of the nested Parquet benchmark (orders with a list of 0-10
 * item structs and a map of attributes, as bench/parquet_nested/gen_nested.py
 * writes them).
 *
 *   bench_parquet_nested ndjson IN OUT [level]   decode + validate + write
 *   bench_parquet_nested records N OUT [level]   the writer alone, on records
 *                                                built in C (build time subtracted)
 *
 * Both stream through lake_parquet_writer in batches, so memory stays flat;
 * level -1 writes uncompressed, to time the encoding alone. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <lakeorm.h>

typedef struct nb_item {
    lake_str sku;
    lake_str name;
    int32_t qty;
    double price;
    lake_list_str tags;
    lake_str ref;
} nb_item;
static const lake_field nb_item_fields[] = {
    LAKE_FIELD(nb_item, sku, "sku", "required"),
    LAKE_FIELD(nb_item, name, "name", "max=200"),
    LAKE_FIELD(nb_item, qty, "qty", "gte=1"),
    LAKE_FIELD(nb_item, price, "price", "gte=0"),
    LAKE_LIST(nb_item, tags, "tags", "max=5,dive,required"),
    LAKE_FIELD(nb_item, ref, "ref", "len=32"),
};
static const lake_model nb_item_model = LAKE_MODEL(nb_item, "", nb_item_fields);
LAKE_LIST_TYPE(nb_item_list, nb_item);

typedef struct nb_order {
    lake_uuid id;
    lake_str user;
    lake_str country;
    lake_ts at;
    double total;
    nb_item_list items;
    lake_map_str attrs;
} nb_order;
static const lake_field nb_order_fields[] = {
    LAKE_FIELD(nb_order, id, "id,pk", ""),
    LAKE_FIELD(nb_order, user, "user", "required,email"),
    LAKE_FIELD(nb_order, country, "country", "len=2"),
    LAKE_FIELD(nb_order, at, "at", ""),
    LAKE_FIELD(nb_order, total, "total", "gte=0"),
    LAKE_LIST_STRUCT(nb_order, items, nb_item, nb_item_model, "items", "max=10,dive"),
    LAKE_MAP(nb_order, attrs, "attrs", "max=20,dive,keys,alphanum,endkeys,max=64"),
};
static const lake_model nb_order_model = LAKE_MODEL(nb_order, "orders", nb_order_fields);

static double clock_s(clockid_t id) {
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
static double now(void) { return clock_s(CLOCK_MONOTONIC); }
/* CPU time too: on a shared machine it is the steadier figure */
static double cpu(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

static uint64_t rng = 0x243F6A8885A308D3u;
static uint64_t next(void) { /* splitmix64 */
    uint64_t z = (rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

enum { BATCH = 8192 };

static const char *const countries[] = {"UK", "US", "DE", "FR", "NL", "ES", "IT", "SE"};
static const char *const words[] = {"red", "blue", "green", "large", "small", "cotton", "steel", "organic",
                                    "classic", "sport"};
static const char *const keys[] = {"channel", "campaign", "device", "locale", "referrer", "segment", "cohort",
                                   "variant"};

static lake_str str(const char *s) { return (lake_str){s, strlen(s)}; }

/* One batch of orders shaped like gen_nested.py's, in `text` (per-batch storage). */
typedef struct batch {
    nb_order orders[BATCH];
    nb_item items[BATCH * 10];
    lake_str tags[BATCH * 30];
    lake_map_str_entry attrs[BATCH * 8];
    char text[BATCH * 700];
} batch;

static void build(batch *b, size_t first, size_t n) {
    size_t ni = 0, nt = 0, na = 0, at = 0;
    for (size_t i = 0; i < n; i++) {
        nb_order *o = &b->orders[i];
        uint64_t r = next(), q = next();
        memcpy(o->id.b, &r, 8), memcpy(o->id.b + 8, &q, 8);
        char *t = b->text + at;
        int len = snprintf(t, 48, "user%u@mail%u.example.com", (unsigned)(r % 10000000), (unsigned)(q % 1000));
        o->user = (lake_str){t, (size_t)len};
        at += (size_t)len;
        o->country = str(countries[r >> 61]);
        o->at.us = 1704067200000000LL + (int64_t)(first + i) * 1000003 + (int64_t)(q >> 54);
        o->total = (double)(r % 10000000) / 100;
        size_t k = next() % 11;
        o->items = (nb_item_list){b->items + ni, k};
        for (size_t j = 0; j < k; j++) {
            nb_item *it = &b->items[ni++];
            uint64_t x = next(), y = next();
            t = b->text + at;
            len = snprintf(t, 16, "SKU-%06u", (unsigned)(x % 1000000));
            it->sku = (lake_str){t, (size_t)len};
            at += (size_t)len;
            t = b->text + at;
            len = snprintf(t, 40, "%s %s %s", words[x >> 20 & 7], words[x >> 24 & 7], words[x >> 28 & 7]);
            it->name = (lake_str){t, (size_t)len};
            at += (size_t)len;
            it->qty = (int32_t)(1 + (x >> 32) % 20);
            it->price = (double)((x >> 40) % 100000) / 100;
            size_t nt_k = (x >> 60) % 4;
            it->tags = (lake_list_str){nt_k ? b->tags + nt : LAKE_EMPTY, nt_k};
            for (size_t m = 0; m < nt_k; m++) b->tags[nt++] = str(words[(y >> (4 * m)) % 10]);
            t = b->text + at;
            len = snprintf(t, 40, "%016llx%016llx", (unsigned long long)y, (unsigned long long)x);
            it->ref = (lake_str){t, (size_t)len};
            at += (size_t)len;
        }
        size_t ka = 2 + next() % 7;
        o->attrs = (lake_map_str){b->attrs + na, ka};
        uint64_t z = next();
        for (size_t j = 0; j < ka; j++) {
            lake_map_str_entry *e = &b->attrs[na++];
            e->key = str(keys[(j + z) % 8]); /* distinct: consecutive keys from a rotation */
            t = b->text + at;
            len = snprintf(t, 32, "%s-%u", words[(z >> (4 * j)) % 10], (unsigned)((z >> 8) % 100000));
            e->value = (lake_str){t, (size_t)len};
            at += (size_t)len;
        }
    }
}

static int fail(const char *what, const lake_error *err) {
    fprintf(stderr, "bench_parquet_nested: %s: %s\n", what, err->message);
    return 1;
}

int main(int argc, char **argv) {
    if (argc < 4) return fprintf(stderr, "usage: %s {ndjson IN|records N} OUT [level]\n", argv[0]), 2;
    bool from_json = strcmp(argv[1], "ndjson") == 0;
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_of(&s, &nb_order_model, &err)) return fail("schema", &err);
    char *input = NULL;
    size_t input_len = 0;
    if (from_json) { /* read whole, as the peers do, before the clock starts */
        FILE *in = fopen(argv[2], "rb");
        if (!in) return perror(argv[2]), 2;
        fseek(in, 0, SEEK_END);
        input_len = (size_t)ftell(in);
        fseek(in, 0, SEEK_SET);
        input = malloc(input_len);
        if (!input || fread(input, 1, input_len, in) != input_len) return perror(argv[2]), 2;
        fclose(in);
    }
    FILE *out = fopen(argv[3], "wb");
    if (!out) return perror(argv[3]), 2;
    setvbuf(out, NULL, _IOFBF, 1 << 20);
    lake_sink sink = lake_sink_stdio(out);
    lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
    o.level = argc > 4 ? atoi(argv[4]) : 3;
    if (o.level < 0) o.codec = LAKE_CODEC_UNCOMPRESSED, o.level = 0;
    o.uuid_as_string = true; /* the peers read the id as text */
    lake_parquet_writer *w;
    size_t rows = 0;
    double excluded = 0, excluded_cpu = 0, start = now(), start_cpu = cpu();
    if (lake_parquet_writer_open(&w, s, &sink, &o, &err)) return fail("open", &err);
    if (from_json) {
        /* batches of whole lines: decoded records (and their arena) live for one batch */
        for (size_t at = 0; at < input_len;) {
            size_t end = at, lines = 0;
            while (end < input_len && lines < BATCH)
                if (input[end++] == '\n') lines++;
            lake_records *recs;
            if (lake_ndjson_decode(&recs, s, input + at, end - at, NULL, &err)) return fail("decode", &err);
            size_t n = lake_records_count(recs);
            if (lake_parquet_writer_append(w, lake_records_data(recs), n, &err)) return fail("append", &err);
            lake_records_free(recs);
            rows += n;
            at = end;
        }
    } else {
        size_t n = strtoull(argv[2], NULL, 10);
        static batch b;
        for (size_t at = 0; at < n; at += BATCH) {
            size_t k = n - at < BATCH ? n - at : BATCH;
            double b0 = now(), c0 = cpu();
            build(&b, at, k);
            excluded += now() - b0;
            excluded_cpu += cpu() - c0;
            if (lake_parquet_writer_append(w, b.orders, k, &err)) return fail("append", &err);
            rows += k;
        }
    }
    if (lake_parquet_writer_close(w, &err)) return fail("close", &err);
    fflush(out);
    double seconds = now() - start - excluded, cpu_seconds = cpu() - start_cpu - excluded_cpu;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("RESULT name=lakeorm-%s rows=%zu seconds=%.6f cpu_seconds=%.6f bytes=%llu peak_rss_kb=%ld\n", argv[1], rows,
           seconds, cpu_seconds, (unsigned long long)lake_parquet_writer_bytes(w), ru.ru_maxrss);
    lake_parquet_writer_free(w);
    fclose(out);
    free(input);
    return 0;
}

/* SPDX-License-Identifier: MIT */
/* An Iceberg table written by lakeorm's pieces alone (formats/iceberg:
 * metadata.c, manifest.c, transform.c; the Parquet writer with field ids):
 * rows partitioned by bucket[4] of their id and the day of their time, one
 * data file per partition, a manifest of them with partition values, counts
 * and bounds, a manifest list and a format-version-2 metadata file. pyiceberg
 * reads it from the metadata file (tests/iceberg/table_check.py): every row
 * value by value, the partition values its own transforms give, the
 * statistics, and pruning by partition. */
#include <stdlib.h>
#include <sys/stat.h>

#include "formats/iceberg/metadata.h"
#include "lake_test.h"

typedef struct item {
    int64_t id;
    lake_str name;
    lake_ts at;
    lake_dec128 price;
    lake_str note;
} item;
static const lake_field item_fields[] = {
    LAKE_FIELD(item, id, "id,partition=bucket[4]", ""),
    LAKE_FIELD(item, name, "name", ""),
    LAKE_FIELD(item, at, "at,partition=day", ""),
    LAKE_DECIMAL(item, price, 12, 2, "price", ""),
    LAKE_FIELD(item, note, "note,nullable", ""),
};
static const lake_model item_model = LAKE_MODEL(item, "items", item_fields);

enum { ROWS = 200, MAX_FILES = 16, COLUMNS = 5 };
static char dir[64];
static item rows[ROWS];
static char names[ROWS][16], notes[ROWS][16];

typedef struct file_sink {
    FILE *f;
} file_sink;

static int to_file(void *ctx, const void *data, size_t len, lake_error *err) {
    (void)err;
    return fwrite(data, 1, len, ((file_sink *)ctx)->f) == len ? LAKE_OK : LAKE_EIO;
}

static int64_t size_of(const char *path) {
    struct stat st;
    return stat(path, &st) ? -1 : (int64_t)st.st_size;
}

/* One partition's rows and what its data file records. */
typedef struct group {
    lake__iceberg_part part[2];
    size_t rows[ROWS], count;
    char path[256];
    int32_t ids[COLUMNS];
    int64_t values[COLUMNS], nulls[COLUMNS];
    unsigned char lo_id[16], hi_id[16];
    const unsigned char *lower[COLUMNS], *upper[COLUMNS];
    size_t lower_lens[COLUMNS], upper_lens[COLUMNS];
} group;

static group groups[MAX_FILES];
static size_t group_count;

static void a_table_pyiceberg_reads(void) {
    const lake_schema *s;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_schema_of(&s, &item_model, &err), &err);
    for (int i = 0; i < ROWS; i++) {
        snprintf(names[i], sizeof names[i], "n%03d", ROWS - 1 - i);
        snprintf(notes[i], sizeof notes[i], "note %d", i);
        rows[i] = (item){i + 1, {names[i], strlen(names[i])}, {1700000000000000LL + (int64_t)(i % 3) * 86400000000LL + i},
                         {(uint64_t)(i * 137), 0}, i % 4 ? (lake_str){notes[i], strlen(notes[i])} : (lake_str){NULL, 0}};
    }
    /* Rows by partition: the transforms of their id and time. */
    for (size_t i = 0; i < ROWS; i++) {
        lake__iceberg_part p[2];
        CHECK_OK(lake__iceberg_partition_value(&s->columns[0], &rows[i], &p[0]), NULL);
        CHECK_OK(lake__iceberg_partition_value(&s->columns[2], &rows[i], &p[1]), NULL);
        size_t g = 0;
        while (g < group_count && (groups[g].part[0].l != p[0].l || groups[g].part[1].l != p[1].l)) g++;
        CHECK(g < MAX_FILES);
        if (g == group_count) group_count++, memcpy(groups[g].part, p, sizeof p);
        groups[g].rows[groups[g].count++] = i;
    }
    CHECK(group_count > 4);
    char location[128], meta_dir[160];
    snprintf(location, sizeof location, "file://%s/items", dir);
    snprintf(meta_dir, sizeof meta_dir, "%s/items/metadata", dir);
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "mkdir -p %s %s/items/data", meta_dir, dir);
    CHECK_EQ_INT(system(cmd), 0);
    const char *ingest = "0190a5f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b";
    lake__iceberg_data_file files[MAX_FILES];
    for (size_t g = 0; g < group_count; g++) {
        group *gr = &groups[g];
        snprintf(gr->path, sizeof gr->path, "%s/items/data/part-%05zu.parquet", dir, g);
        file_sink fs = {fopen(gr->path, "wb")};
        lake_sink sink = {to_file, &fs};
        lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
        o.ingest_id = ingest;
        lake_parquet_writer *w;
        CHECK_OK(lake_parquet_writer_open(&w, s, &sink, &o, &err), &err);
        size_t lo = gr->rows[0], hi = gr->rows[0], lo_name = gr->rows[0];
        for (size_t k = 0; k < gr->count; k++) {
            size_t r = gr->rows[k];
            CHECK_OK(lake_parquet_writer_append(w, &rows[r], 1, &err), &err);
            if (rows[r].id < rows[lo].id) lo = r;
            if (rows[r].id > rows[hi].id) hi = r;
            if (strcmp(names[r], names[lo_name]) < 0) lo_name = r;
            gr->nulls[4] += rows[r].note.ptr == NULL;
        }
        CHECK_OK(lake_parquet_writer_close(w, &err), &err);
        lake_parquet_writer_free(w);
        fclose(fs.f);
        for (int c = 0; c < COLUMNS; c++) gr->ids[c] = c + 1, gr->values[c] = (int64_t)gr->count;
        const void *data;
        gr->lower_lens[0] = lake__iceberg_single_value(&s->columns[0], &rows[lo], gr->lo_id, &data);
        gr->upper_lens[0] = lake__iceberg_single_value(&s->columns[0], &rows[hi], gr->hi_id, &data);
        gr->lower[0] = gr->lo_id, gr->upper[0] = gr->hi_id;
        gr->lower[1] = (const unsigned char *)names[lo_name], gr->lower_lens[1] = strlen(names[lo_name]);
        static char uri[MAX_FILES][300];
        snprintf(uri[g], sizeof uri[g], "file://%s", gr->path);
        files[g] = (lake__iceberg_data_file){uri[g], (int64_t)gr->count, size_of(gr->path), gr->part, COLUMNS, gr->ids,
                                             gr->values, gr->nulls, gr->lower, gr->upper, gr->lower_lens, gr->upper_lens};
    }
    int64_t snapshot = 3051729675574597004LL;
    char manifest[256], list[256], manifest_uri[300], list_uri[300];
    snprintf(manifest, sizeof manifest, "%s/m0.avro", meta_dir);
    snprintf(list, sizeof list, "%s/snap-%lld-1.avro", meta_dir, (long long)snapshot);
    snprintf(manifest_uri, sizeof manifest_uri, "file://%s", manifest);
    snprintf(list_uri, sizeof list_uri, "file://%s", list);
    file_sink ms = {fopen(manifest, "wb")};
    lake_sink msink = {to_file, &ms};
    CHECK_OK(lake__iceberg_manifest_write(s, snapshot, files, group_count, &msink, &err), &err);
    fclose(ms.f);
    lake__iceberg_manifest m = {manifest_uri, size_of(manifest), 1, 1, snapshot, (int32_t)group_count, 0, 0, ROWS, 0, 0};
    file_sink ls = {fopen(list, "wb")};
    lake_sink lsink = {to_file, &ls};
    CHECK_OK(lake__iceberg_manifest_list_write(snapshot, -1, 1, &m, 1, &lsink, &err), &err);
    fclose(ls.f);

    char files_text[16];
    snprintf(files_text, sizeof files_text, "%zu", group_count);
    const char *summary[] = {"added-data-files", files_text, "added-records", "200", "total-records", "200",
                             "total-data-files", files_text, "lakeorm.ingest-id", ingest};
    lake__iceberg_snapshot snap = {snapshot, -1, 1, 1700000000000, list_uri, "append", summary, 5};
    const char *props[] = {"write.format.default", "parquet"};
    lake__iceberg_table t = {"9c12d441-03fe-4693-9a96-a0705ddf69c1", location, s, 1700000000000, &snap, 1, props, 1};
    lake__buf json = LAKE__BUF_INIT;
    CHECK_OK(lake__iceberg_metadata_json(&json, &t, &err), &err);
    char metadata[256];
    snprintf(metadata, sizeof metadata, "%s/v1.metadata.json", meta_dir);
    FILE *f = fopen(metadata, "w");
    fwrite(json.data, 1, json.len, f);
    fclose(f);
    lake__buf_dispose(&json);

    /* What pyiceberg must find. */
    char expected[256];
    snprintf(expected, sizeof expected, "%s/expected.json", dir);
    f = fopen(expected, "w");
    fprintf(f, "{\"snapshot_id\": %lld, \"ingest_id\": \"%s\", \"files\": %zu, \"fields\": [[1, \"id\", true], "
               "[2, \"name\", true], [3, \"at\", true], [4, \"price\", true], [5, \"note\", false], [6, \"_ingest_id\", false]], "
               "\"spec\": [[1, 1000, \"id_bucket\", \"bucket[4]\"], [3, 1001, \"at_day\", \"day\"]], \"rows\": [",
            (long long)snapshot, ingest, group_count);
    for (int i = 0; i < ROWS; i++) {
        const item *r = &rows[i];
        long long cents = (long long)r->price.lo;
        fprintf(f, "%s{\"id\": %lld, \"name\": \"%s\", \"at\": %lld, \"price\": \"%lld.%02lld\", \"note\": ", i ? ", " : "",
                (long long)r->id, names[i], (long long)r->at.us, cents / 100, cents % 100);
        if (r->note.ptr) fprintf(f, "\"%s\"", notes[i]);
        else fprintf(f, "null");
        fprintf(f, ", \"_ingest_id\": \"%s\"}", ingest);
    }
    fprintf(f, "]}");
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s %s/iceberg/table_check.py %s %s", LAKE_PYTHON, LAKE_TESTS_DIR, metadata, expected);
    CHECK_EQ_INT(system(cmd), 0);
    lake_error_clear(&err);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/lake-iceberg-table-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    LAKE_RUN(a_table_pyiceberg_reads);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "%s '%s'", getenv("KEEP") ? "true" : "rm -rf", dir);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", dir);
    return lake_test_summary();
}

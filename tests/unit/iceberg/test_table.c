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

#include "formats/iceberg/catalog.h"
#include "formats/iceberg/metadata.h"
#include "formats/iceberg/sql_catalog.h"
#include "formats/iceberg/stats.h"
#include "util/arena.h"
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

static int64_t size_of(const char *path) {
    struct stat st;
    return stat(path, &st) ? -1 : (int64_t)st.st_size;
}

/* One partition's rows and its data file. */
typedef struct group {
    lake__iceberg_part part[2];
    size_t rows[ROWS], count;
    char path[256];
} group;

static char location[128], meta_dir[160];
static const char *ingest = "0190a5f2-3c4d-7e8f-9a0b-1c2d3e4f5a6b";
static const lake_schema *schema;

static void make_rows(void) {
    for (int i = 0; i < ROWS; i++) {
        snprintf(names[i], sizeof names[i], "n%03d", ROWS - 1 - i);
        snprintf(notes[i], sizeof notes[i], "note %d", i);
        rows[i] = (item){i + 1, {names[i], strlen(names[i])}, {1700000000000000LL + (int64_t)(i % 3) * 86400000000LL + i},
                         {(uint64_t)(i * 137), 0}, i % 4 ? (lake_str){notes[i], strlen(notes[i])} : (lake_str){NULL, 0}};
    }
}

/* Rows first .. first+count-1 as data files (one per partition), their
 * manifest and the manifest list of snapshot `id`: the list's URI into out. */
/* The manifests a snapshot's list names: its parent's, read from the parent's
 * list (whoever wrote it), to carry over. */
static size_t parent_manifests(const char *list_uri, lake_arena *arena, lake__iceberg_manifest **out) {
    size_t len = 0, count = 0;
    char *data = lake_test_read_bytes(list_uri + strlen("file://"), &len);
    CHECK(data != NULL);
    if (!data) return 0;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake__iceberg_manifest_list_read(data, len, arena, out, &count, &err), &err);
    /* paths were copied into the arena; the file's bytes can go */
    free(data);
    return count;
}

static size_t write_snapshot(size_t first, size_t count, int64_t id, int64_t parent, int64_t sequence,
                             const lake__iceberg_manifest *carried, size_t carried_count, char out[300]) {
    static group groups[MAX_FILES];
    size_t group_count = 0;
    memset(groups, 0, sizeof groups);
    lake_error err = LAKE_ERROR_INIT;
    for (size_t i = first; i < first + count; i++) {
        lake__iceberg_part p[2];
        CHECK_OK(lake__iceberg_partition_value(&schema->columns[0], &rows[i], &p[0]), NULL);
        CHECK_OK(lake__iceberg_partition_value(&schema->columns[2], &rows[i], &p[1]), NULL);
        size_t g = 0;
        while (g < group_count && (groups[g].part[0].l != p[0].l || groups[g].part[1].l != p[1].l)) g++;
        if (g == MAX_FILES) return 0;
        if (g == group_count) group_count++, memcpy(groups[g].part, p, sizeof p);
        groups[g].rows[groups[g].count++] = i;
    }
    lake__iceberg_data_file files[MAX_FILES];
    static char uri[MAX_FILES][300];
    int64_t records = 0;
    lake_arena *stats;
    lake_arena_new(&stats);
    for (size_t g = 0; g < group_count; g++) {
        group *gr = &groups[g];
        snprintf(gr->path, sizeof gr->path, "%s/items/data/part-%lld-%05zu.parquet", dir, (long long)sequence, g);
        FILE *fs = fopen(gr->path, "wb");
        lake_sink sink = lake_sink_stdio(fs);
        lake_parquet_options o = LAKE_PARQUET_OPTIONS_INIT;
        o.ingest_id = ingest;
        lake_parquet_writer *w;
        CHECK_OK(lake_parquet_writer_open(&w, schema, &sink, &o, &err), &err);
        for (size_t k = 0; k < gr->count; k++) CHECK_OK(lake_parquet_writer_append(w, &rows[gr->rows[k]], 1, &err), &err);
        CHECK_OK(lake_parquet_writer_close(w, &err), &err);
        fclose(fs);
        snprintf(uri[g], sizeof uri[g], "file://%s", gr->path);
        files[g] = (lake__iceberg_data_file){uri[g], (int64_t)gr->count, size_of(gr->path), gr->part, 0, NULL,
                                             NULL, NULL, NULL, NULL, NULL, NULL, false, 0, 0, 0};
        /* the statistics the writer kept for its footer, as the manifest wants them */
        lake__leaf_summary *sums;
        size_t leaves;
        CHECK_EQ_INT(lake__parquet_writer_summaries(w, &sums, &leaves), 0);
        CHECK_OK(lake__iceberg_file_stats(sums, leaves, stats, &files[g], &err), &err);
        CHECK_EQ_INT(files[g].column_count, COLUMNS + 1); /* and _ingest_id */
        lake__leaf_summaries_free(sums, leaves);
        lake_parquet_writer_free(w);
        records += (int64_t)gr->count;
    }
    char manifest[256], list[256], manifest_uri[300];
    snprintf(manifest, sizeof manifest, "%s/m-%lld.avro", meta_dir, (long long)id);
    snprintf(list, sizeof list, "%s/snap-%lld-1.avro", meta_dir, (long long)id);
    snprintf(manifest_uri, sizeof manifest_uri, "file://%s", manifest);
    snprintf(out, 300, "file://%s", list);
    FILE *ms = fopen(manifest, "wb");
    lake_sink msink = lake_sink_stdio(ms);
    CHECK_OK(lake__iceberg_manifest_write(schema, id, files, group_count, &msink, &err), &err);
    fclose(ms);
    /* An append lists its own manifest, its partitions summarized, and carries the parent's over. */
    lake__iceberg_manifest m[16] = {{manifest_uri, size_of(manifest), 0, 0, sequence, sequence, id, (int32_t)group_count,
                                     0, 0, records, 0, 0, NULL, 0}};
    lake__iceberg_part_summary *sums;
    CHECK_EQ_INT(lake__iceberg_partition_summaries(schema, files, group_count, stats, &sums, &m[0].partition_count), 0);
    CHECK_EQ_INT(m[0].partition_count, 2);
    m[0].partitions = sums;
    size_t n = 1;
    for (size_t i = 0; i < carried_count && n < 16; i++) m[n++] = carried[i];
    FILE *ls = fopen(list, "wb");
    lake_sink lsink = lake_sink_stdio(ls);
    CHECK_OK(lake__iceberg_manifest_list_write(id, parent, sequence, m, n, &lsink, &err), &err);
    fclose(ls);
    lake_arena_free(stats);
    lake_error_clear(&err);
    return group_count;
}

static void save(const char *path, const lake__buf *b) {
    FILE *f = fopen(path, "w");
    fwrite(b->data, 1, b->len, f);
    fclose(f);
}

/* EXPECTED.json for table_check.py: rows 0 .. rows-1, the snapshots, the files. */
/* Rows first .. first+count-1 as table_check.py's expected rows. */
static void rows_json(FILE *f, size_t first, size_t count) {
    for (size_t i = first; i < first + count; i++) {
        const item *r = &rows[i];
        long long cents = (long long)r->price.lo;
        fprintf(f, "%s{\"id\": %lld, \"name\": \"%s\", \"at\": %lld, \"price\": \"%lld.%02lld\", \"note\": ",
                i > first ? ", " : "", (long long)r->id, names[i], (long long)r->at.us, cents / 100, cents % 100);
        if (r->note.ptr) fprintf(f, "\"%s\"", notes[i]);
        else fprintf(f, "null");
        fprintf(f, ", \"_ingest_id\": \"%s\"}", ingest);
    }
}

static void check(const char *metadata, size_t row_count, const int64_t *history, size_t snapshots, long files,
                  const char *properties) {
    char expected[256], cmd[1024];
    snprintf(expected, sizeof expected, "%s/expected.json", dir);
    FILE *f = fopen(expected, "w");
    fprintf(f, "{\"snapshot_id\": %lld, \"ingest_id\": \"%s\", \"files\": %ld, \"properties\": %s, \"history\": [",
            (long long)history[snapshots - 1], ingest, files, properties);
    for (size_t i = 0; i < snapshots; i++) fprintf(f, "%s%lld", i ? ", " : "", (long long)history[i]);
    fprintf(f, "], \"fields\": [[1, \"id\", true], [2, \"name\", true], [3, \"at\", true], [4, \"price\", true], "
               "[5, \"note\", false], [6, \"_ingest_id\", false]], "
               "\"spec\": [[1, 1000, \"id_bucket\", \"bucket[4]\"], [3, 1001, \"at_day\", \"day\"]], \"rows\": [");
    rows_json(f, 0, row_count);
    fprintf(f, "]}");
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s %s/iceberg/table_check.py %s %s", LAKE_PYTHON, LAKE_TESTS_DIR, metadata, expected);
    CHECK_EQ_INT(system(cmd), 0);
}

static lake__iceberg_snapshot snapshot_of(int64_t id, int64_t parent, int64_t sequence, const char *list,
                                          const char *const *summary) {
    return (lake__iceberg_snapshot){id, parent, sequence, 1700000000000 + sequence, list, "append", summary, 5, 0};
}

enum { FIRST = 150 }; /* rows of the first snapshot; the second appends the rest */

static void setup(const char *table) {
    CHECK_OK(lake_schema_of(&schema, &item_model, NULL), NULL);
    make_rows();
    snprintf(location, sizeof location, "file://%s/%s", dir, table);
    snprintf(meta_dir, sizeof meta_dir, "%s/%s/metadata", dir, table);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf %s/items; mkdir -p %s %s/items/data", dir, meta_dir, dir);
    CHECK_EQ_INT(system(cmd), 0);
}

/* A table lakeorm makes, then a second snapshot committed over its metadata. */
static void a_table_pyiceberg_reads(void) {
    setup("items");
    lake_error err = LAKE_ERROR_INIT;
    int64_t ids[2] = {3051729675574597004LL, 3051729675574597005LL};
    char list[300], files_text[24];
    size_t files = write_snapshot(0, FIRST, ids[0], -1, 1, NULL, 0, list);
    CHECK(files > 4);
    snprintf(files_text, sizeof files_text, "%zu", files);
    const char *summary[] = {"added-data-files", files_text, "added-records", "150", "total-records", "150",
                             "total-data-files", files_text, "lakeorm.ingest-id", ingest};
    lake__iceberg_snapshot snap = snapshot_of(ids[0], -1, 1, list, summary);
    const char *props[] = {"write.format.default", "parquet"};
    lake__iceberg_table t = {"9c12d441-03fe-4693-9a96-a0705ddf69c1", location, schema, 1700000000000, &snap, 1, props, 1};
    lake__buf json = LAKE__BUF_INIT;
    CHECK_OK(lake__iceberg_metadata_json(&json, &t, &err), &err);
    char v1[256], v2[256];
    snprintf(v1, sizeof v1, "%s/v1.metadata.json", meta_dir);
    snprintf(v2, sizeof v2, "%s/v2.metadata.json", meta_dir);
    save(v1, &json);
    check(v1, FIRST, ids, 1, (long)files, "{\"write.format.default\": \"parquet\"}");

    /* The next snapshot over v1: lakeorm reads its own metadata back, then commits. */
    lake_arena *arena;
    lake_arena_new(&arena);
    lake__iceberg_loaded loaded;
    CHECK_OK(lake__iceberg_metadata_read(json.data, json.len, arena, &loaded, &err), &err);
    CHECK_EQ_INT(loaded.current_snapshot_id, ids[0]);
    CHECK_EQ_INT(loaded.last_sequence_number, 1);
    CHECK_EQ_STR(loaded.current_manifest_list, list);
    lake__iceberg_manifest *carried;
    size_t carried_count = parent_manifests(loaded.current_manifest_list, arena, &carried);
    CHECK_EQ_INT(carried_count, 1);
    CHECK_EQ_INT(carried[0].added_rows, FIRST);
    size_t more = write_snapshot(FIRST, ROWS - FIRST, ids[1], ids[0], 2, carried, carried_count, list);
    lake__iceberg_snapshot next = snapshot_of(ids[1], ids[0], 2, list, summary);
    lake__buf json2 = LAKE__BUF_INIT;
    CHECK_OK(lake__iceberg_metadata_commit(&json2, json.data, json.len, &(lake__iceberg_update){.snapshot = &next}, v1, 1700000009999, &err), &err);
    save(v2, &json2);
    check(v2, ROWS, ids, 2, (long)(files + more), "{\"write.format.default\": \"parquet\"}");
    lake_arena_free(arena);
    lake__buf_dispose(&json);
    lake__buf_dispose(&json2);
    lake_error_clear(&err);
}

/* A table pyiceberg made (its own metadata file, a property lakeorm does not
 * model): lakeorm commits a snapshot over it, and the property stays. */
static void a_commit_over_pyiceberg_metadata(void) {
    setup("items");
    lake_error err = LAKE_ERROR_INIT;
    lake__buf schema_json = LAKE__BUF_INIT, spec_json = LAKE__BUF_INIT;
    CHECK_EQ_INT(lake__iceberg_schema_json(&schema_json, schema, 0), 0);
    CHECK_OK(lake__iceberg_spec_json(&spec_json, schema, &err), &err);
    char schema_path[256], spec_path[256], made[256], v2[256], cmd[1400];
    snprintf(schema_path, sizeof schema_path, "%s/schema.json", dir);
    snprintf(spec_path, sizeof spec_path, "%s/spec.json", dir);
    snprintf(made, sizeof made, "%s/v1.metadata.json", meta_dir);
    snprintf(v2, sizeof v2, "%s/v2.metadata.json", meta_dir);
    save(schema_path, &schema_json);
    save(spec_path, &spec_json);
    snprintf(cmd, sizeof cmd, "%s %s/iceberg/table_check.py --make %s %s %s %s", LAKE_PYTHON, LAKE_TESTS_DIR, made,
             schema_path, spec_path, location);
    CHECK_EQ_INT(system(cmd), 0);
    size_t len = 0;
    char *text = lake_test_read_bytes(made, &len);
    CHECK(text != NULL);
    if (!text) return;
    lake_arena *arena;
    lake_arena_new(&arena);
    lake__iceberg_loaded loaded;
    CHECK_OK(lake__iceberg_metadata_read(text, len, arena, &loaded, &err), &err);
    CHECK_EQ_INT(loaded.current_snapshot_id, -1);
    CHECK(loaded.current_manifest_list == NULL);
    int64_t id = 77;
    char list[300], files_text[24];
    size_t files = write_snapshot(0, ROWS, id, -1, 1, NULL, 0, list);
    snprintf(files_text, sizeof files_text, "%zu", files);
    const char *summary[] = {"added-data-files", files_text, "added-records", "200", "total-records", "200",
                             "total-data-files", files_text, "lakeorm.ingest-id", ingest};
    lake__iceberg_snapshot snap = snapshot_of(id, -1, 1, list, summary);
    lake__buf json = LAKE__BUF_INIT;
    CHECK_OK(lake__iceberg_metadata_commit(&json, text, len, &(lake__iceberg_update){.snapshot = &snap}, made, 1700000009999, &err), &err);
    save(v2, &json);
    check(v2, ROWS, &id, 1, (long)files, "{\"owner\": \"pyiceberg\"}");
    /* Damaged metadata is refused with a reason. */
    CHECK_STATUS(lake__iceberg_metadata_read(text, len / 2, arena, &loaded, &err), LAKE_EIO, &err);
    CHECK_CONTAINS(err.message, "malformed Iceberg metadata");
    const char *v1_table = "{\"format-version\":1,\"table-uuid\":\"x\",\"location\":\"y\"}";
    CHECK_STATUS(lake__iceberg_metadata_read(v1_table, strlen(v1_table), arena, &loaded, &err), LAKE_ENOTSUP, &err);
    lake_arena_free(arena);
    free(text);
    lake__buf_dispose(&json);
    lake__buf_dispose(&schema_json);
    lake__buf_dispose(&spec_json);
    lake_error_clear(&err);
}

/* The SQL catalog: lakeorm registers a table, pyiceberg's SqlCatalog loads
 * it and appends through it, lakeorm loads pyiceberg's commit and commits
 * the next snapshot over it by compare-and-swap (a stale swap is refused),
 * and pyiceberg reads every row. */
static void a_catalog_pyiceberg_shares(void) {
    setup("items");
    lake_error err = LAKE_ERROR_INIT;
    char db[128], v1[256], loc[512], cmd[1400];
    snprintf(db, sizeof db, "%s/catalog.db", dir);
    snprintf(v1, sizeof v1, "%s/00000-lakeorm.metadata.json", meta_dir);
    lake__sql_catalog *cat;
    CHECK_OK(lake__sql_catalog_open(&cat, db, NULL, &err), &err);
    CHECK_OK(lake__sql_catalog_namespace(cat, "default", &err), &err);
    CHECK_STATUS(lake__sql_catalog_load(cat, "default", "items", loc, sizeof loc, &err), LAKE_ENOTFOUND, &err);

    int64_t ids[3] = {11, -1, 33};
    char list[300];
    size_t files = write_snapshot(0, FIRST, ids[0], -1, 1, NULL, 0, list);
    const char *summary[] = {"added-data-files", "1", "added-records", "150", "total-records", "150",
                             "total-data-files", "1", "lakeorm.ingest-id", ingest};
    lake__iceberg_snapshot snap = snapshot_of(ids[0], -1, 1, list, summary);
    lake__iceberg_table t = {"7d0f8a52-98a4-4f1c-9a36-2d54a1b0c2e3", location, schema, 1700000000000, &snap, 1, NULL, 0};
    lake__buf json = LAKE__BUF_INIT;
    CHECK_OK(lake__iceberg_metadata_json(&json, &t, &err), &err);
    save(v1, &json);
    char v1_uri[300];
    snprintf(v1_uri, sizeof v1_uri, "file://%s", v1);
    CHECK_OK(lake__sql_catalog_create(cat, "default", "items", v1_uri, &err), &err);
    CHECK_STATUS(lake__sql_catalog_create(cat, "default", "items", v1_uri, &err), LAKE_ECONFLICT, &err);

    /* pyiceberg appends rows FIRST .. FIRST+9 through the catalog. */
    char rows_path[128];
    snprintf(rows_path, sizeof rows_path, "%s/pyiceberg-rows.json", dir);
    FILE *f = fopen(rows_path, "w");
    fputc('[', f);
    rows_json(f, FIRST, 10);
    fputc(']', f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s %s/iceberg/catalog_append.py %s file://%s default.items %d %s", LAKE_PYTHON,
             LAKE_TESTS_DIR, db, dir, FIRST, rows_path);
    CHECK_EQ_INT(system(cmd), 0);

    /* lakeorm loads pyiceberg's commit and commits over it. */
    CHECK_OK(lake__sql_catalog_load(cat, "default", "items", loc, sizeof loc, &err), &err);
    CHECK(strcmp(loc, v1_uri) != 0);
    size_t len = 0;
    char *text = lake_test_read_bytes(loc + strlen("file://"), &len);
    CHECK(text != NULL);
    if (!text) return;
    lake_arena *arena;
    lake_arena_new(&arena);
    lake__iceberg_loaded loaded;
    CHECK_OK(lake__iceberg_metadata_read(text, len, arena, &loaded, &err), &err);
    CHECK_EQ_INT(loaded.last_sequence_number, 2);
    ids[1] = loaded.current_snapshot_id;
    lake__iceberg_manifest *carried;
    size_t carried_count = parent_manifests(loaded.current_manifest_list, arena, &carried);
    CHECK(carried_count >= 2); /* lakeorm's first manifest and pyiceberg's */
    write_snapshot(FIRST + 10, ROWS - FIRST - 10, ids[2], ids[1], 3, carried, carried_count, list);
    lake__iceberg_snapshot next = snapshot_of(ids[2], ids[1], 3, list, summary);
    lake__buf json3 = LAKE__BUF_INIT;
    CHECK_OK(lake__iceberg_metadata_commit(&json3, text, len, &(lake__iceberg_update){.snapshot = &next}, loc, 1700000009999, &err), &err);
    char v3[256], v3_uri[300];
    snprintf(v3, sizeof v3, "%s/00003-lakeorm.metadata.json", meta_dir);
    snprintf(v3_uri, sizeof v3_uri, "file://%s", v3);
    save(v3, &json3);
    CHECK_STATUS(lake__sql_catalog_swap(cat, "default", "items", v1_uri, v3_uri, &err), LAKE_ECONFLICT, &err);
    CHECK_CONTAINS(err.message, "moved past");
    CHECK_OK(lake__sql_catalog_swap(cat, "default", "items", loc, v3_uri, &err), &err);
    CHECK_OK(lake__sql_catalog_load(cat, "default", "items", loc, sizeof loc, &err), &err);
    CHECK_EQ_STR(loc, v3_uri);
    check(v3, ROWS, ids, 3, -1, "{}");
    (void)files;
    lake_arena_free(arena);
    free(text);
    lake__buf_dispose(&json);
    lake__buf_dispose(&json3);
    lake__sql_catalog_close(cat);
    lake_error_clear(&err);
}

static int append_name(void *ctx, const char *name) {
    char *out = ctx;
    size_t n = strlen(out);
    snprintf(out + n, 64 - n, "%s;", name);
    return 0;
}

/* lake_client_drop on a warehouse: the SQL catalog forgets the table, its
 * folder goes, and the name can be made again. */
static void a_dropped_table_leaves_nothing(void) {
    CHECK_OK(lake_schema_of(&schema, &item_model, NULL), NULL);
    char wh[128], table_dir[160];
    snprintf(wh, sizeof wh, "file://%s/wh", dir);
    snprintf(table_dir, sizeof table_dir, "%s/wh/default/items", dir);
    lake_client_options o = LAKE_CLIENT_OPTIONS_INIT;
    o.dialect = "iceberg";
    o.warehouse = wh;
    lake_client *c;
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_open(&c, &o, &err), &err);
    CHECK_OK(lake_client_migrate(c, schema, &err), &err);
    CHECK(size_of(table_dir) >= 0);
    CHECK_OK(lake_client_drop(c, schema, &err), &err);
    CHECK(size_of(table_dir) < 0);
    char catalog[160], at[1024];
    snprintf(catalog, sizeof catalog, "%s/wh/catalog.db", dir);
    lake__sql_catalog *cat;
    CHECK_OK(lake__sql_catalog_open(&cat, catalog, "lakeorm", &err), &err);
    CHECK_STATUS(lake__sql_catalog_load(cat, "default", "items", at, sizeof at, &err), LAKE_ENOTFOUND, &err);
    lake__sql_catalog_close(cat);
    CHECK_OK(lake_client_drop(c, schema, &err), &err); /* nothing there: nothing to do */
    CHECK_OK(lake_client_migrate(c, schema, &err), &err);
    char listed[64] = "";
    CHECK_OK(lake_client_namespaces(c, append_name, listed, &err), &err);
    CHECK_EQ_STR(listed, "default;");
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    snprintf(dir, sizeof dir, "/tmp/lake-iceberg-table-XXXXXX");
    if (!mkdtemp(dir)) return 1;
    LAKE_RUN(a_table_pyiceberg_reads);
    LAKE_RUN(a_commit_over_pyiceberg_metadata);
    LAKE_RUN(a_catalog_pyiceberg_shares);
    LAKE_RUN(a_dropped_table_leaves_nothing);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "%s '%s'", getenv("KEEP") ? "true" : "rm -rf", dir);
    if (system(cmd)) fprintf(stderr, "could not remove %s\n", dir);
    return lake_test_summary();
}

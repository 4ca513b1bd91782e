/* SPDX-License-Identifier: MIT */
/* Nested values on DuckDB through the staged path: lakeorm's Parquet parts
 * (LIST, MAP and optional groups, parquet/) loaded by read_parquet, then read
 * back exactly; an update on the primary key takes the nested values. The
 * direct path's tests are test_nested. */
#include "client_fixture.h"
#include "nested_records.h"

static void every_nested_shape_round_trips_staged(void) {
    lake_client *c = open_client();
    lake_error err = LAKE_ERROR_INIT;
    CHECK_OK(lake_client_migrate(c, nr_schema(), &err), &err);
    event rows[NR_EVENTS];
    for (int i = 0; i < NR_EVENTS; i++) rows[i] = nr_event(i);
    lake_insert_options io = LAKE_INSERT_OPTIONS_INIT;
    io.path = LAKE_PATH_STAGED;
    lake_insert_result r = LAKE_INSERT_RESULT_INIT;
    CHECK_OK(lake_client_insert(c, nr_schema(), rows, NR_EVENTS, &io, &r, &err), &err);
    CHECK_EQ_INT(r.path, LAKE_PATH_STAGED);
    lake_arena *arena;
    CHECK_OK(lake_arena_new(&arena), NULL);
    void *out = NULL;
    size_t n = 0;
    lake_source q = LAKE_SQL("SELECT * FROM events ORDER BY event_id");
    CHECK_OK(lake_client_query_all(c, nr_schema(), &q, arena, &out, &n, &err), &err);
    CHECK_EQ_INT(n, NR_EVENTS);
    size_t same = 0;
    for (size_t i = 0; i < n; i++) same += nr_same_record(nr_schema(), (const unsigned char *)out + i * sizeof(event),
                                                          (const unsigned char *)&rows[i]);
    CHECK_EQ_INT(same, NR_EVENTS);
    lake_free(out);

    /* On conflict, update: the staged rows replace the nested values. */
    event again = nr_event(0), got;
    again.shipping = NULL;
    again.items.len = 1;
    again.notes = (lake_list_str){NULL, 0};
    io.on_conflict = LAKE_CONFLICT_UPDATE;
    CHECK_OK(lake_client_insert(c, nr_schema(), &again, 1, &io, &r, &err), &err);
    CHECK_EQ_INT(r.updated, 1);
    lake_source first = LAKE_SQL("SELECT * FROM events ORDER BY event_id LIMIT 1");
    CHECK_OK(lake_client_query_first(c, nr_schema(), &first, arena, &got, &err), &err);
    CHECK(nr_same_record(nr_schema(), (const unsigned char *)&got, (const unsigned char *)&again));
    CHECK(staging_empty());
    lake_arena_free(arena);
    lake_client_close(c);
    lake_error_clear(&err);
}

int main(void) {
    fixture_begin();
    LAKE_RUN(every_nested_shape_round_trips_staged);
    return fixture_end();
}

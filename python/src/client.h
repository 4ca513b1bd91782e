/* SPDX-License-Identifier: MIT */
/* The client's native object, shared by client.c and arrow.c. */
#ifndef LAKEPY_CLIENT_H
#define LAKEPY_CLIENT_H

#include "native.h"

typedef struct lakepy_client {
    PyObject_HEAD
    lake_client *c;
    unsigned busy;  /* calls and streams in flight (counted under the GIL) */
    bool closing;   /* close() was called: the last call in flight closes c */
} lakepy_client;

typedef struct lakepy_rows {
    PyObject_HEAD
    lakepy_client *client;
    PyObject *schema;
    lake_rows *rows;  /* NULL once exhausted or closed */
    bool busy;        /* a thread is reading it with the GIL released */
} lakepy_rows;

/* The client for one call, counted in flight; NULL (an exception set) when closed. */
lake_client *lakepy_client_enter(lakepy_client *self);
/* Ends a call; closes the client when close() waited for it. */
void lakepy_client_leave(lakepy_client *self);

int lakepy_insert_options(lake_insert_options *opts, const char *key, const char *on_conflict, const char *path);
PyObject *lakepy_insert_result(const lake_insert_result *r);

/* arrow.c */
PyObject *lakepy_insert_arrow(lakepy_client *self, const lake_schema *schema, PyObject *data,
                              const lake_insert_options *opts);
PyObject *lakepy_client_query_arrow(PyObject *self, PyObject *args, PyObject *kw);

#endif

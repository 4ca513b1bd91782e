/* SPDX-License-Identifier: MIT */
/* lakeorm.Schema's native part: a compiled schema-file schema. The Python
 * class (lakeorm.Schema) subclasses it and adds the constructors. */
#include "native.h"

const lake_schema *lakepy_schema_of(PyObject *o) {
    if (!PyObject_TypeCheck(o, (PyTypeObject *)lakepy.schema_type)) {
        PyObject *name = lakepy_type_name(o);
        if (name) PyErr_Format(PyExc_TypeError, "expected a lakeorm.Schema, got a %U", name);
        Py_XDECREF(name);
        return NULL;
    }
    return ((lakepy_schema *)o)->schema;
}

static PyObject *schema_new(PyTypeObject *type, PyObject *args, PyObject *kw) {
    static char *names[] = {"text", NULL};
    const char *text;
    Py_ssize_t len;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s#", names, &text, &len)) return NULL;
    lake_error err = LAKE_ERROR_INIT;
    lake_schema *s = NULL;
    if (lake_schema_parse(&s, text, (size_t)len, &err)) return lakepy_raise(&err);
    allocfunc alloc = (allocfunc)PyType_GetSlot(type, Py_tp_alloc);
    lakepy_schema *self = (lakepy_schema *)alloc(type, 0);
    if (!self) {
        lake_schema_free(s);
        return NULL;
    }
    self->schema = s;
    return (PyObject *)self;
}

static void schema_dealloc(PyObject *o) {
    PyTypeObject *type = Py_TYPE(o);
    lake_schema_free(((lakepy_schema *)o)->schema);
    freefunc free_ = (freefunc)PyType_GetSlot(type, Py_tp_free);
    free_(o);
    Py_DECREF(type);
}

static PyObject *schema_table(PyObject *o, void *unused) {
    (void)unused;
    return PyUnicode_FromString(lake_schema_table(((lakepy_schema *)o)->schema));
}

static PyObject *schema_to_json(PyObject *o, PyObject *unused) {
    (void)unused;
    char *text = NULL;
    size_t len = 0;
    if (lake_schema_to_json(((lakepy_schema *)o)->schema, &text, &len)) return PyErr_NoMemory();
    PyObject *r = PyUnicode_FromStringAndSize(text, (Py_ssize_t)len);
    lake_free(text);
    return r;
}

static PyObject *schema_with_table(PyObject *o, PyObject *args) {
    const char *table;
    if (!PyArg_ParseTuple(args, "s", &table)) return NULL;
    PyObject *text = schema_to_json(o, NULL);
    if (!text) return NULL;
    PyObject *copy = PyObject_CallFunctionObjArgs((PyObject *)Py_TYPE(o), text, NULL);
    Py_DECREF(text);
    if (!copy) return NULL;
    lake_error err = LAKE_ERROR_INIT;
    if (lake_schema_set_table(((lakepy_schema *)copy)->schema, table, &err)) {
        Py_DECREF(copy);
        return lakepy_raise(&err);
    }
    return copy;
}

static PyMethodDef schema_methods[] = {
    {"to_json", schema_to_json, METH_NOARGS, "The schema in the schema-file format (docs/schema.md)."},
    {"with_table", schema_with_table, METH_VARARGS, "The same schema stored in another table."},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef schema_getset[] = {
    {"table", schema_table, NULL, "The table the schema's records are stored in.", NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot schema_slots[] = {
    {Py_tp_new, (void *)schema_new},
    {Py_tp_dealloc, (void *)schema_dealloc},
    {Py_tp_methods, schema_methods},
    {Py_tp_getset, schema_getset},
    {Py_tp_doc, (void *)"A table's schema, compiled once: Schema(text) parses the schema-file format."},
    {0, NULL},
};

PyType_Spec lakepy_schema_spec = {"lakeorm._native.Schema", sizeof(lakepy_schema), 0,
                                  Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE, schema_slots};

/*
 * c_counter: the hand-written CPython extension type that benchmarks/bench_classes.py
 * times zigimport's py.class against.  It is what a careful C programmer writes
 * by hand today, no more and no less:
 *
 *   Counter(start=0, step=1)   a static PyTypeObject (the classic idiom, and the faster
 *                              one: instances of a static type do not own a reference
 *                              to it, so allocation and dealloc skip a type
 *                              incref/decref); tp_new = PyType_GenericNew, tp_init parses
 *                              its arguments with PyArg_ParseTupleAndKeywords("|LL")
 *   count, step                PyMemberDef T_LONGLONG members (read/write)
 *   bump()                     METH_NOARGS, returns PyLong_FromLongLong
 *
 * No GC support (the instance holds no Python objects) and no weakref support.
 * Built by bench_classes.py with `python -m ziglang cc -shared -fPIC -O2`.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stddef.h>
#include "structmember.h"

typedef struct {
    PyObject_HEAD
    long long count;
    long long step;
} Counter;

static int
Counter_init(Counter *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"start", "step", NULL};
    long long start = 0, step = 1;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|LL:Counter", kwlist, &start, &step)) {
        return -1;
    }
    self->count = start;
    self->step = step;
    return 0;
}

static void
Counter_dealloc(Counter *self)
{
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *
Counter_bump(Counter *self, PyObject *Py_UNUSED(ignored))
{
    self->count += self->step;
    return PyLong_FromLongLong(self->count);
}

static PyMethodDef Counter_methods[] = {
    {"bump", (PyCFunction)Counter_bump, METH_NOARGS, "bump($self, /)\n--\n\nAdvance by step; return the new count."},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef Counter_members[] = {
    {"count", T_LONGLONG, offsetof(Counter, count), 0, NULL},
    {"step", T_LONGLONG, offsetof(Counter, step), 0, NULL},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject CounterType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "c_counter.Counter",
    .tp_doc = "Counter(start=0, step=1)\n--\n\nA counter that advances by step on every bump().",
    .tp_basicsize = sizeof(Counter),
    .tp_itemsize = 0,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_BASETYPE,
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Counter_init,
    .tp_dealloc = (destructor)Counter_dealloc,
    .tp_methods = Counter_methods,
    .tp_members = Counter_members,
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "c_counter",
    "Hand-written extension type baseline for bench_classes.py.",
    -1,
    NULL,
};

PyMODINIT_FUNC
PyInit_c_counter(void)
{
    if (PyType_Ready(&CounterType) < 0) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module_def);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "Counter", (PyObject *)&CounterType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}

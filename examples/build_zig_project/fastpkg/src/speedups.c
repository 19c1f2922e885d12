#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include "speedups.h"

static PyObject *scale(PyObject *self, PyObject *arg) {
    long long v = PyLong_AsLongLong(arg);
    if (v == -1 && PyErr_Occurred()) return NULL;
    return PyLong_FromLongLong(v * SPEEDUPS_FACTOR);
}
static PyMethodDef methods[] = {{"scale", scale, METH_O, "v * SPEEDUPS_FACTOR"}, {NULL, NULL, 0, NULL}};
static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "_speedups", "built by build.zig", -1, methods};
PyMODINIT_FUNC PyInit__speedups(void) { return PyModule_Create(&def); }

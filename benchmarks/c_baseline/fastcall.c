/*
 * c_baseline: the hand-written CPython extension that benchmarks/bench_calls.py
 * times zigimport's generated wrappers against.  It does what a careful C
 * programmer writes by hand, no more and no less:
 *
 *   add(a, b, /)                 METH_FASTCALL: argument count check,
 *                                PyLong_AsLongLong + PyErr_Occurred, PyLong_FromLongLong
 *   clamp(x, lo=0.0, hi=1.0)     METH_FASTCALL | METH_KEYWORDS: positional and keyword
 *                                arguments bound by hand from the kwnames tuple
 *   add_kw(a, b)                 add, also by keyword (the binding of clamp, two required)
 *   total(first, *rest)          METH_FASTCALL: the sum of every argument
 *   kw_total(**kw)               METH_FASTCALL | METH_KEYWORDS: the sum of the keyword values
 *
 * Built by bench_calls.py with `python -m ziglang cc -shared -fPIC -O2`.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

static PyObject *
add(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "add() takes 2 positional arguments but %zd were given", nargs);
        return NULL;
    }
    long long a = PyLong_AsLongLong(args[0]);
    if (a == -1 && PyErr_Occurred()) {
        return NULL;
    }
    long long b = PyLong_AsLongLong(args[1]);
    if (b == -1 && PyErr_Occurred()) {
        return NULL;
    }
    long long sum;
    if (__builtin_add_overflow(a, b, &sum)) {
        PyErr_SetString(PyExc_OverflowError, "add() result does not fit in 64 bits");
        return NULL;
    }
    return PyLong_FromLongLong(sum);
}

/* Index of the parameter named `key` (a str), or -1. */
static int
clamp_keyword_index(PyObject *key)
{
    static const char *const names[] = {"x", "lo", "hi"};
    Py_ssize_t len;
    const char *text = PyUnicode_AsUTF8AndSize(key, &len);
    if (text == NULL) {
        PyErr_Clear();
        return -1;
    }
    for (int i = 0; i < 3; i++) {
        if ((size_t)len == strlen(names[i]) && memcmp(text, names[i], (size_t)len) == 0) {
            return i;
        }
    }
    return -1;
}

static PyObject *
clamp(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)module;
    PyObject *slots[3] = {NULL, NULL, NULL};
    if (nargs > 3) {
        PyErr_Format(PyExc_TypeError, "clamp() takes from 1 to 3 positional arguments but %zd were given", nargs);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        slots[i] = args[i];
    }
    if (kwnames != NULL) {
        Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t j = 0; j < nkw; j++) {
            PyObject *key = PyTuple_GET_ITEM(kwnames, j);
            int k = clamp_keyword_index(key);
            if (k < 0) {
                PyErr_Format(PyExc_TypeError, "clamp() got an unexpected keyword argument '%U'", key);
                return NULL;
            }
            if (slots[k] != NULL) {
                PyErr_Format(PyExc_TypeError, "clamp() got multiple values for argument '%U'", key);
                return NULL;
            }
            slots[k] = args[nargs + j];
        }
    }
    if (slots[0] == NULL) {
        PyErr_SetString(PyExc_TypeError, "clamp() missing required argument 'x'");
        return NULL;
    }
    double values[3] = {0.0, 0.0, 1.0};
    for (int i = 0; i < 3; i++) {
        if (slots[i] != NULL) {
            values[i] = PyFloat_AsDouble(slots[i]);
            if (values[i] == -1.0 && PyErr_Occurred()) {
                return NULL;
            }
        }
    }
    double x = values[0], lo = values[1], hi = values[2];
    double r = x > lo ? x : lo;
    return PyFloat_FromDouble(r < hi ? r : hi);
}

/* Index of the parameter named `key` among a, b, or -1. */
static int
add_keyword_index(PyObject *key)
{
    Py_ssize_t len;
    const char *text = PyUnicode_AsUTF8AndSize(key, &len);
    if (text == NULL) {
        PyErr_Clear();
        return -1;
    }
    if (len == 1 && (text[0] == 'a' || text[0] == 'b')) {
        return text[0] - 'a';
    }
    return -1;
}

static PyObject *
add_kw(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *slots[2] = {NULL, NULL};
    if (nargs > 2) {
        PyErr_Format(PyExc_TypeError, "add_kw() takes 2 positional arguments but %zd were given", nargs);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        slots[i] = args[i];
    }
    if (kwnames != NULL) {
        Py_ssize_t nkw = PyTuple_GET_SIZE(kwnames);
        for (Py_ssize_t j = 0; j < nkw; j++) {
            PyObject *key = PyTuple_GET_ITEM(kwnames, j);
            int k = add_keyword_index(key);
            if (k < 0) {
                PyErr_Format(PyExc_TypeError, "add_kw() got an unexpected keyword argument '%U'", key);
                return NULL;
            }
            if (slots[k] != NULL) {
                PyErr_Format(PyExc_TypeError, "add_kw() got multiple values for argument '%U'", key);
                return NULL;
            }
            slots[k] = args[nargs + j];
        }
    }
    if (slots[0] == NULL || slots[1] == NULL) {
        PyErr_Format(PyExc_TypeError, "add_kw() missing 1 required positional argument: '%s'", slots[0] == NULL ? "a" : "b");
        return NULL;
    }
    return add(module, (PyObject *const *)slots, 2);
}

static PyObject *
total(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    (void)module;
    if (nargs < 1) {
        PyErr_SetString(PyExc_TypeError, "total() missing 1 required positional argument: 'first'");
        return NULL;
    }
    long long sum = 0;
    for (Py_ssize_t i = 0; i < nargs; i++) {
        long long v = PyLong_AsLongLong(args[i]);
        if (v == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (__builtin_add_overflow(sum, v, &sum)) {
            PyErr_SetString(PyExc_OverflowError, "total() result does not fit in 64 bits");
            return NULL;
        }
    }
    return PyLong_FromLongLong(sum);
}

static PyObject *
kw_total(PyObject *module, PyObject *const *args, Py_ssize_t nargs, PyObject *kwnames)
{
    (void)module;
    if (nargs != 0) {
        PyErr_Format(PyExc_TypeError, "kw_total() takes 0 positional arguments but %zd were given", nargs);
        return NULL;
    }
    long long sum = 0;
    Py_ssize_t nkw = kwnames == NULL ? 0 : PyTuple_GET_SIZE(kwnames);
    for (Py_ssize_t j = 0; j < nkw; j++) {
        long long v = PyLong_AsLongLong(args[j]);
        if (v == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (__builtin_add_overflow(sum, v, &sum)) {
            PyErr_SetString(PyExc_OverflowError, "kw_total() result does not fit in 64 bits");
            return NULL;
        }
    }
    return PyLong_FromLongLong(sum);
}

static PyMethodDef methods[] = {
    {"add", (PyCFunction)(void (*)(void))add, METH_FASTCALL, "add(a, b, /)\n--\n\na + b"},
    {"clamp", (PyCFunction)(void (*)(void))clamp, METH_FASTCALL | METH_KEYWORDS,
     "clamp(x, lo=0.0, hi=1.0)\n--\n\nx limited to [lo, hi]"},
    {"add_kw", (PyCFunction)(void (*)(void))add_kw, METH_FASTCALL | METH_KEYWORDS, "add_kw(a, b)\n--\n\na + b"},
    {"total", (PyCFunction)(void (*)(void))total, METH_FASTCALL, "total(first, *rest)\n--\n\nthe sum"},
    {"kw_total", (PyCFunction)(void (*)(void))kw_total, METH_FASTCALL | METH_KEYWORDS,
     "kw_total(**kw)\n--\n\nthe sum of the keyword values"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module_def = {
    PyModuleDef_HEAD_INIT,
    "c_baseline",
    "Hand-written METH_FASTCALL baseline for bench_calls.py.",
    -1,
    methods,
};

PyMODINIT_FUNC
PyInit_c_baseline(void)
{
    return PyModule_Create(&module_def);
}

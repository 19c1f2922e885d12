"""The generated modules of benchmarks/bench_build.py and tests/test_large_modules.py, shared.

``zig_source(n, classes)`` is a Zig module of *n* functions ``pub fn fn_K(xs: []const f64) !f64``
(five bodies in turn, some returning errors: a builtin-named one, a user-named one, mapped std ones)
and *classes* small ``py.class`` structs; ``c_source(n, module)`` is the same functions written by
hand in C (METH_FASTCALL, reading a buffer with ``PyObject_GetBuffer``).  ``expected(k)`` says what
``fn_K`` returns for ``[1.0, 2.0]`` and raises for ``[]``, for tests.
"""

from __future__ import annotations

# Body K % 5 picks one of these; each reads the slice and some return an error.
_ZIG_BODIES = (
    # sum * K, ValueError on an empty slice (builtin exception name)
    """    if (xs.len == 0) return error.ValueError;
    var s: f64 = 0;
    for (xs) |x| s += x;
    return s * {k}.0;""",
    # max, a user-named error on an empty slice (zigimport.ZigError)
    """    if (xs.len == 0) return error.EmptyInput{k};
    var m: f64 = xs[0];
    for (xs[1..]) |x| m = @max(m, x);
    return m + {k}.0;""",
    # sum of squares, Overflow (mapped to OverflowError) when infinite
    """    var s: f64 = 0;
    for (xs) |x| s += x * x;
    if (std.math.isInf(s)) return error.Overflow;
    return s + {k}.0;""",
    # mean, DivisionByZero (ZeroDivisionError) on an empty slice
    """    if (xs.len == 0) return error.DivisionByZero;
    var s: f64 = 0;
    for (xs) |x| s += x;
    return s / @as(f64, @floatFromInt(xs.len)) + {k}.0;""",
    # a polynomial, no error path taken in practice
    """    var acc: f64 = {k}.0;
    for (xs) |x| acc = acc * 0.5 + x;
    if (std.math.isNan(acc)) return error.ValueError;
    return acc;""",
)

_C_BODIES = (
    """    if (n == 0) { PyBuffer_Release(&view); PyErr_SetString(PyExc_ValueError, "error.ValueError returned by fn_{k}()"); return NULL; }
    double s = 0; for (Py_ssize_t i = 0; i < n; i++) s += xs[i];
    r = s * {k}.0;""",
    """    if (n == 0) { PyBuffer_Release(&view); PyErr_SetString(zig_error, "error.EmptyInput{k} returned by fn_{k}()"); return NULL; }
    double m = xs[0]; for (Py_ssize_t i = 1; i < n; i++) m = xs[i] > m ? xs[i] : m;
    r = m + {k}.0;""",
    """    double s = 0; for (Py_ssize_t i = 0; i < n; i++) s += xs[i] * xs[i];
    if (isinf(s)) { PyBuffer_Release(&view); PyErr_SetString(PyExc_OverflowError, "error.Overflow returned by fn_{k}()"); return NULL; }
    r = s + {k}.0;""",
    """    if (n == 0) { PyBuffer_Release(&view); PyErr_SetString(PyExc_ZeroDivisionError, "error.DivisionByZero returned by fn_{k}()"); return NULL; }
    double s = 0; for (Py_ssize_t i = 0; i < n; i++) s += xs[i];
    r = s / (double)n + {k}.0;""",
    """    double acc = {k}.0; for (Py_ssize_t i = 0; i < n; i++) acc = acc * 0.5 + xs[i];
    if (isnan(acc)) { PyBuffer_Release(&view); PyErr_SetString(PyExc_ValueError, "error.ValueError returned by fn_{k}()"); return NULL; }
    r = acc;""",
)


def zig_source(n: int, classes: int = 0) -> str:
    """A module of `n` functions `fK(xs: []const f64) !f64` and `classes` small py.class structs."""
    out = ['const std = @import("std");', 'const py = @import("zig_core");', ""]
    for k in range(n):
        out.append(f"/// Function {k}.")
        out.append(f"pub fn fn_{k}(xs: []const f64) !f64 {{")
        out.append(_ZIG_BODIES[k % len(_ZIG_BODIES)].replace("{k}", str(k)))
        out.append("}")
    for k in range(classes):
        out.append(f"""
/// Class {k}.
pub const C{k} = py.class(struct {{
    value: i64,
    pub fn __init__(self: *@This(), value: i64) void {{
        self.value = value;
    }}
    pub fn get(self: *const @This()) i64 {{
        return self.value + {k};
    }}
    pub fn scaled(self: *const @This(), by: f64) !f64 {{
        if (by == 0) return error.ValueError;
        return @as(f64, @floatFromInt(self.value)) * by;
    }}
}});""")
    out.append("\ncomptime {\n    py.module(@This());\n}\n")
    return "\n".join(out)


def c_source(n: int, module: str) -> str:
    """The C equivalent of zig_source(n): METH_FASTCALL functions over a float64 buffer."""
    out = ["#define PY_SSIZE_T_CLEAN", "#include <Python.h>", "#include <math.h>", "",
           "static PyObject *zig_error;", ""]
    for k in range(n):
        out.append(f"""static PyObject *fn_{k}(PyObject *self, PyObject *const *args, Py_ssize_t nargs) {{
    if (nargs != 1) {{ PyErr_Format(PyExc_TypeError, "fn_{k}() takes 1 positional argument but %zd were given", nargs); return NULL; }}
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_FORMAT | PyBUF_C_CONTIGUOUS) < 0) return NULL;
    if (view.itemsize != 8 || view.format == NULL || strcmp(view.format, "d") != 0) {{
        PyBuffer_Release(&view); PyErr_SetString(PyExc_TypeError, "fn_{k}() argument 1 (xs) must be a buffer of float64"); return NULL;
    }}
    const double *xs = (const double *)view.buf; Py_ssize_t n = view.len / 8; double r;
{_C_BODIES[k % len(_C_BODIES)].replace("{k}", str(k))}
    PyBuffer_Release(&view);
    return PyFloat_FromDouble(r);
}}
""")
    out.append("static PyMethodDef methods[] = {")
    for k in range(n):
        out.append(f'    {{"fn_{k}", (PyCFunction)(void (*)(void))fn_{k}, METH_FASTCALL, "Function {k}."}},')
    out.append("    {NULL, NULL, 0, NULL}\n};")
    out.append(f"""
static struct PyModuleDef def = {{PyModuleDef_HEAD_INIT, "{module}", NULL, -1, methods}};

PyMODINIT_FUNC PyInit_{module}(void) {{
    zig_error = PyErr_NewException("{module}.ZigError", NULL, NULL);
    if (zig_error == NULL) return NULL;
    return PyModule_Create(&def);
}}
""")
    return "\n".join(out)


# For each body: fn_K([1.0, 2.0]) as a function of k, and the exception fn_K([]) raises (None: none).
_RESULTS: tuple[tuple[str, str | None], ...] = (
    ("3.0 * {k}", "ValueError"),
    ("2.0 + {k}", "zigimport.ZigError"),
    ("5.0 + {k}", None),
    ("1.5 + {k}", "ZeroDivisionError"),
    ("0.25 * {k} + 2.5", None),
)


def expected(k: int) -> tuple[str, str | None]:
    """(Python expression of fn_K([1.0, 2.0]), qualified name of what fn_K([]) raises, or None)."""
    result, error = _RESULTS[k % len(_RESULTS)]
    return result.replace("{k}", str(k)), error


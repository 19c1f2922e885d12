"""fastwheel: Zig kernels prebuilt into the wheel (docs/wheels.md).

From a wheel, ``fastwheel.kernels`` is an ordinary extension module.  In a source checkout
(or an editable install) zigimport, if installed, compiles ``kernels.zig`` on first import.
"""

try:
    import zigimport  # noqa: F401  (only for a source checkout: a wheel's extensions need no import hook)
except ImportError:
    pass

from . import kernels, point

__all__ = ["kernels", "point"]

"""tests/zc_models.py's classes as zetaclasses (compiled once per test session: the cache is shared)."""
from zc_models import define

from zigimport import zetaclass

globals().update(define(zetaclass, __name__))

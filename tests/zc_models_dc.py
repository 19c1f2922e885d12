"""tests/zc_models.py's classes as plain dataclasses (the parity suite's reference)."""
import dataclasses

from zc_models import define

globals().update(define(dataclasses.dataclass, __name__))

"""Logging for the ``zigimport`` logger without importing ``logging`` on the cache-hit path.

Importing ``logging`` costs ~9 ms.  If nothing in the process has imported
it, nothing has configured a handler either, so debug/info records would be
dropped anyway: skip them.  Warnings always go out (``logging``'s last-resort
handler prints them to stderr), importing ``logging`` if needed.
"""

import sys

LOGGER_NAME = "zigimport"


def debug(msg: str, *args: object) -> None:
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger(LOGGER_NAME).debug(msg, *args)


def info(msg: str, *args: object) -> None:
    logging = sys.modules.get("logging")
    if logging is not None:
        logging.getLogger(LOGGER_NAME).info(msg, *args)


def warning(msg: str, *args: object) -> None:
    import logging

    logging.getLogger(LOGGER_NAME).warning(msg, *args)

"""Writing small text files so that readers never see a partial one (build path only)."""

from __future__ import annotations

import os


def write_if_changed(path: str, text: str) -> bool:
    """Atomically replace *path* with *text*, unless it already holds exactly that.

    Leaving an unchanged file alone keeps its mtime (so Zig's own cache can hit on
    generated sources).  Returns False if the folder is not writable.
    """
    try:
        with open(path, encoding="utf-8") as f:
            if f.read() == text:
                return True
    except (OSError, UnicodeDecodeError):
        pass
    tmp = f"{path}.tmp-{os.getpid()}"
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
        return True
    except OSError:
        try:
            os.remove(tmp)
        except OSError:
            pass
        return False

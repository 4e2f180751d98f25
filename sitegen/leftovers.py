"""Working folders of killed builds (staging, backups, Pagefind's input), found and removed."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

STALE_AFTER = 3600  # seconds: a working folder this old was left by a killed build


def remove_leftovers(folder: Path, prefix: str, max_age: float = STALE_AFTER) -> None:
    """Remove working folders `<prefix><pid>[-…]` whose build died (process gone) or that are old."""
    now = time.time()
    for leftover in folder.glob(f"{prefix}*"):
        pid = leftover.name[len(prefix):].split("-", 1)[0]
        try:
            old = now - leftover.stat().st_mtime > max_age
        except OSError:
            continue
        if old or (pid.isdigit() and pid != str(os.getpid()) and not _alive(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True

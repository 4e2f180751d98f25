"""The code fingerprint: what, besides a recipe's arguments, its result depends on.

Our package's own files (its code and compiled translations), the Python that runs it, every installed distribution (its
name and version, as its dist-info folder is named: a new release of any library is a
new fingerprint) and the time zone database. Everything the engine remembers belongs
to one fingerprint; another fingerprint starts afresh.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zoneinfo
from pathlib import Path

FORMAT = b"sitegen-engine 1\n"
_PACKAGE = Path(__file__).resolve().parent.parent
# Files that name the version of a time zone database (Debian's, macOS's, IANA's own).
_TZ_VERSION_FILES = ("tzdata.zi", "+VERSION", "zone1970.tab")


def code_fingerprint(package: Path = _PACKAGE) -> bytes:
    """The fingerprint of the code at `package` (ours, by default) as this Python runs it."""
    digest = hashlib.sha256(FORMAT + sys.version.encode() + b"\0")
    for path in sorted([*package.rglob("*.py"), *package.rglob("*.mo")]):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    digest.update(b"\0".join(_distributions()))
    digest.update(_tz_database())
    return digest.digest()


def _distributions() -> list[bytes]:
    """The name of every installed distribution's metadata folder, e.g. `Jinja2-3.1.6.dist-info`."""
    found = set()
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as names:
                found.update(item.name.encode("utf-8", "surrogateescape") for item in names
                             if item.name.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return sorted(found)


def _tz_database() -> bytes:
    """The version files of the time zone databases zoneinfo may read."""
    digest = hashlib.sha256()
    for folder in zoneinfo.TZPATH:
        for name in _TZ_VERSION_FILES:
            try:
                digest.update(Path(folder, name).read_bytes())
                break
            except OSError:
                continue
    return digest.digest()

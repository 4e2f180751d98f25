"""Which files the build may read, and which names it can write on every common disk.

Content and theme come from many hands (a pull request from a stranger's web-editor
account is built with the site's secrets in its environment), so every path the build
reads is resolved, symlinks included, and must stay inside the folder it was looked up
in: `content/` for content, the theme folder for theme files. A symlink whose target
stays inside is followed (a shared picture linked into two folders); one that points
outside is refused, never copied.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from . import messages

# A name longer than this does not fit ext4, APFS or NTFS (255 bytes or UTF-16 units).
NAME_BYTES = 255
# A slug becomes folders under public/tasks/<slug>/poster/index.html. Windows' classic
# MAX_PATH is 260 characters for the whole path: a clone in C:\Users\<name>\Documents\GitHub\<repo>\
# (≈ 60) plus public\tasks\ and \poster\index.html (≈ 31) leaves room for about 100 more,
# with some to spare for a longer user name or folder.
SLUG_CHARS = 100
# The same for a picture's path under content/, published as public/media/<path>.
MEDIA_PATH_CHARS = 150
# What a terminal or a one-line message must never print raw: C0 and C1 controls, DEL,
# and the bidirectional controls that reorder what is shown (U+202A–202E, U+2066–2069).
UNPRINTABLE_RE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# Names Windows keeps for devices: no file or folder can be called so, in any case and with
# any extension (`con.md`, `Aux.jpg`, `nul.foo`); a clone with one fails on Windows.
WINDOWS_DEVICES = frozenset({"con", "prn", "aux", "nul", *(f"com{n}" for n in "0123456789¹²³"),
                             *(f"lpt{n}" for n in "0123456789¹²³")})


def windows_device(name: str) -> bool:
    """Whether a file or folder name is one Windows keeps for a device (`con`, `com1.md`, `LPT9.x`)."""
    return name.split(".", 1)[0].rstrip(" ").casefold() in WINDOWS_DEVICES


def inside(path: Path | str, base: Path | str) -> Path | None:
    """The real path of `path` (symlinks resolved) if it lies inside `base`'s real path, else None."""
    real = os.path.realpath(path)
    return Path(real) if real_path_within(real, os.path.realpath(base)) else None


def real_path_within(real: str, top: str) -> bool:
    """Whether the real path `real` is `top` or lies under it (both already resolved)."""
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def points_outside(path: Path | str, base: Path | str) -> bool:
    """True when `path` exists (or is a dangling link) and resolves outside `base`."""
    return os.path.lexists(path) and inside(path, base) is None


def name_problem(relative: str, limit: int) -> str | None:
    """Why a relative path cannot be written on every common disk (None when it can)."""
    if UNPRINTABLE_RE.search(relative):
        return messages.name_unprintable(relative)
    for part in PurePosixPath(relative).parts:
        if len(part.encode("utf-8", "surrogateescape")) > NAME_BYTES:
            return messages.name_too_long(relative, NAME_BYTES)
    if len(relative) > limit:
        return messages.path_too_long(relative, limit)
    return None


def fold(name: str) -> str:
    """A name as a case-insensitive, normalising disk (macOS, Windows) sees it."""
    return unicodedata.normalize("NFC", name).casefold()


def case_twins(names: Iterable[str]) -> list[tuple[str, str]]:
    """Pairs of names that differ only by case or Unicode normalisation (one file on a Mac)."""
    seen: dict[str, str] = {}
    twins = []
    for name in sorted(names):
        key = fold(name)
        if key in seen:
            twins.append((seen[key], name))
        else:
            seen[key] = name
    return twins


def shown(text: str) -> str:
    """Text with control and bidirectional characters written as escapes, safe for one terminal line."""
    return UNPRINTABLE_RE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                              else f"\\u{ord(m.group()):04x}", text)

"""Write a rendered site: only changed files, each replaced atomically.

The whole site is rendered in memory first; this stage runs only when that
succeeded, so a content error never touches public/. Each file is written to a
temporary name and moved over the old one with os.replace, so a build killed
mid-way leaves complete files only, and the next build finishes the job.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

_TEMP_SUFFIX = ".sitegen-tmp"


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int


def write_site(files: dict[str, bytes], out: Path) -> WriteReport:
    """Make `out` hold exactly `files` (path → bytes), touching only what changed."""
    out.mkdir(parents=True, exist_ok=True)
    existing = {p.relative_to(out).as_posix(): p for p in out.rglob("*") if p.is_file() or p.is_symlink()}
    written = unchanged = 0
    for relative, data in sorted(files.items()):
        target = out / relative
        old = existing.get(relative)
        if old is not None and old.is_file() and not old.is_symlink() and _same(old, data):
            unchanged += 1
            continue
        _replace(target, data)
        written += 1
    removed = 0
    for relative, path in existing.items():
        # Not a file any more: a file of the new site replaced its folder, or the reverse.
        if relative not in files and (path.is_file() or path.is_symlink()):
            path.unlink()
            removed += 1
    _remove_empty_dirs(out)
    return WriteReport(written, unchanged, removed)


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.stat().st_size == len(data) and path.read_bytes() == data
    except OSError:
        return False


def _replace(target: Path, data: bytes) -> None:
    for parent in reversed(target.parents):
        if parent.is_file():  # a folder now lives where a file was
            parent.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir():  # a file now lives where a folder was
        _remove_tree(target)
    temporary = target.with_name(target.name + _TEMP_SUFFIX)
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, target)


def _remove_tree(path: Path) -> None:
    for child in sorted(path.rglob("*"), reverse=True):
        child.rmdir() if child.is_dir() else child.unlink()
    path.rmdir()


def _remove_empty_dirs(out: Path) -> None:
    for directory in sorted((p for p in out.rglob("*") if p.is_dir()), reverse=True):
        if not any(directory.iterdir()):
            directory.rmdir()

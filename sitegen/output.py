"""Write a rendered site: only changed files, each replaced atomically.

The whole site is rendered in memory first; this stage runs only when that
succeeded, so a content error never touches public/. Each file is written to a
temporary name and moved over the old one with os.replace, so a build killed
mid-way leaves complete files only, and the next build finishes the job.

With a manifest from the last build (path → sha256, size, mtime), an unchanged
file is recognised by its hash without being read back; the manifest is
trusted for a file only while its size and mtime on disk still match.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

_TEMP_SUFFIX = ".sitegen-tmp"

Manifest = dict[str, tuple[bytes, int, int]]  # path → (sha256, size, mtime_ns)


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    manifest: Manifest = field(default_factory=dict, repr=False, compare=False)


@dataclass
class OutputIndex:
    """The output folder as the last build left it, for reusing and comparing files."""

    out: Path
    manifest: Manifest
    known: dict[str, bytes] = field(default_factory=dict)  # path → sha256 of the new bytes

    def read_if_same(self, path: str, digest: bytes) -> bytes | None:
        """The bytes at `path`, if they are the ones with `digest` that the last build wrote."""
        entry = self.manifest.get(path)
        if entry is None or entry[0] != digest:
            return None
        try:
            stat = os.stat(self.out / path)
            if (stat.st_size, stat.st_mtime_ns) != entry[1:]:
                return None
            data = (self.out / path).read_bytes()
        except OSError:
            return None
        return data if len(data) == entry[1] else None


def write_site(files: dict[str, bytes], out: Path, index: OutputIndex | None = None) -> WriteReport:
    """Make `out` hold exactly `files` (path → bytes), touching only what changed."""
    out.mkdir(parents=True, exist_ok=True)
    existing = _scan(out)
    manifest = index.manifest if index else {}
    known = index.known if index else {}
    fresh: Manifest = {}
    written = unchanged = 0
    for relative, data in sorted(files.items()):
        digest = known.get(relative) or hashlib.sha256(data).digest()
        stat = existing.get(relative)
        if stat is not None and stat[2]:
            entry = manifest.get(relative)
            same = (entry == (digest, stat[0], stat[1]) if entry is not None
                    else stat[0] == len(data) and _same(out / relative, data))
            if same:
                fresh[relative] = (digest, stat[0], stat[1])
                unchanged += 1
                continue
        fresh[relative] = (digest, *_replace(out / relative, data))
        written += 1
    removed = 0
    emptied: set[Path] = set()
    for relative in existing:
        if relative not in files:
            path = out / relative
            if path.is_dir() and not path.is_symlink():
                continue  # a folder where a file was: _replace already made room
            try:
                path.unlink()
            except (FileNotFoundError, NotADirectoryError):
                continue  # went with its folder, replaced by a file
            emptied.add(path.parent)
            removed += 1
    _remove_empty_dirs(out, emptied)
    return WriteReport(written, unchanged, removed, fresh)


def _scan(out: Path) -> dict[str, tuple[int, int, bool]]:
    """Every file under out: relative path → (size, mtime_ns, is a regular file)."""
    found: dict[str, tuple[int, int, bool]] = {}
    stack = [(out, "")]
    while stack:
        folder, prefix = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                relative = prefix + entry.name
                if entry.is_dir(follow_symlinks=False):
                    stack.append((Path(entry.path), relative + "/"))
                else:
                    stat = entry.stat(follow_symlinks=False)
                    found[relative] = (stat.st_size, stat.st_mtime_ns, entry.is_file(follow_symlinks=False))
    return found


def _same(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def _replace(target: Path, data: bytes) -> tuple[int, int]:
    """Write atomically; return the new file's (size, mtime_ns) for the manifest."""
    for parent in reversed(target.parents):
        if parent.is_file() or parent.is_symlink():  # a folder now lives where a file was
            parent.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.is_dir() and not target.is_symlink():  # a file now lives where a folder was
        _remove_tree(target)
    temporary = target.with_name(target.name + _TEMP_SUFFIX)
    with open(temporary, "wb") as handle:
        handle.write(data)
    os.replace(temporary, target)
    stat = os.stat(target)
    return stat.st_size, stat.st_mtime_ns


def _remove_tree(path: Path) -> None:
    for child in sorted(path.rglob("*"), reverse=True):
        child.rmdir() if child.is_dir() and not child.is_symlink() else child.unlink()
    path.rmdir()


def _remove_empty_dirs(out: Path, candidates: set[Path]) -> None:
    """Remove folders left empty by removed files, walking up towards out."""
    for folder in sorted(candidates, key=lambda p: len(p.parts), reverse=True):
        while folder != out and out in folder.parents:
            try:
                folder.rmdir()  # fails when not empty: then its parents are not empty either
            except OSError:
                break
            folder = folder.parent


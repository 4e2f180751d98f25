"""Write a built site into the output folder: only what changed, all of it or none of it.

Every new or changed file is first written into a staging folder beside the output folder
(on the same file system); nothing in the output folder changes until every file is
there. Then each file takes its place with one rename, the old one kept as a hard link in
a backup folder until the end, and files the site no longer has are moved there too. When
anything fails on the way, the renames are undone in reverse: the output folder is left
exactly as it was, and the staging and backup folders are removed. A build killed while
renaming leaves complete files only; the next build scans the folder, finds what differs
and finishes.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from .leftovers import remove_leftovers

_TEMP_SUFFIX = ".sitegen-tmp"

# What a file system without hard links answers to os.link (FAT, some network disks).
_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.EOPNOTSUPP, errno.ENOTSUP}
# path → (sha256, size, mtime_ns) of a file as written
FileEntry = tuple[bytes, int, int]


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    files: dict[str, FileEntry]  # every file of the site as it now is in the output folder


def staging_folder(out: Path, kind: str = "staging") -> Path:
    """A folder beside the output for this process's new files; those of killed builds go."""
    prefix = f".{out.name}.{kind}-"
    remove_leftovers(out.parent, prefix)
    return out.parent / f"{prefix}{os.getpid()}"


def scan(out: Path) -> dict[str, tuple[int, int]]:
    """Every file under `out` (links not followed) with its size and modification time."""
    found: dict[str, tuple[int, int]] = {}

    def walk(folder: str, prefix: str) -> None:
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        walk(entry.path, f"{prefix}{entry.name}/")
                    else:
                        stat = entry.stat(follow_symlinks=False)
                        found[prefix + entry.name] = (stat.st_size, stat.st_mtime_ns)
        except (FileNotFoundError, NotADirectoryError):
            return

    walk(str(out), "")
    return found


def write_site(out: Path, new: dict[str, bytes | tuple], kept: set[str], staging: Path,
               known: dict[str, FileEntry], found: dict[str, tuple[int, int]]) -> WriteReport:
    """Make `out` hold the site: `new` files (bytes, or (sha256, size) of a file in `staging`)
    and the `kept` ones it holds already; every other file there goes.

    `known`: the files the last build wrote (sha256, size, mtime); `found`: what `out` holds
    now (scan). A file found as known is not read: its sha256 is the known one.
    """
    written: dict[str, FileEntry] = {}
    moves: list[tuple[Path, Path]] = []  # (staged file, its place)
    unchanged = 0
    for path, value in sorted(new.items()):
        data = value if isinstance(value, bytes) else None
        digest, size = (hashlib.sha256(data).digest(), len(data)) if data is not None else value
        if _same(out / path, digest, size, known.get(path), found.get(path)):
            written[path] = (digest, *found[path])
            unchanged += 1
            continue
        if data is not None:
            _put(staging / path, data)
        moves.append((staging / path, out / path))
        written[path] = (digest, size, 0)
    stale = [out / path for path in found if path not in new and path not in kept]
    entries = {path: known[path] for path in kept}
    if not moves and not stale:
        return WriteReport(0, unchanged + len(kept), 0, _entries(out, written, entries))
    if not found and _is_empty(out) and _move_whole(staging, out):
        return WriteReport(len(moves), 0, 0, _entries(out, written, entries))
    _commit(out, moves, stale, staging_folder(out, "backup"))
    return WriteReport(len(moves), unchanged + len(kept), len(stale), _entries(out, written, entries))


def _same(path: Path, digest: bytes, size: int, known: FileEntry | None, found: tuple[int, int] | None) -> bool:
    """Whether the output folder holds these bytes at `path` already."""
    if found is None or found[0] != size:
        return False
    if known is not None and (known[1], known[2]) == found:
        return known[0] == digest
    try:
        return hashlib.sha256(path.read_bytes()).digest() == digest
    except OSError:
        return False


def _commit(out: Path, moves: list[tuple[Path, Path]], stale: list[Path], backup: Path) -> None:
    """Rename the staged files into place and move the stale ones out; undo all of it on failure."""
    done: list[tuple[str, Path, Path | None]] = []  # what to undo, in order
    try:
        if not out.is_dir():
            out.mkdir(parents=True)
            done.append(("made", out, None))
        for source, target in moves:
            _make_room(out, target, backup, done)
            kept = _keep(target, backup, out) if os.path.lexists(target) else None
            try:
                os.replace(source, target)
            except OSError as error:
                if error.errno != errno.EXDEV:  # the output folder is a mount point: copy, then rename
                    raise
                _put(target.with_name(target.name + _TEMP_SUFFIX), source.read_bytes())
                os.replace(target.with_name(target.name + _TEMP_SUFFIX), target)
            done.append(("placed", target, kept))
        for target in stale:
            if target.is_dir() and not target.is_symlink():
                continue  # a folder where a file was: its files are listed themselves
            if os.path.lexists(target):
                done.append(("removed", target, _keep(target, backup, out, move=True)))
    except BaseException:
        _undo(done)
        shutil.rmtree(backup, ignore_errors=True)
        raise
    shutil.rmtree(backup, ignore_errors=True)
    _remove_empty_folders(out, {target.parent for _, target, _ in done})


def _make_room(out: Path, target: Path, backup: Path, done: list) -> None:
    """Make the target's folders; a file where a folder must be goes to the backup first."""
    folder = target.parent
    missing = []
    while folder != out and not folder.is_dir():
        missing.append(folder)
        folder = folder.parent
    for folder in reversed(missing):
        if os.path.lexists(folder):  # a file (or link) where a folder must be
            done.append(("removed", folder, _keep(folder, backup, out, move=True)))
        folder.mkdir()
        done.append(("made", folder, None))
    if target.is_dir() and not target.is_symlink():  # a folder where a file must be
        done.append(("removed", target, _keep(target, backup, out, move=True)))


def _keep(target: Path, backup: Path, out: Path, move: bool = False) -> Path:
    """Keep the current file at `target` in the backup folder (a hard link; moved when asked)."""
    kept = backup / target.relative_to(out)
    if not kept.parent.is_dir():
        kept.parent.mkdir(parents=True, exist_ok=True)
    if not move and not target.is_dir():
        try:
            os.link(target, kept, follow_symlinks=False)
            return kept
        except OSError as error:
            if error.errno not in _NO_HARD_LINKS:
                raise
            # a file system without hard links: keep a copy
        shutil.copy2(target, kept, follow_symlinks=False)
        return kept
    os.rename(target, kept)
    return kept


def _undo(done: list[tuple[str, Path, Path | None]]) -> None:
    """Put back what _commit changed, last change first."""
    for action, target, kept in reversed(done):
        try:
            if action == "made":
                target.rmdir()
            elif kept is None:  # a file placed where there was none
                target.unlink()
            else:
                os.replace(kept, target)
        except OSError:
            continue  # best effort: the next build finds what differs


def _move_whole(staging: Path, out: Path) -> bool:
    """A first build into a new folder: the staging folder becomes the output folder, whole."""
    if not out.parent.is_dir():
        out.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(staging, out)  # replaces an empty folder
    except OSError as error:
        if error.errno not in (errno.EXDEV, errno.EBUSY):  # a mount point: file by file, below
            raise
        return False
    return True


def _entries(out: Path, written: dict[str, FileEntry], entries: dict[str, FileEntry]) -> dict[str, FileEntry]:
    """Every file of the site with its sha256, size and mtime as the output folder now holds it."""
    root = str(out)
    for path, (digest, size, mtime) in written.items():
        if not mtime:
            stat = os.stat(f"{root}/{path}")
            size, mtime = stat.st_size, stat.st_mtime_ns
        entries[path] = (digest, size, mtime)
    return entries


def _put(path: Path, data: bytes) -> None:
    if not path.parent.is_dir():  # (mkdir only when needed: each call can fail on a full disk)
        path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as handle:
        handle.write(data)


def _is_empty(out: Path) -> bool:
    """The output folder is missing, or an empty folder (not a link to one)."""
    if not os.path.lexists(out):
        return True
    if out.is_symlink() or not out.is_dir():
        return False
    with os.scandir(out) as entries:
        return next(entries, None) is None


def _remove_empty_folders(out: Path, candidates: set[Path]) -> None:
    """Remove folders left empty by removed files, walking up towards out."""
    for folder in sorted(candidates, key=lambda p: len(p.parts), reverse=True):
        while folder != out and out in folder.parents:
            try:
                folder.rmdir()  # fails when not empty: then its parents are not empty either
            except OSError:
                break
            folder = folder.parent

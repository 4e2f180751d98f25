"""Changes to the output folder that happen all together, or not at all.

A build that fails while writing (a full disk, a read-only folder, a name the file
system refuses) must leave public/ exactly as it was: else the live board links to
pages that do not exist. So writing has two phases:

1. prepare: every new or changed file is written under a temporary name in its own
   folder (folders it needs are made); nothing the site serves has changed yet;
2. commit: each file about to be replaced keeps a hard link under a backup name, then
   the temporary file is renamed over it (so the old file is served until the new one
   is); each file about to be removed is renamed to a backup name.

Any failure in either phase undoes what was done, in reverse: backups renamed back,
new files and temporary files removed, made folders removed. After a commit the
backups are deleted. Temporary and backup names are short (`.sitegen-tmp-N`), so a
file name near the 255-byte limit still has room.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

TEMP_PREFIX = ".sitegen-tmp-"
BACKUP_PREFIX = ".sitegen-old-"


class Transaction:
    """Files put into and removed from one folder tree, applied by commit() or undone by undo()."""

    def __init__(self, top: Path):
        self.top = top
        self._count = 0
        self._made: list[Path] = []  # folders made (to remove on undo), in the order made
        self._pending: list[tuple[Path, Path]] = []  # (target, its temporary file)
        self._aside: list[tuple[Path, Path]] = []  # (path, its backup): to rename back on undo
        self._new: list[Path] = []  # targets that did not exist before the commit
        self._done = False

    def _name(self, folder: Path, prefix: str) -> Path:
        self._count += 1
        return folder / f"{prefix}{os.getpid()}-{self._count}"

    def make_folders(self, folder: Path) -> None:
        """Make `folder` and its missing parents (a file or link in the way is set aside)."""
        missing = []
        for parent in [folder, *folder.parents]:
            if parent.is_dir() and not parent.is_symlink():
                break
            missing.append(parent)
        for parent in reversed(missing):
            if os.path.lexists(parent):  # a file now lives where a folder must be
                self._set_aside(parent)
            os.mkdir(parent)
            self._made.append(parent)

    def put(self, target: Path, data: bytes | Path) -> tuple[int, int]:
        """Write `data` (bytes, or a staged file moved here) as `target`'s temporary file.

        Returns the new file's (size, mtime_ns): the rename in commit() keeps both.
        """
        self.make_folders(target.parent)
        temporary = self._name(target.parent, TEMP_PREFIX)
        self._pending.append((target, temporary))
        if isinstance(data, Path):
            try:
                os.replace(data, temporary)  # the staging folder is beside the output: one file system
                data = None
            except OSError as error:
                if error.errno != errno.EXDEV:  # the output folder is itself a mount point
                    raise
                data = data.read_bytes()
        if data is not None:
            with open(temporary, "wb") as handle:
                handle.write(data)
        stat = os.stat(temporary)
        return stat.st_size, stat.st_mtime_ns

    def remove(self, target: Path) -> None:
        """Remove `target` when committing (kept under a backup name until then)."""
        self._pending.append((target, None))

    def commit(self) -> None:
        """Put every prepared file in place and remove the others; on failure, undo it all."""
        try:
            for target, temporary in self._pending:
                if temporary is None:
                    if os.path.lexists(target):
                        self._set_aside(target)
                    continue
                if target.is_dir() and not target.is_symlink():  # a file now lives where a folder was
                    self._set_aside(target)
                elif os.path.lexists(target):
                    self._keep_old(target)
                else:
                    self._new.append(target)
                os.replace(temporary, target)
        except BaseException:
            self.undo()
            raise
        self._done = True
        self._pending = []
        self._forget_backups()

    def undo(self) -> None:
        """Put everything back as it was before this transaction (best effort, in reverse)."""
        for target, temporary in self._pending:
            if temporary is not None:
                _quietly(os.unlink, temporary)
        for target in reversed(self._new):
            _quietly(os.unlink, target)
        for path, backup in reversed(self._aside):
            if os.path.isdir(path) and not os.path.islink(path) and os.path.lexists(backup):
                _quietly(shutil.rmtree, path)  # a folder made where a file was set aside
            _quietly(os.replace, backup, path)
            if os.path.lexists(backup):  # a rename onto a hard link of itself does nothing (POSIX)
                _quietly(os.unlink, backup)
        for folder in reversed(self._made):
            _quietly(os.rmdir, folder)
        self._pending, self._new, self._aside, self._made = [], [], [], []

    def _keep_old(self, target: Path) -> None:
        """Keep the file about to be replaced under a backup name (a hard link: it stays served)."""
        backup = self._name(target.parent, BACKUP_PREFIX)
        try:
            os.link(target, backup, follow_symlinks=False)
        except OSError:
            os.rename(target, backup)  # no hard links here (some network and FAT disks)
        self._aside.append((target, backup))

    def _set_aside(self, path: Path) -> None:
        backup = self._name(path.parent, BACKUP_PREFIX)
        os.rename(path, backup)
        self._aside.append((path, backup))

    def _forget_backups(self) -> None:
        for _, backup in self._aside:
            if os.path.isdir(backup) and not os.path.islink(backup):
                shutil.rmtree(backup, ignore_errors=True)
            else:
                _quietly(os.unlink, backup)
        self._aside = []


def _quietly(call, *args) -> None:
    try:
        call(*args)
    except OSError:
        pass

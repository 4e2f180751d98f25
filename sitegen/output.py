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
import shutil
import time
from collections.abc import Mapping
from stat import S_ISREG
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from .problems import WriteFailed
from .transaction import Transaction

Manifest = dict[str, tuple[bytes, int, int]]  # path → (sha256, size, mtime_ns)


class Kept(tuple):
    """In a stage's files, for a file the output folder holds as the last build wrote it:
    its manifest entry (sha256, size, mtime_ns) stands in for its bytes."""


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    manifest: Manifest = field(default_factory=dict, repr=False, compare=False)
    folders: dict[str, int] = field(default_factory=dict, repr=False, compare=False)  # folder → mtime_ns


@dataclass(frozen=True)
class FolderState:
    """How the output folder differs from the last build's manifest, found by one pass of stats."""

    moved: frozenset[str]  # manifest paths no longer on disk exactly as written (or gone)
    added: dict[str, tuple[int, int, bool]]  # files the manifest lacks, in folders whose mtime moved
    settled: dict[str, int]  # folders whose mtime is still what the last build left


@dataclass
class OutputIndex:
    """The output folder as the last build left it, for reusing and comparing files."""

    out: Path
    manifest: Manifest
    known: dict[str, bytes] = field(default_factory=dict)  # path → sha256 of the new bytes
    # True when the manifest may not list every file there (a build stopped between
    # writing files and saving the manifest): then the folder is walked.
    walk: bool = False
    folders: dict[str, int] = field(default_factory=dict)  # each folder's mtime_ns after the last write
    _state: FolderState | None = field(default=None, repr=False)
    _pending: object = field(default=None, repr=False)  # a parallel.Background running check_folder

    def check_beside(self) -> None:
        """Start comparing the folder with the manifest in another process, while the build loads.

        At 10 000 tasks that is ≈ 60 000 stats (every output file and folder): 0.15 s of a
        one-edit build, off its critical path. Small folders are checked when first asked.
        """
        from .parallel import Background, cores  # late: parallel imports the cache, which imports this
        if (len(self.manifest) >= CHECK_BESIDE_FROM and cores() > 1  # one core: nothing to overlap
                and self._state is None and self._pending is None):
            self._pending = Background(partial(check_folder, self.out, self.manifest, self._folders()))

    @property
    def state(self) -> FolderState:
        if self._state is None:
            pending, self._pending = self._pending, None
            self._state = (pending.result() if pending is not None
                           else check_folder(self.out, self.manifest, self._folders()))
        return self._state

    def _folders(self) -> dict[str, int]:
        return {} if self.walk else self.folders  # walking finds added files anyway

    def close(self) -> None:
        """Stop a check still running (a build that failed before it needed the answer)."""
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.cancel()

    def entry_if_same(self, path: str, digest: bytes):
        """The manifest entry of `path` if the file is on disk exactly as the last build wrote it."""
        found = self.entries_if_same(((path, digest),))
        return found[path] if found else None

    def entries_if_same(self, files) -> Manifest | None:
        """The manifest entries of (path, sha256) pairs, if each file is on disk exactly as written."""
        manifest, moved, entries = self.manifest, self.state.moved, {}
        for path, digest in files:
            entry = manifest.get(path)
            if entry is None or entry[0] != digest or path in moved:
                return None
            entries[path] = entry
        return entries


CHECK_BESIDE_FROM = 4000  # manifest entries; below that a fork costs more than the stats it moves


def check_folder(out: Path, manifest: Manifest, folders: dict[str, int]) -> FolderState:
    """Stat every file the manifest lists, and every folder it remembers, once."""
    moved, root = set(), str(out)  # a string path: pathlib costs 0.3 s at 10 000 tasks
    for path, (_, size, mtime) in manifest.items():
        try:
            stat = os.lstat(f"{root}/{path}")
        except OSError:
            moved.add(path)
            continue
        if stat.st_size != size or stat.st_mtime_ns != mtime or not S_ISREG(stat.st_mode):
            moved.add(path)
    settled: dict[str, int] = {}
    added = _added(out, folders, manifest, settled)
    return FolderState(frozenset(moved), added, settled)


class SiteFiles(Mapping):
    """The built site, path → bytes: files rendered now, and files kept as the last build wrote them.

    Kept files are not held in memory: their bytes are read from the output folder
    only if someone asks (the search index, a test), and the writer leaves them alone.
    """

    def __init__(self, folder: Path | None = None, kept: Manifest | None = None,
                 staging: Path | None = None):
        self.folder = folder
        self.fresh: dict[str, bytes] = {}
        self.kept: Manifest = dict(kept or {})
        # Files rendered by workers, written to a staging folder beside the output (not
        # sent back to this process): path → (sha256, size); moved into place by write_site.
        self.staging = staging
        self.staged: dict[str, tuple[bytes, int]] = {}

    def update(self, more) -> None:
        kept = {path: data for path, data in more.items() if isinstance(data, Kept)}
        self.fresh.update(more if not kept else
                          {path: data for path, data in more.items() if path not in kept})
        self.keep(kept)

    def keep(self, entries: Manifest) -> None:
        """Files the output folder holds as the last build wrote them (their manifest entries)."""
        self.kept.update((path, tuple(entry)) for path, entry in entries.items())

    def add_set_aside(self, part: tuple[Manifest, dict[str, tuple[bytes, int]]]) -> None:
        """What set_aside returned: files kept where they are, and files staged."""
        kept, staged = part
        self.keep(kept)
        self.staged.update(staged)

    def discard_staging(self) -> None:
        """Remove the staging folder (after writing, or when the build failed)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None

    def __getitem__(self, path: str) -> bytes:
        if path in self.fresh:
            return self.fresh[path]
        if path in self.staged:
            size = self.staged[path][1]
            where = self.staging if self.staging is not None else self.folder  # moved by now
        else:
            size, where = self.kept[path][1], self.folder
        data = (where / path).read_bytes()
        if len(data) != size:
            raise OSError(f"{path} changed while building")
        return data

    def __contains__(self, path) -> bool:
        return path in self.fresh or path in self.staged or path in self.kept

    def __iter__(self):
        yield from self.fresh
        yield from (path for path in self.staged if path not in self.fresh)
        yield from (path for path in self.kept if path not in self.fresh and path not in self.staged)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def staging_folder(out: Path) -> Path:
    """A folder beside the output for this process's rendered files; stale ones of killed builds go."""
    prefix = f".{out.name}.staging-"
    remove_leftovers(out.parent, prefix, STALE_AFTER)
    return out.parent / f"{prefix}{os.getpid()}"


STALE_AFTER = 3600  # seconds: a working folder this old was left by a killed build


def remove_leftovers(folder: Path, prefix: str, max_age: float) -> None:
    """Remove working folders `<prefix><pid>[-…]` whose build died (process gone) or that are old."""
    now = time.time()
    for leftover in folder.glob(f"{prefix}*"):
        pid = leftover.name[len(prefix):].split("-", 1)[0]
        try:
            old = now - leftover.stat().st_mtime > max_age
        except OSError:
            continue
        if old or (pid.isdigit() and not _alive(int(pid))):
            shutil.rmtree(leftover, ignore_errors=True)


def stage(staging: Path, files: dict[str, bytes]) -> dict[str, tuple[bytes, int]]:
    """Write rendered files into the staging folder; return each one's (sha256, size)."""
    staged = {}
    made: set[str] = set()
    root = str(staging)
    try:
        for relative, data in files.items():
            folder = relative.rpartition("/")[0]
            if folder not in made:
                os.makedirs(f"{root}/{folder}", exist_ok=True)
                made.add(folder)
            with open(f"{root}/{relative}", "wb") as handle:
                handle.write(data)
            staged[relative] = (hashlib.sha256(data).digest(), len(data))
    except OSError as error:  # the output folder itself is untouched: the build removes staging
        raise WriteFailed(_output_of(staging), error) from None
    return staged


def _output_of(staging: Path) -> Path:
    """The output folder a staging folder (`.<out>.staging-<pid>`, beside it) is for."""
    return staging.parent / staging.name[1:].rpartition(".staging-")[0]


def set_aside(files: dict[str, bytes], index: OutputIndex,
              known: dict[str, bytes]) -> tuple[Manifest, dict[str, bytes]]:
    """Files the output folder holds exactly as they are (their manifest entries), and the others.

    For stages run in another process: only the kept entries and the others' hashes (once
    staged) travel back, and an unchanged file is neither sent, nor written, nor hashed again
    by the writer. `known`: sha256 of files already hashed (remembered pages).
    """
    kept: Manifest = {}
    changed: dict[str, bytes] = {}
    for path, data in files.items():
        entry = (tuple(data) if isinstance(data, Kept) else
                 index.entry_if_same(path, known.get(path) or hashlib.sha256(data).digest()))
        if entry is not None:
            kept[path] = entry
        else:
            changed[path] = data
    return kept, changed


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def write_site(files: Mapping[str, bytes], out: Path, index: OutputIndex | None = None) -> WriteReport:
    """Make `out` hold exactly `files` (path → bytes), touching only what changed.

    With a manifest from the last build, the folder is not walked: the files it
    lists and this build does not make are the stale ones, and kept files
    (SiteFiles.kept, checked by whoever kept them) are not even looked at.
    """
    kept = files.kept if isinstance(files, SiteFiles) else {}
    try:
        if isinstance(files, SiteFiles) and files.staging is not None and not kept and _is_new(out):
            report = _move_staging_into_place(files, out)
            if report is not None:
                return report
        # Every change is prepared first and committed together: a failure at any point
        # (a full disk, a read-only folder, a name the disk refuses) leaves `out` as it was.
        changes = Transaction(out)
        try:
            return _write_changes(files, out, index, changes)
        except BaseException:
            changes.undo()
            raise
    except OSError as error:
        raise WriteFailed(out, error) from None


def _write_changes(files: Mapping[str, bytes], out: Path, index: OutputIndex | None,
                   changes: Transaction) -> WriteReport:
    manifest = index.manifest if index else {}
    known = index.known if index else {}
    kept = files.kept if isinstance(files, SiteFiles) else {}
    changes.make_folders(out)
    rendered = files.fresh if isinstance(files, SiteFiles) else files
    fresh: Manifest = {path: entry for path, entry in kept.items() if path not in rendered}
    staged = files.staged if isinstance(files, SiteFiles) else {}
    settled: dict[str, int] = {}  # folders whose mtime is still what the last build left
    # The last build's manifest and folder times describe the folder: neither is walked.
    described = bool(manifest and index.folders and not index.walk)
    if described:
        state = index.state  # one stat of each file and folder, taken while the build loaded
        # The last build's files this one does not make (set operations on the keys:
        # asking `in files` 38 000 times cost 7 ms).
        stale = manifest.keys() - rendered.keys() - staged.keys() - kept.keys()
        existing = _stat_each(out, [*rendered, *staged], stale, manifest, state.moved)
        existing.update(state.added)
        settled.update(state.settled)
    else:
        existing = _scan(out)
    touched: set[str] = set()  # folders this build writes or removes in (and their parents)
    written = unchanged = 0

    def to_write():  # (path, sha256, size, bytes or the staged file holding them)
        for relative, data in rendered.items():
            yield relative, known.get(relative) or hashlib.sha256(data).digest(), len(data), data
        for relative, (digest, size) in staged.items():
            yield relative, digest, size, files.staging / relative

    for relative, digest, size, source in sorted(to_write(), key=lambda item: item[0]):
        stat = existing.get(relative)
        if stat is not None and stat[2]:
            entry = manifest.get(relative)
            same = (entry == (digest, stat[0], stat[1]) if entry is not None
                    else stat[0] == size and _same(out / relative, source if isinstance(source, bytes)
                                                   else source.read_bytes()))
            if same:
                fresh[relative] = (digest, stat[0], stat[1])
                unchanged += 1
                continue
        fresh[relative] = (digest, *changes.put(out / relative, source))
        touched.update(_parents(relative))
        written += 1
    unchanged += len(kept)
    removed = 0
    emptied: set[Path] = set()
    for relative in existing:
        if relative not in files and relative not in fresh:
            path = out / relative
            if (path.is_dir() and not path.is_symlink()) or not os.path.lexists(path):
                continue  # a folder where a file was, or gone with its folder: a put made room
            changes.remove(path)
            emptied.add(path.parent)
            touched.update(_parents(relative))
            removed += 1
    changes.commit()
    _remove_empty_dirs(out, emptied)
    if described:
        # The last build's folders, and those of files it did not have (finding every folder
        # from 31 000 paths cost 20 ms). A folder emptied since is gone: its stat fails below.
        folders = set(index.folders) | _folders_holding(fresh.keys() - manifest.keys())
    else:
        folders = _folders_holding(fresh)
    return WriteReport(written, unchanged, removed, fresh, _folder_times(out, folders, settled, touched))


def _is_new(out: Path) -> bool:
    """The output folder is missing, or an empty folder (not a link to one)."""
    if not os.path.lexists(out):
        return True
    if out.is_symlink() or not out.is_dir():
        return False
    with os.scandir(out) as entries:
        return next(entries, None) is None


def _move_staging_into_place(files: SiteFiles, out: Path) -> WriteReport | None:
    """A first build into a new folder: the staging folder becomes the output folder, whole.

    The workers staged the task pages, posters and feeds there; the other files join them
    and one rename puts the site in place (the same promise: nothing is there until all
    of it is). Moving 38 000 files and making their 21 000 folders one by one took 2 s at
    10 000 tasks, on one core. None when the rename is refused (another file system, a
    mount point): the caller then writes file by file.
    """
    staging = files.staging
    digests = {path: digest for path, (digest, _) in files.staged.items()}
    digests.update((path, digest) for path, (digest, _) in stage(staging, files.fresh).items())
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        os.rename(staging, out)  # replaces an empty folder
    except OSError:
        return None
    files.staging = None  # SiteFiles reads its staged files from the output folder now
    root = str(out)
    manifest: Manifest = {}
    for relative, digest in digests.items():
        stat = os.stat(f"{root}/{relative}")
        manifest[relative] = (digest, stat.st_size, stat.st_mtime_ns)
    return WriteReport(len(manifest), 0, 0, manifest, _folder_times(out, _folders_holding(manifest)))


def _parents(relative: str) -> list[str]:
    """The folders above an output path, as keys of the folder times: 'a/b/x' → 'a/b/', 'a/', ''."""
    found = []
    while "/" in relative:
        relative = relative[:relative.rfind("/")]
        found.append(relative + "/")
    return found + [""]


def _folders_holding(paths) -> set[str]:
    """The folders of output paths and their parents, as keys of the folder times ('' is the top)."""
    folders = {""} | {path[:path.rfind("/") + 1] for path in paths if "/" in path}
    for folder in list(folders):  # parents of nested folders too
        while folder:
            folder = folder[:folder.rstrip("/").rfind("/") + 1]
            folders.add(folder)
    return folders


def _folder_times(out: Path, folders: set[str], settled: dict[str, int] | None = None,
                  touched: set[str] = frozenset()) -> dict[str, int]:
    """The mtime of each folder holding an output: a file added there later changes it.

    `settled` folders (mtime checked this build, unchanged since the last) that this build
    did not write in keep their time: stat-ing 21 000 folders again cost 0.05 s.
    """
    times, root, settled = {}, str(out), settled or {}
    for folder in folders:
        if folder in settled and folder not in touched:
            times[folder] = settled[folder]
            continue
        try:
            times[folder] = os.stat(f"{root}/{folder}").st_mtime_ns
        except OSError:
            continue
    return times


def _added(out: Path, folders: dict[str, int], manifest: Manifest,
           settled: dict[str, int]) -> dict[str, tuple[int, int, bool]]:
    """Files someone else put in the output folder: listed only in folders whose mtime moved.

    Folders whose mtime did not move are put in `settled`.
    """
    found: dict[str, tuple[int, int, bool]] = {}
    root = str(out)
    for folder, mtime in folders.items():
        try:
            if os.stat(f"{root}/{folder}").st_mtime_ns == mtime:
                settled[folder] = mtime
                continue
            entries = list(os.scandir(out / folder))
        except OSError:
            continue
        for entry in entries:
            relative = folder + entry.name
            if entry.is_dir(follow_symlinks=False):
                if relative + "/" not in folders:
                    found.update({relative + "/" + path: stat
                                  for path, stat in _scan(Path(entry.path)).items()})
            elif relative not in manifest:
                stat = entry.stat(follow_symlinks=False)
                found[relative] = (stat.st_size, stat.st_mtime_ns, entry.is_file(follow_symlinks=False))
    return found


def _stat_each(out: Path, rendered, stale, manifest: Manifest,
               moved: frozenset[str]) -> dict[str, tuple[int, int, bool]]:
    """What _scan would find of the rendered files and the stale ones, without walking the folder.

    A file the manifest lists and the folder check found as written is not stat-ed again.
    """
    found: dict[str, tuple[int, int, bool]] = {}
    root = str(out)
    for relative in (*rendered, *stale):
        if relative in found:
            continue
        entry = manifest.get(relative)
        if entry is not None and relative not in moved:
            found[relative] = (entry[1], entry[2], True)
            continue
        try:
            stat = os.lstat(f"{root}/{relative}")
        except OSError:
            continue
        found[relative] = (stat.st_size, stat.st_mtime_ns, S_ISREG(stat.st_mode))
    return found


def _scan(out: Path) -> dict[str, tuple[int, int, bool]]:
    """Every file under out: relative path → (size, mtime_ns, is a regular file)."""
    found: dict[str, tuple[int, int, bool]] = {}
    stack = [(out, "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # a folder we may not read (not one of ours): left as it is
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


def _remove_empty_dirs(out: Path, candidates: set[Path]) -> None:
    """Remove folders left empty by removed files, walking up towards out."""
    for folder in sorted(candidates, key=lambda p: len(p.parts), reverse=True):
        while folder != out and out in folder.parents:
            try:
                folder.rmdir()  # fails when not empty: then its parents are not empty either
            except OSError:
                break
            folder = folder.parent


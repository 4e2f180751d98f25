"""The build cache: `.sitegen-cache/` under the site root, safe to delete at any time.

What it holds, each keyed by a hash of everything the value was made from:

- `bodies`: rendered Markdown bodies, by the hash of the Markdown text;
- `pages`: the hash of a rendered page, by the hash of its template, context and theme;
- `cards`: a task card's HTML (board, place and category lists), by the theme and the task view;
- `search`: the Pagefind bundle, by the hash of the pages it indexed;
- `records`: loaded tasks (and their problems), by file hash and what they were checked against;
- `stats`: size, mtime and hash of each content file, so an unchanged file is not read again;
- `task-outputs`: the hashes of each task's page, feed and poster, by everything they show (reuse.py);
- `manifest`: hash, size and mtime of every file the last build wrote to the output folder,
  so an unchanged output is recognised without reading it back, and a page whose
  memo hit is read from the output only when size and mtime prove it is ours;

plus a few remembered pieces of output (QR codes, poster blocks, calendar events and
heads, each feed's hash, each search shard's file hashes, the sitemap), each by every
input it was made from.

Each store is split by key into SHARDS files (`records.07.pickle`), read when first
needed and rewritten only when an entry in them changed. Every file starts with a header naming the cache format and a fingerprint of the
generator's code and libraries, followed by the SHA-256 of the payload. A file
that is truncated, corrupted, from another version, or unreadable is discarded
and rebuilt — never trusted. Files are replaced atomically, so a build killed at
any moment leaves either the old or the new cache file.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import io
import os
import pickle
import sys
import time
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import NamedTuple

CACHE_DIR = ".sitegen-cache"
FORMAT = b"sitegen-cache 2\n"
SHARDS = 16  # files per store
_LIBRARIES = ("Markdown", "Jinja2", "nh3", "icalendar", "segno", "Babel", "MarkupSafe", "PyYAML")
MISSING = object()
MANIFEST_FOLDER = "//folder"  # the manifest's entry naming the output folder it describes
MANIFEST_FOLDERS = "//folders"  # the manifest's entry: each output sub-folder's mtime after the write
_WRITING = "writing"  # present while the output folder may hold files the saved manifest lacks
_SETTLED_NS = 2_000_000_000  # a source file older than this is trusted by size and mtime
RECORDS = "records"  # cache store: each content file's SourceRecord (stat, hash, loaded record), by its path
KNOWN = "_known"  # this build's output path → sha256, never saved (a leading _ keeps a store in memory)

_active: contextvars.ContextVar[BuildCache | None] = contextvars.ContextVar("sitegen_cache", default=None)


def code_fingerprint() -> bytes:
    """A hash of the generator's own code, Python and library versions: a new version is a new cache."""
    digest = hashlib.sha256(FORMAT + sys.version.encode())
    package = Path(__file__).parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(name.encode())
    return digest.digest()


def hash_of(*parts) -> bytes:
    """A stable key for plain data (str, bytes, numbers, tuples, frozen dataclasses)."""
    buffer = io.BytesIO()
    cache = _active.get()
    pickler = (_ViewPickler(buffer, cache.view_digests) if cache is not None
               else pickle.Pickler(buffer, protocol=5))
    # No memo: equal values must give equal bytes whether or not they share objects
    # (a task parsed now and the same task unpickled from the cache share differently).
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.sha256(buffer.getbuffer()).digest()


def repr_key(*parts) -> bytes:
    """hash_of for a few plain values whose repr() says all they are (str, bytes, dates, small dataclasses).

    ≈ 10× cheaper than pickling: it keys every task in a one-edit build's hot loops.
    """
    return hashlib.sha256(repr(parts).encode()).digest()


class _ViewPickler(pickle.Pickler):
    """Pickles each task view, task, place and the site settings as the hash of its own pickle, once per build.

    A view appears in the keys of its page, event, board, place and category lists,
    and the site and its place in every event's key: pickling them whole each time
    cost ≈ 1.3 s of a one-edit build at 10 000 tasks. (They are frozen dataclasses.)
    """

    def __init__(self, buffer, digests: dict):
        super().__init__(buffer, protocol=5)
        self.digests = digests
        self.types = _shared_types()

    def persistent_id(self, obj):
        if type(obj) not in self.types:
            return None
        known = self.digests.get(id(obj))
        if known is None or known[0] is not obj:
            buffer = io.BytesIO()
            plain = pickle.Pickler(buffer, protocol=5)
            plain.fast = True
            plain.dump(obj)
            known = (obj, hashlib.sha256(buffer.getbuffer()).digest())  # holds obj: its id stays unique
            self.digests[id(obj)] = known
        return known[1]


def _shared_types() -> frozenset:
    from .model import Place, Site, Task, TaskView  # late: model is not needed to open a cache
    # Task too: a task page and its poster name it beside its view (32 → 8 µs a key).
    return frozenset((TaskView, Task, Site, Place))


def digest_views(views) -> None:
    """Hash the task views now, so forked workers inherit the hashes instead of each making them."""
    if _active.get() is not None:
        hash_of(tuple(views))


class BuildCache:
    """Named stores of remembered values; only what this build used is saved again.

    Each store is split by key into SHARDS files, read when a key in them is first
    asked for and written only when an entry in them changed: a one-edit build at
    10 000 tasks rewrites a few MB of the cache instead of ≈ 85 MB.
    """

    def __init__(self, folder: Path | None, fingerprint: bytes | None = None):
        self.folder = folder
        # b"" (a disabled cache) is a fingerprint too: hashing the package would be wasted.
        self.fingerprint = fingerprint if fingerprint is not None else code_fingerprint()
        self._old: dict[str, dict[int, dict]] = {}  # store → shard → entries, as read or last saved
        self._end_build()
        self.discarded: list[str] = []  # stores found corrupted or stale, for the tests and --verbose
        self.outputs = None  # output.OutputIndex of the folder being built, when building
        self.autosave = True  # False: kept in memory between builds (serve), written by flush()
        self.stale_search = False  # this build reused an out-of-date search index (serve only)
        self.search_deferred = False  # serve: that stale index is to be refreshed by the next build
        self.holds_manifest = False  # this process saved the manifest of the last build it wrote
        self._unsaved: set[tuple[str, int]] = set()  # (store, shard) changed since the last flush
        # Why the cache folder could not be read or written (each told once as a warning):
        # the cache is optional, so the build goes on without what it could not keep.
        self.faults: list[str] = []

    def _end_build(self) -> None:
        """Forget what belongs to one build only (the next build starts from the stores)."""
        self._new: dict[str, dict] = {}  # store → entries this build used or made
        self._dirty: dict[str, set[int]] = {}  # store → shards with entries put by this build
        self._replaced: set[str] = set()  # stores this build set whole
        self._kept: dict[str, set] = {}  # store → keys in use, not read (see keep)
        self.view_digests: dict = {}  # id(task view) → (view, hash): see _ViewPickler
        self.environments: dict = {}  # (id(model), theme dirs) → (model, fingerprint): memo.py

    @classmethod
    def for_site(cls, root: Path) -> BuildCache:
        return cls(root / CACHE_DIR)

    @classmethod
    def disabled(cls) -> BuildCache:
        return cls(None, b"")

    # -- values ---------------------------------------------------------------
    def get(self, store: str, key):
        """The value remembered under key, or MISSING; a hit is kept for the next build."""
        new = self._new.setdefault(store, {})
        if key in new:
            return new[key]
        value = self._shard(store, shard_of(key)).get(key, MISSING)
        if value is not MISSING:
            new[key] = value
        return value

    def get_store(self, store: str) -> dict:
        """A whole store as the last build saved it (e.g. the output manifest)."""
        whole = {}
        for shard in range(SHARDS):
            whole.update(self._shard(store, shard))
        return whole

    def put(self, store: str, key, value) -> None:
        self._new.setdefault(store, {})[key] = value
        self._dirty.setdefault(store, set()).add(shard_of(key))

    def keep(self, store: str, key) -> None:
        """Keep a remembered entry for the next build without reading it now (its shard is read
        only if it has to be written anyway)."""
        self._kept.setdefault(store, set()).add(key)

    def replace(self, store: str, values: dict) -> None:
        """Set a whole store (e.g. the output manifest)."""
        self._new[store] = dict(values)
        self._replaced.add(store)

    def know(self, digests: dict[str, bytes]) -> None:
        """Hashes of outputs this build keeps or made, by path (in memory only, like put(KNOWN, …))."""
        self._new.setdefault(KNOWN, {}).update(digests)

    def known_digests(self) -> dict[str, bytes]:
        """Hashes of outputs this build already knows (from the page memo), by path."""
        return self._new.get(KNOWN, {})

    def has(self, store: str, key) -> bool:
        """Whether a value is remembered, without counting it as used by this build."""
        return key in self._new.get(store, {}) or key in self._shard(store, shard_of(key))

    def fresh(self) -> dict[str, dict]:
        """Entries used or made since this cache was opened (a worker sends these back)."""
        return {store: dict(values) for store, values in self._new.items()}

    def merge(self, entries: dict[str, dict]) -> None:
        for store, values in entries.items():
            if values:
                self._new.setdefault(store, {}).update(values)
                self._dirty.setdefault(store, set()).update(shard_of(key) for key in values)

    # -- files ------------------------------------------------------------------
    def _shard(self, store: str, shard: int) -> dict:
        shards = self._old.setdefault(store, {})
        if shard not in shards:
            shards[shard] = self._read(store, shard)
        return shards[shard]

    def _path(self, store: str, shard: int) -> Path:
        return self.folder / f"{store}.{shard:02d}.pickle"

    def _read(self, store: str, shard: int) -> dict:
        if self.folder is None:
            return {}
        try:
            data = self._path(store, shard).read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as error:  # not readable, or .sitegen-cache is a file
            self._fault(error)
            return {}
        header = FORMAT + self.fingerprint
        payload = memoryview(data)[len(header) + 32:]  # not a copy: the records store is 22 MB at 10 000 tasks
        if (not data.startswith(header)
                or hashlib.sha256(payload).digest() != data[len(header):len(header) + 32]):
            self._discard(store)
            return {}
        try:
            value = pickle.loads(payload)
        except Exception:  # checksum matched yet unreadable: discard rather than trust
            self._discard(store)
            return {}
        return value if isinstance(value, dict) else {}

    def _discard(self, store: str) -> None:
        if store not in self.discarded:
            self.discarded.append(store)

    def save(self) -> None:
        """End a successful build: keep what it used or keep()s, on disk unless serving.

        Pruning is per shard: a shard this build did not touch at all stays as it was (on
        disk, and in memory when serving). What a build needs without looking it up (the
        cards of a remembered board, the events of a kept feed) it marks with keep().
        """
        for store, values in self._new.items():
            if store.startswith("_"):
                continue
            by_shard = _by_shard(values)
            if store in self._replaced:  # every shard is set: the ones now empty too
                for shard in range(SHARDS):
                    by_shard.setdefault(shard, {})
            dirty = self._dirty.get(store, set())
            kept = _by_shard(dict.fromkeys(self._kept.get(store, ())))
            for shard, entries in by_shard.items():
                old = self._shard(store, shard)
                for key in kept.get(shard, ()):
                    if key not in entries and key in old:
                        entries[key] = old[key]
                if shard in dirty or old.keys() != entries.keys() or (
                        store in self._replaced and old != entries):
                    self._unsaved.add((store, shard))
                self._old[store][shard] = entries
        self._end_build()
        self.holds_manifest = "manifest" in self._old
        if self.autosave:
            self.flush()

    def writing(self) -> None:
        """Output files are about to change: until the manifest is saved, it may not list them all."""
        if self.folder is not None:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                (self.folder / _WRITING).touch()
            except OSError as error:
                self._fault(error)

    def _fault(self, error: OSError) -> None:
        """Remember that the cache folder failed, and why (one warning per reason)."""
        reason = os.strerror(error.errno).lower() if error.errno else str(error)
        if self.folder is not None and not self.faults:  # the first reason says it: one warning
            from . import messages  # late: keeps this module light for the server
            self.faults.append(messages.cannot_cache(f"{self.folder.name}/", reason))

    def abandon(self) -> None:
        """End a failed build: forget what it made, keep what the last good build had."""
        self._end_build()

    def flush(self) -> None:
        """Write the shards changed since the last flush."""
        if self.folder is None:
            self._unsaved.clear()
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            _write_readme(self.folder)
            for store, shard in sorted(self._unsaved):
                payload = pickle.dumps(self._old[store][shard], protocol=5)
                header = FORMAT + self.fingerprint + hashlib.sha256(payload).digest()
                _atomic_write(self._path(store, shard), header + payload)
        except OSError as error:
            # Left as it is, the marker makes the next build check the whole output folder:
            # shards written and not written may no longer agree on the manifest.
            self._fault(error)
            return
        finally:
            self._unsaved.clear()
        with contextlib.suppress(FileNotFoundError):
            (self.folder / _WRITING).unlink()  # the saved manifest describes the folder again


def _by_shard(values: dict) -> dict[int, dict]:
    """values split as shard_of splits them (inlined: a one-edit build saves ≈ 80 000 entries)."""
    shards: list[dict] = [{} for _ in range(SHARDS)]
    for key, value in values.items():
        if type(key) is bytes and key:
            shards[key[0] % SHARDS][key] = value
        elif type(key) is str:
            shards[zlib.crc32(key.encode("utf-8", "surrogateescape")) % SHARDS][key] = value
        else:
            shards[shard_of(key)][key] = value
    return {shard: entries for shard, entries in enumerate(shards) if entries}


def shard_of(key) -> int:
    """Which of a store's files holds `key`: most keys are SHA-256 digests, some are paths."""
    if isinstance(key, bytes) and key:
        return key[0] % SHARDS
    # surrogateescape: a file name that is not UTF-8 reaches us with surrogates (a content problem, not a crash).
    text = key if isinstance(key, str) else repr(key)
    return zlib.crc32(text.encode("utf-8", "surrogateescape")) % SHARDS


def activate(cache: BuildCache):
    """Make `cache` the one stage code finds with `current()` (until the token is reset)."""
    return _active.set(cache)


def deactivate(token) -> None:
    _active.reset(token)


def current() -> BuildCache | None:
    """The cache of the build in progress, if any (stages keep their signatures)."""
    return _active.get()


def _atomic_write(path: Path, data: bytes) -> None:
    temporary = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()  # a full disk must not leave half a file behind
        raise


def _write_readme(folder: Path) -> None:
    readme = folder / "README.txt"
    if not readme.exists():
        readme.write_text(
            "sitegen's build cache: rendered bodies and pages remembered by content hash.\n"
            "Safe to delete at any time; the next build is then a full one. Ignored by git.\n",
            encoding="utf-8")


class RememberingRenderer:
    """A Markdown renderer that reuses bodies rendered by earlier builds (same text, same HTML)."""

    def __init__(self, cache: BuildCache, renderer=None, jobs: int = 1):
        from .markup import MarkdownRenderer  # late: keeps this module light for the server
        self.cache = cache
        self.renderer = renderer or MarkdownRenderer()
        self.jobs = jobs

    def prepare(self, texts: list[str]) -> None:
        """Render the bodies the cache lacks on every core, so render() finds them."""
        from .parallel import render_bodies  # late: parallel imports this module
        missing = {hashlib.sha256(text.encode("utf-8")).digest(): text for text in texts}
        missing = [(key, text) for key, text in missing.items() if not self.cache.has("bodies", key)]
        for key, body in render_bodies(missing, self.jobs):
            self.cache.put("bodies", key, body)

    def render(self, text: str):
        key = hashlib.sha256(text.encode("utf-8")).digest()
        body = self.cache.get("bodies", key)
        if body is MISSING:
            body = self.renderer.render(text)
            self.cache.put("bodies", key, body)
        return body


@contextlib.contextmanager
def build_cache(options, out: Path | None, cache: BuildCache | None = None):
    """Open the site's cache (or use the one given, or an unsaved one) for one build, as current()."""
    from .output import OutputIndex

    if cache is None:
        cache = BuildCache.for_site(options.root) if options.cache else BuildCache.disabled()
    cache.outputs = None
    if out is not None and options.cache:
        manifest = cache.get_store("manifest")
        # The manifest describes one output folder; another --out starts without one.
        where = manifest.pop(MANIFEST_FOLDER, None)
        # A build stopped after writing files, before saving the manifest, leaves the marker:
        # the manifest may then miss files, and the writer walks the folder to find them.
        walk = not cache.holds_manifest and cache.folder is not None and (cache.folder / _WRITING).exists()
        folders = manifest.pop(MANIFEST_FOLDERS, {})
        if where != str(out.resolve()):
            manifest, folders = {}, {}
        cache.outputs = OutputIndex(out, manifest, walk=walk, folders=folders)
        cache.outputs.check_beside()  # stats the output folder while the content loads
    cache.stale_search = False
    token = activate(cache)
    try:
        yield cache
    except BaseException:
        cache.abandon()
        raise
    finally:
        deactivate(token)
        if cache.outputs is not None:
            cache.outputs.close()


def view_key(view) -> bytes | None:
    """The hash reuse.plan gave this task view (everything it is made from), if it did."""
    known = _planned(view)
    return known[1] if known is not None else None


def event_key(view) -> bytes | None:
    """The hash reuse.plan gave this task view's calendar event: the view's, and the build
    moment's year (its VTIMEZONE) or, for a file git does not know, the moment (its DTSTAMP)."""
    known = _planned(view)
    return known[3] if known is not None else None


def _planned(view) -> tuple | None:
    cache = _active.get()
    known = cache.view_digests.get(id(view)) if cache is not None else None
    # Only plan's entries (marked by a third item): _ViewPickler's hash the view alone, not
    # the site, places and history that plan's keys hold too.
    return known if known is not None and known[0] is view and len(known) > 2 else None


def remember(store: str, key, compute):
    """compute(), or the value it gave for the same key in an earlier build.

    For pure, costly steps inside stages (a QR code, a calendar event): the key
    must hold every input of compute. Without a build in progress, just computes.
    """
    cache = current()
    if cache is None:
        return compute()
    return remember_by_digest(store, hash_of(key), compute)


def remember_by_digest(store: str, digest: bytes, compute):
    """remember() for a key already hashed (e.g. view_key's): hashing it again costs a pickle."""
    cache = current()
    if cache is None:
        return compute()
    value = cache.get(store, digest)
    if value is MISSING:
        value = compute()
        cache.put(store, digest, value)
    return value


@dataclass(frozen=True)
class Remembered:
    """A content file as an earlier build loaded it: the record and the problems it had."""

    record: object  # a Task, or None when the file had problems
    found: tuple
    warnings: tuple
    body_key: bytes  # keeps its rendered body in the cache too

    def replay(self, problems):
        problems.found.extend(self.found)
        problems.warnings.extend(self.warnings)
        return self.record


class SourceRecord(NamedTuple):
    """What the last build knew of one content file: its stat, hash and, when loaded, its record."""

    size: int | None  # None: its mtime was too recent to trust (read and hashed each build)
    mtime_ns: int | None
    digest: str
    context: bytes | None  # what it was checked against (RecordCache.context); None: no record
    remembered: Remembered | None


class RecordCache:
    """Loaded tasks and places by path, with the file's hash and what it was checked against:
    an unchanged file skips YAML and checks, and one whose size and mtime are unchanged is
    not even read.

    One entry per file (its stat and its record together): a one-edit build at 10 000 tasks
    rewrites one shard of it, and loading looks each file up once.
    """

    def __init__(self, cache: BuildCache):
        self.cache = cache

    def context(self, *parts) -> bytes:
        return hash_of(*parts)

    def unchanged(self, path: str, stat: os.stat_result, context: bytes) -> tuple[str, Remembered] | None:
        """The hash and record of a file whose size and mtime are what the last build saw,
        loaded against the same context (site settings, places): then it is neither read
        nor parsed, and looked up once. Any other file is read and hashed (saw), then its
        record looked up by hash (get): a touched but unchanged file is not parsed again."""
        seen = self.cache.get(RECORDS, path)
        if (seen is MISSING or seen.remembered is None or seen.size != stat.st_size
                or seen.mtime_ns != stat.st_mtime_ns or seen.context != context):
            return None
        self.cache.keep("bodies", seen.remembered.body_key)  # still in use: kept for the next edit, not read
        return seen.digest, seen.remembered

    def saw(self, path: str, stat: os.stat_result, digest: str) -> None:
        """Remember size, mtime (as stat-ed before the read) and hash of a file just read,
        unless its mtime is too recent to trust."""
        # Racy-git rule: a file changed again within the clock's granularity of this
        # read could keep its size and mtime, so only settled files are remembered.
        settled = (stat.st_size, stat.st_mtime_ns) if time.time_ns() - stat.st_mtime_ns > _SETTLED_NS else (None, None)
        seen = self.cache.get(RECORDS, path)
        if seen is MISSING or seen.digest != digest:
            seen = SourceRecord(None, None, digest, None, None)  # no record for this text yet: put() adds it
        self.cache.put(RECORDS, path, seen._replace(size=settled[0], mtime_ns=settled[1]))

    def get(self, path: str, digest: str, context: bytes) -> Remembered | None:
        found = self.cache.get(RECORDS, path)
        if found is MISSING or found.digest != digest or found.context != context or found.remembered is None:
            return None
        self.cache.keep("bodies", found.remembered.body_key)  # still in use: kept for the next edit, not read
        return found.remembered

    def put(self, path: str, context: bytes, body: str, record, found, warnings) -> None:
        """Remember what a file read this build (saw) loaded to, checked against `context`."""
        body_key = hashlib.sha256(body.encode("utf-8")).digest()
        seen = self.cache.get(RECORDS, path)  # its stat and hash, as saw() put them
        self.cache.put(RECORDS, path, seen._replace(
            context=context, remembered=Remembered(record, tuple(found), tuple(warnings), body_key)))

"""Watch the site's sources and call back once per burst of changes (debounced)."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

DEBOUNCE_SECONDS = 0.1
# Editors write these next to the real file while saving; they are not content.
_TEMP_SUFFIXES = ("~", ".swp", ".swx", ".swo", ".tmp", ".sitegen-tmp", ".part", ".crdownload")
_TEMP_NAMES = ("4913",)  # vim probes whether it may write in the folder with this name


def is_editor_temp(path: str) -> bool:
    """True for editor and tool temporary files that must not trigger a rebuild."""
    name = Path(path).name
    return (name.startswith((".#", "#", ".~")) or name.endswith(_TEMP_SUFFIXES)
            or name in _TEMP_NAMES or name.startswith(".goutputstream"))


class Watcher:
    """Calls `on_change(paths)` after `debounce` seconds without new changes under `folders`."""

    def __init__(self, folders: list[Path], on_change, ignore: list[Path] = (),
                 debounce: float = DEBOUNCE_SECONDS):
        self._on_change = on_change
        self._ignore = [p.resolve() for p in ignore]
        self._debounce = debounce
        self._changed: set[str] = set()
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stopping = False
        self._observer = Observer()
        self._handler = handler = _Handler(self._record)
        for folder in folders:
            if folder.is_dir():
                self._observer.schedule(handler, str(folder), recursive=True)
            elif folder.parent.is_dir():
                # Not there yet (a site without its own theme/): start watching when it appears.
                self._observer.schedule(_Appears(folder, self._appeared), str(folder.parent))
        self._thread = threading.Thread(target=self._run, name="sitegen-debounce", daemon=True)

    def start(self) -> None:
        self._observer.start()
        self._thread.start()

    def stop(self) -> None:
        self._stopping = True
        self._wake.set()
        self._observer.stop()
        self._observer.join(timeout=2)
        self._thread.join(timeout=2)

    def _appeared(self, folder: Path) -> None:
        self._observer.schedule(self._handler, str(folder), recursive=True)
        self._record(str(folder))  # files made in it before the watch began are read by the rebuild

    def _record(self, path: str) -> None:
        if is_editor_temp(path) or self._ignored(path):
            return
        with self._lock:
            self._changed.add(path)
        self._wake.set()

    def _ignored(self, path: str) -> bool:
        resolved = Path(path).resolve()
        return any(resolved == folder or folder in resolved.parents for folder in self._ignore)

    def _run(self) -> None:
        while not self._stopping:
            self._wake.wait()
            # Wait until the burst is over: a save is often several events (write, rename, chmod).
            while self._wake.is_set() and not self._stopping:
                self._wake.clear()
                self._wake.wait(self._debounce)
            if self._stopping:
                return
            with self._lock:
                changed, self._changed = self._changed, set()
            if changed:
                self._on_change(sorted(changed))


class _Handler(FileSystemEventHandler):
    def __init__(self, record):
        self._record = record

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return  # reading a file changes nothing
        if event.is_directory and event.event_type == "modified":
            return  # follows every change inside; the file event says what changed
        self._record(event.src_path)
        dest = getattr(event, "dest_path", "")
        if dest:
            self._record(dest)


class _Appears(FileSystemEventHandler):
    """Calls `appeared(folder)` once, when `folder` is created or moved into place."""

    def __init__(self, folder: Path, appeared):
        self._folder, self._appeared, self._done = folder.resolve(), appeared, False

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = (event.src_path, getattr(event, "dest_path", "") or "")
        if not self._done and self._folder.is_dir() and any(
                p and Path(p).resolve() == self._folder for p in paths):
            self._done = True
            self._appeared(self._folder)


def next_burst(saved: queue.SimpleQueue) -> list[str]:
    """The paths of the next burst of saves, with those of any that came during the last build."""
    while True:
        try:
            changed = saved.get(timeout=0.5)  # a timeout keeps Ctrl-C heard on every platform
            break
        except queue.Empty:
            continue
    while not saved.empty():
        changed = changed + saved.get_nowait()
    return sorted(set(changed))

"""What `sitegen serve` shows: the site's generation, previewed pages and the last build's problems."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from ..i18n import DEFAULT_LANGUAGE, say

_KEPT_CHANGES = 100  # generations whose changed pages a reconnecting tab can still ask for
# Outputs every page may use: when one changes, every open tab reloads.
_SHARED_OUTPUTS = ("static/", "media/")


@dataclass
class ServeState:
    """What the server shows: the generation counter, previewed pages and the last build's problems."""

    out: Path
    root: Path | None = None  # the site folder: the local web editor writes in its content/
    generation: int = 0
    building: bool = False
    problems: list[str] = field(default_factory=list)  # lines already said in `language`
    # Output path → bytes of a previewed page, served instead of public/ until the build finishes.
    overlay: dict[str, bytes] = field(default_factory=dict)
    # Generation → URL paths of the pages it changed (None: every page may have changed).
    changes: dict[int, tuple[str, ...] | None] = field(default_factory=dict)
    changed: threading.Condition = field(default_factory=threading.Condition)
    log: Callable[..., None] = print  # prints serve's lines (through `tell`)
    language: str = DEFAULT_LANGUAGE  # of the log, the banner and the answers to the browser

    def tell(self, *texts, **options) -> None:
        """Log messages, said in the language of the moment (the local web editor's too)."""
        self.log(*(say(text, self.language) for text in texts), **options)

    def busy(self, building: bool) -> None:
        with self.changed:
            self.building = building

    def finished(self, problems: list[str], paths: list[str] | None = None) -> None:
        """Record a build's problems and drop the previews; tabs showing `paths` reload (None: all)."""
        with self.changed:
            self.problems = problems
            self.overlay = {}
            if paths is None or paths:
                self._next(paths)
            self.changed.notify_all()

    def previewed(self, pages: dict[str, bytes]) -> None:
        """Serve these pages (output path → bytes) before the build writes them; their tabs reload."""
        with self.changed:
            self.overlay = dict(pages)
            self._next(sorted(url_of(path) for path in pages))
            self.changed.notify_all()

    def _next(self, paths: list[str] | None) -> None:
        self.generation += 1
        self.changes[self.generation] = None if paths is None else tuple(paths)
        self.changes.pop(self.generation - _KEPT_CHANGES, None)

    def changed_since(self, generation: int | None) -> list[str] | None:
        """URL paths changed after `generation` (call holding `changed`); None: every page."""
        if generation is None or not 0 <= generation <= self.generation:
            return None
        paths: set[str] = set()
        for later in range(generation + 1, self.generation + 1):
            if later not in self.changes or self.changes[later] is None:
                return None
            paths.update(self.changes[later])
        return sorted(paths)


def url_of(path: str) -> str:
    """The URL path of an output file: `x/index.html` → `/x/`, `index.html` → `/`."""
    return "/" + (path[:-len("index.html")] if path == "index.html" or path.endswith("/index.html")
                  else path)


def changed_pages(before: dict, after: dict, previewed: dict[str, bytes]) -> list[str] | None:
    """URL paths of the pages a build changed, from two manifests (path → (sha256, …)).

    A previewed page counts as changed only when the build's bytes differ from the
    preview's: open tabs already show the preview. None: every page may look different.
    """
    paths = set()
    for path in before.keys() | after.keys():
        old, new = before.get(path), after.get(path)
        if path in previewed:
            old = (hashlib.sha256(previewed[path]).digest(),)
        if old is not None and new is not None and old[0] == new[0]:
            continue
        if path.startswith(_SHARED_OUTPUTS):
            return None
        if path.endswith(".html"):
            paths.add(url_of(path))
    return sorted(paths)

"""What a build tells the person at the terminal: a progress bar for slow builds, one summary line."""

from __future__ import annotations

import sys
import threading
import time

from .. import messages
from ..i18n import DEFAULT_LANGUAGE, say

SHOW_AFTER = 1.0  # seconds: quicker builds show no bar at all
# Where each stage starts, as a share of a typical build (roughly, in a big cold build).
_STAGES = {"load": (0.0, messages.READING), "render": (0.25, messages.RENDERING_TASKS),
           "site": (0.7, messages.RENDERING_SITE), "write": (0.95, messages.WRITING)}
_WIDTH = 24


class ProgressBar:
    """A one-line bar on stderr, drawn only on a terminal and only once a build takes a while."""

    def __init__(self, stream=None, enabled: bool = True, language: str = DEFAULT_LANGUAGE):
        self.stream = stream or sys.stderr
        self.language = language
        self.enabled = enabled and self.stream.isatty()
        self.started = time.monotonic()
        self.share, self.label = 0.0, ""
        self._done = threading.Event()
        self._drawn = False
        self._thread = threading.Thread(target=self._run, name="sitegen-progress", daemon=True)

    def __enter__(self) -> ProgressBar:
        if self.enabled:
            self._thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self._done.set()
        if self.enabled:
            self._thread.join()
            if self._drawn:
                self.stream.write("\r\033[K")  # leave the line clean for the summary
                self.stream.flush()

    def __call__(self, stage: str) -> None:
        """The build's progress callback: a stage begins."""
        share, label = _STAGES.get(stage, (self.share, stage))
        self.share, self.label = share, say(label, self.language)

    def _run(self) -> None:
        if self._done.wait(SHOW_AFTER):
            return
        while not self._done.wait(0.1):
            filled = int(self.share * _WIDTH)
            seconds = time.monotonic() - self.started
            self.stream.write(f"\r\033[K[{'#' * filled}{'.' * (_WIDTH - filled)}] {self.label} {seconds:.0f} s")
            self.stream.flush()
            self._drawn = True


def summary(result, out) -> str:
    """One line: what was built, how much of each kind, how long it took (a Text)."""
    files = result.files
    report = result.report
    return messages.build_summary(
        tasks=len(result.model.tasks), places=len(result.model.places),
        pages=sum(1 for path in files if path.endswith(".html")),
        feeds=sum(1 for path in files if path.endswith(".ics")),
        records=sum(1 for view in result.model.tasks if view.searchable),
        written=report.written if report else 0, removed=report.removed if report else 0,
        out=out, seconds=result.seconds)

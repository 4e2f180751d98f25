"""A time limit for work whose time no size limit bounds (Markdown bodies).

The limit is a timer signal, so it stops Python code and regular expressions alike (the
`re` module checks for signals while it matches). Signals reach only the main thread:
`sitegen build`, `check`, `serve` and the worker processes make everything there; code
that calls the library from another thread, and Windows, which has no timer signal, run
without the limit.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class TimeUp(Exception):
    """The work inside `at_most` took longer than its seconds."""


@contextmanager
def at_most(seconds: float) -> Iterator[None]:
    """Raise TimeUp inside the block once it has run `seconds` (in the main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return
    running = True

    def stop(signum, frame):
        # Raised once, and never once the block is left: the handler runs at the next
        # point where Python checks for signals, which may be after the block.
        nonlocal running
        if running:
            running = False
            raise TimeUp

    before = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        running = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, before)

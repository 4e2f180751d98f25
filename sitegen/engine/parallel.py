"""Use every core: run independent render stages and Markdown bodies in forked workers,
and work that mostly waits on another program (Pagefind) beside them (run_beside).

Workers are forked, so they inherit the loaded model instead of receiving it
pickled; only their results travel back. Small sites stay in one process, where
starting workers would cost more than it saves.
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import ctypes.util
import gc
import multiprocessing
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from typing import Any
from concurrent.futures import ProcessPoolExecutor
from functools import partial

from .cache import MISSING, BuildCache, activate, current, deactivate

PARALLEL_FROM = 300  # tasks; below this one process is faster (measured: a fork costs ≈ 30 ms)

# The calls a forked worker runs, set right before the fork: closures cannot be pickled,
# but a forked child has a copy of this list and needs only the index.
_CALLS: list = []


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def run_all(calls: list, jobs: int) -> list:
    """Run the calls (each returning a value) in up to `jobs` forked workers; results in order.

    A worker's cache entries come back with its result and join the build's cache.
    An exception in a worker is raised here, as if the call had run in this process.
    """
    return run_beside(calls, jobs)[0]


def run_beside(calls: list, jobs: int, beside: Callable[[], Any] | None = None) -> tuple[list, Any]:
    """run_all, while `beside()` runs in this process: (the calls' results, beside's value).

    For work that mostly waits on another program (Pagefind): it overlaps the calls
    instead of following them. With workers, beside() runs once they are forked (a
    fork while a thread runs could copy a held lock); without, in a thread.
    """
    if jobs <= 1 or len(calls) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        if beside is None:
            return [call() for call in calls], None
        thread = _Beside(beside)
        try:
            results = [call() for call in calls]
        except BaseException:
            thread.join()  # the other program ends first; the calls' failure is the one to report
            raise
        return results, thread.result()
    global _CALLS
    _CALLS = list(calls)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=min(jobs, len(calls)), mp_context=context,
                                 initializer=gc.freeze) as pool:
            pending = pool.map(_run_one, range(len(calls)))  # submits all: the workers are forked now
            value = beside() if beside is not None else None
            outcomes = list(pending)
    finally:
        _CALLS = []
    results = []
    for result, fresh, hits, error in outcomes:
        _take_back(fresh, hits, error)
        results.append(result)
    return results, value


def run_split(here: list, away: list, beside: Callable[[], Any] | None = None) -> tuple[list, Any]:
    """The results of `here` (run in this process) and `away` (run in one forked process), and beside's value.

    For the site-wide stages of a build after a few edits: mostly remembered pages and
    feeds, each stage too small to pay for a pool of workers and its results' trip back,
    yet together ≈ 0.35 s at 10 000 tasks while the other core idles. `away` calls must
    return little (set_aside: kept entries and staged hashes). beside() runs in a thread
    started after the fork (a fork copies only the calling thread).
    """
    elsewhere = Background(partial(_run_calls, away))
    thread = _Beside(beside) if beside is not None else None
    try:
        results = [call() for call in here]
    except BaseException:
        elsewhere.cancel()  # the failure here is the one to report
        if thread is not None:
            thread.join()
        raise
    values, fresh, hits, error = elsewhere.result()
    value = thread.result() if thread is not None else None
    _take_back(fresh, hits, error)
    return results + values, value


def _take_back(fresh: dict, hits: dict, error) -> None:
    """What calls run in another process left: their failure raised here, or their cache entries."""
    if error is not None:
        raise (error.error() if isinstance(error, _Rebuilt) else error)
    cache = current()
    if cache is not None:
        cache.merge(fresh)
        for store, keys in hits.items():
            for key in keys:
                cache.keep(store, key)  # used over there: kept for the next build, not read here


def _run_calls(calls: list):
    """Run calls in order with a cache of their own: (values, new entries, keys used, error)."""
    cache = current()
    token = activate(_Child(cache)) if cache is not None else None
    try:
        values = [call() for call in calls]
        child = current() if token else None
        return values, (child.fresh() if child else {}), (child.hits if child else {}), None
    except Exception as error:
        return None, {}, {}, _portable(error)
    finally:
        if token is not None:
            deactivate(token)


class _Beside(threading.Thread):
    """Runs a call in a thread, in this context (the build's cache is a context variable)."""

    def __init__(self, call):
        super().__init__(name="sitegen-beside", daemon=True)
        self._call, self._context = call, contextvars.copy_context()
        self._value = self._error = None
        self.start()

    def run(self) -> None:
        try:
            self._value = self._context.run(self._call)
        except BaseException as error:  # raised in the build's thread by result()
            self._error = error

    def result(self):
        self.join()
        if self._error is not None:
            raise self._error
        return self._value


class Background:
    """A call run in a forked process while this one goes on; result() waits for its value.

    For work that mostly waits on the system (tens of thousands of stats), which a thread
    could not overlap with the build: it needs the GIL back after every call. Runs the
    call here instead — at result() — when fork is missing, when threads other than ours
    run (a fork copies only this one: a lock another holds would stay held in the child),
    when asked from another process (a worker forked meanwhile), or when the child failed.
    An interrupted child (Ctrl-C reaches the whole process group) makes result() raise
    KeyboardInterrupt rather than do the work again.
    """

    def __init__(self, call: Callable[[], Any]):
        self._call, self._owner, self._pid = call, os.getpid(), None
        if "fork" not in multiprocessing.get_all_start_methods() or not _only_our_threads():
            return
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            return
        if pid == 0:  # the child: send the value, leave without running the parent's exit code
            status = 1
            try:
                os.close(read)
                data = pickle.dumps(call(), protocol=pickle.HIGHEST_PROTOCOL)
                with open(write, "wb") as pipe:
                    pipe.write(data)
                status = 0
            except KeyboardInterrupt:
                status = _INTERRUPTED
            finally:
                os._exit(status)
        os.close(write)
        self._pid, self._read = pid, read

    def result(self):
        if self._pid is None or os.getpid() != self._owner:
            return self._call()
        pid, self._pid = self._pid, None
        received = False
        try:
            with open(self._read, "rb") as pipe:
                data = pipe.read()
            received = True
        finally:
            status = _reap(pid, kill=not received)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == _INTERRUPTED:
            raise KeyboardInterrupt
        try:
            return pickle.loads(data)
        except Exception:  # the child died before sending all of it
            return self._call()

    def cancel(self) -> None:
        """Stop the child and forget its work (a build that failed before it needed it)."""
        if self._pid is None or os.getpid() != self._owner:
            return
        pid, self._pid = self._pid, None
        os.close(self._read)
        _reap(pid, kill=True)


_INTERRUPTED = 130  # a child's exit status after Ctrl-C
# Threads of ours that may run beside a fork: they hold no lock the child could need
# (the progress bar only writes to stderr, which the child never touches).
FORK_SAFE_THREADS = frozenset({"sitegen-progress"})


def _only_our_threads() -> bool:
    current = threading.current_thread()
    return all(thread is current or thread.name in FORK_SAFE_THREADS for thread in threading.enumerate())


def _reap(pid: int, kill: bool) -> int:
    """Wait for a child (killed first if asked); its wait status."""
    if kill:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:
            continue
        except ChildProcessError:
            return 0


def _run_one(index: int):
    _give_back_memory()  # what the worker's previous call left: its pages, events and cards
    # A fresh view of the cache per call, so only this call's entries travel back.
    values, fresh, hits, error = _run_calls([_CALLS[index]])
    return (values[0] if values else None), fresh, hits, error


def _give_back_memory() -> None:
    """Return freed memory to the system: without it each worker grows by ≈ 120 MiB over a
    10 000-task build (glibc keeps freed blocks for the process).

    Workers start with everything they inherited frozen (run_beside's initializer), so
    this collection walks only what the worker made: walking the parent's unfrozen heap
    of loaded tasks took 0.15 s a call while bodies render (1.2 s of CPU cold).
    """
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:
        return None


_LIBC = _libc() if sys.platform.startswith("linux") else None


class _Child(BuildCache):
    """A worker's cache: reads the parent's stores, records its own new entries and which it used.

    Only the keys of the entries it used travel back (the parent has their values):
    sending the values back cost seconds at 10 000 tasks (every event, every page hash).
    """

    def __init__(self, parent: BuildCache):
        super().__init__(None, parent.fingerprint)
        self._parent = parent
        self.outputs = parent.outputs
        self.view_digests = parent.view_digests  # made before the fork: shared, not made again
        self.environments = parent.environments  # likewise (memo.environment_fingerprint)
        self.hits: dict[str, list] = {}

    def get(self, store, key):
        value = self._new.get(store, {}).get(key, MISSING)
        if value is MISSING:
            value = self._parent.get(store, key)
            if value is not MISSING:
                self.hits.setdefault(store, []).append(key)
        return value

    def keep(self, store, key) -> None:
        self.hits.setdefault(store, []).append(key)  # the parent keeps it (_take_back)


def _portable(error: Exception):
    """The error in a form that survives pickling, even when its __init__ takes other arguments."""
    state = (type(error), error.args, dict(getattr(error, "__dict__", {})))
    try:
        pickle.dumps(state)
        return _Rebuilt(state)
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")


class _Rebuilt:
    def __init__(self, state):
        self.state = state

    def error(self) -> Exception:
        kind, args, attributes = self.state
        error = kind.__new__(kind)
        object.__setattr__(error, "args", args)  # frozen dataclass errors refuse plain assignment
        error.__dict__.update(attributes)
        return error


def chunks(items, jobs: int) -> list[tuple]:
    """Items dealt round-robin into a few chunks per worker (even when costs vary), or one chunk."""
    if not items:
        return []
    count = 1 if jobs <= 1 or len(items) < PARALLEL_FROM else jobs * 4
    return [tuple(items[i::count]) for i in range(count)]


def render_bodies(texts: list[tuple[bytes, str]], jobs: int) -> list[tuple[bytes, object]]:
    """(key, Markdown) pairs rendered in forked workers: (key, body); nothing when they are few."""
    if jobs <= 1 or len(texts) < PARALLEL_FROM:
        return []  # a few edits: loading renders them, without forking
    return [pair for part in run_all([partial(_render_bodies, chunk) for chunk in chunks(texts, jobs)], jobs)
            for pair in part]


def _render_bodies(texts: list[tuple[bytes, str]]) -> list:
    from ..load.markup import MarkdownRenderer
    renderer = MarkdownRenderer()
    return [(key, renderer.render(text)) for key, text in texts]

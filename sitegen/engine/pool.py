"""Worker processes for builds with much to make: recipes in chunks, one chunk a call.

concurrent.futures' process pool, started by a fork server (spawn where there is none):
a worker never inherits the threads of the process that asked (serve's server and
watcher, Pagefind's waiting threads), so nothing it needs can be locked. A chunk is
pickled once, so the records its recipes share (the site, the places, the templates) are
sent once a chunk; a worker makes the theme's environment once, for all the chunks that
bring the same templates (render/templates.py).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import NamedTuple

from ..recipe import Recipe

PARALLEL_FROM = 300  # recipes to make; below this one process is faster than starting workers
_CHUNKS_PER_WORKER = 4  # at least a few chunks each, so one slow chunk does not leave a core idle
CHUNK_AT_MOST = 200  # recipes a chunk: what a worker holds at a time
_IN_FLIGHT_PER_WORKER = 2  # chunks sent ahead of those being waited for


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Pool:
    """Makes recipes in worker processes, started when first needed."""

    def __init__(self, jobs: int):
        self.jobs = jobs
        self._executor: ProcessPoolExecutor | None = None

    def worth_it(self, count: int) -> bool:
        return self.jobs > 1 and count >= PARALLEL_FROM and _main_can_be_imported()

    def map(self, recipes: list[Recipe], paths: list[str | None], staging: Path | None,
            resolve: Callable[[Recipe], Recipe]) -> list:
        """Each recipe's value, in order; `resolve` gives the recipe as a worker makes it.

        A recipe with a path makes an output: with a staging folder, the worker writes it
        there and sends back its sha256 and size (a folder output: those of each file).
        Chunks are resolved and sent a few at a time, as workers finish earlier ones: the
        work waiting in pipes, and each worker's share of it, stays small.
        """
        if self._executor is None:
            methods = multiprocessing.get_all_start_methods()
            context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
            self._executor = ProcessPoolExecutor(max_workers=self.jobs, mp_context=context)
        size = max(1, min(CHUNK_AT_MOST, -(-len(recipes) // (self.jobs * _CHUNKS_PER_WORKER))))
        results: list = []
        sent: deque[Future] = deque()
        for start in range(0, len(recipes), size):
            chunk = ([resolve(made) for made in recipes[start:start + size]], paths[start:start + size])
            sent.append(self._executor.submit(_make_chunk, chunk, staging))
            if len(sent) > self.jobs * _IN_FLIGHT_PER_WORKER:
                results.extend(sent.popleft().result())
        while sent:
            results.extend(sent.popleft().result())
        return results

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown()
            self._executor = None


def _main_can_be_imported() -> bool:
    """Workers start by importing the main module: not possible for code typed in (`python -`)."""
    main = sys.modules.get("__main__")
    path = getattr(main, "__file__", None)
    return path is None and getattr(main, "__spec__", None) is not None or bool(path and os.path.exists(path))


def _make_chunk(chunk: tuple[list[Recipe], list[str | None]], staging: Path | None) -> list:
    recipes, paths = chunk
    values = []
    for made, path in zip(recipes, paths):
        value = made.make()
        values.append(value if path is None or staging is None else stage(staging, path, value))
    return values


def stage(staging: Path, path: str, value):
    """Write an output's bytes (or a folder output's files) under `staging`; their sha256 and size."""
    if path.endswith("/"):
        return {name: stage(staging, path + name, data) for name, data in value.items()}
    target = staging / path
    if not target.parent.is_dir():  # (mkdir only when needed: each call can fail on a full disk)
        target.parent.mkdir(parents=True, exist_ok=True)
    with open(target, "wb") as handle:
        handle.write(value)
    return Staged(hashlib.sha256(value).digest(), len(value))


class Staged(NamedTuple):
    """An output file written into the staging folder."""

    digest: bytes  # sha256
    size: int

"""The engine: makes the stages' recipes, remembering what earlier builds made.

Everything that exists for speed lives in this package, behind `Engine`: the persistent
store (store.py), keys from values (keys.py), the code fingerprint (fingerprint.py) and
the worker pool (pool.py). The stages (load, render, outputs) never import it: they say
how each value and file is made (sitegen/recipe.py), and the engine decides what must be
made again.

A recipe whose key (a digest of its function and arguments) is remembered is not made
again: a value comes from the store; an output file whose recipe key is the one the
output folder's manifest records, and whose file there still has the size and time it was
written with, is left as it is.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import FileSystemBytecodeCache

from ..recipe import Outputs, Recipe
from .fingerprint import code_fingerprint
from .keys import Keyer
from .pool import Pool, Staged, cores, stage
from .store import CACHE_DIR, MISSING, Store

__all__ = ["CACHE_DIR", "Engine", "Made", "OutputRecord", "Staged"]

# A recipe with this many recipes among its arguments is made in the build's own process.
GATHERS = 100
# path → (sha256, size, mtime_ns) of each file an output wrote (one, or a folder's)
OutputFiles = tuple[tuple[str, bytes, int, int], ...]


@dataclass(frozen=True)
class OutputRecord:
    """What the manifest knows of one output: the key of its recipe and the files it wrote."""

    key: bytes
    files: OutputFiles


@dataclass
class Made:
    """The outputs of one build: those made now, and those the output folder holds already."""

    fresh: dict[str, bytes | Staged | dict] = field(default_factory=dict)  # path → bytes, or staged
    unchanged: dict[str, OutputRecord] = field(default_factory=dict)
    keys: dict[str, bytes] = field(default_factory=dict)  # every output's recipe key


class Engine:
    """Makes recipes for one build of one site; the store may live on between builds (serve)."""

    def __init__(self, root: Path, *, cache: bool = True, read_only: bool = False, jobs: int | None = None,
                 store: Store | None = None):
        fingerprint = code_fingerprint()
        if store is None or store.fingerprint != fingerprint:
            store = Store(root / CACHE_DIR if cache else None, fingerprint, read_only)
        self.store = store
        self.keyer = Keyer()
        self.pool = Pool(jobs or cores())
        self._outputs: dict[int, str] = {}  # id(output recipe) → its path
        self._out: Path | None = None
        self._made: Made = Made()
        self._staging: Path | None = None
        self.bytecode = _bytecode_cache(store)

    def close(self) -> None:
        self.pool.close()

    def __enter__(self) -> Engine:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()

    # -- values -------------------------------------------------------------------------
    def values(self, recipes: list[Recipe]) -> list:
        """The value of each recipe: remembered, or made now (many: in worker processes)."""
        keys = [self.keyer.key(r) for r in recipes]
        missing: dict[bytes, Recipe] = {}
        for made, key in zip(recipes, keys):
            if key not in missing and self.store.get(key, made.name) is MISSING:
                missing[key] = made
        if missing:
            todo = self._prepared(missing.values())
            for key, made, value in zip(missing, todo, self._call(todo)):
                self.store.put(key, made.name, value)
        values = [self.store.get(key, made.name) for key, made in zip(keys, recipes)]
        for value, key in zip(values, keys):
            self.keyer.know(value, key)
        return values

    def _prepared(self, recipes) -> list[Recipe]:
        """The recipes, once the values of the recipes among their arguments are made."""
        recipes = list(recipes)
        nested = [n for r in recipes for n in r.nested() if id(n) not in self._outputs]
        if nested:
            self.values(nested)
        return recipes

    def _resolved(self, made: Recipe) -> Recipe:
        """The recipe with each recipe argument replaced by its value (outputs: their bytes)."""
        def value(argument):
            if isinstance(argument, Recipe):
                path = self._outputs.get(id(argument))
                return (self._output_bytes(path) if path is not None
                        else self.store.get(self.keyer.key(argument), argument.name))
            if type(argument) is tuple and any(isinstance(item, Recipe) for item in argument):
                return tuple(value(item) for item in argument)
            return argument
        return Recipe(made.function, tuple(value(argument) for argument in made.arguments))

    def _call(self, recipes: list[Recipe], paths: list[str | None] | None = None) -> list:
        """Make recipes whose nested recipes are made: in worker processes when many; those
        that wait on a program in threads. Each is resolved only when its turn comes, so the
        arguments of all of them (pages' bytes, cards) are never in memory at once.

        A recipe made of many values (the board's cards, a feed's events) is made here, beside
        the workers: its values are in this process already, and a worker would need a copy.
        """
        paths = paths or [None] * len(recipes)
        waiting = [i for i, r in enumerate(recipes) if getattr(r.function, "waits_on_a_program", False)]
        results: list = [None] * len(recipes)
        # Threads: Pagefind's runs, and the one that feeds the worker pool.
        with ThreadPoolExecutor(max_workers=3) as threads:
            futures = {i: threads.submit(self._make_here, recipes[i]) for i in waiting}
            here = [i for i in range(len(recipes)) if i not in futures]
            gathers = [len(recipes[i].nested()) >= GATHERS for i in here]
            gathering = [i for i, many in zip(here, gathers) if many]
            sent = [i for i, many in zip(here, gathers) if not many]
            if self.pool.worth_it(len(sent)):
                # Safe beside this thread: resolving only looks up the keys and values of
                # nested recipes, which `_prepared` already made or read from the store.
                pooled = threads.submit(self.pool.map, [recipes[i] for i in sent], [paths[i] for i in sent],
                                        self._staging, self._resolved)
            else:  # too few for workers: all of them here
                gathering, pooled = here, None
            for i in gathering:
                results[i] = self._kept(paths[i], self._make_here(recipes[i]))
            if pooled is not None:
                for i, value in zip(sent, pooled.result()):
                    results[i] = value
            for i, future in futures.items():
                results[i] = self._kept(paths[i], future.result())
        return results

    def _make_here(self, made: Recipe):
        return self._resolved(made).make()

    def _kept(self, path: str | None, value):
        """A value made here; an output's bytes are written into staging at once, if there is one."""
        return value if path is None or self._staging is None else stage(self._staging, path, value)

    # -- output files -------------------------------------------------------------------
    def files(self, outputs: Outputs, out: Path, staging: Path | None, found: dict[str, tuple[int, int]]) -> Made:
        """Make the outputs whose recipes changed or whose files the output folder lost.

        `found`: each file the output folder holds now, with its size and modification time.
        """
        self._out, self._staging = out, staging
        made = self._made
        manifest = self.previous(out)
        self._outputs.update((id(how), path) for path, how in outputs.items() if isinstance(how, Recipe))
        todo: dict[str, Recipe | bytes] = {}
        for path, how in outputs.items():
            key = self.keyer.key(how) if isinstance(how, Recipe) else Keyer.of_bytes(how)
            made.keys[path] = key
            record = manifest.get(path)
            if record is not None and record.key == key and all(
                    found.get(name) == (size, mtime) for name, _, size, mtime in record.files):
                made.unchanged[path] = record
            else:
                todo[path] = how
        for path, how in todo.items():
            if not isinstance(how, Recipe):
                made.fresh[path] = self._kept(path, how)
        recipes = {path: how for path, how in todo.items() if isinstance(how, Recipe)}
        # Outputs made from other outputs (the search index from the task pages) come last;
        # what they wait on (Pagefind) runs in threads beside the others.
        late = {path: how for path, how in recipes.items() if self._needs_outputs(how)}
        early = {path: how for path, how in recipes.items() if path not in late}
        needed = set()
        for how in late.values():
            self._outputs_needed(how, needed)
        self._make_outputs({path: how for path, how in early.items() if path in needed})
        with ThreadPoolExecutor(max_workers=2) as threads:
            started = self._start_waiting([n for how in late.values() for n in self._needing_outputs(how)], threads)
            self._make_outputs({path: how for path, how in early.items() if path not in needed})
            for key, (waiting, future) in started.items():
                self.store.put(key, waiting.name, future.result())
        self._make_outputs(late)
        # Every recipe of the build is made: the workers' memory goes back before writing.
        self.pool.close()
        return made

    def _start_waiting(self, recipes: list[Recipe], threads: ThreadPoolExecutor) -> dict:
        """Start the recipes that wait on another program (Pagefind) in threads, if not remembered."""
        started = {}
        for made in recipes:
            key = self.keyer.key(made)
            if (getattr(made.function, "waits_on_a_program", False) and key not in started
                    and self.store.get(key, made.name) is MISSING):
                started[key] = (made, threads.submit(self._make_here, self._prepared([made])[0]))
        return started

    def _outputs_needed(self, made: Recipe, found: set[str]) -> None:
        for n in made.nested():
            path = self._outputs.get(id(n))
            if path is not None:
                found.add(path)
            else:
                self._outputs_needed(n, found)

    def _needing_outputs(self, made: Recipe) -> list[Recipe]:
        """The value recipes among the arguments (at any depth) that are made from outputs, deepest first."""
        found = []
        for n in made.nested():
            if id(n) not in self._outputs and self._needs_outputs(n):
                found.extend(self._needing_outputs(n))
                found.append(n)
        return found

    def _make_outputs(self, recipes: dict[str, Recipe]) -> None:
        if not recipes:
            return
        prepared = self._prepared(recipes.values())
        results = self._call(prepared, list(recipes))
        self._made.fresh.update(zip(recipes, results))

    def _needs_outputs(self, made: Recipe) -> bool:
        return any(id(n) in self._outputs or self._needs_outputs(n) for n in made.nested())

    def _output_bytes(self, path: str) -> bytes:
        """An output's bytes: made now (in memory or staged), or as the output folder holds it."""
        value = self._made.fresh.get(path)
        if isinstance(value, bytes):
            return value
        where = self._staging if value is not None else self._out
        return (where / path).read_bytes()

    def previous(self, out: Path) -> dict[str, OutputRecord]:
        """The manifest of the last build into `out`: each output's recipe key and files."""
        outputs = self.store.outputs()
        return outputs.get("files", {}) if outputs.get("folder") == str(out.resolve()) else {}

    def save(self, out: Path, records: dict[str, OutputRecord]) -> None:
        """End a build that wrote `out`: remember its values and its output manifest."""
        # In use: every recipe this build's outputs are made of (their keys were all needed
        # to know what changed), whether made now or not.
        self.store.save(self.keyer.recipe_keys)
        self.store.set_outputs({"folder": str(out.resolve()), "files": records})


def _bytecode_cache(store: Store) -> FileSystemBytecodeCache | None:
    """Jinja2's own cache of compiled templates, in a folder of the code fingerprint's."""
    if store.folder is None or store.read_only:
        return None
    folder = store.folder / f"templates-{store.fingerprint.hex()[:16]}"
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True, exist_ok=True)
            # Another version's compiled templates are never read again.
            for old in store.folder.glob("templates-*"):
                if old != folder:
                    shutil.rmtree(old, ignore_errors=True)
    except OSError as error:
        store.fault(error)
        return None
    return _SafeBytecodeCache(str(folder), store)


class _SafeBytecodeCache(FileSystemBytecodeCache):
    """Jinja2's compiled-template cache, each file checked by the sha256 of its code.

    Jinja2 checks a file's template source and its own format number, not the code: a
    damaged file must be compiled again, never run. A file that cannot be read or
    written is only a miss (the store's warning says why, in the build's own process).
    """

    def __init__(self, directory: str, store: Store | None):
        super().__init__(directory)
        self._store = store

    def __reduce__(self):  # in a worker process: the same folder, without the store
        return _SafeBytecodeCache, (self.directory, None)

    # Two caches of one folder are the same cache (a worker gets a copy with each chunk).
    def __eq__(self, other) -> bool:
        return type(other) is _SafeBytecodeCache and other.directory == self.directory

    def __hash__(self) -> int:
        return hash(self.directory)

    def load_bytecode(self, bucket) -> None:
        try:
            data = Path(self._get_cache_filename(bucket)).read_bytes()
            if hashlib.sha256(data[32:]).digest() == data[:32]:
                bucket.bytecode_from_string(data[32:])  # Jinja2 then checks the source's checksum
        except Exception:
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        name = Path(self._get_cache_filename(bucket))
        temporary = name.with_name(f"{name.name}.{os.getpid()}.tmp")
        try:
            code = bucket.bytecode_to_string()
            temporary.write_bytes(hashlib.sha256(code).digest() + code)
            os.replace(temporary, name)
        except OSError as error:  # a full or read-only disk: compiled again next time
            temporary.unlink(missing_ok=True)
            if self._store is not None:
                self._store.fault(error)

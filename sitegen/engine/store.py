"""`.sitegen-cache/`: what earlier builds made, kept on disk, safe to delete at any time.

Two tables: `values` (recipe key → the value it made: loaded files, Markdown bodies,
cards, events, QR codes, search shards), kept apart for each recipe function and split by
key into SHARDS files, read when first needed (a build whose posters are unchanged never
reads a QR code, one whose files all loaded as before never reads a Markdown body); and `outputs` (the output folder's manifest: each output's recipe key and the
sha256, size and mtime of the files it wrote). Every file starts with a header naming
the format and the code fingerprint, then the sha256 of its payload: a file that is
truncated, damaged, from another version or unreadable is ignored and made again, never
trusted. Files are replaced atomically, so a build killed at any moment leaves the old or
the new file. A cache folder that cannot be read or written gives a warning, and the
build goes on without it.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path

from .. import messages

CACHE_DIR = ".sitegen-cache"
FORMAT_HEADER = b"sitegen-store 1\n"
SHARDS = 16
MISSING = object()
_README = ("sitegen's build cache: what earlier builds made, by a digest of what it was made from.\n"
           "Safe to delete at any time; the next build is then a full one. Ignored by git.\n")


class Store:
    """The remembered values and the output manifest of one site, for one code fingerprint."""

    def __init__(self, folder: Path | None, fingerprint: bytes, read_only: bool = False):
        self.folder, self.fingerprint, self.read_only = folder, fingerprint, read_only
        self.warnings: list[str] = []
        self._shards: dict[str, dict] = {}  # shard file → entries as on disk (read when first needed)
        self._new: dict[str, dict] = {}  # shard file → entries this build made
        self._outputs: dict | None = None

    # -- values ----------------------------------------------------------------------
    def get(self, key: bytes, function: str):
        """The value of the recipe of `function` (its qualified name) with this key, or MISSING."""
        shard = _shard_name(function, key)
        found = self._new.get(shard, {}).get(key, MISSING)
        return found if found is not MISSING else self._shard(shard).get(key, MISSING)

    def put(self, key: bytes, function: str, value) -> None:
        self._new.setdefault(_shard_name(function, key), {})[key] = value

    def _shard(self, shard: str) -> dict:
        if shard not in self._shards:
            self._shards[shard] = self._read(shard) or {}
        return self._shards[shard]

    # -- the output manifest ------------------------------------------------------------
    def outputs(self) -> dict:
        """{"folder": the output folder it describes, "files": path → OutputRecord}, or empty."""
        if self._outputs is None:
            self._outputs = self._read("outputs") or {}
        return self._outputs

    def set_outputs(self, outputs: dict) -> None:
        self._outputs = outputs
        self._write("outputs", outputs)

    # -- saving --------------------------------------------------------------------------
    def save(self, live: set[bytes]) -> None:
        """Write the shards that gained entries, keeping only the entries still in use (`live`)."""
        for shard, entries in sorted(self._new.items()):
            kept = {key: value for key, value in self._shard(shard).items() if key in live}
            kept.update(entries)
            self._shards[shard] = kept
            self._write(shard, kept)
        self._new = {}

    def _path(self, name: str) -> Path:
        return self.folder / f"{name}.pickle"

    def _read(self, name: str):
        if self.folder is None:
            return None
        try:
            data = self._path(name).read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            self.fault(error)
            return None
        header = FORMAT_HEADER + self.fingerprint
        payload = memoryview(data)[len(header) + 32:]
        if not data.startswith(header) or hashlib.sha256(payload).digest() != data[len(header):len(header) + 32]:
            return None  # another version's, or damaged: made again
        try:
            return pickle.loads(payload)
        except Exception:  # checksum matched yet unreadable: made again rather than trusted
            return None

    def _write(self, name: str, value) -> None:
        if self.folder is None or self.read_only:
            return
        payload = pickle.dumps(value, protocol=5)
        temporary = self.folder / f"{name}.{os.getpid()}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            readme = self.folder / "README.txt"
            if not readme.exists():
                readme.write_text(_README, encoding="utf-8")
            with open(temporary, "wb") as handle:
                handle.write(FORMAT_HEADER + self.fingerprint + hashlib.sha256(payload).digest())
                handle.write(payload)
            os.replace(temporary, self._path(name))
        except OSError as error:
            try:
                temporary.unlink()
            except OSError:
                pass
            self.fault(error)

    def fault(self, error: OSError) -> None:
        """The cache folder failed: one warning says why (the build goes on without it)."""
        if self.folder is not None and not self.warnings:  # the first reason says it
            self.warnings.append(messages.cannot_cache(f"{self.folder.name}/", messages.disk_reason(error)))


def _shard_name(function: str, key: bytes) -> str:
    """The file of a recipe's value: `values.<function>.<nn>` (its module and name, shortened)."""
    module, _, name = function.rpartition(".")
    return f"values.{module.rpartition('.')[2]}-{name}.{key[0] % SHARDS:02d}"

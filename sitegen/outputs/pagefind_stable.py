"""Make Pagefind's bundle byte-identical from run to run.

Pagefind 1.5 writes its filter index and the list of filters in its meta index in
hash-map order, which changes on every run (Pagefind issue #638), so the same content
would deploy a changed search index each time. Here those files are decoded, put in
sorted order, re-encoded and renamed after their content. The JS API finds the files
by the names listed in the meta index and the entry file, so renaming is safe.

The files are gzip'd `pagefind_dcd` + CBOR (definite lengths, shortest integers): a
small codec for exactly that subset follows.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re

SIGNATURE = b"pagefind_dcd"
_META = re.compile(r"(?P<dir>.*/)?pagefind\.(?P<hash>(?P<lang>[^_/]+)_[0-9a-f]+)\.pf_meta$")


def stabilise(files: dict[str, bytes]) -> dict[str, bytes]:
    """Return the bundle (path → bytes) with filter and meta indexes in sorted order."""
    out = dict(files)
    entry_path = next((p for p in files if p.endswith("pagefind-entry.json")), None)
    metas = [p for p in files if _META.match(p)]
    if entry_path is None or not metas:
        return out
    entry = json.loads(files[entry_path])
    for meta_path in metas:
        found = _META.match(meta_path)
        folder, lang, old_hash = found["dir"] or "", found["lang"], found["hash"]
        meta = _decode_file(files[meta_path])
        version, pages, chunks, filters, sorts, *rest = meta
        renamed = []
        for name, file_hash in filters:
            path = f"{folder}filter/{file_hash}.pf_filter"
            filter_name, values = _decode_file(out.pop(path))
            data = _encode_file([filter_name, sorted(values, key=lambda value: value[0])])
            new_hash = f"{lang}_{hashlib.sha256(data).hexdigest()[:7]}"
            out[f"{folder}filter/{new_hash}.pf_filter"] = data
            renamed.append([name, new_hash])
        meta = [version, pages, chunks, sorted(renamed), sorted(sorts, key=lambda s: s[0]), *rest]
        data = _encode_file(meta)
        new_hash = f"{lang}_{hashlib.sha256(data).hexdigest()[:10]}"
        del out[meta_path]
        out[f"{folder}pagefind.{new_hash}.pf_meta"] = data
        for language in entry["languages"].values():
            if language.get("hash") == old_hash:
                language["hash"] = new_hash
    out[entry_path] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return out


def _decode_file(data: bytes):
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise ValueError("not a Pagefind index file")
    value, end = _decode(raw, len(SIGNATURE))
    if end != len(raw):
        raise ValueError("trailing bytes in a Pagefind index file")
    return value


def _encode_file(value) -> bytes:
    # mtime=0: a gzip header without a timestamp, for reproducible bytes.
    return gzip.compress(SIGNATURE + _encode(value), compresslevel=9, mtime=0)


def _decode(data: bytes, at: int):
    first = data[at]
    major, info = first >> 5, first & 31
    at += 1
    if info < 24:
        number = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        number = int.from_bytes(data[at:at + size], "big")
        at += size
    else:
        raise ValueError(f"unsupported CBOR item {first:#x}")
    if major == 0:
        return number, at
    if major == 1:
        return -1 - number, at
    if major == 2:
        return bytes(data[at:at + number]), at + number
    if major == 3:
        return data[at:at + number].decode("utf-8"), at + number
    if major == 4:
        items = []
        for _ in range(number):
            item, at = _decode(data, at)
            items.append(item)
        return items, at
    raise ValueError(f"unsupported CBOR major type {major}")


def _encode(value) -> bytes:
    if isinstance(value, bool) or value is None:
        raise ValueError("unsupported CBOR value")
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(item) for item in value)
    raise ValueError(f"unsupported CBOR value {type(value).__name__}")


def _head(major: int, number: int) -> bytes:
    if number < 24:
        return bytes([major << 5 | number])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if number < 1 << (8 * size):
            return bytes([major << 5 | info]) + number.to_bytes(size, "big")
    raise ValueError("integer too large for CBOR")

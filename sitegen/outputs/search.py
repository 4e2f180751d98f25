"""The Pagefind search index over the rendered task pages, in shards.

Only upcoming, not cancelled tasks are searchable: their page carries
`data-pagefind-body` (theme/templates/task.html) and only those pages are
handed to Pagefind. Pagefind cannot update an index, so the pages are split
into a few shards by a stable hash of their URL, each indexed on its own: an
edit re-indexes only its shard (the engine remembers the others). The first shard
is the bundle at /pagefind/; the board merges the others into it with
Pagefind's `mergeIndex` (board.js reads their folders from sitegen-urls.json).

Each shard is one run of the Pagefind binary (`pagefind_bin`) over a staging
folder on tmpfs: faster than the Python API's `add_directory`, which also waits
on a pipe per call, and far faster than per-record API calls (the README's
performance section has the figures). The index comes back
as bytes, so the build still writes nothing to public/ until every stage has
succeeded, and is put in a stable order (pagefind_stable.py) so the same
content gives the same bytes.
"""

from __future__ import annotations

import gzip
import hashlib
import importlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .. import messages, urls
from ..model import SiteModel
from ..problems import BuildError
from ..recipe import Outputs, recipe, waits
from ..leftovers import remove_leftovers
from .pagefind_stable import stabilise

BUNDLE = urls.route("search").path.rsplit("/", 1)[0]  # "pagefind": the folder under public/
URL_MAP = urls.route("search-urls").path  # "pagefind/sitegen-urls.json"
# Pagefind's ready-made interfaces: the board has its own form (theirs fails axe's label
# rule), so these are not published.
UNUSED = frozenset({"pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"})
# A merged shard is only data: the primary bundle's script and WebAssembly search it.
MERGED_ONLY = ("pagefind-entry.json", "index/", "filter/", "fragment/")
# Pages per shard (at least), and at most this many shards: an edit re-indexes one shard,
# so smaller shards make an edit's Pagefind run shorter, while the board's first search
# loads every shard (README, "Zoeken", has the measurements).
PAGES_PER_SHARD = 64
MAX_SHARDS = 32
STAGING_PREFIX = "sitegen-search-"


@dataclass(frozen=True)
class ShardIndex:
    """One shard's Pagefind bundle (path inside the bundle → bytes) and its result id → URL map."""

    files: dict[str, bytes]
    urls: dict[str, str]


def search_outputs(model: SiteModel, pages: Outputs) -> Outputs:
    """The search index of the searchable task pages, one shard a folder, and the URL map.

    Each shard is one run of Pagefind over its pages, remembered by the engine like any
    recipe: an edit re-indexes only its own shard. Pagefind refuses an empty site: then
    there is no index, and the board's script filters the cards alone.
    """
    paths = sorted(urls.route(view).path for view in model.tasks if view.searchable)
    if not paths:
        return {}
    count = shard_count(len(paths))
    groups: list[list[str]] = [[] for _ in range(count)]
    for path in paths:
        groups[shard_of(path, count)].append(path)
    version = _pagefind_version()  # another Pagefind must index every shard again
    files: Outputs = {}
    shards = []
    for number, group in enumerate(groups):
        if not group:
            continue
        primary = not shards
        shard = recipe(index_shard, model.site.language, version, primary, tuple(group),
                       tuple(pages[path] for path in group))
        files[_folder(primary, number) + "/"] = recipe(shard_files, shard)
        shards.append((number, recipe(shard_urls, shard)))
    files[URL_MAP] = recipe(url_map, tuple(number for number, _ in shards), tuple(urls for _, urls in shards))
    return files


def shard_files(shard: ShardIndex) -> dict[str, bytes]:
    return shard.files


def shard_urls(shard: ShardIndex) -> dict[str, str]:
    return shard.urls


def url_map(numbers: tuple[int, ...], found: tuple[dict[str, str], ...]) -> bytes:
    """Result id → task URL for every shard, and the folders of the shards the board merges."""
    merged = [f"{_MERGED_FOLDER.format(number)}/" for number in numbers[1:]]
    known: dict[str, str] = {}
    clashes: set[str] = set()
    for shard in found:
        for result_id, url in shard.items():
            if known.setdefault(result_id, url) != url:
                clashes.add(result_id)  # one id in two shards: board.js asks Pagefind instead
    for result_id in clashes:
        del known[result_id]
    return json.dumps({"merge": merged, "urls": dict(sorted(known.items()))},
                      ensure_ascii=False, separators=(",", ":")).encode()


def shard_count(pages: int) -> int:
    """How many shards for this many searchable pages: a power of two, at most MAX_SHARDS.

    Powers of two, so the count (and with it every shard) changes only when the number
    of searchable pages doubles or halves, not each time tasks end or are added.
    """
    count = 1
    while count * 2 <= min(MAX_SHARDS, pages / PAGES_PER_SHARD):
        count *= 2
    return count


def shard_of(path: str, count: int) -> int:
    """The shard of a page: a hash of its path, so it stays put while other tasks come and go."""
    return int.from_bytes(hashlib.sha256(path.encode()).digest()[:8], "big") % count


@waits
def index_shard(language: str, version: str, primary: bool, paths: tuple[str, ...],
                pages: tuple[bytes, ...]) -> ShardIndex:
    """Run Pagefind over one shard's pages, in a staging folder on tmpfs when there is one."""
    remove_stale_staging(_fast_temp())
    binary = _binary()
    with tempfile.TemporaryDirectory(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=_fast_temp()) as staging:
        site = Path(staging) / "site"
        # Written in sorted order: Pagefind numbers pages in the order it walks the
        # folder, which on tmpfs (and a fresh folder elsewhere) follows creation order.
        for path, html in sorted(zip(paths, pages)):
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(staged(html))
        return _index_folder(binary, site, language, primary)


def _folder(primary: bool, number: int) -> str:
    """The primary shard is the bundle at /pagefind/; the others are folders under it."""
    return BUNDLE if primary else f"{BUNDLE}/{_MERGED_FOLDER.format(number)}"


_MERGED_FOLDER = "shard-{:02d}"


def staged(html: bytes) -> bytes:
    """The part of a page Pagefind reads: the `<html lang>` tag and `<main>`.

    Everything it indexes is inside `data-pagefind-body` (in `<main>`), and it takes the
    title from the first `<h1>` there; leaving out the head, navigation and footer gives
    the same index for less of Pagefind's time.
    """
    tag = html.find(b"<html")
    tag_end = html.find(b">", tag)
    start, end = html.find(b"<main"), html.rfind(b"</main>")
    if min(tag, tag_end, start, end) < 0 or not tag < start < end:
        return html  # not our layout (a site's own theme): the whole page
    return (b"<!DOCTYPE html>" + html[tag:tag_end + 1] + b"<body>" + html[start:end + len(b"</main>")]
            + b"</body></html>")


def _index_folder(binary: str, site: Path, language: str, primary: bool) -> ShardIndex:
    """One Pagefind run over a staged folder; its bundle, stabilised, with its URL map.

    A merged shard keeps only its data (the cache then holds Pagefind's script and
    WebAssembly once, not once per shard).
    """
    bundle = site.parent / "bundle"
    try:
        done = subprocess.run([binary, "--site", str(site), "--output-path", str(bundle),
                               "--force-language", language, "--quiet"],
                              stdin=subprocess.DEVNULL, capture_output=True, timeout=600)
    except (OSError, subprocess.SubprocessError) as error:  # missing, not executable, hung
        raise BuildError(messages.search_index_failed(_describe(error))) from error
    if done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        raise BuildError(messages.search_index_failed(
            said[-1] if said else f"Pagefind stopped with exit status {done.returncode}"))
    try:
        entry = json.loads((bundle / "pagefind-entry.json").read_bytes())
    except (OSError, ValueError) as error:
        raise BuildError(messages.search_index_failed("Pagefind wrote no index")) from error
    if sum(found.get("page_count", 0) for found in entry.get("languages", {}).values()) == 0:
        raise BuildError(messages.search_index_failed("Pagefind found no task page to index"))
    files = {p.relative_to(bundle).as_posix(): p.read_bytes()
             for p in sorted(bundle.rglob("*")) if p.is_file() and p.name not in UNUSED}
    if not primary:
        files = {name: data for name, data in files.items() if _is_data(name)}
    try:
        files = stabilise(files)
    except (ValueError, KeyError, OSError):  # a Pagefind whose format we do not know yet:
        pass  # a working index that changes each build beats no index
    return ShardIndex(files, result_urls(files))


def result_urls(bundle: dict[str, bytes]) -> dict[str, str]:
    """Each Pagefind result id (its fragment's name) → the task page's URL.

    With it the board turns a search's result ids into cards at once, instead of fetching
    one fragment per result (or asking Pagefind for per-page filter counts, which is
    slower for many matches).
    """
    found = {}
    for path, data in bundle.items():
        folder, _, name = path.rpartition("/")
        if folder.endswith("fragment") and name.endswith(".pf_fragment"):
            raw = gzip.decompress(data)
            found[name.removesuffix(".pf_fragment")] = json.loads(raw[raw.index(b"{"):])["url"]
    return dict(sorted(found.items()))


def _is_data(name: str) -> bool:
    """True for the files a merged shard needs (its entry, meta, index, filters, fragments)."""
    return name.startswith(MERGED_ONLY) or name.endswith(".pf_meta")


def remove_stale_staging(root: str | None) -> None:
    """Remove staging folders left by killed builds: their process is gone, or they are old."""
    remove_leftovers(Path(root or tempfile.gettempdir()), STAGING_PREFIX)


def _binary() -> str:
    """The Pagefind executable, looked up as pagefind.service.get_executable does:
    PAGEFIND_BINARY_PATH, else the binary `pagefind[bin]` (or its extended variant)
    installed, else `pagefind_extended` or `pagefind` on PATH.

    Not by calling it: pagefind.service imports asyncio, a cost at every build's start.
    """
    configured = os.environ.get("PAGEFIND_BINARY_PATH")
    if configured is not None:
        return configured
    for package in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            return str(importlib.import_module(package).get_executable())
        except (ImportError, FileNotFoundError):
            continue
    found = shutil.which("pagefind_extended") or shutil.which("pagefind")
    if found is None:
        raise BuildError(messages.search_index_failed("no Pagefind binary found"))
    return found


def _pagefind_version() -> str:
    """The Pagefind that will run (path, size, mtime): another binary must index every shard again."""
    # Not the package version: PAGEFIND_BINARY_PATH or pagefind_bin_extended may win the lookup.
    binary = _binary()
    try:
        stat = os.stat(binary)
    except OSError:
        return binary
    return f"{binary}\0{stat.st_size}\0{stat.st_mtime_ns}"


def _describe(error: BaseException) -> str:
    if isinstance(error, subprocess.TimeoutExpired):
        return "Pagefind did not finish within ten minutes"
    if isinstance(error, FileNotFoundError):
        return f"no Pagefind binary at {error.filename}" if error.filename else "no Pagefind binary"
    text = str(error.args[-1]) if error.args else type(error).__name__
    return text or type(error).__name__


def _fast_temp() -> str | None:
    """Stage on tmpfs when there is one: the pages are written once and read once."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None

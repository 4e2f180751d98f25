"""Rendered pages remembered between builds: a page is rendered again only when its inputs changed.

A page's key hashes its template name, route and context together with a
fingerprint of everything else a template can see: every theme file, the site
settings and the places, and the build moment only when a template reads `now`.
Template filters must stay pure functions of their arguments, the site and the
places; those that read the build moment (months, month_options) depend on it
only through the task views they are given, and a view's key says where the
moment places it (reuse.plan). So a build an hour or a month later renders again
only the pages whose tasks moved in time. The memo stores only the hash of the
page; the bytes come from the output folder, read only when the manifest's size
and mtime show the file is exactly the one the last build wrote there.
"""

from __future__ import annotations

import hashlib
import re

from jinja2 import Environment, TemplateSyntaxError, meta

from ..outputs import search
from .. import urls
from .cache import KNOWN, MISSING, BuildCache, current, hash_of, view_key
from ..model import SiteModel
from ..write import Kept
from ..theme import Theme

CARDS = "cards"  # cache store: a task card's HTML, by the environment and the task view
SHARDS = "search"  # cache store: one shard's Pagefind bundle, by the hash of its pages
SHARD_HEADS = "search-heads"  # cache store: a shard's file hashes and URLs (search.ShardHead), by the same key
SHARDS_LAST = "search-last"  # cache store: the shards of the last index (serve reuses it while re-indexing)

class PageMemo:
    """Looks up and records rendered pages for one theme and model."""

    def __init__(self, cache: BuildCache, fingerprint: bytes):
        self.cache = cache
        self.fingerprint = fingerprint

    @classmethod
    def open(cls, theme: Theme, model: SiteModel) -> PageMemo | None:
        """The memo of the build in progress, or None when building without a cache."""
        cache = current()
        if cache is None or cache.outputs is None:
            return None
        return cls(cache, environment_fingerprint(theme, model))

    def key(self, template: str, route: urls.Route, context: dict) -> bytes | None:
        try:
            return hash_of(self.fingerprint, template, route, sorted(context.items()))
        except Exception:  # something unpicklable in the context: render it, don't guess
            return None

    def get(self, route: urls.Route, key: bytes) -> Kept | None:
        """The page as the output folder holds it (its manifest entry), if that is what
        this key rendered; else None. Not read: nothing needs an unchanged page's bytes
        (500 place pages and 500 place posters, read for nothing: ≈ 30 ms an edit)."""
        digest = self.cache.get("pages", key)
        if digest is MISSING:
            return None
        entry = self.cache.outputs.entry_if_same(route.path, digest)
        if entry is None:
            return None
        self.cache.put(KNOWN, route.path, digest)
        return Kept(entry)

    def put(self, route: urls.Route, key: bytes, data: bytes) -> None:
        digest = hashlib.sha256(data).digest()
        self.cache.put("pages", key, digest)
        self.cache.put(KNOWN, route.path, digest)  # write_site need not hash it again


def environment_fingerprint(theme: Theme, model: SiteModel) -> bytes:
    """Everything a template may read besides its own context (hashed once per build and theme)."""
    cache = current()
    if cache is None:
        return _environment_fingerprint(theme, model)
    key = (id(model), tuple(theme.dirs))
    known = cache.environments.get(key)
    if known is None or known[0] is not model:
        # Each worker chunk opens its own Pages: reading and hashing the theme again cost ≈ 20 ms each.
        known = (model, _environment_fingerprint(theme, model))  # holds model: its id stays unique
        cache.environments[key] = known
    return known[1]


def _environment_fingerprint(theme: Theme, model: SiteModel) -> bytes:
    digest = hashlib.sha256()
    names_now = False
    for directory in theme.dirs:
        for path in sorted(p for p in directory.rglob("*") if p.is_file()):
            relative, data = path.relative_to(directory).as_posix(), path.read_bytes()
            digest.update(relative.encode() + b"\0" + data)
            names_now = names_now or (relative.startswith("templates/") and _reads_now(data))
    # The build moment is in every page's key only when a template reads it (`now`): the
    # filters that depend on it (months, month_options) are functions of the task views, and
    # a view's key holds where it lies in time (reuse.plan). So a build an hour or a day
    # later renders only the pages whose tasks moved in time (an edit an hour after the last
    # build, 10 000 tasks in git: 7.4–8.2 s → 0.9 s).
    moment = model.now if names_now else None
    # Absolute theme folders: a build run from another folder (a relative --root) is the same build.
    digest.update(hash_of(model.site, model.places, moment, [str(d.resolve()) for d in theme.dirs]))
    return digest.digest()


def _reads_now(template: bytes) -> bool:
    """Whether a template reads the build moment (`now`); the word in its text does not count."""
    if _NOW.search(template) is None:  # the common case, without parsing
        return False
    try:
        return "now" in meta.find_undeclared_variables(Environment().parse(template.decode("utf-8")))
    except (UnicodeDecodeError, TemplateSyntaxError):
        return True  # not a template we can read: as if it did (its pages fail on their own)


_NOW = re.compile(rb"\bnow\b")


def plan_search_shards(model: SiteModel, files: dict[str, bytes]) -> list[search.Shard]:
    """search.plan_shards with the page hashes this build knows (most pages are not hashed again)."""
    cache = current()
    return search.plan_shards(model, files, cache.known_digests() if cache is not None else None)


def reuse_search_index(build_index, model: SiteModel, files: dict[str, bytes], shards: list[search.Shard],
                       stale_ok: bool = False) -> search.SearchOutput:
    """The search index, re-indexing only the shards whose pages changed since the last build.

    search.py splits the searchable pages into shards, each keyed by a hash of its own
    pages; a remembered shard is reused as it is (which also keeps its bytes stable),
    and when the output folder still holds its files, they are kept there without
    reading its bundle from the cache. With `stale_ok` (serve), when some shard changed,
    the last build's index is reused once and the cache says so (`stale_search`); the
    next build indexes for real. `shards`: plan_search_shards' answer.
    """
    cache = current()
    if cache is None:
        return build_index(model, files, shards=shards)

    def remembered(key: bytes):
        value = cache.get(SHARDS, key)
        if value is MISSING:
            return None
        if not cache.has(SHARD_HEADS, key):  # e.g. its store was found damaged: made again
            cache.put(SHARD_HEADS, key, value.head())
        return value

    def remember(key: bytes, index) -> None:
        cache.put(SHARDS, key, index)
        cache.put(SHARD_HEADS, key, index.head())

    def kept(shard: search.Shard):
        head = cache.get(SHARD_HEADS, shard.key)
        if head is MISSING or cache.outputs is None:
            return None
        entries = cache.outputs.entries_if_same(
            (search.published(shard, name), digest) for name, digest in head.digests)
        if entries is None:
            return None
        cache.keep(SHARDS, shard.key)  # its bundle stays for the next build, unread
        return head, entries

    if stale_ok and not cache.search_deferred:
        # Checked without cache.get: a miss must not keep unused shards alive.
        if any(not cache.has(SHARDS, shard.key) for shard in shards):
            last = cache.get(SHARDS_LAST, "last")
            reused = [] if last is MISSING else [remembered(key) for _, key in last]
            if reused and all(index is not None for index in reused):
                cache.stale_search = True
                cache.search_deferred = True  # the refresh right after this build indexes for real
                return search.SearchOutput(search.assemble(reused, [number for number, _ in last]))
    cache.search_deferred = False
    cache.put(SHARDS_LAST, "last", tuple((shard.number, shard.key) for shard in shards))
    return build_index(model, files, remembered=remembered, remember=remember, shards=shards, kept=kept)


class CardMemo:
    """Task cards rendered once and reused by the board, place and category pages, and the next build.

    A card shows one task view: the board lists 10 000 of them, and one edit
    changes one card. Keyed by the environment fingerprint and the view (which
    the cache pickles as its digest), like pages.
    """

    def __init__(self, render, fingerprint: bytes | None):
        self.render = render  # view → HTML text
        self.fingerprint = fingerprint
        self.cache = current() if fingerprint is not None else None
        self.here: dict[int, tuple] = {}  # id(view) → (view, html): within this build without a cache

    @classmethod
    def open(cls, render, theme: Theme, model: SiteModel) -> CardMemo:
        cache = current()
        return cls(render, environment_fingerprint(theme, model) if cache is not None else None)

    def __call__(self, view) -> str:
        if self.cache is None:
            known = self.here.get(id(view))
            if known is None or known[0] is not view:
                known = (view, self.render(view))
                self.here[id(view)] = known
            return known[1]
        # reuse.plan's key for the view holds the environment fingerprint already: as it is.
        key = view_key(view) or hash_of(self.fingerprint, view)
        html = self.cache.get(CARDS, key)
        if html is MISSING:
            html = self.render(view)
            self.cache.put(CARDS, key, html)
        return html

"""The build, as a recipe: load → validate → render pages → feeds → posters → search index → write."""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import partial
from datetime import datetime
from pathlib import Path

from . import messages, urls
from .cache import (MANIFEST_FOLDER, MANIFEST_FOLDERS, BuildCache, RecordCache, RememberingRenderer,
                    build_cache, current, digest_views, event_key, view_key)
from . import reuse
from .calendar import EVENTS, render_feeds, render_task_feeds
from .content import LoadOptions, find_asset, load_site
from .history import read_history
from .memo import CARDS, plan_search_shards, reuse_search_index
from .model import SiteModel
from .output import SiteFiles, WriteReport, set_aside, stage, staging_folder, write_site
from .parallel import PARALLEL_FROM, chunks, cores, run_all, run_beside, run_split
from .access import render_access_pages
from .jsonfeed import render_json_feeds
from .paper import render_task_sheets
from .posters import render_posters, render_task_posters
from .problems import BuildFailed, Problem
from .reach import render_reach, render_sitemap
from .render import Pages, RenderFailure
from .search import build_search_index
from .shortlinks import render_redirects
from .theme import Theme


@dataclass(frozen=True)
class BuildOptions:
    """Everything a build needs to know, passed in (never read from globals)."""

    root: Path
    out: Path | None = None  # default: <root>/public
    drafts: bool = False
    base_url: str | None = None  # overrides site.yml's base_url
    now: datetime | None = None  # the build moment; default SOURCE_DATE_EPOCH or now
    jobs: int | None = None  # worker processes; default: one per core
    cache: bool = True  # remember bodies and pages in <root>/.sitegen-cache/ between builds
    progress: Callable[[str], None] | None = field(default=None, compare=False)  # told each stage
    search_later: bool = False  # serve: show changed pages first, refresh the search index after
    search_index: bool = True  # check: validate and render only, without running Pagefind

    @property
    def out_dir(self) -> Path:
        return self.out or self.root / "public"


@dataclass(frozen=True)
class BuildResult:
    model: SiteModel
    files: Mapping[str, bytes]  # a SiteFiles: kept files are read from the output folder on demand
    report: WriteReport | None
    warnings: list[Problem] = field(default_factory=list)
    seconds: float = 0.0


def load(options: BuildOptions) -> tuple[SiteModel, list[Problem]]:
    """Load and validate the content; raise BuildFailed listing every problem."""
    theme = Theme.for_site(options.root)
    cache = current()
    model, problems = load_site(LoadOptions(
        root=options.root,
        asset_roots=theme.dirs,
        drafts=options.drafts,
        base_url=options.base_url,
    ), options.now,
        # Markdown, the costly part, on every core (RememberingRenderer.prepare).
        RememberingRenderer(cache, jobs=workers(options)) if cache is not None else None,
        RecordCache(cache) if cache is not None else None)
    problems.raise_if_any()
    return model, problems.warnings


def render(model: SiteModel, options: BuildOptions) -> SiteFiles:
    """Render the whole site (output path → bytes); unchanged tasks' own files are kept."""
    theme = Theme.for_site(options.root)
    # SEQUENCE and LAST-MODIFIED of the feeds come from git (one `git log` call).
    history = read_history(options.root)
    # Tasks whose page, feed and poster the output folder already holds are not rendered.
    tasks = reuse.plan(model, theme, history)
    jobs = workers(options, model)
    # Workers write what they render into a staging folder beside the output and send
    # back only hashes: the site's bytes are never all held in memory, nor pickled.
    cache = current()
    into_folder = cache is not None and cache.outputs is not None  # not check(): nothing is written
    staging = staging_folder(options.out_dir) if jobs > 1 and into_folder else None
    files = SiteFiles(options.out_dir, tasks.kept, staging)
    try:
        # Each task's own outputs, in balanced chunks over the cores; their calendar events
        # and QR codes join the cache, so the site-wide stages after them find them done.
        for part in run_all([partial(render_task_outputs, model, theme, history, chunk, staging)
                             for chunk in chunks(tasks.changed, jobs)], jobs=jobs):
            if staging is not None:
                files.add_set_aside(part)
            else:
                files.update(part)
        reuse.record(tasks, files)
        digest_views(model.tasks)  # before forking: each site-wide stage keys pages by them
        model.group()  # likewise the lists by place and category
        keep_cards_and_events(model)
        # Pagefind indexes the task pages, all made by now: it runs beside the site-wide stages.
        _stage(options, "site")
        # Which pages each search shard holds and its key: found here, before any fork (in the
        # search thread, walking every task then cost 45 ms of copy-on-write faults).
        search = (partial(reuse_search_index, build_search_index, model, files,  # when pages changed
                          plan_search_shards(model, files), stale_ok=options.search_later)
                  if options.search_index else None)
        # The site-wide pages and feeds: independent, side by side in workers when much changed
        # and nothing else runs. Beside Pagefind (which keeps the other core busy) they run
        # here: as fast at 10 000 tasks, without two more workers (peak memory 545 → 461 MiB).
        # After a few edits they are mostly remembered pages: a pool would cost more than it
        # saves, so one forked process takes the feeds and reach pages (run_split below).
        here = [partial(render_pages, model, theme), partial(render_posters, model, theme),
                partial(render_access_pages, model, theme)]
        away = [partial(render_feeds, model, theme, history),
                partial(render_reach, model, theme, history),  # the Atom feed orders by last commit
                partial(render_json_feeds, model, history),
                partial(render_redirects, model)]
        if len(tasks.changed) < PARALLEL_FROM and staging is not None:
            # A few edits: two of the stages in one forked process, which sends back only
            # what changed (staged) and what the output folder holds already (kept).
            parts, index = run_split(here, [partial(_set_aside, call, staging) for call in away],
                                     beside=search)
            for part in parts[:len(here)]:
                files.update(part)
            for part in parts[len(here):]:
                files.add_set_aside(part)
        else:
            site_jobs = jobs if len(tasks.changed) >= PARALLEL_FROM and search is None else 1
            parts, index = run_beside(here + away, jobs=site_jobs, beside=search)
            for part in parts:
                files.update(part)
        files.update(copy_static(theme))
        files.update(copy_media(model, options, theme))
        files.update(render_sitemap(model, files))  # every page rendered above
        if index is not None:
            files.update(index.files)
            files.keep(index.kept)
    except RenderFailure as failure:
        files.discard_staging()
        raise BuildFailed([Problem(_site_relative(failure.path, options.root),
                                   failure.line, messages.template_error(failure.message))]) from None
    except BaseException:
        files.discard_staging()
        raise
    return files


def render_task_outputs(model: SiteModel, theme: Theme, history, views, staging=None) -> dict:
    """What shows one task only: its page, its .ics feed and its poster, and its card.

    With `staging`: as set_aside gives them (files the output holds as they are, the others staged).
    """
    pages = Pages(theme, model)
    files = {}
    # A few hundred tasks at a time: a body's plain text (markup.plain_text remembers the
    # last 1 024) is asked for by its page, its event and its poster; a worker's chunk of
    # 1 250 tasks made it three times over (1 s of CPU in a 10 000-task cold build).
    for start in range(0, len(views), TASKS_AT_A_TIME):
        some = views[start:start + TASKS_AT_A_TIME]
        files.update(pages.task(view) for view in some)
        for view in some:
            pages.card(view)  # remembered for the board, place and category lists: made on every core
        files.update(render_task_feeds(model, some, history))
        files.update(render_task_posters(pages, model, some))  # the same templates and memo
        files.update(render_task_sheets(pages, model, some))
    return files if staging is None else _set_aside(lambda: files, staging)


TASKS_AT_A_TIME = 500


def _stage_known(staging: Path, files: dict[str, bytes]) -> dict[str, tuple[bytes, int]]:
    """Write files into the staging folder; their hashes join the cache's known ones
    (and travel back with a forked process's cache entries)."""
    staged = stage(staging, files)
    current().know({path: digest for path, (digest, _) in staged.items()})
    return staged


def keep_cards_and_events(model: SiteModel) -> None:
    """Keep every task's card and calendar event for the next build, read or not.

    A build whose board and feeds are remembered looks up no card or event, yet the next
    edit of an upcoming task needs all of them: without this, saving a shard that holds an
    edited task's new card dropped the ≈ 600 others in it (the next build made them again).
    Old versions of edited tasks are not kept: they go when their shard is saved.
    """
    cache = current()
    if cache is None:
        return
    for view in model.tasks:
        key = view_key(view)
        if key is not None:
            cache.keep(CARDS, key)
            cache.keep(EVENTS, event_key(view))


def _set_aside(render: Callable[[], dict[str, bytes]], staging: Path):
    """render()'s files as set_aside gives them (run in a forked process: see run_split)."""
    cache = current()
    kept, changed = set_aside(render(), cache.outputs, cache.known_digests())
    return kept, _stage_known(staging, changed)


def render_pages(model: SiteModel, theme: Theme) -> dict[str, bytes]:
    """The site-wide HTML pages: board, places, categories, 404."""
    pages = Pages(theme, model)
    rendered = [pages.board(), pages.not_found()]
    rendered += [pages.place(place) for place in model.places.values()]
    rendered += [pages.category(category) for category in model.site.categories]
    return dict(rendered)


def copy_static(theme: Theme) -> dict[str, bytes]:
    return {urls.static(rel).path: path.read_bytes() for rel, path in theme.static_files().items()}


def copy_media(model: SiteModel, options: BuildOptions, theme: Theme) -> dict[str, bytes]:
    """Images named by tasks and places (`image:` and pictures in the text), copied under /media/."""
    load_options = LoadOptions(options.root, theme.dirs)
    records = [view.task for view in model.tasks] + list(model.places.values())
    wanted = {r.image for r in records} | {path for r in records for path in r.body_images}
    return {urls.media(rel).path: find_asset(load_options, rel).read_bytes()
            for rel in sorted(w for w in wanted if w)}


def build(options: BuildOptions, cache: BuildCache | None = None) -> BuildResult:
    """Build the site into options.out_dir; nothing is written unless all went well.

    `cache`: one kept between builds (serve); default: <root>/.sitegen-cache/.
    """
    started = time.perf_counter()
    with no_collections(), build_cache(options, options.out_dir, cache) as cache:
        _stage(options, "load")
        model, warnings = load(options)
        # The loaded site lives until the end: the collections forked workers run between
        # their calls (parallel._give_back_memory) need not walk it, nor copy its pages.
        gc.freeze()
        _stage(options, "render")
        files = render(model, options)
        _stage(options, "write")
        if cache.outputs is not None:
            cache.outputs.known = cache.known_digests()
        cache.writing()  # a build killed from here on makes the next one check the whole folder
        try:
            report = write_site(files, options.out_dir, cache.outputs)
        finally:
            files.discard_staging()
        cache.replace("manifest", {**report.manifest, MANIFEST_FOLDER: str(options.out_dir.resolve()),
                                   MANIFEST_FOLDERS: report.folders})
        cache.save()  # after the files: a build killed before this leaves the old manifest
    return BuildResult(model, files, report, warnings, time.perf_counter() - started)


def check(options: BuildOptions) -> BuildResult:
    """Validate and render in memory without writing anything (nor indexing search)."""
    started = time.perf_counter()
    options = replace(options, search_index=False)
    with no_collections(), build_cache(options, None) as cache:
        model, warnings = load(options)
        gc.freeze()
        files = render(model, options)
        files.discard_staging()
        cache.save()
    return BuildResult(model, files, None, warnings, time.perf_counter() - started)


@contextlib.contextmanager
def no_collections():
    """Let Python's cycle collector rest during a build.

    A build makes millions of objects that live until its end (the loaded tasks, the
    cache entries, the rendered pages) and few cycles: its cache and template environments,
    and a small one per Markdown body rendered (a few dozen objects a task in a cold build;
    its peak memory at 10 000 tasks is the same with and without collecting). With the
    default thresholds the collector walked the live objects again and again (a one-edit
    build 12 % slower); with a threshold of 50 000 it still ran 52 times, 40 ms. The caller
    collects after, if it lives on (serve).
    """
    enabled = gc.isenabled()
    gc.disable()  # forked workers inherit it: nor do they write to the pages they share
    try:
        yield
    finally:
        # Everything the build made (frozen, or in the youngest generation) moves to the
        # oldest: else the first collection after it walks it all (≈ 0.1 s after an edit).
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()


def workers(options: BuildOptions, model: SiteModel | None = None) -> int:
    """How many processes to render with: one per core, one for a small site."""
    if model is not None and len(model.tasks) < PARALLEL_FROM:
        return 1
    return options.jobs or cores()


def _stage(options: BuildOptions, name: str) -> None:
    if options.progress is not None:
        options.progress(name)


def _site_relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path

"""The Pagefind search index over the rendered task pages.

Only upcoming, not cancelled tasks are searchable: their page carries
`data-pagefind-body` (theme/templates/task.html) and only those pages are
handed to Pagefind. The pages are staged in a temporary folder and indexed
with one `add_directory` call, because the Python API's per-record calls cost
about 0.1 s each (see MEASUREMENTS.md). The index comes back as bytes, so the
build still writes nothing to public/ until every stage has succeeded, and is
put in a stable order (pagefind_stable.py) so the same content gives the same bytes.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime
from pathlib import Path

from . import messages, urls
from .model import SiteModel, TaskView, sort_key
from .pagefind_stable import stabilise
from .problems import BuildError
from .when import is_over

BUNDLE = urls.route("search").path.rsplit("/", 1)[0]  # "pagefind": the folder under public/
SEARCHABLE_STATES = ("open", "full")
# Pagefind's ready-made interfaces: the board has its own form (theirs fails axe's label
# rule), so these are not published.
UNUSED = frozenset({"pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                    "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js"})


def searchable(view: TaskView) -> bool:
    """True for tasks people can still take part in: not past, not cancelled."""
    return view.state in SEARCHABLE_STATES


def months(view: TaskView, now: datetime) -> list[str]:
    """The months ('2026-12') in which the task still happens, for the month filter."""
    found: set[str] = set()
    for occurrence in view.occurrences:
        if sort_key(occurrence) < sort_key(view.next) or is_over(occurrence, now):
            continue
        first, last = occurrence.day, occurrence.last_day
        # A multi-day task counts in every month it touches.
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            found.add(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return sorted(found) or [view.next.day.strftime("%Y-%m")]


def month_options(views, now: datetime) -> list[date]:
    """The first day of every month in which one of these tasks happens, in order."""
    found = {value for view in views for value in months(view, now)}
    return [date(int(value[:4]), int(value[5:]), 1) for value in sorted(found)]


def sort_value(view: TaskView) -> str:
    """The next start as sortable text ('2026-12-05T09:30'; all-day: 'T00:00')."""
    start = view.next.start
    if isinstance(start, datetime):
        return start.strftime("%Y-%m-%dT%H:%M")
    return start.strftime("%Y-%m-%dT00:00")


def build_search_index(model: SiteModel, files: dict[str, bytes]) -> dict[str, bytes]:
    """Index the searchable task pages; return the index files (path under public/ → bytes)."""
    pages = {urls.route(view).path: files[urls.route(view).path]
             for view in model.tasks if searchable(view)}
    if not pages:
        # Pagefind refuses an empty site; the board's script then filters the cards alone.
        return {}
    with tempfile.TemporaryDirectory(prefix="sitegen-search-", dir=_fast_temp()) as staging:
        site = Path(staging) / "site"
        for path, html in pages.items():
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(html)
        bundle = Path(staging) / "bundle"
        try:
            _run(lambda: _index(site, bundle, model.site.language))
        except BuildError:
            raise
        except Exception as error:  # the binary is missing, crashed or refused the pages
            raise BuildError(messages.search_index_failed(_describe(error))) from error
        written = {f"{BUNDLE}/{p.relative_to(bundle).as_posix()}": p.read_bytes()
                   for p in sorted(bundle.rglob("*")) if p.is_file() and p.name not in UNUSED}
    try:
        written = stabilise(written)
    except (ValueError, KeyError, OSError):  # a Pagefind whose format we do not know yet:
        pass  # a working index that changes each build beats no index
    written[urls.route("search-urls").path] = result_urls(written)
    return written


def result_urls(bundle: dict[str, bytes]) -> bytes:
    """JSON mapping each Pagefind result id (its fragment's name) to the task page's URL.

    With it the board turns a search's result ids into cards at once, instead of fetching
    one fragment per result (or asking Pagefind for per-page filter counts, measured
    slower: ≈ 0.2–0.5 s for 5 000 matches).
    """
    found = {}
    for path, data in bundle.items():
        folder, _, name = path.rpartition("/")
        if folder.endswith("/fragment") and name.endswith(".pf_fragment"):
            raw = gzip.decompress(data)
            found[name.removesuffix(".pf_fragment")] = json.loads(raw[raw.index(b"{"):])["url"]
    return json.dumps(dict(sorted(found.items())), ensure_ascii=False, separators=(",", ":")).encode()


def _run(make_coroutine) -> None:
    """Run a coroutine to the end, also when called from inside a running event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        asyncio.run(make_coroutine())
        return
    # A caller with its own loop in this thread (Playwright's sync API, a notebook):
    # asyncio.run refuses to nest, so the index gets a thread and a loop of its own.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(lambda: asyncio.run(make_coroutine())).result()


async def _index(site: Path, bundle: Path, language: str) -> None:
    """Run the Pagefind service over the staged pages and write its bundle to `bundle`."""
    from pagefind.service import PagefindService  # imported late: only builds need it

    service = PagefindService()
    await service.launch()
    try:
        index = await _guarded(service, service.create_index({"force_language": language}))
        report = await _guarded(service, index.add_directory(str(site)))
        if report.get("page_count", 0) == 0:
            raise BuildError(messages.search_index_failed("Pagefind found no task page to index"))
        # write_files rather than get_files: get_files sends the whole index as one message,
        # which overflows the library's 2 MiB pipe buffer on large sites and hangs it.
        await _guarded(service, index.write_files(str(bundle)))
    finally:
        await _stop(service)


async def _guarded(service, call):
    """Await one service call, failing fast if the Pagefind process dies meanwhile.

    The library reads the process's answers in a background task; when the
    process exits, that task fails and the pending call would wait forever.
    """
    job = asyncio.ensure_future(call)
    reader = service._poll_task  # private, but the only sign that the process is gone
    done, _ = await asyncio.wait({job, reader}, return_when=asyncio.FIRST_COMPLETED)
    if job in done:
        return job.result()
    job.cancel()
    problem = reader.exception() if not reader.cancelled() else None
    raise BuildError(messages.search_index_failed(
        _describe(problem) if problem else "the Pagefind process stopped"))


async def _stop(service) -> None:
    """Stop the Pagefind process without waiting on answers that will never come."""
    for future in service._responses.values():
        if not future.done():
            future.cancel()
    service._poll_task.cancel()
    if service._backend.returncode is None:
        service._backend.terminate()
    await service._backend.wait()


def _describe(error: BaseException) -> str:
    if isinstance(error, asyncio.IncompleteReadError):
        return "the Pagefind process stopped before answering"
    text = str(error.args[0]) if error.args else type(error).__name__
    return text or type(error).__name__


def _fast_temp() -> str | None:
    """Stage on tmpfs when there is one: the pages are written once and read once."""
    shm = "/dev/shm"
    return shm if os.path.isdir(shm) and os.access(shm, os.W_OK) else None

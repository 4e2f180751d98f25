"""Where every output lives: one place maps a record to its file path and URL.

URLs are stable for years (posters and calendar feeds carry them), so they are
defined here and nowhere else; templates use the `url` and `absolute` filters.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from .model import Choice, Place, Task, TaskView


@dataclass(frozen=True)
class Route:
    """An output: its path inside public/ and its root-relative URL."""

    path: str  # e.g. "tasks/soep/index.html"
    url: str  # e.g. "/tasks/soep/"


def _page(url: str) -> Route:
    return Route(url.strip("/") + "/index.html" if url != "/" else "index.html", url)


def _file(url: str) -> Route:
    return Route(url.lstrip("/"), url)


def route(thing: object, kind: str = "page") -> Route:
    """The route of a task, place, category or named page, in one of its kinds.

    kinds: page, ics, poster (tasks and places), sheet (tasks: the sign-up sheet of the next
    time), embed and json (places: the JSON Feed of its tasks).
    """
    if isinstance(thing, TaskView):
        thing = thing.task
    if isinstance(thing, Task):
        base = f"/tasks/{thing.slug}"
    elif isinstance(thing, Place):
        base = f"/places/{thing.slug}"
    elif isinstance(thing, Choice):
        base = f"/access/{thing.slug}" if thing.kind == "access" else f"/categories/{thing.slug}"
    elif isinstance(thing, str):
        return _NAMED[thing]
    else:
        raise TypeError(f"no route for {type(thing).__name__}")
    if kind == "page":
        return _page(base + "/")
    if kind == "ics":
        return _file(base + ".ics")
    if kind in ("poster", "embed"):
        return _page(f"{base}/{kind}/")
    if kind == "sheet":
        return _page(f"{base}/signup-sheet/")
    if kind == "json":
        return _file(f"{base}/feed.json")
    raise ValueError(f"unknown route kind {kind!r}")


def sheet(task: Task | TaskView, day: date) -> Route:
    """The sign-up sheet of one date of a repeating task: /tasks/<slug>/signup-sheet/2027-01-16/."""
    return _page(route(task, "sheet").url + f"{day.isoformat()}/")


def short(code: str) -> str:
    """A task's short link for paper (`/t/<code>`, see shortlinks.py): a redirect, not a file."""
    return f"/t/{code}"


_NAMED = {
    "board": _page("/"),
    "impact": _page("/impact/"),
    "suggest": _page("/suggest/"),
    "subscribe": _page("/subscribe/"),
    "calendar": _file("/calendar.ics"),
    "atom": _file("/feed.xml"),
    "jsonfeed": _file("/feed.json"),
    "redirects": _file("/_redirects"),  # Netlify's redirect rules: the short links (shortlinks.py)
    "sitemap": _file("/sitemap.xml"),
    "robots": _file("/robots.txt"),
    "404": Route("404.html", "/404.html"),
    "search": _file("/pagefind/pagefind.js"),  # the Pagefind bundle's entry (search.py)
    "admin": _page("/admin/"),  # the web editor (admin.py)
    "admin-config": _file("/admin/config.yml"),
    "search-urls": _file("/pagefind/sitegen-urls.json"),  # result id → task URL (search.py)
}


def path_of(url: str) -> str:
    """The output path of a root-relative URL: '/tasks/soep/' → 'tasks/soep/index.html'."""
    relative = url.lstrip("/")
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative


def media(relative: str) -> Route:
    """An image from content/ or the theme, copied under /media/."""
    # Coordinators name photos "Soep koken 1.jpg": the URL needs %20, the file keeps its name.
    return Route(f"media/{relative}", quote(f"/media/{relative}"))


def static(relative: str) -> Route:
    """A theme asset (css, js, pictograms) under /static/."""
    return _file(f"/static/{relative}")


def absolute(base_url: str, url: str) -> str:
    """An absolute URL for feeds, QR codes, Open Graph and the sitemap."""
    return base_url.rstrip("/") + url

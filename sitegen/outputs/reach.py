"""Feeds and pages for reach: Atom, sitemap, robots, embeds per place, impact, suggest.

Nothing here reads the clock: every date in the feed comes from the content
(or its git history), so the same content gives byte-identical files.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date, datetime, time, timezone

from .. import urls
from ..load.history import History, Revision
from ..load.markup import summary
from ..model import Place, Site, SiteModel, TaskView
from ..recipe import Outputs, recipe
from ..render.pages import page
from ..render.templates import Templates
from ..render.words import Words

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_ENTRIES = 50  # feed readers only look at the newest ones
EMBED_TASKS = 10  # an iframe on a partner's site shows the next few


def reach_outputs(model: SiteModel, templates: Templates, history: History) -> Outputs:
    """Atom feed, robots.txt, embeds, impact and suggest pages: output path → recipe."""
    upcoming = model.upcoming
    files: Outputs = {
        urls.route("atom").path: recipe(atom_feed, model.site, model.places, upcoming,
                                        tuple(history.of(v.task.source) for v in upcoming), model.today),
        urls.route("robots").path: recipe(robots_txt, model.site.base_url),
    }
    for place in model.places.values():
        here = tuple(v for v in model.at_place(place.slug) if not v.past)
        files[urls.route(place, "embed").path] = recipe(embed_page, templates, place, here[:EMBED_TASKS],
                                                        len(here) > EMBED_TASKS)
    files[urls.route("impact").path] = recipe(impact_page, templates,
                                              tuple(v for v in model.past if v.task.result is not None))
    files[urls.route("suggest").path] = recipe(page, templates, "suggest.html", urls.route("suggest").url)
    return files


def embed_page(templates: Templates, place: Place, tasks: tuple[TaskView, ...], more: bool) -> bytes:
    return templates.render("embed.html", urls.route(place, "embed").url, place=place, tasks=tasks, more=more)


def impact_page(templates: Templates, done: tuple[TaskView, ...]) -> bytes:
    return templates.render("impact.html", urls.route("impact").url, impact=impact(templates.places, done, templates.site.language))


def _as_datetime(moment, zone) -> datetime:
    if isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time(), tzinfo=zone)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def when_added(view: TaskView, revision: Revision | None, zone) -> datetime:
    """When a task was last changed, for feeds: its file's last commit, else (outside git) its start."""
    return revision.last if revision else _as_datetime(view.task.schedule.start, zone)


def newest_first(site: Site, views: tuple[TaskView, ...],
                 revisions: tuple[Revision | None, ...]) -> list[tuple[datetime, TaskView]]:
    """Tasks with when_added, newest first: the order feed readers expect."""
    zone = site.zone
    # Same commit time (one commit added several): the later start first, then by slug.
    return sorted(((when_added(v, r, zone), v) for v, r in zip(views, revisions)),
                  key=lambda pair: (pair[0], _as_datetime(pair[1].next.start, zone), pair[1].task.slug),
                  reverse=True)


def atom_feed(site: Site, places: dict[str, Place], upcoming: tuple[TaskView, ...],
              revisions: tuple[Revision | None, ...], today: date) -> bytes:
    """Atom (RFC 4287) of upcoming tasks, newest first: by last commit when known, else by start."""
    zone = site.zone
    words = Words(site.language)
    entries = newest_first(site, upcoming, revisions)[:FEED_ENTRIES]
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed", {XML_LANG: words.locale.replace("_", "-")})

    def sub(parent, tag, text=None, **attrs):
        element = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", attrs)
        if text is not None:
            element.text = text
        return element

    home = urls.absolute(site.base_url, urls.route("board").url)
    sub(feed, "id", home)
    sub(feed, "title", site.title)
    if site.tagline:
        sub(feed, "subtitle", site.tagline)
    sub(feed, "link", rel="self", type="application/atom+xml",
        href=urls.absolute(site.base_url, urls.route("atom").url))
    sub(feed, "link", rel="alternate", type="text/html", href=home)
    # The feed changes when its entries do, never because the build ran again.
    newest = max((stamp for stamp, _ in entries), default=_as_datetime(today, zone))
    sub(feed, "updated", _stamp(newest))
    author = sub(feed, "author")
    sub(author, "name", site.title)
    sub(author, "uri", home)
    for stamp, view in entries:
        task = view.task
        page = urls.absolute(site.base_url, urls.route(task).url)
        place = places[task.place]
        entry = sub(feed, "entry")
        sub(entry, "id", page)
        sub(entry, "title", task.title)
        sub(entry, "link", rel="alternate", type="text/html", href=page)
        sub(entry, "updated", _stamp(stamp))
        sub(entry, "category", term=task.category, label=site.category(task.category).label)
        text = f"{words.when(view.next)} · {place.name}, {place.address}"
        if view.state != "open":
            text += f" · {words.state(view.state)}"
        body = summary(task.body_html, 400)
        sub(entry, "summary", f"{text}\n\n{body}" if body else text)
    ET.indent(feed)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8",
                                                                     xml_declaration=False) + b"\n"


def robots_txt(base_url: str) -> bytes:
    sitemap = urls.absolute(base_url, urls.route("sitemap").url)
    return f"User-agent: *\nAllow: /\n\nSitemap: {sitemap}\n".encode()


def sitemap_outputs(base_url: str, paths) -> Outputs:
    """sitemap.xml of every indexable page of the site (not posters, sheets, embeds or 404)."""
    skipped = ("/poster/index.html", "/embed/index.html")
    editor = urls.route("admin").path  # the web editor is for coordinators, not for search engines
    pages = tuple(sorted(path for path in paths if path.endswith("index.html") and not path.endswith(skipped)
                         and "/signup-sheet/" not in path and path != editor))
    return {urls.route("sitemap").path: recipe(sitemap, base_url, pages)}


def sitemap(base_url: str, pages: tuple[str, ...]) -> bytes:
    ET.register_namespace("", SITEMAP_NS)
    root = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for path in pages:
        url = "/" + path[: -len("index.html")]
        ET.SubElement(ET.SubElement(root, f"{{{SITEMAP_NS}}}url"), f"{{{SITEMAP_NS}}}loc").text = \
            urls.absolute(base_url, url)
    ET.indent(root)
    body = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + body + b"\n"


@dataclass
class Tally:
    """What was done: tasks, participants, hours and currency earned."""

    label: str
    tasks: int = 0
    participants: int = 0
    hours: float = 0
    currency: float = 0

    def add(self, view: TaskView) -> None:
        result, task = view.task.result, view.task
        people = result.participants or 0
        self.tasks += 1
        self.participants += people
        self.hours += result.hours or 0
        self.currency += (task.reward or 0) * people


@dataclass(frozen=True)
class Bar:
    """One bar of the impact chart: what it counts, how many, and its length (% of the longest)."""

    label: str
    value: int
    percent: float


@dataclass(frozen=True)
class Chart:
    """Participants per year, or per month when every result falls in one year."""

    year: int | None  # the year of a per-month chart; None when per year
    bars: list[Bar]


@dataclass(frozen=True)
class Impact:
    years: list[Tally]
    places: list[Tally]
    total: Tally
    chart: Chart


def impact(places_by_slug: dict[str, Place], done: tuple[TaskView, ...], language: str = "nl") -> Impact:
    """Totals of past tasks with a `result`, per year (newest first) and per place."""
    years: dict[int, Tally] = {}
    places: dict[str, Tally] = {}
    months: dict[int, int] = {}  # participants per month, used when all is in one year
    total = Tally("")
    for view in done:
        day = view.next.day
        years.setdefault(day.year, Tally(str(day.year))).add(view)
        months[day.month] = months.get(day.month, 0) + (view.task.result.participants or 0)
        slug = view.task.place
        places.setdefault(slug, Tally(places_by_slug[slug].name)).add(view)
        total.add(view)
    by_year = [years[y] for y in sorted(years, reverse=True)]
    return Impact(
        years=by_year,
        places=sorted(places.values(), key=lambda t: (-t.participants, t.label)),
        total=total,
        chart=_chart(language, years, months),
    )


def _chart(language: str, years: dict[int, Tally], months: dict[int, int]) -> Chart:
    """One bar a year, oldest first; a single year gets one bar a month, from its first to its last."""
    if len(years) == 1:
        year = next(iter(years))
        words = Words(language)
        counts = [(words.month_name(month), months.get(month, 0))
                  for month in range(min(months), max(months) + 1)]
    else:
        year = None
        counts = [(str(y), years[y].participants) for y in sorted(years)]
    widest = max((count for _, count in counts), default=0) or 1
    return Chart(year, [Bar(label, count, round(100 * count / widest, 1)) for label, count in counts])

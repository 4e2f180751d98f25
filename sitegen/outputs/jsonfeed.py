"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1) of upcoming tasks, for other websites.

`/feed.json` holds every upcoming task, `/places/<slug>/feed.json` those of one place.
Besides the standard fields each item has a `_doeplek` object (a JSON Feed extension)
with what a municipal site or a regional volunteer board needs to show the task as its
own: when (with the UTC offset), where (name, address, coordinates), the category and
access tags, places left, status, the sign-up link and the task's calendar file. The
README ("JSON Feed") documents every field; tests/schemas/jsonfeed-doeplek.schema.json
is that documentation as a JSON Schema, which the tests validate every feed against.
Like the Atom feed, nothing here reads the clock.
"""

from __future__ import annotations

import json
from datetime import datetime

from markupsafe import Markup

from .. import urls
from ..load.history import History
from ..model import Choice, Place, Site, SiteModel, TaskView
from ..recipe import Outputs, recipe
from ..render import seo
from ..render.words import Words
from ..shortlinks import short_link
from .reach import newest_first

VERSION = "https://jsonfeed.org/version/1.1"


def json_outputs(model: SiteModel, history: History) -> Outputs:
    """The site's JSON Feed and one per place: output path → recipe."""
    site, upcoming = model.site, model.upcoming
    # Each item is serialised once (the C encoder: no indent) and joined into its feeds.
    items = [(view.task.place, recipe(json_item, site, model.places[view.task.place], view, stamp))
             for stamp, view in newest_first(site, upcoming, tuple(history.of(v.task.source) for v in upcoming))]
    files: Outputs = {urls.route("jsonfeed").path: recipe(feed, site, None, tuple(item for _, item in items))}
    here: dict[str, list] = {slug: [] for slug in model.places}
    for slug, item in items:  # newest first, as in the site's feed
        here[slug].append(item)
    for place in model.places.values():
        files[urls.route(place, "json").path] = recipe(feed, site, place, tuple(here[place.slug]))
    return files


def json_item(site: Site, place: Place, view: TaskView, stamp: datetime) -> str:
    """One item, as JSON text."""
    return _json(item(site, place, view, stamp))


def _shared(site: Site) -> str:
    """What every feed's head says after its title and addresses, as JSON members."""
    data = {
        "language": Words(site.language).locale.replace("_", "-"),
        "icon": urls.absolute(site.base_url, urls.static("img/share.png").url),
        "favicon": urls.absolute(site.base_url, urls.static("favicon.svg").url),
        "authors": [{"name": site.title, "url": urls.absolute(site.base_url, urls.route("board").url)}],
        "_doeplek": {
            "about": urls.absolute(site.base_url, urls.route("subscribe").url) + "#feeds-for-websites",
            "timezone": site.timezone,
            "currency": site.currency or None,
        },
    }
    if site.tagline:
        data["description"] = site.tagline
    return _json(data)[1:-1]


def feed(site: Site, place: Place | None, items: tuple[str, ...]) -> bytes:
    """One feed: its head and its items (already JSON), as UTF-8 (the same bytes for the same content)."""
    home = urls.route(place).url if place else urls.route("board").url
    url = urls.route(place, "json").url if place else urls.route("jsonfeed").url
    head = _json({
        "version": VERSION,
        "title": f"{site.title} — {place.name}" if place else site.title,
        "home_page_url": urls.absolute(site.base_url, home),
        "feed_url": urls.absolute(site.base_url, url),
    })
    return (head[:-1] + "," + _shared(site) + ',"items":[' + ",".join(items) + "]}\n").encode("utf-8")


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def item(site: Site, place: Place, view: TaskView, stamp: datetime) -> dict:
    """One upcoming task as a JSON Feed item with its `_doeplek` extension."""
    task = view.task
    words = Words(site.language)
    page = urls.absolute(site.base_url, urls.route(task).url)
    when = words.when(view.next)
    entry = {
        "id": page,
        "url": page,
        "title": task.title,
        # The body as the task page shows it (sanitised when loaded); the summary says when and where.
        "content_html": task.body_html or str(Markup('<p dir="auto">{}</p>').format(task.title)),
        "summary": f"{when} · {place.name}, {place.address}",
        "date_published": stamp.isoformat(timespec="seconds"),
        "tags": [site.category(task.category).label] + [tag.label for tag in _tags(site, task.access)],
        "language": words.locale.replace("_", "-"),
    }
    if seo.shareable(task.image):
        entry["image"] = urls.absolute(site.base_url, urls.media(task.image).url)
    sign_up = seo.sign_up(site, place, view)
    entry["_doeplek"] = {
        "start": _moment(view.next.start),
        "end": _moment(view.next.end),
        "all_day": task.all_day,
        "when": when,
        "repeat": words.repeat(task.schedule.repeat, view.occurrences[0]) if task.schedule.repeat else None,
        "place": {
            "slug": place.slug,
            "name": place.name,
            "address": place.address,
            "geo": {"latitude": place.geo[0], "longitude": place.geo[1]} if place.geo else None,
            "url": urls.absolute(site.base_url, urls.route(place).url),
        },
        "category": _choice(site.category(task.category)),
        "access": [_choice(tag) for tag in _tags(site, task.access)],
        "client": {"name": task.client.name, "url": task.client.url} if task.client else None,
        "spots": task.spots,
        "spots_left": task.spots_left if view.state == "open" else (0 if task.spots is not None else None),
        "waiting": task.waiting,
        "status": view.state,
        "signup_url": sign_up.url if sign_up and not sign_up.waitlist else None,
        "waitlist_url": sign_up.url if sign_up and sign_up.waitlist else None,
        "reward": task.reward,
        "ics_url": urls.absolute(site.base_url, urls.route(task, "ics").url),
        "short_url": urls.absolute(site.base_url, short_link(task)),
    }
    return entry


def _choice(choice: Choice) -> dict:
    return {"slug": choice.slug, "label": choice.label}


def _tags(site: Site, slugs) -> list[Choice]:
    return [site.access_tag(slug) for slug in slugs]


def _moment(value) -> str:
    """ISO 8601: a time with its UTC offset (2026-12-05T09:30:00+01:00), a whole day as a date."""
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value.isoformat()

"""Links that put our feeds and tasks into people's calendar apps.

Plain links to the apps' own "add" pages: nothing is loaded from them, a
visitor's browser only goes there when they click.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from urllib.parse import quote, urlencode

from .. import urls
from ..load.markup import summary
from ..model import Choice, Place, Site, TaskView

GOOGLE_SUBSCRIBE = "https://calendar.google.com/calendar/r?cid="
GOOGLE_EVENT = "https://calendar.google.com/calendar/render?"
OUTLOOK_SUBSCRIBE = "https://outlook.live.com/calendar/0/addfromweb?"


@dataclass(frozen=True)
class FeedLinks:
    """One feed, as each calendar app wants to be handed it."""

    name: str  # the calendar's name, as NAME / X-WR-CALNAME in the feed
    label: str  # what it holds, for lists: "'t Hof"
    https: str  # to copy into any app
    webcal: str  # Apple Calendar, Outlook on a computer, Thunderbird
    google: str  # Google Calendar's "add by URL", pre-filled
    outlook: str  # Outlook.com's "add from web", pre-filled


def feed_links(site: Site, thing: object) -> FeedLinks:
    """The links for the site feed ('calendar'), a place's or a category's feed."""
    route = urls.route("calendar") if thing == "calendar" else urls.route(thing, "ics")
    https = urls.absolute(site.base_url, route.url)
    name = feed_name(site, thing)
    webcal = "webcal://" + https.split("://", 1)[1]
    return FeedLinks(
        name=name,
        label=_label(site, thing),
        https=https,
        webcal=webcal,
        google=GOOGLE_SUBSCRIBE + quote(webcal, safe=""),
        outlook=OUTLOOK_SUBSCRIBE + urlencode({"url": https, "name": name}, quote_via=quote),
    )


def feed_name(site: Site, thing: object) -> str:
    """"Doe-plekken Zedelgem — 't Hof": the calendar's name in the app's list."""
    if thing == "calendar":
        return site.title
    return f"{site.title} — {_label(site, thing)}"


def _label(site: Site, thing: object) -> str:
    if isinstance(thing, Place):
        return thing.name
    if isinstance(thing, Choice):
        return thing.label
    if isinstance(thing, TaskView):
        return thing.task.title
    return site.title


def google_event_url(site: Site, place: Place, view: TaskView) -> str:
    """Google Calendar's "create event" page, pre-filled with the task's next occurrence."""
    task = view.task
    start, end = view.next.start, view.next.end
    if not isinstance(start, datetime):
        end = end + timedelta(days=1)  # Google's all-day end is exclusive, like DTEND
    page = urls.absolute(site.base_url, urls.route(task).url)
    params = {
        "action": "TEMPLATE",
        "text": task.title,
        "dates": f"{utc_stamp(start)}/{utc_stamp(end)}",
        "ctz": site.timezone,
        "location": f"{place.name}, {place.address}",
        # Long bodies make URLs some browsers refuse; the page has the rest.
        "details": f"{summary(task.body_html, 300)}\n\n{page}",
    }
    return GOOGLE_EVENT + urlencode(params, quote_via=quote)


def utc_stamp(moment: date | datetime) -> str:
    """20270116T083000Z for a time, 20270116 for a day (Google Calendar's `dates`)."""
    if isinstance(moment, datetime):
        return moment.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    return moment.strftime("%Y%m%d")

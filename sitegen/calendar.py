"""Calendar feeds (RFC 5545) made with the icalendar library, and the /subscribe/ page.

Feeds: the whole site (/calendar.ics), each place, each category, each access tag
(upcoming tasks and those of the last 30 days) and each task (/tasks/<slug>.ics).
Every event has the same bytes in every feed that carries it: its UID comes
from the slug and the site's host, its SEQUENCE, LAST-MODIFIED and DTSTAMP
from the git history of the task's file (see history.py), so two builds of the
same content are byte-identical and a changed task gets a higher SEQUENCE.
"""

from __future__ import annotations

import hashlib
from array import array
from datetime import datetime, time, timedelta, timezone
from functools import cache
from zoneinfo import ZoneInfo
from urllib.parse import urlsplit

from icalendar import Calendar, Event, vDuration

from . import urls
from .cache import MISSING, current, event_key, remember, remember_by_digest
from .history import History, Revision
from .markup import plain_text
from .output import Kept
from .model import SiteModel, TaskView, sort_key
from .render import Pages, signup_url, waitlist_url
from .subscribe import feed_links, feed_name
from .theme import Theme
from .vtimezone import vtimezone
from .words import Words

PRODID = "-//Doe-plek board//sitegen//NL"
PAST_WINDOW = timedelta(days=30)  # feeds keep tasks that ended this recently
REFRESH = timedelta(hours=12)  # how often we ask calendar apps to look again
_BEGIN = b"BEGIN:VCALENDAR\r\n"
_END = b"END:VCALENDAR\r\n"
EVENTS = "ics-events"  # cache store: a task's VEVENT bytes, by reuse.plan's event key (cache.event_key)
# cache store: a site, place or category feed as last written, by path: its FeedMemo key,
# sha256, and its events' event keys and byte bounds (a changed feed is spliced from it)
FEEDS = "feeds"


def render_feeds(model: SiteModel, theme: Theme, history: History | None = None) -> dict[str, bytes]:
    """The site, place, category and access-tag .ics feeds and the /subscribe/ page: path → bytes.

    Each task's own feed is render_task_feeds'.
    """
    history = history or History({})
    zone_bytes = _zone_bytes(model.site.timezone, model.now.year)
    # One order for every feed (first start, then slug): each place's and category's
    # events are picked from it in one pass (sorting 508 feeds cost 0.05 s at 10 000 tasks).
    shown = ordered(view for view in model.tasks if in_window(view, model.now))
    at_place: dict[str, list[TaskView]] = {slug: [] for slug in model.places}
    in_category: dict[str, list[TaskView]] = {category.slug: [] for category in model.site.categories}
    # Per access tag (issue 17): a day centre or a school subscribes to what its people can do.
    with_access: dict[str, list[TaskView]] = {tag.slug: [] for tag in model.site.access}
    for view in shown:
        at_place[view.task.place].append(view)
        in_category[view.task.category].append(view)
        for tag in view.task.access:
            with_access[tag].append(view)
    memo = FeedMemo.open(zone_bytes, shown)
    made: dict[str, bytes] = {}  # events serialised by this call, by slug: each feed carrying one shares it

    def feed(route: urls.Route, name: str, views) -> bytes | Kept:
        key = memo.key(name, views)
        kept = memo.kept(route, key)
        if kept is not None:
            return kept
        # The events the last version of this file holds, as they are there: after an edit
        # only the edited task's event is looked up (each of the others was ≈ 1/16 of the
        # event store to read, for the site's feed all of it: 23 MB at 10 000 tasks).
        written = memo.last_events(route)
        events = [written.get(memo.keys.get(view.task.slug)) or made.get(view.task.slug) for view in views]
        missing = [view for view, found in zip(views, events) if found is None]
        if missing:
            made.update(serialised_events(model, missing, history))
            events = [made[view.task.slug] if found is None else found for view, found in zip(views, events)]
        data = calendar_bytes(model, name, zone_bytes, events)
        memo.put(route, key, data, views, events)
        return data

    route = urls.route("calendar")
    files = {route.path: feed(route, feed_name(model, "calendar"), shown)}
    for place in model.places.values():
        route = urls.route(place, "ics")
        files[route.path] = feed(route, feed_name(model, place), at_place[place.slug])
    for category in model.site.categories:
        route = urls.route(category, "ics")
        files[route.path] = feed(route, feed_name(model, category), in_category[category.slug])
    for tag in model.site.access:
        route = urls.route(tag, "ics")
        files[route.path] = feed(route, feed_name(model, tag), with_access[tag.slug])
    files.update(render_subscribe_page(model, theme))
    return files


class FeedMemo:
    """Which feed files the output folder holds already, by their name, time zone and events.

    After an edit at 10 000 tasks, 3 of 508 feeds change (the site's, the task's place's and
    category's): the others are kept where they are, without joining ≈ 25 MB of events
    again, nor hashing them. Keyed by reuse.plan's event keys (each names everything its
    event is made from); without them (check) every feed is made. A feed that is made
    remembers where each event lies in its file (FEEDS): the three that change take their
    other events from there (last_events), not from the event store.
    """

    def __init__(self, cache, zone: bytes, keys: dict[str, bytes | None]):
        self.cache, self.zone, self.keys = cache, zone, keys

    @classmethod
    def open(cls, zone_bytes: bytes, views) -> FeedMemo:
        cache = current()
        usable = cache is not None and cache.outputs is not None
        keys = {view.task.slug: event_key(view) for view in views} if usable else {}  # once, not per feed
        return cls(cache if usable else None, hashlib.sha256(zone_bytes).digest(), keys)

    def key(self, name: str, views) -> bytes | None:
        if self.cache is None:
            return None
        keys = [self.keys[view.task.slug] for view in views]
        if not all(keys):
            return None
        return hashlib.sha256(b"".join([self.zone, name.encode("utf-8"), b"\0", *keys])).digest()

    def kept(self, route: urls.Route, key: bytes | None) -> Kept | None:
        written = self._written(route) if key is not None else None
        return Kept(written[1]) if written is not None and written[0][0] == key else None

    def last_events(self, route: urls.Route) -> dict[bytes, memoryview]:
        """The events of the feed file the last build wrote, by event key, if the output
        folder holds it as written (as trusted as a kept file: manifest size and mtime)."""
        written = self._written(route) if self.cache is not None else None
        if written is None:
            return {}
        (_, _, keys, bounds), entry = written
        try:
            data = memoryview((self.cache.outputs.out / route.path).read_bytes())
        except OSError:
            return {}
        bounds = array("Q", bounds)  # event i lies between bounds[i] and bounds[i + 1]
        if len(data) != entry[1] or len(keys) != 32 * (len(bounds) - 1) or bounds[-1] > len(data):
            return {}
        return {keys[32 * number:32 * number + 32]: data[bounds[number]:bounds[number + 1]]
                for number in range(len(bounds) - 1)}

    def _written(self, route: urls.Route):
        """What the last build wrote at this path, and its manifest entry, if the output holds it so."""
        last = self.cache.get(FEEDS, route.path)
        entry = self.cache.outputs.entry_if_same(route.path, last[1]) if last is not MISSING else None
        return (last, entry) if entry is not None else None

    def put(self, route: urls.Route, key: bytes | None, data: bytes, views, events) -> None:
        if key is None:
            return
        digest = hashlib.sha256(data).digest()
        self.cache.know({route.path: digest})
        # Where each event lies in the file (calendar_bytes: they end just before _END).
        bound = len(data) - len(_END) - sum(map(len, events))
        bounds = array("Q", [bound])
        for event_bytes in events:
            bound += len(event_bytes)
            bounds.append(bound)
        keys = b"".join(self.keys[view.task.slug] for view in views)  # all there: key is not None
        self.cache.put(FEEDS, route.path, (key, digest, keys, bounds.tobytes()))


@cache
def _zone_bytes(zone: str, year: int) -> bytes:
    # The same for every feed of a build: made once per process, not once per chunk of tasks.
    return vtimezone(ZoneInfo(zone), year).to_ical()


def render_task_feeds(model: SiteModel, views, history: History | None = None) -> dict[str, bytes]:
    """Each task's own .ics feed (one event): output path → bytes."""
    history = history or History({})
    zone_bytes = _zone_bytes(model.site.timezone, model.now.year)
    events = serialised_events(model, views, history)
    return {urls.route(view, "ics").path: calendar_bytes(model, feed_name(model, view), zone_bytes,
                                                         [events[view.task.slug]])
            for view in views}


def serialised_events(model: SiteModel, views, history: History) -> dict[str, bytes]:
    """The VEVENT bytes of each task, by slug.

    Each event is serialised once (by icalendar) and shared by the feeds that
    carry it: at 10 000 tasks every event appears in four feeds.
    Remembered between builds (.sitegen-cache/, keyed by every input of event()):
    icalendar costs ≈ 0.5 ms an event, 5 s at 10 000 tasks.
    """
    events = {}
    for view in views:
        def compute(view=view):
            return event(model, view, history.of(view.task.source)).to_ical()
        # reuse.plan's event key of a view holds all of event()'s inputs (and more): hashing them
        # again cost 0.1 s at 10 000 tasks, and hashing that key again 0.03 s.
        key = event_key(view)
        events[view.task.slug] = (
            remember_by_digest(EVENTS, key, compute) if key is not None else
            remember(EVENTS, (model.site, model.places[view.task.place], model.now, view,
                                    history.of(view.task.source)), compute))
    return events


def render_subscribe_page(model: SiteModel, theme: Theme) -> dict[str, bytes]:
    """The plain-language page on adding a feed to your calendar."""
    route = urls.route("subscribe")
    # Made of the settings, places and categories only: not even its 508 feeds' links
    # (0.02 s at 10 000 tasks) are made again while the page memo holds it.
    page = Pages(theme, model).render_settled("subscribe.html", route, lambda: dict(
        site_feed=feed_links(model, "calendar"),
        place_feeds=[feed_links(model, p) for p in model.places.values()],
        category_feeds=[feed_links(model, c) for c in model.site.categories],
        access_feeds=[feed_links(model, tag) for tag in model.site.access]))
    return {route.path: page}


def in_window(view: TaskView, now: datetime) -> bool:
    """Upcoming, or ended less than PAST_WINDOW ago."""
    if not view.past:
        return True
    end = view.next.end
    if isinstance(end, datetime):
        return end > now - PAST_WINDOW
    return end >= (now - PAST_WINDOW).date()


def ordered(views) -> list[TaskView]:
    """Events by first start, then slug, so feeds are byte-stable."""
    return sorted(views, key=lambda v: (sort_key(v.occurrences[0]), v.task.slug))


def calendar_bytes(model: SiteModel, name: str, zone_bytes: bytes, events: list[bytes]) -> bytes:
    """A VCALENDAR with our properties, the VTIMEZONE and already serialised events."""
    # The head is remembered: building its name's lines costs ≈ 0.04 ms a feed, looking it
    # up ≈ 0.004 ms (10 500 feeds in a cold build or a new hour outside git).
    head = remember("ics-heads", (name, model.site.timezone), lambda: _head(model, name))
    # icalendar ends the calendar with END:VCALENDAR; the components go before it. One
    # join: the site's feed is ≈ 12 MB at 10 000 tasks, and each + copied it again.
    return b"".join([memoryview(head)[:-len(_END)], zone_bytes, *events, _END])


def _head(model: SiteModel, name: str) -> bytes:
    """A feed's VCALENDAR with its properties, as icalendar writes it (ending in END:VCALENDAR)."""
    # Only the name differs between feeds: the rest is made once (0.11 → 0.04 ms a feed).
    names = Calendar()
    names.add("name", name)
    names.add("x-wr-calname", name)
    return _fixed_head(model.site.timezone) + names.to_ical()[len(_BEGIN):]


@cache
def _fixed_head(zone: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-timezone", zone)
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    return cal.to_ical()[:-len(_END)]


def event(model: SiteModel, view: TaskView, revision: Revision | None) -> Event:
    """One VEVENT for a task (a repeating task is one event with RRULE and EXDATE)."""
    task, site = view.task, model.site
    place = model.places[task.place]
    schedule = task.schedule
    changed = revision.last if revision else model.now.astimezone(timezone.utc).replace(microsecond=0)
    page = urls.absolute(site.base_url, urls.route(task).url)

    ev = Event()
    ev.add("uid", uid(model, task.slug))
    ev.add("dtstamp", changed)
    ev.add("last-modified", changed)
    ev.add("sequence", sequence(revision, task.cancelled))
    ev.add("summary", task.title)
    if schedule.all_day:
        ev.add("dtstart", schedule.start)
        ev.add("dtend", schedule.end + timedelta(days=1))  # DTEND of a date is exclusive
    elif schedule.repeat:
        ev.add("dtstart", schedule.start)
        ev.add("dtend", schedule.end)
    else:
        ev.add("dtstart", unambiguous(schedule.start))
        ev.add("dtend", unambiguous(schedule.end))
    if schedule.repeat:
        ev.add("rrule", rrule(schedule, site.zone))
        for day in schedule.repeat.exceptions:
            ev.add("exdate", day if schedule.all_day else
                   datetime.combine(day, schedule.start.timetz()).replace(fold=0))
    ev.add("description", description(model, view, page))
    ev.add("location", f"{place.name}, {place.address}")
    if place.geo:
        ev.add("geo", place.geo)
    ev.add("url", page)
    ev.add("categories", [site.category(task.category).label])
    ev.add("status", "CANCELLED" if task.cancelled else "CONFIRMED")
    ev.add("transp", "TRANSPARENT" if schedule.all_day else "OPAQUE")
    return ev


def unambiguous(moment: datetime) -> datetime:
    """A wall time that happens twice (fall-back night) in UTC, so every client reads one instant.

    RFC 5545 says TZID=…:20271031T023000 is the first 02:30; ical.js takes the second.
    """
    if moment.utcoffset() != moment.replace(fold=1 - moment.fold).utcoffset():
        return moment.astimezone(timezone.utc)
    return moment


def uid(model: SiteModel, slug: str) -> str:
    """Stable forever: the task's slug at the site's host."""
    return f"{slug}@{urlsplit(model.site.base_url).hostname}"


def sequence(revision: Revision | None, cancelled: bool) -> int:
    """Twice the commits of the task's file, plus one when cancelled.

    Every edit is a commit, so the number grows with each change; cancelling
    lifts it even outside git, and un-cancelling (another commit) lifts it again.
    """
    return 2 * (revision.commits if revision else 0) + (1 if cancelled else 0)


def rrule(schedule, zone) -> dict:
    """RRULE parts; UNTIL is the end of the last day, in UTC when DTSTART has a TZID."""
    repeat = schedule.repeat
    parts: dict = {"freq": repeat.freq.upper()}
    if repeat.interval != 1:
        parts["interval"] = repeat.interval
    if repeat.until:
        if schedule.all_day:
            parts["until"] = repeat.until
        else:
            last = datetime.combine(repeat.until, time(23, 59, 59), tzinfo=zone)
            parts["until"] = last.astimezone(timezone.utc)
    if repeat.count:
        parts["count"] = repeat.count
    return parts


def description(model: SiteModel, view: TaskView, page: str) -> str:
    """The body as plain text, the task's web page and how to sign up."""
    words = Words(model.site.language)
    lines = [plain_text(view.task.body_html), "", f"{words('feed_more_info')}: {page}"]
    link = signup_url(model, view) if view.can_sign_up else None
    reserve = waitlist_url(model, view) if view.state == "full" else None
    if link:
        lines.append(f"{words('feed_signup')}: {link}")
    elif reserve:
        lines.append(f"{words('signup_closed_full_waitlist')}\n{words('feed_waitlist')}: {reserve}")
    elif view.state != "open":
        lines.append(words(f"signup_closed_{view.state}"))
    else:
        lines.append(words("feed_signup_page"))
    return "\n".join(lines).strip()

"""Calendar feeds (RFC 5545) made with the icalendar library, and the /subscribe/ page.

Feeds: the whole site (/calendar.ics), each place, each category, each access tag
(upcoming tasks and those of the last 30 days) and each task (/tasks/<slug>.ics).
Every event has the same bytes in every feed that carries it: its UID comes
from the slug and the site's host, its SEQUENCE, LAST-MODIFIED and DTSTAMP
from the git history of the task's file (see history.py), so two builds of the
same content are byte-identical and a changed task gets a higher SEQUENCE.
Each event is a recipe of its own, made once and joined into every feed that carries it.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from functools import cache
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from .. import urls
from ..i18n import _
from ..load.history import History, Revision
from ..load.markup import plain_text
from ..model import Place, Site, SiteModel, TaskView, sort_key
from ..recipe import Outputs, recipe
from ..render.seo import signup_url, waitlist_url
from ..render.subscribe import feed_links, feed_name
from ..render.templates import Templates
from ..render.words import Words
from ..when import on_the_clock
from .vtimezone import vtimezone

PRODID = "-//Doe-plek board//sitegen//NL"
PAST_WINDOW = timedelta(days=30)  # feeds keep tasks that ended this recently
REFRESH = timedelta(hours=12)  # how often we ask calendar apps to look again
_BEGIN = b"BEGIN:VCALENDAR\r\n"
_END = b"END:VCALENDAR\r\n"


def calendar_outputs(model: SiteModel, templates: Templates, history: History) -> Outputs:
    """Every .ics feed (site, places, categories, tasks) and the /subscribe/ page."""
    site = model.site
    zone = recipe(zone_bytes, site.timezone, model.now.year)
    events = {view.task.slug: event_recipe(model, view, history) for view in model.tasks}

    def feed(thing, views):
        return recipe(calendar_file, site.timezone, feed_name(site, thing), zone,
                      tuple(events[view.task.slug] for view in views))

    # One order for every feed (first start, then slug): each place's and category's
    # events are picked from it in one pass.
    shown = ordered(view for view in model.tasks if in_window(view, model.now))
    at_place: dict[str, list[TaskView]] = {slug: [] for slug in model.places}
    in_category: dict[str, list[TaskView]] = {category.slug: [] for category in site.categories}
    # Per access tag: a day centre or a school subscribes to what its people can do.
    with_access: dict[str, list[TaskView]] = {tag.slug: [] for tag in site.access}
    for view in shown:
        at_place[view.task.place].append(view)
        in_category[view.task.category].append(view)
        for tag in view.task.access:
            with_access[tag].append(view)
    files: Outputs = {urls.route("calendar").path: feed("calendar", shown)}
    for place in model.places.values():
        files[urls.route(place, "ics").path] = feed(place, at_place[place.slug])
    for category in site.categories:
        files[urls.route(category, "ics").path] = feed(category, in_category[category.slug])
    for tag in site.access:
        files[urls.route(tag, "ics").path] = feed(tag, with_access[tag.slug])
    for view in model.tasks:
        files[urls.route(view, "ics").path] = feed(view, [view])
    subscribe = urls.route("subscribe")
    files[subscribe.path] = recipe(subscribe_page, templates)
    return files


def subscribe_page(templates: Templates) -> bytes:
    """The plain-language page on adding a feed to your calendar."""
    site = templates.site
    return templates.render(
        "subscribe.html", urls.route("subscribe").url, site_feed=feed_links(site, "calendar"),
        place_feeds=[feed_links(site, p) for p in templates.places.values()],
        category_feeds=[feed_links(site, c) for c in site.categories],
        access_feeds=[feed_links(site, tag) for tag in site.access])


def event_recipe(model: SiteModel, view: TaskView, history: History):
    """How a task's VEVENT is made: its DTSTAMP is its last commit, or the build moment outside git."""
    revision = history.of(view.task.source)
    stamp = revision.last if revision else model.now.astimezone(timezone.utc).replace(microsecond=0)
    return recipe(event_bytes, model.site, model.places[view.task.place], view, revision, stamp)


def zone_bytes(zone: str, year: int) -> bytes:
    """The VTIMEZONE of the site's zone for the years around `year`, as the feeds carry it."""
    return vtimezone(ZoneInfo(zone), year).to_ical()


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


def calendar_file(zone: str, name: str, zone_data: bytes, events: tuple[bytes, ...]) -> bytes:
    """A VCALENDAR with our properties, the VTIMEZONE and already serialised events."""
    head = _head(zone, name)
    # icalendar ends the calendar with END:VCALENDAR; the components go before it. One
    # join: the site's feed holds every event, and each + would copy it again.
    return b"".join([head[:-len(_END)], zone_data, *events, _END])


def _head(zone: str, name: str) -> bytes:
    """A feed's VCALENDAR with its properties, as icalendar writes it (ending in END:VCALENDAR)."""
    from icalendar import Calendar, vText  # here: a build whose feeds are all remembered never needs it
    names = Calendar()
    # As vText: icalendar knows neither property and would write a title's `,` `;` `\\` unescaped.
    names.add("name", vText(name))
    names.add("x-wr-calname", vText(name))
    return _fixed_head(zone) + names.to_ical()[len(_BEGIN):]


@cache
def _fixed_head(zone: str) -> bytes:
    """Every feed's properties but its name (the same in every feed of a site)."""
    from icalendar import Calendar, vDuration
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-timezone", zone)
    cal.add("refresh-interval", vDuration(REFRESH), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(REFRESH))
    return cal.to_ical()[:-len(_END)]


def event_bytes(site: Site, place: Place, view: TaskView, revision: Revision | None,
                stamp: datetime) -> bytes:
    """One task's VEVENT, serialised, and overrides for the instances clients would misplace."""
    main = event(site, place, view, revision, stamp)
    return b"".join(part.to_ical() for part in (main, *misread_instances(main, view)))


def event(site: Site, place: Place, view: TaskView, revision: Revision | None, stamp: datetime):
    """One VEVENT for a task (a repeating task is one event with RRULE and EXDATE)."""
    from icalendar import Event
    task = view.task
    schedule = task.schedule
    page_url = urls.absolute(site.base_url, urls.route(task).url)

    ev = Event()
    ev.add("uid", uid(site, task.slug))
    ev.add("dtstamp", stamp)
    ev.add("last-modified", stamp)
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
    ev.add("description", description(site, place, view, page_url))
    ev.add("location", f"{place.name}, {place.address}")
    if place.geo:
        ev.add("geo", place.geo)
    ev.add("url", page_url)
    ev.add("categories", [site.category(task.category).label])
    ev.add("status", "CANCELLED" if task.cancelled else "CONFIRMED")
    ev.add("transp", "TRANSPARENT" if schedule.all_day else "OPAQUE")
    return ev


def misread_instances(main, view: TaskView) -> list:
    """Overrides (RECURRENCE-ID) with UTC times for repeat instances clients would misplace.

    The RRULE gives each instance as a TZID wall time, lasting DTEND - DTSTART. In the hour
    that happens twice, ical.js reads the second 02:30 where the site means the first (see
    `unambiguous`); and an instance whose span holds a DST change (a night task, 22:00–04:00)
    is stretched or shortened differently by every client, while the site keeps its wall
    times. An instance in the hour the clocks skip starts an hour later on the site (see
    `when.on_the_clock`); ical.js puts it an hour earlier, Home Assistant's `ical` lets it end
    before it starts. The RECURRENCE-ID names the RRULE's instance as every client computes
    it, so it replaces that instance wherever the client put it. An endless repeat is covered
    as far as listed.
    """
    if not main.get("rrule") or view.task.schedule.all_day:
        return []
    first = view.task.schedule
    length = _exact(first.start, first.end)
    return [_instance(main, o, first.start) for o in view.occurrences
            if unambiguous(o.start) is not o.start or unambiguous(o.end) is not o.end
            or o.start.utcoffset() != o.end.utcoffset() or _exact(o.start, o.end) != length
            or o.start.time() != first.start.time()]


def _exact(start: datetime, end: datetime) -> timedelta:
    """Real time between two moments (Python subtracts wall times within one zone)."""
    return end.astimezone(timezone.utc) - start.astimezone(timezone.utc)


def _instance(main, occurrence, first: datetime):
    """A copy of the event for one occurrence, at its exact instants."""
    from icalendar import Event
    instance = Event()
    for name, value in main.items():
        if name not in ("RRULE", "EXDATE", "DTSTART", "DTEND"):
            instance[name] = value
    instance.add("recurrence-id", rrule_instance(occurrence.start, first))
    instance.add("dtstart", unambiguous(occurrence.start))
    instance.add("dtend", unambiguous(occurrence.end))
    return instance


def rrule_instance(start: datetime, first: datetime) -> datetime:
    """The RRULE's wall time for an occurrence: DTSTART's time of day on its day.

    It differs from the occurrence's start only in the skipped hour, where the start moved
    later on the clock, by at most a day when the gap is at midnight.
    """
    for day in (start.date(), start.date() - timedelta(days=1)):
        wall = datetime.combine(day, first.time())
        if on_the_clock(wall, first.tzinfo) == start:
            return wall.replace(tzinfo=first.tzinfo)
    return start


def unambiguous(moment: datetime) -> datetime:
    """A wall time that happens twice (fall-back night) in UTC, so every client reads one instant.

    RFC 5545 says TZID=…:20271031T023000 is the first 02:30; ical.js takes the second.
    """
    if moment.utcoffset() != moment.replace(fold=1 - moment.fold).utcoffset():
        return moment.astimezone(timezone.utc)
    return moment


def uid(site: Site, slug: str) -> str:
    """Stable forever: the task's slug at the site's host."""
    return f"{slug}@{urlsplit(site.base_url).hostname}"


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


def description(site: Site, place: Place, view: TaskView, page: str) -> str:
    """The body as plain text, the task's web page and how to sign up."""
    words = Words(site.language)
    lines = [plain_text(view.task.body_html), "", words(_("More information: {page}", page=page))]
    link = signup_url(site, place, view) if view.can_sign_up else None
    reserve = waitlist_url(site, place, view) if view.state == "full" else None
    if link:
        lines.append(words(_("Sign up: {link}", link=link)))
    elif reserve:
        lines.append(words.signup_closed("full", waitlist=True))
        lines.append(words(_("Reserve list: {link}", link=reserve)))
    elif view.state != "open":
        lines.append(words.signup_closed(view.state))
    else:
        lines.append(words(_("Sign up: see the task's page.")))
    return "\n".join(lines).strip()

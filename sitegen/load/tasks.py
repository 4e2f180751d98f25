"""A task file's keys → a `Task` record, every mistake a `path:line` problem."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import PurePosixPath

from .. import messages
from ..messages import hints
from ..model import Client, Result, Site, Task
from ..problems import Problems
from ..typography import apostrophes
from ..when import (FREQUENCIES, MAX_DURATION, MAX_OCCURRENCES, Repeat, Schedule, WhenError, localize, parse_day,
                    parse_moment, parse_time_of_day)
from .fields import Fields
from .files import checked_record, read_body, read_contact, read_image
from .links import check_link, check_signup
from .mistakes import REPEAT_KEYS, by_label, curly_quoted, value_hint
from .markup import Body
from .yamlfile import FrontMatterText, HugeNumber, YamlList, YamlMap

TASK_KEYS = ("title", "place", "start", "end", "repeat", "client", "partners", "category",
             "talents", "access", "spots", "taken", "status", "signup", "waitlist", "reward",
             "contact", "image", "result", "draft")
CLIENT_KEYS = ("name", "url")
RESULT_KEYS = ("participants", "hours", "note")
STATUSES = ("open", "full", "cancelled")
DEFAULT_DURATION = timedelta(hours=2)


def load_task(path: str, front: FrontMatterText, body: Body, site: Site, places: tuple[str, ...],
              broken: tuple[str, ...]) -> tuple:
    """A task file's record (None when it has problems), its problems, warnings and pictures."""
    return checked_record(lambda meta, problems, pictures, unknown_places: _load_task(
        path, meta, front, body, site, places, broken, pictures, unknown_places, problems), path, front)


def _load_task(path, meta, front, body, site: Site, places, broken, pictures, unknown_places,
               problems) -> Task | None:
    fields = Fields(meta, path, problems, TASK_KEYS, top_of_task=True)
    before = len(problems.found)
    title = fields.text("title", required=True, example="Brieven plooien voor de Gezinsbond")
    place = fields.text("place", required=True, example=next(iter(places), "t-hof"))
    if place is not None and place in broken:
        fields.problem("place", messages.broken_place(place, f"content/places/{place}.md"))
    elif place is not None and place not in places:
        unknown_places.append((place, fields.line("place")))  # told by every build: check_places
    category = fields.text("category", required=True, example=site.categories[0].slug)
    known_categories = [c.slug for c in site.categories]
    if category is not None and category not in known_categories:
        if labelled := by_label(category, [(c.slug, c.label) for c in site.categories]):
            fields.problem("category", hints.category_by_label(category, *labelled))
        else:
            fields.problem("category", messages.unknown_choice("category", category, known_categories))
    status = fields.text("status") or "open"
    if status not in STATUSES:
        fields.problem("status", value_hint("status", status) or messages.bad_status(status))
    spots = fields.integer("spots", minimum=1)
    taken = fields.integer("taken", minimum=0)
    if spots is not None and taken is not None and taken > spots:
        fields.problem("taken", messages.taken_over_spots(taken, spots))
    signup = fields.text("signup")
    if signup and (problem := check_signup(signup)):
        fields.problem("signup", problem)
    task = Task(
        slug=PurePosixPath(path).stem,
        source=path,
        title=apostrophes(title or ""),
        place=place or "",
        category=category or "",
        schedule=_schedule(fields, site, problems),
        client=_client(fields),
        partners=tuple(map(apostrophes, fields.text_list("partners"))),
        talents=tuple(map(apostrophes, fields.text_list("talents"))),
        access=fields.slug_list("access", {c.slug: c for c in site.access}),
        spots=spots,
        taken=taken,
        status=status,
        signup=signup,
        waitlist=_waitlist(fields),
        reward=fields.number("reward"),
        contact=read_contact(fields),
        image=read_image(fields, pictures),
        result=_result(fields),
        draft=fields.boolean("draft"),
    )
    body_html, body_images = read_body(path, front, body, problems, pictures)
    task = replace(task, body_html=body_html, body_images=body_images)
    return task if len(problems.found) == before else None


def _schedule(fields: Fields, site: Site, problems: Problems) -> Schedule | None:
    zone = site.zone
    value = fields.value("start", required=True, example='"2027-01-16 09:30"')
    if value is None:
        return None
    try:
        start = parse_moment(value, fields.raw("start"), zone)
    except WhenError as error:
        fields.problem("start", error.message)
        _repeat(fields, None)  # its own mistakes are reported in the same build
        return None
    all_day = not isinstance(start, datetime)
    end = _end(fields, start, zone)
    if end is None:
        end = start if all_day else start + DEFAULT_DURATION
    repeat = _repeat(fields, start)
    schedule = Schedule(start, end, repeat)
    if schedule.fixed is not None and len(schedule.fixed) > MAX_OCCURRENCES:
        fields.problem("repeat", messages.too_many_occurrences(MAX_OCCURRENCES))
        return None
    for day in schedule.unmatched_exceptions():
        problems.warn(fields.path, fields.line("repeat"), messages.unmatched_exception(day))
    return schedule


def _end(fields: Fields, start, zone):
    value = fields.value("end")
    if value is None:
        return None
    all_day = not isinstance(start, datetime)
    clock = parse_time_of_day(value, fields.raw("end"))
    if clock is not None and all_day:
        fields.problem("end", messages.end_kind_mismatch(all_day))
        return None
    try:
        if clock is not None:
            end = localize(datetime.combine(start.date(), clock), zone)
        else:
            end = parse_moment(value, fields.raw("end"), zone, clock_alone=True)
    except WhenError as error:
        fields.problem("end", error.message)
        return None
    if isinstance(end, datetime) == all_day:
        fields.problem("end", messages.end_kind_mismatch(all_day))
        return None
    if end < start:
        fields.problem("end", messages.end_before_start(_show(end), _show(start)))
        return None
    if end - start > MAX_DURATION:
        fields.problem("end", messages.too_long(_show(end), _show(start), MAX_DURATION.days))
        return None
    return end


def _show(moment) -> str:
    return f"{moment:%Y-%m-%d %H:%M}" if isinstance(moment, datetime) else moment.isoformat()


def _repeat(fields: Fields, start) -> Repeat | None:
    """Read `repeat`; every mistake in it is reported, even when `freq` or `start` is wrong."""
    repeat = fields.mapping("repeat", REPEAT_KEYS, messages.REPEAT_NOT_MAPPING)
    if repeat is None:
        return None
    freq = repeat.text("freq", required=True, example="weekly")
    if freq is not None and freq not in FREQUENCIES:
        repeat.problem("freq", value_hint("freq", freq) or messages.bad_freq(freq))
        freq = None
    interval = repeat.integer("interval", minimum=1) or 1
    count = repeat.integer("count", minimum=1)
    until = None
    if (until_value := repeat.value("until")) is not None:
        try:
            until = parse_day(until_value, repeat.raw("until"))
        except WhenError as error:
            repeat.problem("until", error.message)
    if repeat.has("until") and repeat.has("count"):
        repeat.problem("count", messages.REPEAT_UNTIL_AND_COUNT)
    first_day = start.date() if isinstance(start, datetime) else start
    if until is not None and first_day is not None and until < first_day:
        repeat.problem("until", messages.repeat_until_before_start(until, first_day))
    exceptions = []
    raw_exceptions = repeat.value("except")
    if raw_exceptions is not None:
        items = raw_exceptions if isinstance(raw_exceptions, list) else [raw_exceptions]
        for index, item in enumerate(items):
            line = items.line_of(index) if isinstance(items, YamlList) else None
            if (inner := curly_quoted(item)) is not None:
                repeat.problem("except", hints.typographic_quotes_item("except", inner), line)
                continue
            try:
                exceptions.append(parse_day(item, None))
            except WhenError as error:
                repeat.problem("except", error.message, line)
    if freq is None or start is None:
        return None
    return Repeat(freq, interval, until, count, tuple(sorted(set(exceptions))))


def _client(fields: Fields) -> Client | None:
    value = fields.value("client")
    if value is None:
        return None
    if not isinstance(value, YamlMap):
        name = fields.text("client")
        return Client(apostrophes(name)) if name else None
    client = Fields(value, fields.path, fields.problems, CLIENT_KEYS, missing_line=fields.line("client"))
    name = client.text("name", required=True, example="Gezinsbond Zedelgem")
    url = client.text("url")
    if url and (problem := check_link(url, ("https", "http"), relative_ok=False)):
        client.problem("url", problem)
        url = None
    return Client(apostrophes(name or ""), url)


def _result(fields: Fields) -> Result | None:
    result = fields.mapping("result", RESULT_KEYS, _result_not_a_group)
    if result is None:
        return None
    return Result(
        participants=result.integer("participants", minimum=0),
        hours=result.number("hours"),
        note=apostrophes(result.text("note") or ""),
    )


_COUNT_RE = re.compile(r"\d+(?:[.,]\d+)?")
_WHOLE_NUMBER_RE = re.compile(r"[+-]?[0-9]+")


def _result_not_a_group(written: str) -> str:
    """`result: 9` is a count without its name; anything else is shown how a result is written."""
    return messages.result_number(written) if _COUNT_RE.fullmatch(written.strip()) else messages.RESULT_NOT_MAPPING


def _waitlist(fields: Fields) -> str | int | None:
    """A reserve-list form's URL, or how many are on the reserve list."""
    value = fields.value("waitlist")
    if value is None:
        return None
    if (type(value) is int or isinstance(value, HugeNumber)
            or isinstance(value, str) and _WHOLE_NUMBER_RE.fullmatch(value.strip())):
        return fields.integer("waitlist", minimum=0)  # `waitlist: "3"` is plainly the number 3
    if not isinstance(value, str):
        fields.problem("waitlist", messages.bad_waitlist(fields.written("waitlist")))
        return None
    url = value.strip()
    if problem := check_signup(url, "waitlist"):
        # `waitlist: ja` is no attempt at a link: say both things the key can be.
        fields.problem("waitlist", problem if re.search(r"[:.@/]", url) else messages.bad_waitlist(url))
        return None
    return url

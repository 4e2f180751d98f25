"""Dates and times as coordinators write them, and the occurrences of a task.

Accepted: `2027-01-16` (all day), `2027-01-16 09:30`, `2027-01-16T09:30[:00]`,
optionally with an offset (`+01:00`, `Z`). A naive time is in the site time
zone. A wall-clock time that does not exist (the spring-forward gap) is an
error; one that happens twice (fall-back) means its first occurrence. A repeat
that lands in the gap on one night is read as RFC 5545 reads it (see `on_the_clock`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from . import messages
from .messages import hints

Moment = date | datetime  # a `date` for all-day tasks, an aware `datetime` otherwise

_DATE = r"\d{4}-\d{2}-\d{2}"
_TIME = r"\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?"  # a fraction: JavaScript's toISOString() writes .000
_OFFSET = r"Z|[+-]\d{2}:?\d{2}"
_DATETIME_RE = re.compile(rf"({_DATE})(?:[ T]({_TIME})(?:\s*({_OFFSET}))?)?")
_TIME_RE = re.compile(rf"({_TIME})")


class WhenError(ValueError):
    """A date or time that cannot be used; the message says what to write."""

    @property
    def message(self) -> str:
        return self.args[0]  # a Text: str() of the error would keep only its English


# Years a task board can mean. Outside them a date is a typo (0202, 20277) or an attack:
# year 1 and 9999 overflow as soon as a time zone is applied, and a far end or repeat made
# the board, month filter and feeds cover thousands of months. 1900 keeps old results
# writable; 2200 is far beyond any poster.
YEAR_MIN, YEAR_MAX = 1900, 2200
# At most this many occurrences of one repeat: a weekly task for almost ten years. A repeat
# with `count` or `until` past it is refused; an endless one lists at most this many.
MAX_OCCURRENCES = 500
# The longest one occurrence may last: a season. Longer is not one task but a repeat.
MAX_DURATION = timedelta(days=92)


def _in_years(moment, shown) -> None:
    if not YEAR_MIN <= moment.year <= YEAR_MAX:
        raise WhenError(messages.year_out_of_range(shown, YEAR_MIN, YEAR_MAX))


def localize(naive: datetime, zone: ZoneInfo) -> datetime:
    """Attach the site zone; refuse a time in the DST gap, take the first of two."""
    if on_the_clock(naive, zone).replace(tzinfo=None) != naive:
        raise WhenError(messages.nonexistent_time(naive, zone.key))
    return naive.replace(tzinfo=zone, fold=0)


def on_the_clock(wall: datetime, zone: ZoneInfo) -> datetime:
    """The moment a wall-clock time names in `zone`, as that zone's clocks show it.

    A time in the hour the clocks skip is read with the offset before the gap (RFC 5545,
    3.3.5), so a weekly 02:30 becomes 03:30 summer time on the night the clocks go
    forward; of a time that happens twice, the first. (`astimezone` to the zone a
    datetime already has changes nothing, hence the way through UTC.)
    """
    return wall.replace(tzinfo=zone, fold=0).astimezone(timezone.utc).astimezone(zone)


def parse_moment(value: object, raw: str | None, zone: ZoneInfo, *, clock_alone: bool = False) -> Moment:
    """Turn a YAML value (text, date, datetime) into a date or an aware datetime.

    `clock_alone`: a time without a date is allowed where this is read (`end`), so one
    written `12.00` is told to use a colon, not to add a date.
    """
    if isinstance(value, date):  # a datetime too: checked before a zone can overflow it
        _in_years(value, raw if raw is not None else value)
    if isinstance(value, datetime):
        value = value.replace(microsecond=0)  # a board, a feed and a poster count in minutes
        if value.tzinfo is None:
            return localize(value, zone)
        return value.astimezone(zone)
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _DATETIME_RE.fullmatch(value.strip())
        if match:
            day_text, time_text, offset = match.groups()
            day = _existing_day(day_text)
            _in_years(day, value.strip())
            if time_text is None:
                return day
            try:
                parsed = datetime.fromisoformat(
                    f"{day_text}T{_pad(time_text)}{_offset(offset)}").replace(microsecond=0)
            except ValueError:
                raise WhenError(messages.bad_date(value)) from None
            if parsed.tzinfo is None:
                return localize(parsed, zone)
            return parsed.astimezone(zone)
    shown = str(raw if raw is not None else value).strip()
    if hint := written_hint(shown, clock_alone=clock_alone):
        raise WhenError(hint)
    if isinstance(value, int):  # YAML 1.1 read an unquoted 10:00 as 600
        raise WhenError(hints.time_without_date(shown, shown))
    raise WhenError(messages.bad_date(shown))


def parse_time_of_day(value: object, raw: str | None) -> time | None:
    """Read `12:00` (YAML's integer 720 when unquoted) as a time, else None."""
    text = raw if raw is not None else value
    if not isinstance(text, str):
        return None
    match = _TIME_RE.fullmatch(text.strip())
    if not match:
        return None
    try:
        return time.fromisoformat(_pad(match.group(1))).replace(microsecond=0)
    except ValueError:
        return None


def parse_day(value: object, raw: str | None) -> date:
    """Read a calendar date (for `until` and `except`)."""
    if isinstance(value, datetime):
        raise WhenError(messages.expected_date(raw or value))
    if isinstance(value, date):
        _in_years(value, raw if raw is not None else value)
        return value
    if isinstance(value, str) and re.fullmatch(_DATE, value.strip()):
        day = _existing_day(value.strip())
        _in_years(day, value.strip())
        return day
    shown = raw if raw is not None else value
    if isinstance(shown, str) and (hint := written_hint(shown.strip(), date_only=True)):
        raise WhenError(hint)
    raise WhenError(messages.expected_date(shown))


# Dates and times as people write them in a letter or a text message: each is told how to
# write it (what it means is clear, but reading it silently would make 03/04 a guess).
_WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag",
             "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTHS = {name: number for number, names in enumerate((
    ("januari", "january", "jan"), ("februari", "february", "feb"), ("maart", "march", "mrt", "mar"),
    ("april", "apr"), ("mei", "may"), ("juni", "june", "jun"), ("juli", "july", "jul"),
    ("augustus", "august", "aug"), ("september", "sept", "sep"), ("oktober", "october", "okt", "oct"),
    ("november", "nov"), ("december", "dec")), start=1) for name in names}
# 9.30, 9u30, 9h30, 9:30 uur; and a whole hour as Flemish writes it: 12u, 12 uur, 12h.
_WRITTEN_CLOCK = r"(?:\s*(?:om\s+)?(\d{1,2})(?:\s*[:.,hu]\s*(\d{2})(?:\s*u(?:ur)?)?|\s*(?:uur|u|h)))"
_WRITTEN_RE = re.compile(
    rf"(?:({'|'.join(_WEEKDAYS)})\b[,.]?\s*)?"
    rf"(?:(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})"  # year-month-day
    rf"|(\d{{1,2}})\s*[/.-]\s*(\d{{1,2}})\s*[/.-]\s*(\d{{4}})"  # day/month/year
    rf"|(\d{{1,2}})\.?\s+([a-z]+)\.?\s+(\d{{4}}))?"  # 16 januari 2027
    rf"(?:[ T,]*{_WRITTEN_CLOCK})?", re.IGNORECASE)


def written_hint(text: str, *, clock_alone: bool = False, date_only: bool = False):
    """How to write a date or time written the way people do in a letter; None when it is none of those."""
    match = _WRITTEN_RE.fullmatch(text.strip())
    if not match or not text.strip():
        return hints.weekday(text) if _names_weekday(text) else None
    weekday, year, month, day, dmy_day, dmy_month, dmy_year, w_day, w_month, w_year, hour, minute = match.groups()
    minute = minute or "00"  # 12u: a whole hour
    clock = f"{int(hour):02d}:{minute}" if hour is not None else None
    if clock is not None and not (int(hour) < 24 and int(minute) < 60):
        return None
    if dmy_year:
        year, month, day = dmy_year, dmy_month, dmy_day
    elif w_year:
        if w_month.lower() not in _MONTHS:
            return hints.weekday(text) if weekday else None
        year, month, day = w_year, str(_MONTHS[w_month.lower()]), w_day
    if year is None:
        if weekday:
            return hints.weekday(text)
        if clock is None or date_only:
            return None
        return hints.time_separator(text, clock) if clock_alone else hints.time_without_date(text, clock)
    try:
        day_text = date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None
    if clock is not None and date_only:
        return None
    fixed = day_text if clock is None else f'"{day_text} {clock}"'
    if dmy_year:
        return hints.day_month_year(text, fixed)
    if w_year or weekday:
        return hints.date_in_words(text, fixed)
    return hints.time_separator(text, f"{day_text} {clock}") if clock else None


def _names_weekday(text: str) -> bool:
    return any(re.search(rf"\b{name}\b", text, re.IGNORECASE) for name in _WEEKDAYS)


def _existing_day(text: str) -> date:
    """A YYYY-MM-DD text as a date; 2027-02-30 is refused with the same words as unquoted."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise WhenError(messages.impossible_date(text)) from None


def _pad(clock: str) -> str:
    return "0" + clock if clock.index(":") == 1 else clock  # 9:30:00 too, not only 9:30


def _offset(offset: str | None) -> str:
    if not offset or offset == "Z":
        return "+00:00" if offset else ""
    return offset if ":" in offset else f"{offset[:3]}:{offset[3:]}"


FREQUENCIES = ("daily", "weekly", "monthly")


@dataclass(frozen=True)
class Repeat:
    """How a task recurs; every occurrence lasts as long as the first."""

    freq: str  # daily, weekly or monthly
    interval: int = 1
    until: date | None = None  # last possible day, inclusive
    count: int | None = None  # or: how many times in all
    exceptions: tuple[date, ...] = ()  # days on which it does not happen


@dataclass(frozen=True)
class Occurrence:
    """One time a task happens: [start, end] (an all-day end is the last day)."""

    start: Moment
    end: Moment

    @property
    def day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def last_day(self) -> date:
        return self.end.date() if isinstance(self.end, datetime) else self.end


# How far ahead an endless repeat is listed (the board, the next date).
ENDLESS_HORIZON = timedelta(days=366 * 2)


@dataclass(frozen=True)
class Schedule:
    """When a task happens: its first occurrence and how it repeats."""

    start: Moment
    end: Moment
    repeat: Repeat | None = None

    @cached_property
    def fixed(self) -> tuple[Occurrence, ...] | None:
        """The occurrences of a repeat with an end: they do not depend on the build moment, so
        made once (when loading checks their number) they travel with the remembered task."""
        # (No repeat: nothing to walk. Both until and count: a content mistake loading reports.)
        if self.repeat is not None and (self.repeat.until is None) != (self.repeat.count is None):
            return self._occurrences(None)
        return None

    @property
    def all_day(self) -> bool:
        return not isinstance(self.start, datetime)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def occurrences(self, horizon: date | None = None) -> tuple[Occurrence, ...]:
        """Every occurrence, in order; an endless repeat stops at `horizon`."""
        return self.fixed if self.fixed is not None else self._occurrences(horizon)

    def _occurrences(self, horizon: date | None) -> tuple[Occurrence, ...]:
        if self.repeat is None:
            return (Occurrence(self.start, self.end),)
        return tuple(
            Occurrence(start, self._shift_end(start))
            for start in self._starts(horizon)
        )

    def _starts(self, horizon: date | None):
        repeat = self.repeat
        zone = self.start.tzinfo if not self.all_day else None
        first = self.start.replace(tzinfo=None) if zone else datetime.combine(self.start, time())
        until = repeat.until
        endless = until is None and repeat.count is None
        if endless:
            until = horizon or (self.start.date() if zone else self.start) + ENDLESS_HORIZON
        # No occurrence past the last year a date may have, however the repeat is written.
        until = min(until or date.max, date(YEAR_MAX, 12, 31))
        from dateutil import rrule  # here: a build that finds every task remembered never needs it
        rule = rrule.rrule(
            {"daily": rrule.DAILY, "weekly": rrule.WEEKLY, "monthly": rrule.MONTHLY}[repeat.freq],
            dtstart=first,
            interval=repeat.interval,
            count=repeat.count,
            until=None if repeat.count else datetime.combine(until, time.max),
        )
        skipped = set(repeat.exceptions)
        # An endless repeat is cut at the limit; a fixed one goes one past it, which
        # content.py refuses (so a count of 10^20 is never walked further).
        left = MAX_OCCURRENCES if endless else MAX_OCCURRENCES + 1
        for wall in rule:
            if wall.date() in skipped:
                continue
            if left == 0 or wall.year > YEAR_MAX:
                return
            left -= 1
            if zone is None:
                yield wall.date()
            else:
                # Repeats keep their wall-clock time across DST changes.
                yield on_the_clock(wall, zone)

    def _shift_end(self, start: Moment) -> Moment:
        """The end on the clock, as long on the clock as the first occurrence.

        From a start moved out of the gap this keeps the length too: 02:30–03:00 becomes
        03:30–04:00, not an end before the start.
        """
        if self.all_day:
            return start + self.duration
        local_end = start.replace(tzinfo=None) + (
            self.end.replace(tzinfo=None) - self.start.replace(tzinfo=None)
        )
        return on_the_clock(local_end, start.tzinfo)

    def unmatched_exceptions(self) -> tuple[date, ...]:
        """Exception days that are not one of the repeat's days (likely typos)."""
        if self.repeat is None or not self.repeat.exceptions:
            return ()
        plain = Schedule(self.start, self.end, Repeat(
            self.repeat.freq, self.repeat.interval, self.repeat.until, self.repeat.count))
        days = {o.day for o in plain.occurrences(max(self.repeat.exceptions) + timedelta(1))}
        return tuple(d for d in self.repeat.exceptions if d not in days)


def is_over(occurrence: Occurrence, now: datetime) -> bool:
    """True once an occurrence has ended at `now` (all-day: after its last day)."""
    if isinstance(occurrence.end, datetime):
        return occurrence.end <= now
    return occurrence.end < now.astimezone(now.tzinfo).date()

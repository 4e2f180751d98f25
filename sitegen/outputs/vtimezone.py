"""A VTIMEZONE that real calendar apps read correctly, from the zone's current rules.

icalendar's `add_missing_timezones()` writes every past transition as one
multi-value RDATE; Mozilla's ical.js (Thunderbird) reads only the first value,
so summer times come out an hour off. Calendar apps themselves write what every
client understands: one STANDARD and one DAYLIGHT component, each with a yearly
RRULE ("last Sunday of March at 02:00"). We derive those rules from the IANA
data (zoneinfo) for the build year and check them against zoneinfo for the
years around it; a zone whose changes follow no such rule gets one component
per change instead (each with a single DTSTART, never a multi-value RDATE).
"""

from __future__ import annotations

import calendar as month_lengths
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from dateutil import rrule

# Rules hold "for good" once they match zoneinfo over this many years from the build year.
CHECK_YEARS = range(-1, 12)
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_EPOCH_YEAR = 1970  # where rule components start, as calendar apps write them


@dataclass(frozen=True)
class Change:
    """One UTC-offset change of a zone."""

    at: datetime  # the instant, in UTC
    before: timedelta  # UTC offset before it
    after: timedelta  # UTC offset after it
    name: str  # abbreviation after it, e.g. CEST
    daylight: bool  # summer time after it

    @property
    def wall(self) -> datetime:
        """The local wall-clock time at which it happens, on the old offset (naive)."""
        return (self.at + self.before).replace(tzinfo=None)


@dataclass(frozen=True)
class Rule:
    """A yearly change: BYMONTH, BYDAY (e.g. -1SU) and the wall-clock time."""

    month: int
    byday: str
    wall: timedelta  # time of day on the old offset
    before: timedelta
    after: timedelta
    name: str
    daylight: bool

    def instant(self, year: int) -> datetime:
        """When this rule changes the offset in `year`, in UTC."""
        day = _nth_weekday(year, self.month, self.byday)
        return (datetime(year, self.month, day) + self.wall - self.before).replace(tzinfo=timezone.utc)


def changes(zone: ZoneInfo, start: datetime, end: datetime) -> list[Change]:
    """Every offset change of `zone` between two UTC instants (daily scan, then bisection)."""
    found = []
    step = timedelta(days=1)
    moment = start
    offset = moment.astimezone(zone).utcoffset()
    while moment < end:
        later = min(moment + step, end)
        later_offset = later.astimezone(zone).utcoffset()
        if later_offset != offset:
            low, high = moment, later
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == offset:
                    low = middle
                else:
                    high = middle
            high = high.replace(microsecond=0)
            local = high.astimezone(zone)
            found.append(Change(high, offset, later_offset, local.tzname() or "",
                                bool(local.dst())))
        moment, offset = later, later_offset
    return found


def yearly_rules(zone: ZoneInfo, year: int) -> list[Rule] | None:
    """The zone's changes in `year` as yearly rules, if they hold for the years around it."""
    this_year = _changes_in(zone, year)
    if not this_year:
        return [] if all(not _changes_in(zone, year + d) for d in CHECK_YEARS) else None
    options = [_candidates(change) for change in this_year]
    rules = [next(iter(o)) for o in options]
    for index, candidates in enumerate(options):
        for candidate in candidates:
            trial = rules[:index] + [candidate] + rules[index + 1:]
            if _matches(zone, year, trial):
                rules = trial
                break
    return rules if _matches(zone, year, rules) else None


def vtimezone(zone: ZoneInfo, year: int):
    """A VTIMEZONE for `zone` as its rules stand in `year` (or its changes from year-1 to year+10)."""
    from icalendar import Timezone, TimezoneDaylight, TimezoneStandard  # here: rarely needed
    component = Timezone()
    component.add("tzid", zone.key)
    rules = yearly_rules(zone, year)
    if rules == []:
        offset = datetime(year, 1, 1, tzinfo=timezone.utc).astimezone(zone)
        component.add_component(_part(TimezoneStandard, datetime(_EPOCH_YEAR, 1, 1),
                                      offset.utcoffset(), offset.utcoffset(), offset.tzname()))
    elif rules is not None:
        for rule in sorted(rules, key=lambda r: (not r.daylight, r.month)):
            first = datetime(_EPOCH_YEAR, rule.month,
                             _nth_weekday(_EPOCH_YEAR, rule.month, rule.byday)) + rule.wall
            part = _part(TimezoneDaylight if rule.daylight else TimezoneStandard, first,
                         rule.before, rule.after, rule.name)
            part.add("rrule", {"freq": "yearly", "bymonth": rule.month, "byday": rule.byday})
            component.add_component(part)
    else:
        for change in _changes_between(zone, year - 1, year + 10):
            kind = TimezoneDaylight if change.daylight else TimezoneStandard
            component.add_component(_part(kind, change.wall, change.before, change.after, change.name))
    return component


def _part(kind, start: datetime, before: timedelta, after: timedelta, name: str | None):
    part = kind()
    part.add("dtstart", start)
    part.add("tzoffsetfrom", before)
    part.add("tzoffsetto", after)
    if name:
        part.add("tzname", name)
    return part


def _changes_in(zone: ZoneInfo, year: int) -> list[Change]:
    return _changes_between(zone, year, year)


def _changes_between(zone: ZoneInfo, first: int, last: int) -> list[Change]:
    return changes(zone, datetime(first, 1, 1, tzinfo=timezone.utc),
                   datetime(last + 1, 1, 1, tzinfo=timezone.utc))


def _candidates(change: Change) -> list[Rule]:
    """Ways to name the day of a change: "last Sunday" and/or "second Sunday"."""
    wall = change.wall
    weekday = _DAYS[wall.weekday()]
    length = month_lengths.monthrange(wall.year, wall.month)[1]
    time_of_day = wall - wall.replace(hour=0, minute=0, second=0)
    names = []
    if wall.day > length - 7:
        names.append(f"-1{weekday}")
    names.append(f"{(wall.day - 1) // 7 + 1}{weekday}")
    return [Rule(wall.month, name, time_of_day, change.before, change.after, change.name,
                 change.daylight) for name in names]


def _matches(zone: ZoneInfo, year: int, rules: list[Rule]) -> bool:
    for delta in CHECK_YEARS:
        actual = _changes_in(zone, year + delta)
        expected = sorted(rule.instant(year + delta) for rule in rules)
        if [c.at for c in actual] != expected:
            return False
        by_instant = {rule.instant(year + delta): rule for rule in rules}
        for change in actual:
            rule = by_instant[change.at]
            if (rule.before, rule.after) != (change.before, change.after):
                return False
    return True


def _nth_weekday(year: int, month: int, byday: str) -> int:
    """The day of the month of e.g. -1SU (last Sunday) or 2SU (second Sunday)."""
    weekday = _DAYS.index(byday[-2:])
    nth = int(byday[:-2])
    days = list(rrule.rrule(rrule.MONTHLY, count=1, dtstart=datetime(year, month, 1),
                            byweekday=rrule.weekday(weekday)(nth)))
    return days[0].day

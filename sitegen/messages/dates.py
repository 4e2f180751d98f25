"""Messages about dates, times and repeats."""

from __future__ import annotations

from ..i18n import _
from ._words import describe


def bad_date(value: object) -> str:
    return _("{got} is not a date; write '2027-01-16' for a whole day "
             "or \"2027-01-16 09:30\" (in quotes) for a time", got=describe(value))


def impossible_date(text: str) -> str:
    return _("'{text}' is not a date that exists; check the day and the month (2027-01-16)", text=text)


def expected_date(value: object) -> str:
    return _("{got} is not a date; write it as 2027-01-16", got=describe(value))


def nonexistent_time(naive, zone: str) -> str:
    return _("{when} does not exist in {zone}: the clocks jump forward that night; pick a time an hour later",
             when=f"{naive:%Y-%m-%d %H:%M}", zone=zone)


def year_out_of_range(value: object, first: int, last: int) -> str:
    return _("{got} is outside the years {first}–{last} this board can show; check the year (e.g. 2027-01-16)",
             got=describe(value), first=first, last=last)


def too_long(end: object, start: object, days: int) -> str:
    return _("end ({end}) is more than {days} days after start ({start}); one task lasts at most "
             "that long: for a task that comes back, use 'repeat'", end=end, start=start, days=days)


def too_many_occurrences(limit: int) -> str:
    return _("this repeat happens more than {limit} times; at most {limit} fit on the board and "
             "in calendars: use a smaller 'count' or an earlier 'until', or a new task for later", limit=limit)


def end_before_start(end: object, start: object) -> str:
    return _("end ({end}) is before start ({start}); the end must be at or after the start", end=end, start=start)


def end_kind_mismatch(all_day_start: bool) -> str:
    if all_day_start:
        return _("start is a whole day, so end must be a date too (the last day, e.g. 2027-01-18)")
    return _("start has a time, so end needs a time too (\"2027-01-16 12:00\" or just \"12:00\")")


def bad_freq(value: object) -> str:
    return _("repeat freq must be 'daily', 'weekly' or 'monthly', not {got}", got=describe(value))


REPEAT_UNTIL_AND_COUNT = _("repeat has both 'until' and 'count'; keep one: until a date, or a number of times")
REPEAT_NOT_MAPPING = _("repeat must be a group of keys, e.g. 'repeat:' then '  freq: weekly' and "
                       "'  until: 2027-03-27'")


def repeat_until_before_start(until, start) -> str:
    return _("repeat until ({until}) is before the first day ({start}); use {start} or a later day",
             until=str(until), start=str(start))


def unmatched_exception(day) -> str:
    return _("except date {day} is not one of the repeat's days, so it changes nothing", day=str(day))

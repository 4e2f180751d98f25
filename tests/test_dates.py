"""Dates as coordinators write them (YAML traps, offsets, DST), repeats, and dates in words."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from sitegen.build import load
from sitegen.model import view_task
from sitegen.when import (Occurrence, Repeat, Schedule, WhenError, is_over, localize, parse_day,
                          parse_moment, parse_time_of_day)
from sitegen.render.words import Words
from sitegen.load.yamlfile import parse_yaml

BRUSSELS = ZoneInfo("Europe/Brussels")


def moment(yaml_value: str):
    """Parse `start: <yaml_value>` exactly as a task file would be read."""
    data = parse_yaml(f"start: {yaml_value}\n")
    return parse_moment(data["start"], data.raw.get("start"), BRUSSELS)


# -- parse_moment -------------------------------------------------------------


def test_bare_date_is_all_day():
    assert moment("2027-01-16") == date(2027, 1, 16)
    assert moment("'2027-01-16'") == date(2027, 1, 16)


@pytest.mark.parametrize("written", [
    "2027-01-16 09:30",  # unquoted, no seconds: YAML gives text
    "'2027-01-16 09:30'",
    "2027-01-16 09:30:00",  # unquoted with seconds: YAML gives a naive datetime
    "2027-01-16T09:30",
    "'2027-01-16T09:30:00'",
    "'2027-01-16 9:30'",
    "'2027-01-16 9:30:00'",  # one-digit hour with seconds
    "'2027-01-16T09:30:00.000'",  # a fraction of a second, as JavaScript writes it
    "2027-01-16 09:30:00.250",  # unquoted: YAML's datetime with microseconds
])
def test_naive_times_are_in_the_site_zone(written):
    value = moment(written)
    assert value == datetime(2027, 1, 16, 9, 30, tzinfo=BRUSSELS)
    assert value.utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("written, utc_hour", [
    ("'2027-01-16 09:30+01:00'", 8),
    ("2027-01-16T09:30:00+01:00", 8),  # unquoted: YAML's aware datetime
    ("'2027-01-16T09:30Z'", 9),
    ("2027-01-16T09:30:00Z", 9),
    ("'2027-01-16 09:30 +0200'", 7),
    ("'2027-01-16T09:30:00.000Z'", 9),  # JavaScript's toISOString(), other web editors' default
    ("2027-01-16T09:30:00.000Z", 9),
])
def test_offsets_are_respected_and_shown_in_the_site_zone(written, utc_hour):
    value = moment(written)
    assert value.astimezone(timezone.utc).hour == utc_hour
    assert value.tzinfo == BRUSSELS and value.microsecond == 0


def test_unquoted_time_alone_is_the_integer_600_and_refused():
    data = parse_yaml("start: 10:00\n")
    assert data["start"] == 600
    with pytest.raises(WhenError, match="'10:00' is a time without a date"):
        parse_moment(data["start"], data.raw["start"], BRUSSELS)


def test_spring_forward_gap_is_an_error():
    with pytest.raises(WhenError) as error:
        moment("'2027-03-28 02:30'")
    assert str(error.value) == ("2027-03-28 02:30 does not exist in Europe/Brussels: the clocks "
                                "jump forward that night; pick a time an hour later")


def test_fall_back_ambiguity_takes_the_first_occurrence():
    value = moment("'2027-10-31 02:30'")
    assert value.utcoffset() == timedelta(hours=2)  # still summer time: the first 02:30
    assert value.astimezone(timezone.utc) == datetime(2027, 10, 31, 0, 30, tzinfo=timezone.utc)
    assert localize(datetime(2027, 10, 31, 3, 30), BRUSSELS).utcoffset() == timedelta(hours=1)


@pytest.mark.parametrize("written", ["'2027-13-01'", "'volgende week'", "'2027-01-16 25:00'"])
def test_not_dates(written):
    with pytest.raises(WhenError, match="is not a date"):
        moment(written)


def test_time_of_day_for_end():
    data = parse_yaml("a: 12:00\nb: '12:30'\nc: 2027-01-16\n")
    assert parse_time_of_day(data["a"], data.raw["a"]) == time(12, 0)  # unquoted: YAML's 720
    assert parse_time_of_day(data["b"], data.raw["b"]) == time(12, 30)
    assert parse_time_of_day(data["c"], data.raw["c"]) is None


def test_parse_day_for_until_and_except():
    assert parse_day(date(2027, 3, 27), None) == date(2027, 3, 27)
    assert parse_day("2027-03-27", None) == date(2027, 3, 27)
    with pytest.raises(WhenError):
        parse_day(datetime(2027, 3, 27, 10), "2027-03-27 10:00:00")
    with pytest.raises(WhenError):
        parse_day("morgen", None)


# -- end and default durations, through the loader -----------------------------


def load_task(site, front: str):
    site.task("t", "title: T\nplace: t-hof\ncategory: koken\n" + front)
    model, _ = load(site.options(drafts=True))
    return model.tasks[0].task.schedule


def test_end_as_time_only_quoted_or_not(site):
    for written in ("'12:00'", "12:00"):
        schedule = load_task(site, f"start: '2027-01-16 09:30'\nend: {written}")
        assert schedule.end == datetime(2027, 1, 16, 12, 0, tzinfo=BRUSSELS)


def test_default_end_is_two_hours_or_the_same_day(site):
    assert load_task(site, "start: '2027-01-16 09:30'").end == datetime(2027, 1, 16, 11, 30, tzinfo=BRUSSELS)
    assert load_task(site, "start: 2027-01-16").end == date(2027, 1, 16)


def test_multi_day_all_day_end_is_inclusive(site):
    schedule = load_task(site, "start: 2027-01-16\nend: 2027-01-18")
    assert schedule.end == date(2027, 1, 18)
    assert schedule.occurrences() == (Occurrence(date(2027, 1, 16), date(2027, 1, 18)),)


def test_end_across_the_dst_change_keeps_wall_clock(site):
    schedule = load_task(site, "start: '2027-03-27 20:00'\nend: '2027-03-28 08:00'")
    # Same-zone subtraction in Python is wall-clock; the real length is in UTC: an hour is lost.
    assert schedule.end.timestamp() - schedule.start.timestamp() == 11 * 3600


# -- repeats --------------------------------------------------------------------


def timed(day: date, hour=9, minute=30):
    return datetime.combine(day, time(hour, minute), tzinfo=BRUSSELS)


def test_weekly_until_is_inclusive():
    start = timed(date(2027, 1, 16))
    schedule = Schedule(start, start + timedelta(hours=2),
                        Repeat("weekly", until=date(2027, 2, 6)))
    assert [o.day for o in schedule.occurrences()] == [
        date(2027, 1, 16), date(2027, 1, 23), date(2027, 1, 30), date(2027, 2, 6)]


def test_count_and_interval():
    start = timed(date(2027, 1, 16))
    schedule = Schedule(start, start + timedelta(hours=2), Repeat("weekly", interval=2, count=3))
    assert [o.day for o in schedule.occurrences()] == [
        date(2027, 1, 16), date(2027, 1, 30), date(2027, 2, 13)]


def test_except_removes_days_and_count_includes_them():
    """As in RFC 5545: the excepted day still counts toward `count`."""
    start = timed(date(2027, 1, 16))
    schedule = Schedule(start, start + timedelta(hours=2),
                        Repeat("weekly", count=3, exceptions=(date(2027, 1, 23),)))
    assert [o.day for o in schedule.occurrences()] == [date(2027, 1, 16), date(2027, 1, 30)]
    assert schedule.unmatched_exceptions() == ()


def test_unmatched_exception_is_found():
    start = timed(date(2027, 1, 16))
    schedule = Schedule(start, start, Repeat("weekly", count=3, exceptions=(date(2027, 1, 24),)))
    assert schedule.unmatched_exceptions() == (date(2027, 1, 24),)


def test_daily_and_monthly():
    daily = Schedule(date(2027, 1, 30), date(2027, 1, 30), Repeat("daily", count=3))
    assert [o.start for o in daily.occurrences()] == [date(2027, 1, 30), date(2027, 1, 31), date(2027, 2, 1)]
    monthly = Schedule(date(2027, 1, 15), date(2027, 1, 15), Repeat("monthly", count=3))
    assert [o.start for o in monthly.occurrences()] == [date(2027, 1, 15), date(2027, 2, 15), date(2027, 3, 15)]


def test_repeats_keep_wall_clock_time_across_dst():
    start = timed(date(2027, 3, 21), 10, 0)  # a Sunday; summer time starts on the next one
    schedule = Schedule(start, start + timedelta(hours=2), Repeat("weekly", count=2))
    first, second = schedule.occurrences()
    assert (first.start.hour, second.start.hour) == (10, 10)
    assert first.start.utcoffset() == timedelta(hours=1)
    assert second.start.utcoffset() == timedelta(hours=2)
    assert second.end - second.start == timedelta(hours=2)


def test_multi_day_repeat_keeps_its_length():
    schedule = Schedule(date(2027, 1, 16), date(2027, 1, 17), Repeat("weekly", count=2))
    assert schedule.occurrences()[1] == Occurrence(date(2027, 1, 23), date(2027, 1, 24))


def test_endless_repeat_stops_at_the_horizon():
    schedule = Schedule(date(2027, 1, 16), date(2027, 1, 16), Repeat("weekly"))
    days = [o.start for o in schedule.occurrences(horizon=date(2027, 2, 1))]
    assert days == [date(2027, 1, 16), date(2027, 1, 23), date(2027, 1, 30)]


def test_repeat_through_the_loader(site):
    schedule = load_task(site, "start: '2027-01-16 09:30'\nend: 12:00\nrepeat:\n  freq: weekly\n"
                         "  until: 2027-02-06\n  except:\n    - 2027-01-23\n")
    assert schedule.repeat == Repeat("weekly", 1, date(2027, 2, 6), None, (date(2027, 1, 23),))
    assert [o.day for o in schedule.occurrences()] == [date(2027, 1, 16), date(2027, 1, 30), date(2027, 2, 6)]
    assert schedule.occurrences()[-1].end == timed(date(2027, 2, 6), 12, 0)


# -- past and upcoming ---------------------------------------------------------------


def test_over_at_the_end_not_the_start():
    now = timed(date(2027, 1, 16), 11, 0)
    assert not is_over(Occurrence(timed(date(2027, 1, 16)), timed(date(2027, 1, 16), 12)), now)
    assert is_over(Occurrence(timed(date(2027, 1, 16), 8), timed(date(2027, 1, 16), 10)), now)
    assert not is_over(Occurrence(date(2027, 1, 16), date(2027, 1, 16)), now)  # all day: today counts
    assert is_over(Occurrence(date(2027, 1, 15), date(2027, 1, 15)), now)


def test_view_picks_the_next_occurrence(site):
    site.task("t", "title: T\nplace: t-hof\ncategory: koken\nstart: 2026-11-19\n"
              "repeat:\n  freq: weekly\n  count: 3")
    model, _ = load(site.options())  # BUILD_NOW is Thursday 2026-11-26 12:00
    view = model.tasks[0]
    assert view.next.start == date(2026, 11, 26) and not view.past
    assert view_task(view.task, timed(date(2026, 12, 10), 12)).past


# -- dates in words ------------------------------------------------------------------


NL, EN = Words("nl"), Words("en")


def test_words_timed_same_day():
    occurrence = Occurrence(timed(date(2027, 1, 16)), timed(date(2027, 1, 16), 12, 0))
    assert NL.when(occurrence) == "zaterdag 16 januari 2027, 9.30–12 uur"
    assert EN.when(occurrence) == "Saturday 16 January 2027, 9:30–12:00"


def test_words_all_day_and_multi_day():
    assert NL.when(Occurrence(date(2027, 1, 16), date(2027, 1, 16))) == "zaterdag 16 januari 2027, de hele dag"
    assert NL.when(Occurrence(date(2027, 1, 16), date(2027, 1, 18))) == (
        "zaterdag 16 januari tot en met maandag 18 januari 2027")
    assert NL.when(Occurrence(date(2026, 12, 31), date(2027, 1, 1))) == (
        "donderdag 31 december 2026 tot en met vrijdag 1 januari 2027")


def test_words_timed_over_two_days():
    occurrence = Occurrence(timed(date(2027, 1, 16), 20, 0), timed(date(2027, 1, 17), 2, 15))
    assert NL.when(occurrence) == "zaterdag 16 januari 2027, 20 uur – zondag 17 januari 2027, 2.15 uur"


def test_words_repeat():
    first = Occurrence(timed(date(2027, 1, 16)), timed(date(2027, 1, 16), 12))
    repeat = Repeat("weekly", until=date(2027, 3, 27), exceptions=(date(2027, 2, 13), date(2027, 2, 20)))
    assert NL.repeat(repeat, first) == (
        "elke zaterdag, tot en met 27 maart 2027, niet op 13 februari 2027 en 20 februari 2027")
    assert NL.repeat(Repeat("monthly", interval=2, count=4), first) == "om de 2 maanden op de 16e, 4 keer"


def test_a_bounded_schedule_carries_its_occurrences_so_a_remembered_task_walks_no_rule(monkeypatch):
    import pickle

    from dateutil import rrule

    start = datetime(2027, 1, 16, 9, 30, tzinfo=BRUSSELS)
    schedule = Schedule(start, start + timedelta(hours=2), Repeat("weekly", count=3))
    endless = Schedule(start, start + timedelta(hours=2), Repeat("weekly"))
    assert len(schedule.fixed) == 3  # loading asks for them (to check how many there are)
    remembered = pickle.loads(pickle.dumps(schedule))  # as the build cache hands it back

    def no_rule(*args, **kwargs):
        raise AssertionError("walked the repeat rule again")

    monkeypatch.setattr(rrule, "rrule", no_rule)
    assert [o.start.day for o in remembered.occurrences()] == [16, 23, 30]
    assert remembered == schedule
    with pytest.raises(AssertionError):  # an endless repeat depends on the build moment
        endless.occurrences(date(2027, 3, 1))

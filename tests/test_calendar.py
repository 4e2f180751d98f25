"""Calendar feeds read back by real parsers: icalendar, Home Assistant's ical and Mozilla's ical.js."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from zoneinfo import ZoneInfo

import icalendar
import pytest
from ical.calendar_stream import IcsCalendarStream

from conftest import BUILD_NOW, REPO, ZONE, require
from sitegen.load.history import parse_log, read_history
from sitegen.outputs.vtimezone import vtimezone, yearly_rules

UTC = timezone.utc
NODE_DIR = REPO / "tests" / "node"
HOST = "doeplekken.example.be"

# Tasks chosen for their times: winter, summer, both DST changes of 2027, all-day,
# repeats with exceptions, a cancelled one, one just past and one long past.
FIXTURE_TASKS = {
    "winter": """
        title: Brieven plooien in de winter
        place: t-hof
        category: plooien
        start: "2027-01-16 09:30"
        end: "2027-01-16 12:00"
    """,
    "zomer": """
        title: Tuinwerk in de zomer
        place: t-hof
        category: tuinwerk
        start: "2027-07-10 14:00"
        end: "2027-07-10 17:00"
    """,
    "voor-zomeruur": """
        title: Nachtwerk voor het zomeruur
        place: zonder-geo
        category: plooien
        start: "2027-03-28 01:30"
        end: "2027-03-28 03:30"
    """,
    "na-zomeruur": """
        title: Vroeg werk na het zomeruur
        place: zonder-geo
        category: plooien
        start: "2027-03-28 03:00"
        end: "2027-03-28 04:00"
    """,
    "voor-winteruur": """
        title: Nachtwerk voor het winteruur
        place: t-hof
        category: tuinwerk
        start: "2027-10-31 01:30"
        end: "2027-10-31 02:30"
    """,
    "tweede-half-drie": """
        title: Het tweede half drie
        place: t-hof
        category: tuinwerk
        start: "2027-10-31T02:30+01:00"
        end: "2027-10-31T03:30+01:00"
    """,
    "boekenbeurs": """
        title: Boekenbeurs
        place: t-hof
        category: plooien
        start: 2027-04-09
        end: 2027-04-11
    """,
    "wekelijks-over-zomeruur": """
        title: Zwerfvuil rapen, elke zaterdag
        place: t-hof
        category: tuinwerk
        start: "2027-03-06 10:00"
        end: "2027-03-06 11:30"
        repeat:
          freq: weekly
          until: 2027-04-10
          except: [2027-03-20]
    """,
    "maandelijks": """
        title: Soep koken
        place: zonder-geo
        category: koken
        start: "2026-12-14 09:30"
        end: "2026-12-14 12:30"
        repeat:
          freq: monthly
          count: 6
          except: [2027-02-14]
    """,
    "om-de-twee-dagen": """
        title: Planten water geven
        place: t-hof
        category: tuinwerk
        start: "2026-12-01 18:00"
        end: "2026-12-01 18:30"
        repeat:
          freq: daily
          interval: 2
    """,
    "markt-hele-dag": """
        title: Marktkraam (hele dag)
        place: t-hof
        category: koken
        start: 2027-05-01
        repeat:
          freq: weekly
          interval: 2
          until: 2027-06-26
          except: [2027-05-29]
    """,
    "afgelast": """
        title: Afgelaste taak
        place: t-hof
        category: plooien
        start: "2026-12-20 14:00"
        status: cancelled
    """,
    "net-voorbij": """
        title: Net voorbij
        place: t-hof
        category: plooien
        start: "2026-11-10 14:00"
    """,
    "lang-voorbij": """
        title: Lang voorbij
        place: t-hof
        category: plooien
        start: "2026-09-01 14:00"
    """,
    "unicode": """
        title: "Soep & crêpes; “samen” koken, met Zoë 🍲 — een héél lange titel om het plooien van lange regels te testen"
        place: t-hof
        category: koken
        start: "2027-02-02 12:00"
    """,
}

# The UTC instants every client must show: (start, end).
EXPECTED_UTC = {
    "winter": ("2027-01-16T08:30:00Z", "2027-01-16T11:00:00Z"),
    "zomer": ("2027-07-10T12:00:00Z", "2027-07-10T15:00:00Z"),
    "voor-zomeruur": ("2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z"),
    "na-zomeruur": ("2027-03-28T01:00:00Z", "2027-03-28T02:00:00Z"),
    "voor-winteruur": ("2027-10-30T23:30:00Z", "2027-10-31T00:30:00Z"),
    "tweede-half-drie": ("2027-10-31T01:30:00Z", "2027-10-31T02:30:00Z"),
}


def write_fixture(site) -> None:
    site.place("zonder-geo", """
        name: Buurthuis "De Kring"; zaal 2
        address: Kerkstraat 1, 8210 Loppem
    """)
    for slug, front in FIXTURE_TASKS.items():
        site.task(slug, front, body="Eerste regel\nen nog wat.\n\n- een\n- twee\n\nLaatste, met ; en \\ en , tekens.\n")


@pytest.fixture
def fixture_build(site):
    write_fixture(site)
    site.build()
    return site


@pytest.fixture
def demo_build(demo_site):
    demo_site.build()
    return demo_site


def feeds(site) -> dict[str, bytes]:
    return {path: data for path, data in site.files().items() if path.endswith(".ics")}


def parse(data: bytes) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(data)


def events(data: bytes) -> dict[str, icalendar.Event]:
    return {str(e["UID"]).split("@")[0]: e for e in parse(data).walk("VEVENT")}


def utc(value) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def py_stamp(value) -> str:
    """The same notation as tests/node/ical_times.mjs."""
    if isinstance(value, datetime):
        return utc(value)
    return "date:" + value.isoformat()


# --- structure: icalendar parses it back; raw RFC 5545 lines -------------------------------

CALENDAR_PROPS = {"VERSION": "2.0", "PRODID": None, "CALSCALE": "GREGORIAN", "METHOD": "PUBLISH",
                  "NAME": None, "X-WR-CALNAME": None, "X-WR-TIMEZONE": "Europe/Brussels",
                  "X-PUBLISHED-TTL": None}
EVENT_PROPS = ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "LAST-MODIFIED", "SUMMARY",
               "DESCRIPTION", "LOCATION", "URL", "CATEGORIES", "STATUS", "TRANSP")


@pytest.mark.parametrize("which", ["demo", "fixture"])
def test_every_feed_parses_back_with_required_properties(which, request):
    site = request.getfixturevalue(f"{which}_build")
    found = feeds(site)
    assert "calendar.ics" in found
    assert len(found) >= 5
    for path, data in found.items():
        cal = parse(data)
        for name, value in CALENDAR_PROPS.items():
            assert name in cal, (path, name)
            if value:
                assert str(cal[name]) == value, (path, name)
        assert cal["NAME"] == cal["X-WR-CALNAME"]
        assert b"\r\nREFRESH-INTERVAL;VALUE=DURATION:PT12H\r\n" in data
        assert b"\r\nX-PUBLISHED-TTL:PT12H\r\n" in data
        assert [tz["TZID"] for tz in cal.walk("VTIMEZONE")] == ["Europe/Brussels"]
        for event in cal.walk("VEVENT"):
            for name in EVENT_PROPS:
                assert name in event, (path, name)
            start = event.decoded("DTSTART")
            if isinstance(start, datetime):
                tzid = event["DTSTART"].params.get("TZID")
                # Only the second 02:30 of a fall-back night is written in UTC (see calendar.py).
                assert tzid == "Europe/Brussels" or (
                    tzid is None and start.utcoffset() == timedelta(0) and "RRULE" not in event), path
            assert event.decoded("DTEND") > start
            assert str(event["UID"]).endswith("@" + urlsplit(str(event["URL"])).hostname)


LINE_RE = re.compile(r'[A-Za-z0-9-]+(;[A-Za-z0-9-]+=("[^"]*"|[^";:,]*)(,("[^"]*"|[^";:,]*))*)*:.*')
REQUIRED = {
    "VCALENDAR": {"VERSION", "PRODID"},
    "VEVENT": {"UID", "DTSTAMP", "DTSTART"},
    "VTIMEZONE": {"TZID"},
    "STANDARD": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"},
    "DAYLIGHT": {"DTSTART", "TZOFFSETFROM", "TZOFFSETTO"},
}


def rfc5545_problems(data: bytes) -> list[str]:
    """A raw check of the text: CRLF, folding, line grammar, nesting, required properties."""
    problems = []
    if not data.endswith(b"\r\n") or b"\n" in data.replace(b"\r\n", b""):
        problems.append("not CRLF throughout")
    physical = data[:-2].split(b"\r\n")
    for number, line in enumerate(physical, 1):
        if len(line) > 75:
            problems.append(f"line {number} has {len(line)} octets")
        try:
            line.decode("utf-8")  # a fold never splits a character
        except UnicodeDecodeError:
            problems.append(f"line {number} splits a UTF-8 character")
    text = data.decode("utf-8").replace("\r\n ", "").replace("\r\n\t", "")
    stack: list[tuple[str, set]] = []
    for line in text[:-2].split("\r\n"):
        if not LINE_RE.fullmatch(line):
            problems.append(f"bad content line {line!r}")
            continue
        name = re.match(r"[A-Za-z0-9-]+", line).group(0).upper()
        value = line.split(":", 1)[1] if '"' not in line else line.rsplit(":", 1)[1]
        if name == "BEGIN":
            stack.append((value, set()))
        elif name == "END":
            if not stack or stack[-1][0] != value:
                problems.append(f"END:{value} does not close {stack[-1][0] if stack else 'anything'}")
                continue
            component, seen = stack.pop()
            missing = REQUIRED.get(component, set()) - seen
            if missing:
                problems.append(f"{component} misses {sorted(missing)}")
        elif stack:
            stack[-1][1].add(name)
            if name == "RDATE" and any(c == "VTIMEZONE" for c, _ in stack):
                problems.append("RDATE in a VTIMEZONE (ical.js misreads multi-value RDATE)")
        else:
            problems.append(f"{name} outside any component")
    if stack:
        problems.append(f"unclosed {[c for c, _ in stack]}")
    return problems


@pytest.mark.parametrize("which", ["demo", "fixture"])
def test_raw_rfc5545_check_of_every_feed(which, request):
    site = request.getfixturevalue(f"{which}_build")
    failures = {path: p for path, data in feeds(site).items() if (p := rfc5545_problems(data))}
    assert failures == {}


def test_raw_check_catches_what_it_should():
    good = (b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\n"
            b"DTSTAMP:20270101T000000Z\r\nDTSTART:20270101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    assert rfc5545_problems(good) == []
    assert rfc5545_problems(good.replace(b"\r\n", b"\n")) != []
    assert rfc5545_problems(good.replace(b"UID:a\r\n", b"")) == ["VEVENT misses ['UID']"]
    assert rfc5545_problems(good.replace(b"UID:a", b"UID:" + b"a" * 80)) != []
    assert rfc5545_problems(good.replace(b"END:VEVENT\r\n", b"")) != []
    assert rfc5545_problems(good.replace(b"UID:a\r\n", b"UID:a\r\nBEGIN:VTIMEZONE\r\nTZID:x\r\n"
                                         b"RDATE:20270101T000000\r\nEND:VTIMEZONE\r\n")) != []


def test_long_unicode_lines_fold_between_characters(fixture_build):
    data = fixture_build.files()["tasks/unicode.ics"]
    assert b"\r\n " in data
    event = events(data)["unicode"]
    assert str(event["SUMMARY"]) == icalendar.Calendar.from_ical(data).walk("VEVENT")[0]["SUMMARY"]
    assert str(event["SUMMARY"]) == ("Soep & crêpes; “samen” koken, met Zoë 🍲 — een héél lange titel "
                                     "om het plooien van lange regels te testen")
    assert rfc5545_problems(data) == []


# --- times: UTC instants against the IANA database ---------------------------------------------

def test_utc_instants_in_winter_summer_and_next_to_dst_changes(fixture_build):
    found = events(fixture_build.files()["calendar.ics"])
    for slug, (start, end) in EXPECTED_UTC.items():
        event = found[slug]
        assert (utc(event.decoded("DTSTART")), utc(event.decoded("DTEND"))) == (start, end), slug
    # And the same instants straight from zoneinfo, from the wall times the coordinator wrote.
    assert utc(datetime(2027, 1, 16, 9, 30, tzinfo=ZONE)) == EXPECTED_UTC["winter"][0]
    assert utc(datetime(2027, 7, 10, 14, 0, tzinfo=ZONE)) == EXPECTED_UTC["zomer"][0]
    assert utc(datetime(2027, 3, 28, 1, 30, tzinfo=ZONE)) == EXPECTED_UTC["voor-zomeruur"][0]
    assert utc(datetime(2027, 3, 28, 3, 0, tzinfo=ZONE)) == EXPECTED_UTC["na-zomeruur"][0]
    assert utc(datetime(2027, 10, 31, 2, 30, fold=1, tzinfo=ZONE)) == EXPECTED_UTC["tweede-half-drie"][0]


def test_fall_back_second_half_past_two_is_written_in_utc(fixture_build):
    data = fixture_build.files()["tasks/tweede-half-drie.ics"]
    assert b"DTSTART:20271031T013000Z\r\n" in data
    assert b"DTSTART;TZID=Europe/Brussels:20271031T013000\r\n" in fixture_build.files()["tasks/voor-winteruur.ics"]


def vtimezone_reader(component: icalendar.Timezone):
    """Read our VTIMEZONE the way RFC 5545 says: the latest onset before an instant wins."""
    from bisect import bisect_right

    from dateutil.rrule import rrulestr
    onsets = []
    for part in component.subcomponents:
        start = part.decoded("DTSTART")
        before, after = part.decoded("TZOFFSETFROM"), part.decoded("TZOFFSETTO")
        rule = part.get("RRULE")
        walls = (rrulestr(rule.to_ical().decode(), dtstart=start).between(
            start, datetime(2040, 1, 1), inc=True) if rule else [start])
        onsets += [((wall - before).replace(tzinfo=UTC), after) for wall in walls]
    onsets.sort()
    instants = [o[0] for o in onsets]

    def offset(instant: datetime) -> timedelta:
        return onsets[bisect_right(instants, instant) - 1][1]
    return offset


def test_vtimezone_agrees_with_zoneinfo_every_six_hours_for_ten_years():
    component = vtimezone(ZONE, 2026)
    assert "RDATE" not in component.to_ical().decode()
    parts = {p.name: p for p in component.subcomponents}
    assert parts["DAYLIGHT"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"
    assert parts["STANDARD"]["RRULE"].to_ical() == b"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"
    vtimezone_offset = vtimezone_reader(component)
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    while instant < datetime(2036, 1, 1, tzinfo=UTC):
        assert vtimezone_offset(instant) == instant.astimezone(ZONE).utcoffset(), instant
        instant += timedelta(hours=6)
    # Right around both changes of 2027, to the second.
    for change in (datetime(2027, 3, 28, 1, tzinfo=UTC), datetime(2027, 10, 31, 1, tzinfo=UTC)):
        for seconds in (-1, 0, 1):
            moment = change + timedelta(seconds=seconds)
            assert vtimezone_offset(moment) == moment.astimezone(ZONE).utcoffset()


@pytest.mark.parametrize("zone", ["America/New_York", "Australia/Sydney", "Europe/London",
                                  "Asia/Tokyo", "Africa/Casablanca"])
def test_vtimezone_of_other_zones_agrees_with_zoneinfo(zone):
    tz = ZoneInfo(zone)
    component = vtimezone(tz, 2026)
    vtimezone_offset = vtimezone_reader(component)
    instant = datetime(2026, 1, 1, tzinfo=UTC)
    while instant < datetime(2036, 1, 1, tzinfo=UTC):
        assert vtimezone_offset(instant) == instant.astimezone(tz).utcoffset(), (zone, instant)
        instant += timedelta(hours=5)
    assert "RDATE" not in component.to_ical().decode()
    if zone in ("America/New_York", "Australia/Sydney", "Europe/London"):
        assert len(yearly_rules(tz, 2026)) == 2


# --- all-day, repeats, exceptions ---------------------------------------------------------------

def test_all_day_tasks_are_dates_with_exclusive_end(fixture_build):
    data = fixture_build.files()["tasks/boekenbeurs.ics"]
    assert b"DTSTART;VALUE=DATE:20270409\r\n" in data
    assert b"DTEND;VALUE=DATE:20270412\r\n" in data
    event = events(data)["boekenbeurs"]
    assert str(event["TRANSP"]) == "TRANSPARENT"


def test_repeats_are_rrule_with_utc_until_and_exdate_like_dtstart(fixture_build):
    files = fixture_build.files()
    weekly = files["tasks/wekelijks-over-zomeruur.ics"].decode()
    assert "\r\nRRULE:FREQ=WEEKLY;UNTIL=20270410T215959Z\r\n" in weekly  # 23:59:59 CEST
    assert "\r\nEXDATE;TZID=Europe/Brussels:20270320T100000\r\n" in weekly
    monthly = files["tasks/maandelijks.ics"].decode()
    assert "\r\nRRULE:FREQ=MONTHLY;COUNT=6\r\n" in monthly
    assert "\r\nEXDATE;TZID=Europe/Brussels:20270214T093000\r\n" in monthly
    market = files["tasks/markt-hele-dag.ics"].decode()
    assert "\r\nRRULE:FREQ=WEEKLY;UNTIL=20270626;INTERVAL=2\r\n" in market  # a date, like DTSTART
    assert "\r\nEXDATE;VALUE=DATE:20270529\r\n" in market
    endless = files["tasks/om-de-twee-dagen.ics"].decode()
    assert "\r\nRRULE:FREQ=DAILY;INTERVAL=2\r\n" in endless


def occurrences(data: bytes, start: date, end: date) -> dict[str, list]:
    """Every occurrence between start and end, by UID, as Home Assistant's `ical` expands the feed.

    `ical` has its own parser (not the icalendar library the feeds are written with), so it
    reads RRULE, EXDATE, COUNT, UNTIL and all-day ends as a second client would.
    """
    found: dict[str, list] = {}
    calendar = IcsCalendarStream.calendar_from_ics(data.decode("utf-8"))
    for event in calendar.timeline_tz(UTC).overlapping(start, end):
        found.setdefault(event.uid, []).append((event.start, event.end))
    return {uid: sorted(found[uid], key=lambda o: py_stamp(o[0])) for uid in found}


def expand(data: bytes, start: date, end: date) -> dict[str, list]:
    return {uid.split("@")[0]: found for uid, found in occurrences(data, start, end).items()}


def test_ical_expands_repeats_to_the_right_days(fixture_build):
    found = expand(fixture_build.files()["calendar.ics"], date(2026, 10, 1), date(2027, 12, 31))
    weekly = found["wekelijks-over-zomeruur"]
    assert [s.date() for s, _ in weekly] == [date(2027, 3, 6), date(2027, 3, 13), date(2027, 3, 27),
                                             date(2027, 4, 3), date(2027, 4, 10)]
    # 10:00 local on both sides of the change: 09:00Z in winter, 08:00Z in summer.
    assert [utc(s)[11:16] for s, _ in weekly] == ["09:00", "09:00", "09:00", "08:00", "08:00"]
    assert all(e - s == timedelta(minutes=90) for s, e in weekly)
    monthly = found["maandelijks"]
    # COUNT=6 counts the excepted February too: five occurrences remain.
    assert [s.date() for s, _ in monthly] == [date(2026, 12, 14), date(2027, 1, 14), date(2027, 3, 14),
                                              date(2027, 4, 14), date(2027, 5, 14)]
    market = found["markt-hele-dag"]
    assert [s for s, _ in market] == [date(2027, 5, 1), date(2027, 5, 15), date(2027, 6, 12),
                                      date(2027, 6, 26)]
    assert all(e == s + timedelta(days=1) for s, e in market)
    endless = found["om-de-twee-dagen"]
    assert endless[0][0] == datetime(2026, 12, 1, 18, tzinfo=ZONE)
    assert len(endless) == len(range(0, (date(2027, 12, 31) - date(2026, 12, 1)).days, 2))


def test_expansions_equal_the_model_occurrences(fixture_build):
    model = fixture_build.build().model
    horizon = date(2028, 12, 31)
    found = expand(fixture_build.files()["calendar.ics"], date(2026, 1, 1), horizon)
    for view in model.tasks:
        if view.task.schedule.repeat is None or view.task.slug not in found:
            continue
        mine = [(py_stamp(o.start), py_stamp(o.end + timedelta(days=1) if not isinstance(o.end, datetime)
                                              else o.end))
                for o in view.task.schedule.occurrences(horizon) if o.day < horizon]
        theirs = [(py_stamp(s), py_stamp(e)) for s, e in found[view.task.slug]]
        assert theirs == mine, view.task.slug


# --- cancelled, window, UIDs, determinism --------------------------------------------------------

def test_cancelled_task_stays_with_status_cancelled_and_raised_sequence(fixture_build):
    files = fixture_build.files()
    for path in ("calendar.ics", "places/t-hof.ics", "categories/plooien.ics", "tasks/afgelast.ics"):
        found = events(files[path])
        assert str(found["afgelast"]["STATUS"]) == "CANCELLED", path
        # Outside git every task has SEQUENCE 0; cancelling raises it.
        assert found["afgelast"]["SEQUENCE"] == 1, path
    assert str(events(files["tasks/winter.ics"])["winter"]["STATUS"]) == "CONFIRMED"


def test_window_keeps_upcoming_and_last_30_days(fixture_build):
    files = fixture_build.files()
    site = events(files["calendar.ics"])
    assert "net-voorbij" in site  # ended 16 days before the build
    assert "lang-voorbij" not in site  # ended 86 days before
    assert "lang-voorbij" in events(files["tasks/lang-voorbij.ics"])
    assert set(events(files["places/zonder-geo.ics"])) == {"voor-zomeruur", "na-zomeruur", "maandelijks"}
    assert "GEO" not in events(files["places/zonder-geo.ics"])["maandelijks"]
    assert str(events(files["places/zonder-geo.ics"])["maandelijks"]["LOCATION"]) == \
        'Buurthuis "De Kring"; zaal 2, Kerkstraat 1, 8210 Loppem'


def test_uids_are_stable_across_feeds_and_event_bytes_identical(fixture_build):
    files = feeds(fixture_build)
    seen: dict[str, bytes] = {}
    for path, data in files.items():
        for block in re.findall(rb"BEGIN:VEVENT\r\n.*?END:VEVENT\r\n", data, re.S):
            uid = re.search(rb"\r\nUID:(.*?)\r\n", block.replace(b"\r\n ", b"")).group(1)
            assert seen.setdefault(uid.decode(), block) == block, (path, uid)
    assert set(seen) == {f"{slug}@{HOST}" for slug in FIXTURE_TASKS}


def test_two_builds_give_byte_identical_feeds(site, tmp_path):
    write_fixture(site)
    site.build()
    first = feeds(site)
    site.build(out=tmp_path / "second")
    second = {p.relative_to(tmp_path / "second").as_posix(): p.read_bytes()
              for p in (tmp_path / "second").rglob("*.ics")}
    assert first == second


def test_event_text_properties(fixture_build):
    event = events(fixture_build.files()["tasks/winter.ics"])["winter"]
    assert str(event["SUMMARY"]) == "Brieven plooien in de winter"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Eerste regel en nog wat.\n\n• een\n• twee\n\nLaatste, met ; en \\ en , tekens.")
    assert f"Meer info: https://{HOST}/tasks/winter/" in description
    assert "Inschrijven: https://forms.example.be/inschrijven?taak=Brieven" in description
    assert str(event["LOCATION"]) == "’t Hof, Torhoutsestraat 54, 8210 Zedelgem"
    assert event.decoded("GEO") == (51.1423, 3.1367) or tuple(event["GEO"].to_ical().split(";")) == ("51.1423", "3.1367")
    assert str(event["URL"]) == f"https://{HOST}/tasks/winter/"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["plooien en inpakken"]
    assert str(event["TRANSP"]) == "OPAQUE"
    cancelled = str(events(fixture_build.files()["tasks/afgelast.ics"])["afgelast"]["DESCRIPTION"])
    assert "Deze taak gaat niet door." in cancelled and "Inschrijven:" not in cancelled
    names = {path: str(parse(data)["X-WR-CALNAME"]) for path, data in feeds(fixture_build).items()}
    assert names["calendar.ics"] == "Doe-plekken Testdorp"
    assert names["places/t-hof.ics"] == "Doe-plekken Testdorp — ’t Hof"
    assert names["categories/koken.ics"] == "Doe-plekken Testdorp — koken"



def test_feed_names_are_escaped_text(fixture_build):
    """NAME and X-WR-CALNAME are TEXT (RFC 7986): a place or title's `;` `,` `\\` are escaped."""
    files = fixture_build.files()
    place = files["places/zonder-geo.ics"].decode().replace("\r\n ", "")
    for prop in ("NAME", "X-WR-CALNAME"):
        assert f'\r\n{prop}:Doe-plekken Testdorp — Buurthuis "De Kring"\\; zaal 2\r\n' in place
    task = files["tasks/unicode.ics"].decode().replace("\r\n ", "")
    assert "\r\nNAME:Doe-plekken Testdorp — Soep & crêpes\\; “samen” koken\\, met Zoë" in task
    assert not rfc5545_problems(files["places/zonder-geo.ics"])

# --- SEQUENCE, LAST-MODIFIED and DTSTAMP from git --------------------------------------------------

def git(root: Path, *args: str, when: str = "2026-11-01T10:00:00+00:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when,
           "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.be",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.be"}
    subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


def test_sequence_and_last_modified_come_from_git_history(site):
    require(shutil.which("git") is not None, "git is not installed")
    site.task("soep", """
        title: Soep koken
        place: t-hof
        category: koken
        start: "2027-01-20 10:00"
    """)
    site.task("ander", 'title: Ander\nplace: t-hof\ncategory: koken\nstart: "2027-01-21 10:00"\n')
    git(site.root, "init", "-q")
    git(site.root, "add", "content")
    git(site.root, "commit", "-qm", "first", when="2026-11-01T10:00:00+00:00")
    site.build()
    first = events(site.files()["tasks/soep.ics"])["soep"]
    assert first["SEQUENCE"] == 2
    assert first.decoded("LAST-MODIFIED") == datetime(2026, 11, 1, 10, tzinfo=UTC)
    assert first.decoded("DTSTAMP") == datetime(2026, 11, 1, 10, tzinfo=UTC)

    path = site.root / "content/tasks/soep.md"
    path.write_text(path.read_text().replace("10:00", "10:30"))
    git(site.root, "commit", "-qam", "later", when="2026-11-20T08:15:00+00:00")
    site.build()
    second = events(site.files()["tasks/soep.ics"])["soep"]
    assert second["SEQUENCE"] > first["SEQUENCE"]
    assert second.decoded("LAST-MODIFIED") == datetime(2026, 11, 20, 8, 15, tzinfo=UTC)
    assert events(site.files()["tasks/ander.ics"])["ander"]["SEQUENCE"] == 2  # untouched

    path.write_text(path.read_text().replace("category: koken", "category: koken\nstatus: cancelled"))
    git(site.root, "commit", "-qam", "cancel", when="2026-11-21T08:00:00+00:00")
    site.build()
    third = events(site.files()["tasks/soep.ics"])["soep"]
    assert str(third["STATUS"]) == "CANCELLED" and third["SEQUENCE"] > second["SEQUENCE"]

    path.write_text(path.read_text().replace("\nstatus: cancelled", ""))
    git(site.root, "commit", "-qam", "on again", when="2026-11-22T08:00:00+00:00")
    site.build()
    assert events(site.files()["tasks/soep.ics"])["soep"]["SEQUENCE"] > third["SEQUENCE"]


def test_outside_git_the_build_moment_is_used(site, monkeypatch):
    site.task("soep", 'title: Soep\nplace: t-hof\ncategory: koken\nstart: "2027-01-20 10:00"\n')
    site.build()
    event = events(site.files()["tasks/soep.ics"])["soep"]
    assert event["SEQUENCE"] == 0
    assert event.decoded("DTSTAMP") == BUILD_NOW.astimezone(UTC)
    assert event.decoded("LAST-MODIFIED") == BUILD_NOW.astimezone(UTC)
    monkeypatch.setenv("PATH", str(site.root))  # no git binary at all
    assert read_history(site.root).files == {}


def test_history_parses_one_git_log_for_many_files():
    stamp = "\x1e1795000000\0\ncontent/tasks/a.md\0content/tasks/b é.md\0\x1e1794000000\0\ncontent/tasks/a.md\0"
    history = parse_log(stamp)
    assert history["content/tasks/a.md"].commits == 2
    assert history["content/tasks/a.md"].last == datetime.fromtimestamp(1795000000, UTC)
    assert history["content/tasks/b é.md"].commits == 1


def test_shallow_clone_is_tolerated(site, tmp_path):
    require(shutil.which("git") is not None, "git is not installed")
    site.task("soep", 'title: Soep\nplace: t-hof\ncategory: koken\nstart: "2027-01-20 10:00"\n')
    git(site.root, "init", "-q")
    git(site.root, "add", "content")
    git(site.root, "commit", "-qm", "one")
    (site.root / "content/tasks/soep.md").write_text(
        (site.root / "content/tasks/soep.md").read_text().replace("Soep", "Soep!"))
    git(site.root, "commit", "-qam", "two", when="2026-11-02T10:00:00+00:00")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", site.root.as_uri(), str(clone))
    history = read_history(clone)
    assert history.of("content/tasks/soep.md").last == datetime(2026, 11, 2, 10, tzinfo=UTC)


# --- Mozilla ical.js (Thunderbird) ------------------------------------------------------------------

OCCURRENCES = 40


def run_icaljs(paths: list[Path]) -> dict:
    require(shutil.which("node") is not None, "node is not installed")
    require((NODE_DIR / "node_modules" / "ical.js").is_dir(),
            "ical.js is not installed (npm ci --prefix tests/node)")
    completed = subprocess.run(["node", str(NODE_DIR / "ical_times.mjs"), str(OCCURRENCES),
                                *map(str, paths)], capture_output=True, text=True, check=True)
    return json.loads(completed.stdout)


def python_view(data: bytes) -> list[dict]:
    """What ical_times.mjs reports, computed with icalendar and Home Assistant's ical."""
    cal = parse(data)
    expanded = occurrences(data, date(1970, 1, 1), date(2040, 1, 1))
    result = []
    for event in cal.walk("VEVENT"):
        repeats = []
        if event.get("RRULE"):
            repeats = [[py_stamp(start), py_stamp(end)]
                       for start, end in expanded[str(event["UID"])][:OCCURRENCES]]
        result.append({
            "uid": str(event["UID"]),
            "summary": str(event["SUMMARY"]),
            "start": py_stamp(event.decoded("DTSTART")),
            "end": py_stamp(event.decoded("DTEND")),
            "status": str(event["STATUS"]),
            "sequence": int(event["SEQUENCE"]),
            "occurrences": repeats,
        })
    return result


@pytest.mark.parametrize("which", ["demo", "fixture"])
def test_icaljs_reads_every_feed_with_the_same_times_as_python(which, request):
    site = request.getfixturevalue(f"{which}_build")
    paths = sorted(p for p in site.out.rglob("*.ics"))
    theirs = run_icaljs(paths)
    assert len(theirs) == len(paths)
    compared = 0
    for path in paths:
        mine = python_view(path.read_bytes())
        seen = theirs[str(path)]
        for event in seen:
            assert event["zone"] in (None, "Europe/Brussels", "UTC"), event
            del event["zone"]
        assert seen == mine, path
        compared += len(mine)
    assert compared > 10


def test_icaljs_sees_the_dst_instants_of_the_fixture(fixture_build):
    seen = run_icaljs([fixture_build.out / "calendar.ics"])
    by_slug = {e["uid"].split("@")[0]: e for e in next(iter(seen.values()))}
    for slug, (start, end) in EXPECTED_UTC.items():
        assert (by_slug[slug]["start"], by_slug[slug]["end"]) == (start, end), slug
    weekly = by_slug["wekelijks-over-zomeruur"]["occurrences"]
    assert [o[0] for o in weekly] == ["2027-03-06T09:00:00Z", "2027-03-13T09:00:00Z",
                                      "2027-03-27T09:00:00Z", "2027-04-03T08:00:00Z",
                                      "2027-04-10T08:00:00Z"]
    assert by_slug["afgelast"]["status"] == "CANCELLED"


def night_repeat(site, slug: str, title: str, start: str, end: str, repeat: str) -> None:
    site.task(slug, f"""
        title: {title}
        place: t-hof
        category: plooien
        start: "{start}"
        end: "{end}"
        repeat: {repeat}
    """)


def every_client_reads(site, model, start: date, end: date) -> dict[str, list]:
    """Each task's occurrences in UTC, once ical.js, Home Assistant's `ical` and the model agree."""
    expected = {view.task.slug: [[utc(o.start), utc(o.end)] for o in view.occurrences]
                for view in model.tasks}
    for slug, mine in expected.items():
        path = site.out / "tasks" / f"{slug}.ics"
        (seen,) = run_icaljs([path])[str(path)]
        assert seen["occurrences"] == mine, slug
        python = expand(path.read_bytes(), start, end)[slug]
        assert [[utc(s), utc(e)] for s, e in python] == mine, slug
        assert not rfc5545_problems(path.read_bytes()), slug
    return expected


def test_repeat_instances_around_dst_changes_are_the_same_in_every_client(site):
    """A repeat's 02:30 on the fall-back night is the first 02:30 (CEST), as for a single task;
    a night repeat keeps its wall times on the night the clocks change."""
    night_repeat(site, "elke-week", "Nachtwerk elke week", "2027-10-24 02:30", "2027-10-24 03:00",
                 "{freq: weekly, count: 3}")
    night_repeat(site, "twee-nachten", "Twee nachten", "2027-10-31 02:30", "2027-10-31 02:45",
                 "{freq: daily, count: 2}")
    night_repeat(site, "nacht", "Nachtwerk over het zomeruur", "2027-03-27 22:00", "2027-03-28 04:00",
                 "{freq: daily, count: 3}")
    expected = every_client_reads(site, site.build().model, date(2027, 3, 1), date(2027, 12, 1))
    assert expected["elke-week"][1] == ["2027-10-31T00:30:00Z", "2027-10-31T02:00:00Z"]
    assert expected["twee-nachten"][0] == ["2027-10-31T00:30:00Z", "2027-10-31T00:45:00Z"]
    # 22:00–04:00 on the clock every night, 5 hours across the change.
    assert expected["nacht"][:2] == [["2027-03-27T21:00:00Z", "2027-03-28T02:00:00Z"],
                                     ["2027-03-28T20:00:00Z", "2027-03-29T02:00:00Z"]]


def test_a_repeat_in_the_hour_the_clocks_skip_starts_an_hour_later_in_every_client(site):
    """On 28 March 2027 the clocks go from 02:00 to 03:00. RFC 5545 reads a 02:30 that night
    with the winter offset (03:30 summer time); the site keeps the length, and every client
    reads the same instants, never an end before the start."""
    night_repeat(site, "elke-nacht", "Elke nacht om half drie", "2027-03-26 02:30", "2027-03-26 03:00",
                 "{freq: daily, count: 4}")
    night_repeat(site, "tot-half-drie", "Tot half drie", "2027-03-26 01:30", "2027-03-26 02:30",
                 "{freq: daily, count: 4}")
    model = site.build(now=datetime(2027, 3, 27, 12, tzinfo=ZONE)).model
    expected = every_client_reads(site, model, date(2027, 3, 1), date(2027, 4, 1))
    assert expected["elke-nacht"][2] == ["2027-03-28T01:30:00Z", "2027-03-28T02:00:00Z"]
    assert expected["tot-half-drie"][2] == ["2027-03-28T00:30:00Z", "2027-03-28T01:30:00Z"]
    assert all(start < end for times in expected.values() for start, end in times)
    # The page, the sign-up form and the paper list name the time on the clock.
    page = site.read("tasks/elke-nacht/index.html")
    assert "zondag 28 maart 2027, 3.30–4 uur" in page
    assert "uur=03%3A30" in page


# --- subscribe and add-to-calendar links -------------------------------------------------------------

class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []
        self.inputs: list[dict] = []
        self.labels: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a":
            self.hrefs.append(attrs.get("href", ""))
        elif tag == "input":
            self.inputs.append(attrs)
        elif tag == "label":
            self.labels.append(attrs.get("for", ""))


def links(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def check_subscribe_block(html: str, feed_path: str, name: str) -> None:
    found = links(html)
    https = f"https://{HOST}{feed_path}"
    webcal = f"webcal://{HOST}{feed_path}"
    assert webcal in found.hrefs
    google = [h for h in found.hrefs if h.startswith("https://calendar.google.com/calendar/r?cid=")]
    assert len(google) == 1
    assert "/" not in google[0].split("cid=", 1)[1] and ":" not in google[0].split("cid=", 1)[1]
    assert unquote(google[0].split("cid=", 1)[1]) == webcal
    outlook = [h for h in found.hrefs if h.startswith("https://outlook.live.com/calendar/0/addfromweb?")]
    assert len(outlook) == 1
    query = parse_qs(urlsplit(outlook[0]).query)
    assert query == {"url": [https], "name": [name]}
    copy = [i for i in found.inputs if i.get("id") == "feed-url"]
    assert copy and copy[0]["value"] == https and "readonly" in copy[0]
    assert "feed-url" in found.labels
    assert "/subscribe/" in found.hrefs


def test_subscribe_blocks_on_board_place_and_category_pages(fixture_build):
    check_subscribe_block(fixture_build.read("index.html"), "/calendar.ics", "Doe-plekken Testdorp")
    check_subscribe_block(fixture_build.read("places/t-hof/index.html"), "/places/t-hof.ics",
                          "Doe-plekken Testdorp — ’t Hof")
    check_subscribe_block(fixture_build.read("categories/koken/index.html"), "/categories/koken.ics",
                          "Doe-plekken Testdorp — koken")


def test_task_page_links_its_ics_and_a_google_event(fixture_build):
    found = links(fixture_build.read("tasks/winter/index.html"))
    assert "/tasks/winter.ics" in found.hrefs
    google = [h for h in found.hrefs if h.startswith("https://calendar.google.com/calendar/render?")]
    assert len(google) == 1
    query = parse_qs(urlsplit(google[0]).query)
    assert query["action"] == ["TEMPLATE"]
    assert query["text"] == ["Brieven plooien in de winter"]
    assert query["dates"] == ["20270116T083000Z/20270116T110000Z"]
    assert query["ctz"] == ["Europe/Brussels"]
    assert query["location"] == ["’t Hof, Torhoutsestraat 54, 8210 Zedelgem"]
    assert query["details"][0].endswith(f"https://{HOST}/tasks/winter/")
    all_day = links(fixture_build.read("tasks/boekenbeurs/index.html")).hrefs
    dates = [parse_qs(urlsplit(h).query)["dates"] for h in all_day if "calendar/render?" in h]
    assert dates == [["20270409/20270412"]]
    summer = links(fixture_build.read("tasks/zomer/index.html")).hrefs
    assert [parse_qs(urlsplit(h).query)["dates"] for h in summer if "calendar/render?" in h] == \
        [["20270710T120000Z/20270710T150000Z"]]


def test_subscribe_page_explains_every_app_and_lists_every_feed(fixture_build):
    html = fixture_build.read("subscribe/index.html")
    for words in ("Android", "iPhone", "Outlook", "8 tot 24 uur", "Uitschrijven", "Stoppen"):
        assert words in html
    hrefs = links(html).hrefs
    for feed in ("/calendar.ics", "/places/t-hof.ics", "/places/zonder-geo.ics", "/categories/koken.ics",
                 "/categories/plooien.ics", "/categories/tuinwerk.ics"):
        assert f"webcal://{HOST}{feed}" in hrefs


def test_netlify_serves_ics_as_text_calendar():
    import tomllib
    config = tomllib.loads((REPO / "netlify.toml").read_text())
    rules = [h for h in config.get("headers", []) if h["for"] == "/*.ics"]
    assert rules and rules[0]["values"]["Content-Type"] == "text/calendar; charset=utf-8"


# --- the /subscribe/ page and the blocks in a real browser ---------------------------------------------

AXE = NODE_DIR / "node_modules" / "axe-core" / "axe.min.js"


@pytest.mark.parametrize("path", ["/subscribe/", "/places/zonder-geo/", "/tasks/winter/"])
def test_subscribe_pages_pass_axe_and_fit_360_px(browser, fixture_build, path):
    from search_fixture import serve
    require(AXE.is_file(), "axe-core is not installed (npm ci --prefix tests/node)")
    context = browser.new_context(bypass_csp=True, timezone_id="Europe/Brussels", locale="nl-BE")
    try:
        with serve(fixture_build.out) as base_url:
            for width in (1280, 360):
                page = context.new_page()
                page.set_viewport_size({"width": width, "height": 900})
                page.goto(base_url + path)
                page.wait_for_load_state("networkidle")
                assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
                page.add_script_tag(path=str(AXE))
                results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
                page.close()
                serious = [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']][:3]}"
                           for v in results["violations"] if v["impact"] in ("serious", "critical")]
                assert serious == [], (path, width)
    finally:
        context.close()

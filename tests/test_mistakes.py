"""The common mistakes (issue 16): each gets a message that says what to write, in Dutch and English."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from sitegen import BuildFailed
from sitegen.i18n import say

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}

TASK = """\
title: Soep koken
place: t-hof
category: koken
"""


def said(site, relative: str | None = None) -> list[tuple[int, str, str]]:
    """(line, Dutch, English) of every problem a build reports (of one file, when given)."""
    with pytest.raises(BuildFailed) as failure:
        site.build()
    return [(p.line, say(p.message, "nl"), say(p.message, "en")) for p in failure.value.problems
            if relative is None or p.path == relative]


def task_problems(site, extra: str) -> list[tuple[int, str, str]]:
    """Problems of one task: title, place, category on lines 2–4, then `extra` from line 5."""
    site.task("soep", TASK + extra)
    return said(site, "content/tasks/soep.md")


# -- keys -------------------------------------------------------------------------------

KEY_CASES = {
    "plaatsen is spots, not place": (
        "start: 2027-01-16\nplaatsen: 6", 6,
        "onbekende sleutel 'plaatsen': de sleutels zijn Engels; schrijf 'spots'",
        "unknown key 'plaatsen': the keys are written in English; write 'spots'"),
    "titel with a capital": (
        "start: 2027-01-16\nTitel: Nog eens", 6,
        "onbekende sleutel 'Titel': de sleutels zijn Engels; schrijf 'title'",
        "unknown key 'Titel': the keys are written in English; write 'title'"),
    "begin": (
        "begin: 2027-01-16", 5,
        "onbekende sleutel 'begin': de sleutels zijn Engels; schrijf 'start'",
        "unknown key 'begin': the keys are written in English; write 'start'"),
    "beloning misspelt": (
        "start: 2027-01-16\nbelonig: 2", 6,
        "onbekende sleutel 'belonig': de sleutels zijn Engels; bedoel je 'reward' (beloning)?",
        "unknown key 'belonig': the keys are written in English; did you mean 'reward' (beloning)?"),
    "tot under repeat is until": (
        "start: 2027-01-16\nrepeat:\n  freq: weekly\n  tot: 2027-03-27", 8,
        "onbekende sleutel 'tot': de sleutels zijn Engels; schrijf 'until'",
        "unknown key 'tot': the keys are written in English; write 'until'"),
    "resultaat": (
        "start: 2027-01-16\nresultaat:\n  participants: 3", 6,
        "onbekende sleutel 'resultaat': de sleutels zijn Engels; schrijf 'result'",
        "unknown key 'resultaat': the keys are written in English; write 'result'"),
}


@pytest.mark.parametrize("extra, line, dutch, english", [
    pytest.param(*case, id=name) for name, case in KEY_CASES.items()])
def test_dutch_key_names(site, extra, line, dutch, english):
    assert (line, dutch, english) in task_problems(site, extra)


def test_dutch_keys_in_a_place_and_in_site_yml(site):
    site.place("oranje", "naam: vzw Oranje\nadres: Markt 1, 8210 Zedelgem")
    yml = (site.root / "content/site.yml").read_text(encoding="utf-8")
    site.write("content/site.yml", yml.replace("language: nl", "taal: nl"))
    problems = said(site)
    assert (2, "onbekende sleutel 'naam': de sleutels zijn Engels; schrijf 'name'",
            "unknown key 'naam': the keys are written in English; write 'name'") in problems
    assert (4, "onbekende sleutel 'taal': de sleutels zijn Engels; schrijf 'language'",
            "unknown key 'taal': the keys are written in English; write 'language'") in problems


def test_repeat_keys_without_their_indent(site):
    problems = task_problems(site, "start: 2027-01-16\nrepeat:\nfreq: weekly\nuntil: 2027-03-27")
    assert (7, "'freq' hoort bij repeat: zet ze onder repeat:, ingesprongen met twee spaties ('  freq: …')",
            "'freq' belongs under 'repeat:': put it on the lines below 'repeat:', indented with two spaces "
            "('  freq: …')") in problems
    assert problems[-1][0] == 8 and problems[-1][1].startswith("'until' hoort bij repeat: zet ze onder repeat:")
    assert not any("did you mean 'title'" in english for _line, _nl, english in problems)


def test_repeat_keys_with_no_repeat_line(site):
    assert task_problems(site, "start: 2027-01-16\ncount: 4") == [(
        6, "'count' hoort bij repeat: zet er een regel 'repeat:' boven, en zet 'count' eronder, ingesprongen "
           "met twee spaties ('  count: …')",
        "'count' belongs under 'repeat:': add a line 'repeat:' above it and indent 'count' with two spaces "
        "('  count: …')")]


# -- names as people know them -------------------------------------------------------


def test_a_place_by_its_name(site):
    site.place("bib", "name: Bibliotheek Zedelgem\naddress: Markt 2, 8210 Zedelgem")
    site.task("soep", TASK.replace("place: t-hof", "place: \"'t Hof\"") + "start: 2027-01-16")
    site.task("boeken", TASK.replace("place: t-hof", "place: bibliotheek zedelgem") + "start: 2027-01-16")
    assert said(site) == [
        (3, "doe-plek 'bibliotheek zedelgem' bestaat niet, maar de doe-plek 'Bibliotheek Zedelgem' wel: "
            "schrijf haar bestandsnaam, 'place: bib'",
         "place 'bibliotheek zedelgem' does not exist, but the place 'Bibliotheek Zedelgem' does: write its "
         "file name, 'place: bib'"),
        (3, "doe-plek ''t Hof' bestaat niet, maar de doe-plek '’t Hof' wel: schrijf haar bestandsnaam, "
            "'place: t-hof'",
         "place ''t Hof' does not exist, but the place '’t Hof' does: write its file name, 'place: t-hof'")]


def test_a_place_that_does_not_exist_still_lists_the_places(site):
    site.task("soep", TASK.replace("place: t-hof", "place: t-hoff") + "start: 2027-01-16")
    [(line, _nl, english)] = said(site)
    assert line == 3 and english == "place 't-hoff' does not exist — did you mean 't-hof'? Known places: t-hof"


def test_a_category_and_an_access_tag_by_their_label(site):
    problems = task_problems(site, "start: 2027-01-16\naccess: [Kan Zittend]").copy()
    site.task("soep", TASK.replace("category: koken", "category: Plooien en Inpakken") + "start: 2027-01-16")
    problems += said(site, "content/tasks/soep.md")
    assert (6, "toegankelijkheidslabel 'Kan Zittend' staat niet in content/site.yml, maar 'zittend' "
               "(kan zittend) wel: schrijf 'zittend' in de lijst",
            "access tag 'Kan Zittend' is not in content/site.yml, but 'zittend' (kan zittend) is: write "
            "'zittend' in the list") in problems
    assert (4, "soort werk 'Plooien en Inpakken' staat niet in content/site.yml, maar 'plooien' "
               "(plooien en inpakken) wel: schrijf 'category: plooien'",
            "category 'Plooien en Inpakken' is not in content/site.yml, but 'plooien' (plooien en inpakken) "
            "is: write 'category: plooien'") in problems


# -- how values are written -------------------------------------------------------------

VALUE_CASES = {
    "curly quotes around start": (
        "start: “2027-01-16 09:30”", 5,
        "'start' staat tussen gekrulde aanhalingstekens (“ ” uit Word of van een gsm), die YAML als deel van "
        "de waarde leest; typ rechte aanhalingstekens: start: \"2027-01-16 09:30\"",
        "'start' is between curly quotes (“ ” from Word or a phone), which YAML reads as part of the value; "
        "type straight quotes instead: start: \"2027-01-16 09:30\""),
    "curly quotes around an end time": (
        "start: 2027-01-16 09:30\nend: „12:00”", 6,
        "'end' staat tussen gekrulde aanhalingstekens (“ ” uit Word of van een gsm), die YAML als deel van "
        "de waarde leest; typ rechte aanhalingstekens: end: \"12:00\"",
        "'end' is between curly quotes (“ ” from Word or a phone), which YAML reads as part of the value; "
        "type straight quotes instead: end: \"12:00\""),
    "a time without a date": (
        "start: 9:30", 5,
        "'9:30' is een uur zonder datum; schrijf de datum erbij, tussen aanhalingstekens: \"2027-01-16 09:30\"",
        "'9:30' is a time without a date; write the date too, in quotes: \"2027-01-16 09:30\""),
    "a comma in the start time": (
        "start: 2027-01-16 9,30", 5,
        "'2027-01-16 9,30': schrijf het uur met een dubbelpunt, tussen aanhalingstekens: \"2027-01-16 09:30\"",
        "'2027-01-16 9,30': write the time with a colon, in quotes: \"2027-01-16 09:30\""),
    "a dot in an end time (YAML's number 12.0)": (
        "start: 2027-01-16 09:30\nend: 12.00", 6,
        "'12.00': schrijf het uur met een dubbelpunt, tussen aanhalingstekens: \"12:00\"",
        "'12.00': write the time with a colon, in quotes: \"12:00\""),
    "a whole hour as Flemish writes it (12u)": (
        "start: 2027-01-16 09:30\nend: 12u", 6,
        "'12u': schrijf het uur met een dubbelpunt, tussen aanhalingstekens: \"12:00\"",
        "'12u': write the time with a colon, in quotes: \"12:00\""),
    "a whole hour with 'uur' after a date": (
        "start: 2027-01-16 10 uur", 5,
        "'2027-01-16 10 uur': schrijf het uur met een dubbelpunt, tussen aanhalingstekens: \"2027-01-16 10:00\"",
        "'2027-01-16 10 uur': write the time with a colon, in quotes: \"2027-01-16 10:00\""),
    "day/month/year": (
        "start: 16/01/2027", 5,
        "'16/01/2027' staat als dag/maand/jaar; schrijf 2027-01-16 (jaar-maand-dag)",
        "'16/01/2027' is written day/month/year; write year-month-day: 2027-01-16"),
    "day-month-year with a time": (
        "start: 16-01-2027 9u30", 5,
        "'16-01-2027 9u30' staat als dag/maand/jaar; schrijf \"2027-01-16 09:30\" (jaar-maand-dag)",
        "'16-01-2027 9u30' is written day/month/year; write year-month-day: \"2027-01-16 09:30\""),
    "day/month/year in repeat until": (
        "start: 2027-01-16\nrepeat:\n  freq: weekly\n  until: 27/03/2027", 8,
        "'27/03/2027' staat als dag/maand/jaar; schrijf 2027-03-27 (jaar-maand-dag)",
        "'27/03/2027' is written day/month/year; write year-month-day: 2027-03-27"),
    "a weekday": (
        "start: zaterdag", 5,
        "'zaterdag' is een dag van de week, geen datum; schrijf de datum zelf, bv. 2027-01-16 (de weekdag "
        "volgt daaruit)",
        "'zaterdag' is a day of the week, not a date; write the date itself, e.g. 2027-01-16 (the day of the "
        "week follows from it)"),
    "a date in words": (
        "start: zaterdag 16 januari 2027", 5,
        "'zaterdag 16 januari 2027': schrijf de datum in cijfers, jaar-maand-dag: 2027-01-16",
        "'zaterdag 16 januari 2027': write the date as numbers, year-month-day: 2027-01-16"),
    "a phone number as the sign-up link": (
        "start: 2027-01-16\nsignup: 0471 12 34 56", 6,
        "'0471 12 34 56' is een telefoonnummer, geen link; zet het bij contact of schrijf tel:+32471123456",
        "'0471 12 34 56' is a phone number, not a link; put it in 'contact', or write tel:+32471123456"),
    "an e-mail address as the sign-up link": (
        "start: 2027-01-16\nsignup: info@example.be", 6,
        "'info@example.be' is een e-mailadres; schrijf het als link: mailto:info@example.be",
        "'info@example.be' is an e-mail address; write it as a link: mailto:info@example.be"),
    "a web address without https://": (
        "start: 2027-01-16\nsignup: www.example.be/inschrijven?taak=soep", 6,
        "voor 'www.example.be/inschrijven?taak=soep' staat geen https://; schrijf "
        "https://www.example.be/inschrijven?taak=soep",
        "'www.example.be/inschrijven?taak=soep' has no https:// in front; write "
        "https://www.example.be/inschrijven?taak=soep"),
    "a phone number as the client's website": (
        "start: 2027-01-16\nclient:\n  name: Bakkerij\n  url: 050/12.34.56", 8,
        "'050/12.34.56' is een telefoonnummer, geen webadres; zet het bij contact",
        "'050/12.34.56' is a phone number, not a web address; put it in 'contact'"),
}


@pytest.mark.parametrize("extra, line, dutch, english", [
    pytest.param(*case, id=name) for name, case in VALUE_CASES.items()])
def test_values_written_as_people_do(site, extra, line, dutch, english):
    assert task_problems(site, extra) == [(line, dutch, english)]


def test_curly_quotes_in_a_list_and_none_around_a_title(site):
    problems = task_problems(site, "start: 2027-01-16\naccess:\n  - “zittend”")
    assert problems == [(7, "een waarde in 'access' staat tussen gekrulde aanhalingstekens (“ ” uit Word of "
                            "van een gsm), die YAML als deel van de waarde leest; typ rechte aanhalingstekens: "
                            "\"zittend\"",
                         "an item of 'access' is between curly quotes (“ ” from Word or a phone), which YAML "
                         "reads as part of the value; type straight quotes instead: \"zittend\"")]
    site.task("soep", TASK.replace("title: Soep koken", "title: “Soep” koken") + "start: 2027-01-16")
    assert site.build().model.tasks[0].task.title == "“Soep” koken"


# -- a task that lies in the past -----------------------------------------------------------

PAST = "---\ntitle: Brieven plooien\nstart: 2026-01-16 09:30\nplace: t-hof\ncategory: plooien\n---\nSamen.\n"


def test_a_task_in_the_past_is_a_warning_with_the_year_meant(site):
    site.write("content/tasks/brieven.md", PAST)
    result = site.build()  # a warning: the build succeeds
    [warning] = result.warnings
    assert (warning.path, warning.line) == ("content/tasks/brieven.md", 3)
    assert warning.warning  # a warning by its kind: the CLI says "let op:", GitHub shows ::warning
    assert warning.said("nl") == (
        "content/tasks/brieven.md:3: let op: 2026-01-16: de taak ligt in het verleden — bedoel je 2027? "
        "Ging ze door, vul dan 'result' in; ging ze niet door, schrijf 'status: cancelled'")
    assert warning.said("en") == (
        "content/tasks/brieven.md:3: warning: the task lies in the past (2026-01-16) — did you mean 2027? "
        "If it took place, add its 'result'; if it did not, write 'status: cancelled'")
    assert "ligt in het verleden — bedoel je 2027?" in say(warning.message, "nl")


@pytest.mark.parametrize("extra", ["result:\n  participants: 4", "status: cancelled",
                                   "repeat:\n  freq: monthly"])
def test_no_past_warning_when_done_cancelled_or_still_coming(site, extra):
    site.write("content/tasks/brieven.md", PAST.replace("category: plooien\n", f"category: plooien\n{extra}\n"))
    assert site.build().warnings == []


def _commit(root: Path, when: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.be", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.be", "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "--allow-empty", "-m", "x"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True, capture_output=True)


def test_a_task_committed_before_it_ended_took_place_and_is_not_told(site):
    # A board keeps many past tasks; only one written after its date looks like a slip.
    site.write("content/tasks/brieven.md", PAST)
    _commit(site.root, "2026-01-10T12:00:00+01:00")
    assert site.build().warnings == []
    site.write("content/tasks/brieven.md", PAST.replace("Samen.", "Samen, met koffie."))
    _commit(site.root, "2026-11-20T12:00:00+01:00")  # edited after it ended, still no result
    [warning] = site.build().warnings
    assert "bedoel je 2027?" in say(warning.message, "nl")


def test_the_year_meant_is_the_first_that_is_still_to_come(site):
    # Ended on 30 November 2025, built 26 November 2026: a year later is still to come.
    site.write("content/tasks/brieven.md", PAST.replace("2026-01-16 09:30", "2025-11-30"))
    [warning] = site.build().warnings
    assert "bedoel je 2026?" in say(warning.message, "nl")


def test_past_warning_in_check_and_its_annotation(site):
    site.write("content/tasks/brieven.md", PAST)
    text = subprocess.run([sys.executable, "-m", "sitegen", "check"], cwd=site.root, env=ENV,
                          capture_output=True, text=True, timeout=60)
    assert text.returncode == 0, text.stderr
    assert "content/tasks/brieven.md:3: let op: 2026-01-16: de taak ligt in het verleden — bedoel je 2027?" \
        in text.stderr
    github = subprocess.run([sys.executable, "-m", "sitegen", "check", "--format", "github"], cwd=site.root,
                            env=ENV, capture_output=True, text=True, timeout=60)
    assert github.returncode == 0, github.stdout
    [line] = [line for line in github.stdout.splitlines() if line.startswith("::")]
    assert line.startswith("::warning file=content/tasks/brieven.md,line=3::2026-01-16: de taak ligt in het "
                           "verleden — bedoel je 2027?")


@pytest.mark.parametrize("extra, line, written, english", [
    ("start: 2027-01-16\nstatus: afgelast", 6, "status: cancelled", "afgelast"),
    ("start: 2027-01-16\nstatus: Volzet", 6, "status: full", "Volzet"),
    ("start: 2027-01-16\ndraft: ja", 6, "draft: true", "ja"),
    ("start: 2027-01-16\nrepeat:\n  freq: wekelijks\n  count: 3", 7, "freq: weekly", "wekelijks"),
])
def test_dutch_words_for_english_values(site, extra, line, written, english):
    assert task_problems(site, extra) == [(line, f"'{english}' schrijf je hier in het Engels: {written}",
                                          f"'{english}' is written in English here: {written}")]


def test_the_past_warning_follows_the_build_moment_not_the_cache(site):
    # The loaded task is remembered between builds; the warning is worked out by each build.
    from datetime import datetime
    from conftest import ZONE
    site.write("content/tasks/brieven.md", PAST.replace("2026-01-16 09:30", "2026-12-01 09:30"))
    assert site.build().warnings == []
    [warning] = site.build(now=datetime(2026, 12, 5, 12, 0, tzinfo=ZONE)).warnings
    assert "bedoel je 2027?" in say(warning.message, "nl")
    assert site.build().warnings == []

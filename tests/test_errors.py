"""Every kind of content mistake: its exact `path:line: message`, all reported at once."""

from __future__ import annotations

import re

import pytest
import yaml

from sitegen import BuildFailed, messages
from sitegen.i18n import say
from sitegen.load.yamlfile import syntax_problem
from sitegen.build import load

from conftest import SITE_YML, writer_after

TASK = """\
title: Soep koken
place: t-hof
category: koken
"""


def problems(site, **options) -> list[str]:
    """The problems a build reports, as the lines the command prints."""
    with pytest.raises(BuildFailed) as failure:
        site.build(**options)
    return [str(p) for p in failure.value.problems]


def site_yml(site) -> str:
    return (site.root / "content/site.yml").read_text(encoding="utf-8")


def broken_task(site, extra: str, body: str = "Samen.\n") -> list[str]:
    """Problems of one task: the three good lines (2–4), then `extra` from line 5."""
    site.task("soep", TASK + extra, body)
    return problems(site)


# Each case: the lines after title/place/category (which are lines 2–4 of the file), and the
# one problem they cause.
TASK_CASES = {
    "unknown key with a suggestion": (
        "start: 2027-01-16\nspost: 3",
        "content/tasks/soep.md:6: unknown key 'spost' — did you mean 'spots'?"),
    "unknown key without a suggestion": (
        "start: 2027-01-16\nkleur: rood",
        "content/tasks/soep.md:6: unknown key 'kleur'; allowed keys: title, place, start, end, "
        "repeat, client, partners, category, talents, access, spots, taken, status, signup, "
        "waitlist, reward, contact, image, result, draft"),
    "duplicate key": (
        "start: 2027-01-16\ntitle: Nog eens",
        "content/tasks/soep.md:6: the key 'title' appears twice; keep only one"),
    "unknown access tag": (
        "start: 2027-01-16\naccess: [zittend, zitend]",
        "content/tasks/soep.md:6: access tag 'zitend' is not in content/site.yml — did you mean "
        "'zittend'? Known: zittend, rolstoel, kinderen"),
    "end before start": (
        "start: '2027-01-16 09:30'\nend: '2027-01-16 08:00'",
        "content/tasks/soep.md:6: end (2027-01-16 08:00) is before start (2027-01-16 09:30); "
        "the end must be at or after the start"),
    "end time only before start": (
        "start: '2027-01-16 09:30'\nend: '08:00'",
        "content/tasks/soep.md:6: end (2027-01-16 08:00) is before start (2027-01-16 09:30); "
        "the end must be at or after the start"),
    "end with a time for an all-day start": (
        "start: 2027-01-16\nend: '12:00'",
        "content/tasks/soep.md:6: start is a whole day, so end must be a date too "
        "(the last day, e.g. 2027-01-18)"),
    "end without a time for a timed start": (
        "start: '2027-01-16 09:30'\nend: 2027-01-17",
        "content/tasks/soep.md:6: start has a time, so end needs a time too "
        "(\"2027-01-16 12:00\" or just \"12:00\")"),
    "zero spots": (
        "start: 2027-01-16\nspots: 0",
        "content/tasks/soep.md:6: 'spots' must be a whole number of 1 or more, not '0'"),
    "negative spots": (
        "start: 2027-01-16\nspots: -2",
        "content/tasks/soep.md:6: 'spots' must be a whole number of 1 or more, not '-2'"),
    "spots not a number": (
        "start: 2027-01-16\nspots: veel",
        "content/tasks/soep.md:6: 'spots' must be a whole number of 1 or more, not 'veel'"),
    "negative taken": (
        "start: 2027-01-16\ntaken: -1",
        "content/tasks/soep.md:6: 'taken' must be a whole number of 0 or more, not '-1'"),
    "taken over spots": (
        "start: 2027-01-16\nspots: 2\ntaken: 3",
        "content/tasks/soep.md:7: taken (3) is more than spots (2); at most 2 can sign up"),
    "reward with a decimal comma": (
        "start: 2027-01-16\nreward: 2,5",
        "content/tasks/soep.md:6: 'reward' must be a number of 0 or more (e.g. 3 or 2.5), not '2,5'"),
    "bad status": (
        "start: 2027-01-16\nstatus: misschien",
        "content/tasks/soep.md:6: status must be one of 'open', 'full', 'cancelled', not 'misschien'"),
    "draft not a boolean": (
        "start: 2027-01-16\ndraft: misschien",
        "content/tasks/soep.md:6: 'draft' must be true or false, not 'misschien'"),
    "bad repeat freq": (
        "start: 2027-01-16\nrepeat:\n  freq: yearly",
        "content/tasks/soep.md:7: repeat freq must be 'daily', 'weekly' or 'monthly', not 'yearly'"),
    "repeat with until and count": (
        "start: 2027-01-16\nrepeat:\n  freq: weekly\n  until: 2027-03-27\n  count: 3",
        "content/tasks/soep.md:9: repeat has both 'until' and 'count'; keep one: until a date, "
        "or a number of times"),
    "repeat except not a date": (
        "start: 2027-01-16\nrepeat:\n  freq: weekly\n  except:\n    - 2027-01-23\n    - volgende week",
        "content/tasks/soep.md:10: 'volgende week' is not a date; write it as 2027-01-16"),
    "repeat until a datetime": (
        "start: 2027-01-16\nrepeat:\n  freq: weekly\n  until: 2027-03-27 10:00:00",
        "content/tasks/soep.md:8: '2027-03-27 10:00:00' is not a date; write it as 2027-01-16"),
    "repeat until before start": (
        "start: 2027-01-16\nrepeat:\n  freq: weekly\n  until: 2027-01-01",
        "content/tasks/soep.md:8: repeat until (2027-01-01) is before the first day (2027-01-16); "
        "use 2027-01-16 or a later day"),
    "repeat without freq": (
        "start: 2027-01-16\nrepeat:\n  count: 3",
        "content/tasks/soep.md:6: missing required key 'freq'; add a line such as 'freq: weekly'"),
    "repeat not a mapping": (
        "start: 2027-01-16\nrepeat: weekly",
        "content/tasks/soep.md:6: repeat must be a group of keys, e.g. 'repeat:' then "
        "'  freq: weekly' and '  until: 2027-03-27'"),
    "nested unknown key in repeat": (
        "start: 2027-01-16\nrepeat:\n  freq: weekly\n  cnt: 3",
        "content/tasks/soep.md:8: unknown key 'cnt' — did you mean 'count'?"),
    "nested unknown key in client": (
        "start: 2027-01-16\nclient:\n  name: Gezinsbond\n  ur: https://www.gezinsbond.be",
        "content/tasks/soep.md:8: unknown key 'ur' — did you mean 'url'?"),
    "client without a name": (
        "start: 2027-01-16\nclient:\n  url: https://www.gezinsbond.be",
        "content/tasks/soep.md:6: missing required key 'name'; add a line such as "
        "'name: Gezinsbond Zedelgem'"),
    "client url javascript": (
        "start: 2027-01-16\nclient:\n  name: Gezinsbond\n  url: javascript:alert(1)",
        "content/tasks/soep.md:8: the link 'javascript:alert(1)' uses 'javascript:', which is not "
        "allowed; use a link starting with https: or http:"),
    "nested unknown key in result": (
        "start: 2027-01-16\nresult:\n  participant: 3",
        "content/tasks/soep.md:7: unknown key 'participant' — did you mean 'participants'?"),
    "javascript signup": (
        "start: 2027-01-16\nsignup: 'javascript:alert(1)'",
        "content/tasks/soep.md:6: the link 'javascript:alert(1)' uses 'javascript:', which is not "
        "allowed; use a link starting with https: or mailto: or tel:"),
    "http signup": (
        "start: 2027-01-16\nsignup: http://forms.example.be/soep",
        "content/tasks/soep.md:6: the link 'http://forms.example.be/soep' uses 'http:', which is not "
        "allowed; use a link starting with https: or mailto: or tel:"),
    "signup with an unknown placeholder": (
        "start: 2027-01-16\nsignup: 'https://forms.example.be/?naam={naam}'",
        "content/tasks/soep.md:6: unknown placeholder '{naam}' in the sign-up link; use {title}, "
        "{date}, {time}, {place}, {slug}, {url}"),
    "signup without a host": (
        "start: 2027-01-16\nsignup: 'https:/forms'",
        "content/tasks/soep.md:6: the link 'https:/forms' has no web address after the scheme; "
        "write e.g. https://www.example.be"),
    "waitlist with an unknown placeholder": (
        "start: 2027-01-16\nwaitlist: 'https://forms.example.be/reserve?naam={naam}'",
        "content/tasks/soep.md:6: unknown placeholder '{naam}' in the reserve-list link; use "
        "{title}, {date}, {time}, {place}, {slug}, {url}"),
    "http waitlist": (
        "start: 2027-01-16\nwaitlist: http://forms.example.be/reserve",
        "content/tasks/soep.md:6: the link 'http://forms.example.be/reserve' uses 'http:', which is "
        "not allowed; use a link starting with https: or mailto: or tel:"),
    "waitlist that is neither a link nor a number": (
        "start: 2027-01-16\nwaitlist: reservelijst",
        "content/tasks/soep.md:6: 'waitlist' must be the link of a reserve-list form (https:, "
        "mailto: or tel:) or how many people are on the reserve list (0 or more), not 'reservelijst'"),
    "waitlist that is a link without its scheme": (
        "start: 2027-01-16\nwaitlist: forms.example.be/reserve",
        "content/tasks/soep.md:6: 'forms.example.be/reserve' has no https:// in front; write "
        "https://forms.example.be/reserve"),
    "negative waitlist": (
        "start: 2027-01-16\nwaitlist: -2",
        "content/tasks/soep.md:6: 'waitlist' must be a whole number of 0 or more, not '-2'"),
    "waitlist of a quoted number too big for Python to read": (
        "start: 2027-01-16\nwaitlist: '1" + "0" * 5000 + "'",
        "content/tasks/soep.md:6: 'waitlist' is '10000000000000000000…': more than 1,000,000, which no "
        "task needs; check the number"),
    "waitlist of a fraction": (
        "start: 2027-01-16\nwaitlist: 2.5",
        "content/tasks/soep.md:6: 'waitlist' must be the link of a reserve-list form (https:, "
        "mailto: or tel:) or how many people are on the reserve list (0 or more), not '2.5'"),
    "waitlist yes": (
        "start: 2027-01-16\nwaitlist: yes",
        "content/tasks/soep.md:6: 'waitlist' must be the link of a reserve-list form (https:, "
        "mailto: or tel:) or how many people are on the reserve list (0 or more), not 'yes'"),
    "result that is a number": (
        "start: 2026-11-14\nresult: 9",
        "content/tasks/soep.md:6: 'result: 9' does not say what 9 counts; write 'result:' and under it "
        "'  participants: 9' (how many took part) or '  hours: 9' (hours worked together)"),
    "result that is text": (
        "start: 2026-11-14\nresult: goed gelukt",
        "content/tasks/soep.md:6: 'result' must be a group of keys, e.g. 'result:' then "
        "'  participants: 6', '  hours: 12' and '  note: …'"),
    "draft as YAML reads it, not as typed": (
        "start: 2027-01-16\ndraft: 012",
        "content/tasks/soep.md:6: 'draft' must be true or false, not '012'"),
    "data image": (
        "start: 2027-01-16\nimage: 'data:image/png;base64,iVBORw0KGgo='",
        "content/tasks/soep.md:6: image 'data:image/png;base64,iVBORw0KGgo=' must be a path inside "
        "content/ or theme/, like images/soep.jpg"),
    "image outside the site": (
        "start: 2027-01-16\nimage: ../../etc/passwd.png",
        "content/tasks/soep.md:6: image '../../etc/passwd.png' must be a path inside content/ or "
        "theme/, like images/soep.jpg"),
    "image not found": (
        "start: 2027-01-16\nimage: images/soep.jpg",
        "content/tasks/soep.md:6: image 'images/soep.jpg' was not found under content/ or theme/; "
        "check the file name"),
    "image not a picture": (
        "start: 2027-01-16\nimage: site.yml",
        "content/tasks/soep.md:6: image 'site.yml' must be a .jpg, .jpeg, .png, .webp, .gif or .svg file"),
    "a list item that is not text": (
        "start: 2027-01-16\ntalents: geduld\npartners:\n  - vzw Oranje\n  - [a, b]",
        "content/tasks/soep.md:9: 'partners item' must be text, not a list"),
    "time without a date (unquoted 10:00 is 600)": (
        "start: 10:00",
        "content/tasks/soep.md:5: '10:00' is a time without a date; write the date too, in quotes: "
        "\"2027-01-16 10:00\""),
    "not a date": (
        "start: volgende week",
        "content/tasks/soep.md:5: 'volgende week' is not a date; write '2027-01-16' for a whole "
        "day or \"2027-01-16 09:30\" (in quotes) for a time"),
    "impossible date": (
        "start: '2027-02-30 10:00'",
        "content/tasks/soep.md:5: '2027-02-30' is not a date that exists; check the day and the "
        "month (2027-01-16)"),
    "time in the spring-forward gap": (
        "start: '2027-03-28 02:30'",
        "content/tasks/soep.md:5: 2027-03-28 02:30 does not exist in Europe/Brussels: the clocks "
        "jump forward that night; pick a time an hour later"),
    "empty required value": (
        "start:",
        "content/tasks/soep.md:5: 'start' is empty and it is required; write a value after the colon, "
        "such as 'start: \"2027-01-16 09:30\"'"),
}


@pytest.mark.parametrize("extra, expected", [
    pytest.param(*case, id=name) for name, case in TASK_CASES.items()])
def test_task_error(site, extra, expected):
    assert broken_task(site, extra) == [expected]


def test_unknown_category(site):
    site.task("soep", "title: Soep\nplace: t-hof\ncategory: kokem\nstart: 2027-01-16")
    assert problems(site) == [
        "content/tasks/soep.md:4: category 'kokem' is not in content/site.yml — did you mean "
        "'koken'? Known: plooien, tuinwerk, koken"]


def test_unknown_place_lists_known_places(site):
    site.task("soep", "title: Soep\nplace: nergens\ncategory: koken\nstart: 2027-01-16")
    assert problems(site) == [
        "content/tasks/soep.md:3: place 'nergens' does not exist; known places: t-hof"]


def test_unknown_place_with_suggestion(site):
    site.task("soep", "title: Soep\nplace: t-hoff\ncategory: koken\nstart: 2027-01-16")
    assert problems(site) == [
        "content/tasks/soep.md:3: place 't-hoff' does not exist — did you mean 't-hof'? "
        "Known places: t-hof"]


def test_task_at_a_broken_place_points_to_the_place_file(site):
    site.place("oranje", "name: vzw Oranje\nadres: Stationsstraat 1")
    site.task("soep", "title: Soep\nplace: oranje\ncategory: koken\nstart: 2027-01-16")
    assert problems(site) == [
        "content/places/oranje.md:1: missing required key 'address'; add a line such as "
        "'address: Torhoutsestraat 54, 8210 Zedelgem'",
        "content/places/oranje.md:3: unknown key 'adres': the keys are written in English; write 'address'",
        "content/tasks/soep.md:3: place 'oranje' has problems of its own (see "
        "content/places/oranje.md); fix that file first",
    ]


def test_missing_required_key_is_on_line_1(site):
    site.task("soep", "place: t-hof\ncategory: koken\nstart: 2027-01-16")
    assert problems(site) == [
        "content/tasks/soep.md:1: missing required key 'title'; add a line such as "
        "'title: Brieven plooien voor de Gezinsbond'"]


def test_javascript_link_in_body_names_its_body_line(site):
    body = "Kom helpen.\n\nMeer info [hier](javascript:alert(1)).\n"
    assert broken_task(site, "start: 2027-01-16", body) == [
        # lines: 1 ---, 2-4 keys, 5 start, 6 ---, 7 Kom helpen, 8 blank, 9 the link
        "content/tasks/soep.md:9: in the text: the link 'javascript:alert(1)' uses 'javascript:', "
        "which is not allowed; use a link starting with https: or http: or mailto: or tel:"]


@pytest.mark.parametrize("body, line, url", [
    pytest.param("Hallo.\n\n![foto](data:image/png;base64,AAAA)\n", 9,
                 "data:image/png;base64,AAAA", id="data image in markdown"),
    pytest.param("Hallo.\n\nZie [de folder][f].\n\n[f]: vbscript:msgbox(1)\n", 11,
                 "vbscript:msgbox(1)", id="reference link"),
    pytest.param('Hallo.\n\n<a href="javascript:alert(1)">klik</a>\n', 9,
                 "javascript:alert(1)", id="raw a href"),
    pytest.param('Hallo.\n\n<a href="&#106;avascript:alert(1)">klik</a>\n', 9,
                 "javascript:alert(1)", id="entity-obfuscated scheme"),
    pytest.param('Hallo.\n\n<a href="javascript&colon;alert(1)">klik</a>\n', 9,
                 "javascript:alert(1)", id="named-entity colon"),
    pytest.param('Hallo.\n\n<a href="java&#9;script:alert(1)">klik</a>\n', 9,
                 "java\\x09script:alert(1)", id="tab inside the scheme"),
    pytest.param("Hallo.\n\n[bestand](file:///etc/passwd)\n", 9,
                 "file:///etc/passwd", id="file link"),
])
def test_refused_link_in_body(site, body, line, url):
    scheme = url.replace("\\x09", "").split(":")[0].split("&")[0]
    assert broken_task(site, "start: 2027-01-16", body) == [
        f"content/tasks/soep.md:{line}: in the text: the link '{url}' uses '{scheme}:', which is "
        "not allowed; use a link starting with https: or http: or mailto: or tel:"]


@pytest.mark.parametrize("body, url", [
    pytest.param("Hallo.\n\n![logo](https://cdn.example.com/logo.png)\n", "https://cdn.example.com/logo.png",
                 id="https image"),
    pytest.param('Hallo.\n\n<img src="//tracker.example.com/p.gif" alt="">\n', "//tracker.example.com/p.gif",
                 id="protocol-relative image"),
])
def test_image_from_another_site_in_body(site, body, url):
    assert broken_task(site, "start: 2027-01-16", body) == [
        f"content/tasks/soep.md:9: in the text: the image '{url}' comes from another website, which "
        "the site never contacts; put the picture in content/ (e.g. content/images/foto.jpg) and "
        "name it with 'image: images/foto.jpg' or, in the text, '![what it shows](images/foto.jpg)'"]


def test_empty_file(site):
    site.write("content/tasks/soep.md", "")
    assert problems(site) == [
        "content/tasks/soep.md:1: the file is empty; start it with a line '---', the keys "
        "(title: …), and a line '---'"]


def test_no_front_matter(site):
    site.write("content/tasks/soep.md", "Soep koken in 't Hof, zaterdag.\n")
    assert problems(site) == [
        "content/tasks/soep.md:1: no front matter: the file must start with a line '---', then "
        "the keys (title: …), then a line '---' before the text"]


def test_unclosed_front_matter(site):
    site.write("content/tasks/soep.md", "---\ntitle: Soep\nplace: t-hof\n")
    assert problems(site) == [
        "content/tasks/soep.md:1: the front matter is not closed: add a line '---' after the last key"]


def test_not_utf8(site):
    (site.root / "content/tasks/soep.md").write_bytes(
        "---\ntitle: Soep met prei en çelderij\n---\n".encode("cp1252"))
    assert problems(site) == [
        "content/tasks/soep.md:1: the file is not UTF-8 text; save it as UTF-8 in your editor"]


def test_yaml_syntax_error_line(site):
    site.task("soep", TASK + "start: 2027-01-16\ntalents: [geduld, fiets\nspots: 3")
    assert problems(site) == [
        "content/tasks/soep.md:7: a list between '[' and ']' is not closed; end it with ']' on the "
        "same line (access: [rolstoel, zittend]), or put a value that starts with '[' between "
        "double quotes"]


# The YAML mistakes coordinators make, the line PyYAML points at, and the start of what to do.
YAML_MISTAKES = [
    ("title: Tuin: harken\n", 1, "a second ': ' on this line"),
    ("title: x\n  place: y\n", 2, "a second ': ' on this line"),
    ('title: x\nplace: "t Hof\nspots: 3\n', 2, "the quote that opens the value"),
    ("title: 'it's fijn'\n", 1, "this line is not 'key: value' or '- item'"),
    ("title: [Nieuw] harken\n", 1, "this line is not 'key: value' or '- item'"),
    ("title: \"Nieuw\" harken\n", 1, "this line is not 'key: value' or '- item'"),
    ("access:\n  - a\n - b\n", 3, "this line is not 'key: value' or '- item'"),
    ("access:\n- a\nb\n", 3, "this line is not 'key: value' or '- item'"),
    ("title: x\n\tplace: y\n", 2, None),  # a tab: libyaml and PyYAML word it differently
    ("title: @thuis\n", 1, "a value cannot start with a sign such as '@'"),
    ("title: `x`\n", 1, "a value cannot start with a sign such as '@'"),
    ("access: [rolstoel, zittend\nspots: 3\n", 2, "a list between '[' and ']' is not closed"),
    ("repeat: {freq: weekly\nspots: 3\n", 2, "a group between '{' and '}' is not closed"),
    ("title: *ster\n", 1, "a value cannot start with '*' or '&'"),
    ("title: **Dringend**\n", 1, "a value cannot start with '*' or '&'"),
    ("a: &x 1\nb: &x 2\n", 2, "a value cannot start with '*' or '&'"),
    ('title: "C:\\pad"\n', 1, "a backslash"),
    ("title: x\n%y: 1\n", 2, "a line cannot start with '%'"),
    ("title: a\nbody: |x\n", 2, "a value cannot start with '|' or '>'"),
    ("title: ? x\n", 1, "a value cannot start with '? '"),
    ("title: x\n---\nplace: y\n", 2, "a line with only '---' or '...'"),
    ("title: x\n...\nplace: y\n", 3, "a line with only '---' or '...'"),
]


@pytest.mark.parametrize("reader", ["libyaml", "python"])
@pytest.mark.parametrize("text, line, advice", YAML_MISTAKES)
def test_each_yaml_mistake_says_what_to_change_in_dutch(text, line, advice, reader):
    loader = yaml.CSafeLoader if reader == "libyaml" else yaml.SafeLoader
    with pytest.raises(yaml.MarkedYAMLError) as raised:
        yaml.load(text, Loader=loader)
    problem = syntax_problem(raised.value)
    assert problem.line == line
    if advice is None:  # the tab
        assert "tab" in problem.message and "spaces" in problem.message, problem.message
    else:
        assert problem.message.startswith(advice), problem.message
    dutch = say(problem.message, "nl")
    assert "YAML (" not in problem.message and dutch != problem.message
    # Only PyYAML's unknown complaints are quoted, in its English.
    assert not re.search(r"\b(expected|found|mapping|scalar|token)\b", dutch), dutch


@pytest.mark.parametrize("sign", ["\uff1a", ":\u00a0", ":\u202f", ":\u3000"])
def test_a_colon_that_only_looks_like_one_is_named_at_its_own_line(site, sign):
    # Pasted from a word processor or a chat: YAML would complain a line later, about ': '.
    site.task("soep", TASK.replace("place: t-hof", f"place{sign} t-hof") + "start: 2027-01-16")
    code = f"{ord(sign[-1]):04X}"
    assert problems(site) == [
        f"content/tasks/soep.md:3: after 'place' stands a sign that looks like ': ' but is another "
        f"one (U+{code}); type the colon and the space after 'place' again"]
    site.write("content/site.yml", SITE_YML.replace("title:", f"title{sign}", 1))
    assert any(line.startswith("content/site.yml:1: after 'title' stands a sign") for line in problems(site))


def test_a_lookalike_colon_on_the_last_key_is_named_too(site):
    # YAML reads it as more words of the value above, so no YAML error; the keys are wrong.
    site.task("soep", TASK + "start:\u00a0\"2027-01-16\"")
    assert problems(site) == [
        "content/tasks/soep.md:5: after 'start' stands a sign that looks like ': ' but is another "
        "one (U+00A0); type the colon and the space after 'start' again"]


@pytest.mark.parametrize("key, code", [("ti\u200btle", "200B"), ("title\u00ad", "00AD"),
                                       ("\u2060title", "2060")])
def test_a_key_with_an_invisible_character_is_named_as_it_reads(site, key, code):
    # "unknown key 'title' — did you mean 'title'?" would only puzzle; nor is 'title' missing.
    site.task("soep", TASK.replace("title:", f"{key}:") + "start: 2027-01-16")
    assert problems(site) == [
        f"content/tasks/soep.md:2: the key 'title' holds an invisible character (U+{code}), which "
        "makes it another key; delete the key and type it again"]


@pytest.mark.parametrize("line, plain, pasted, key, code", [
    (3, "place: t-hof", "place: t-hof\u200b", "place", "200B"),
    (4, "category: koken", "category: \u200bkoken", "category", "200B"),
    (5, 'start: "2027-01-16 09:30"', 'start: "2027-01-16\u00a009:30"', "start", "00A0"),
    (6, "spots: 3", 'spots: "3\u00a0"', "spots", "00A0"),
    (6, "spots: 3", 'signup: "https://forms.example.be/soep\u200b"', "signup", "200B"),
    (6, "spots: 3", "access: [rolstoel\u00a0]", "access", "00A0"),
])
def test_a_slug_date_or_link_with_an_invisible_character_is_named(site, line, plain, pasted, key, code):
    # Else: "place 't-hof' does not exist, but … write 'place: t-hof'", which it says.
    front = TASK + 'start: "2027-01-16 09:30"\nspots: 3\n'
    site.task("soep", front)
    site.build()
    site.task("soep", front.replace(plain, pasted))
    assert problems(site) == [
        f"content/tasks/soep.md:{line}: '{key}' holds an invisible character (U+{code}), often "
        "pasted with the text, which is no part of a name, date, number or link; delete the value "
        "and type it again"]


def test_free_text_may_hold_a_no_break_space(site):
    site.task("soep", TASK.replace("Soep koken", "Soep koken om 10\u00a0uur") + "start: 2027-01-16")
    (view,) = site.build().model.tasks
    assert view.task.title == "Soep koken om 10\u00a0uur"


@pytest.mark.parametrize("written", [
    '"51.1423, 3.1367"',  # Google Maps' copy of a spot
    "51.1423, 3.1367",
    '"51.1423° N, 3.1367° E"',
    "https://www.openstreetmap.org/#map=18/51.1423/3.1367",
    "https://www.google.com/maps/@51.1423,3.1367,17z",
])
def test_coordinates_copied_from_a_map_are_told_how_to_write_them(site, written):
    site.write("content/places/schuur.md", f"---\nname: De Schuur\naddress: Kerkstraat 1\ngeo: {written}\n---\n")
    assert problems(site) == ["content/places/schuur.md:4: geo is a list of two numbers in square "
                              "brackets; write geo: [51.1423, 3.1367]"]
    site.write("content/places/schuur.md", "---\nname: De Schuur\naddress: Kerkstraat 1\n"
                                           "geo: 51.1423° N, 3.1367° W\n---\n")
    assert problems(site) == ["content/places/schuur.md:4: geo must be [latitude, longitude], e.g. "
                              "[51.1423, 3.1367]"]  # west is minus: no guess


def test_a_line_that_starts_with_a_byte_order_mark_is_named(site):
    site.task("soep", TASK.replace("place:", "\ufeffplace:") + "start: 2027-01-16")
    assert problems(site) == [
        "content/tasks/soep.md:3: this line starts with an invisible character (U+FEFF), which "
        "YAML cannot read; delete the start of the line and type the key again"]


def test_a_wide_colon_inside_a_value_is_no_mistake(site):
    site.task("soep", TASK.replace("title: Soep koken", "title: \"Let op\uff1a soep\"") + "start: 2027-01-16")
    site.task("lange", TASK.replace("category: koken", "category: koken\ncontact: |\n  Bel eerst\uff1a 050 12 34 56")
              + "start: 2027-01-16")
    views = site.build().model.tasks
    assert {view.task.title for view in views} == {"Let op\uff1a soep", "Soep koken"}


def test_an_unknown_yaml_complaint_is_still_quoted():
    assert say(messages.yaml_syntax("something new", "while reading"), "nl").startswith(
        "dit is geen geldige YAML (something new)")


def test_bad_file_name(site):
    site.task("Soep Koken", TASK + "start: 2027-01-16")
    assert problems(site) == [
        "content/tasks/Soep Koken.md:1: the file name 'Soep Koken' cannot be used in a web "
        "address; use lowercase letters, digits and hyphens, e.g. 'soep-koken'"]


def test_bad_site_key(site):
    site.write("content/site.yml", site_yml(site).replace("currency:", "curency:"))
    assert problems(site) == [
        "content/site.yml:6: unknown key 'curency' — did you mean 'currency'?"]


def test_missing_site_key(site):
    site.write("content/site.yml", site_yml(site).replace("title: Doe-plekken Testdorp\n", ""))
    assert problems(site) == [
        "content/site.yml:1: missing required key 'title'; add a line such as "
        "'title: Doe-plekken Zedelgem'"]


@pytest.mark.parametrize("old, new, expected", [
    pytest.param("language: nl", "language: fr",
                 "content/site.yml:4: language must be 'nl' or 'en', not 'fr'", id="language"),
    pytest.param("timezone: Europe/Brussels", "timezone: Europe/Brussel",
                 "content/site.yml:5: unknown time zone 'Europe/Brussel'; use an IANA name such as "
                 "'Europe/Brussels'", id="timezone"),
    pytest.param("base_url: https://doeplekken.example.be", "base_url: doeplekken.example.be",
                 "content/site.yml:3: base_url must be an absolute https:// or http:// address, not "
                 "'doeplekken.example.be'", id="base_url"),
    pytest.param("base_url: https://doeplekken.example.be", "base_url: https://griet:geheim@doeplekken.example.be",
                 "content/site.yml:3: base_url 'https://griet:geheim@doeplekken.example.be' holds more than the "
                 "site's address (a user name or password, a '?' or a '#'), which every page, feed and poster "
                 "would publish; write only the address: https://doeplekken.example.be", id="base_url with a password"),
    pytest.param("base_url: https://doeplekken.example.be", "base_url: https://doeplekken.example.be/?utm=x",
                 "content/site.yml:3: base_url 'https://doeplekken.example.be/?utm=x' holds more than the "
                 "site's address (a user name or password, a '?' or a '#'), which every page, feed and poster "
                 "would publish; write only the address: https://doeplekken.example.be/", id="base_url with a query"),
    pytest.param("  koken: koken", "  Koken Thuis: koken",
                 "content/site.yml:13: 'Koken Thuis' in 'categories' is not a valid slug: only lowercase "
                 "letters and digits, with single hyphens between them; write 'koken-thuis'", id="category slug"),
    pytest.param("  koken: koken", "  -koken-: koken",
                 "content/site.yml:13: '-koken-' in 'categories' is not a valid slug: only lowercase "
                 "letters and digits, with single hyphens between them; write 'koken'", id="slug with outer hyphens"),
    pytest.param("  koken: koken", "  '---': koken",
                 "content/site.yml:13: '---' in 'categories' is not a valid slug; use lowercase letters, "
                 "digits and hyphens (e.g. 'tuinwerk')", id="slug without a letter"),
    pytest.param("signup: \"https://forms", "signup: \"http://forms",
                 "content/site.yml:7: the link 'http://forms.example.be/inschrijven?taak={title}&datum={d…' "
                 "uses 'http:', which is not allowed; use a link starting with https: or mailto: or tel:",
                 id="signup"),
    pytest.param("suggest: https://forms.example.be/voorstel",
                 "suggest: https://forms.example.be/voorstel\nwaitlist: 'https://forms.example.be/r?x={wie}'",
                 "content/site.yml:9: unknown placeholder '{wie}' in the reserve-list link; use {title}, "
                 "{date}, {time}, {place}, {slug}, {url}", id="waitlist"),
])
def test_bad_site_value(site, old, new, expected):
    text = site_yml(site)
    assert old in text
    site.write("content/site.yml", text.replace(old, new))
    assert problems(site) == [expected]


def test_missing_site_file(site):
    (site.root / "content/site.yml").unlink()
    assert problems(site) == [
        "content/site.yml:1: content/site.yml is missing; create it with at least title, "
        "base_url and categories"]


def test_place_errors(site):
    site.place("oranje", "name: vzw Oranje\naddress: Stationsstraat 1\ngeo: 51.1, 3.1\n"
               "access: [trap]\nopen: altijd")
    assert problems(site) == [
        "content/places/oranje.md:4: geo is a list of two numbers in square brackets; write geo: [51.1, 3.1]",
        "content/places/oranje.md:5: access tag 'trap' is not in content/site.yml; known: "
        "zittend, rolstoel, kinderen",
        "content/places/oranje.md:6: unknown key 'open'; allowed keys: name, address, geo, "
        "partners, access, hours, contact, image",
    ]


def test_draft_is_checked_too(site):
    """A draft is not published, but its mistakes are reported before the day it is."""
    site.task("soep", TASK + "start: 2027-01-16\ndraft: true\nspots: 0")
    assert problems(site) == [
        "content/tasks/soep.md:7: 'spots' must be a whole number of 1 or more, not '0'"]


def test_all_problems_of_all_files_at_once(site):
    site.task("a-typo", TASK + "start: 2027-01-16\nspost: 3")
    site.task("b-dst", TASK + "start: '2027-03-28 02:15'")
    site.task("c-link", TASK + "start: 2027-01-16", "Zie <a href='javascript:x()'>dit</a>.\n")
    site.write("content/tasks/d-empty.md", "")
    site.task("e-two", "title: Twee fouten\nplace: nergens\ncategory: koken\nstart: 2027-01-16\n"
              "spots: 2\ntaken: 5")
    site.task("f-good", TASK + "start: 2027-01-16")
    site.place("g-place", "name: Zonder adres")
    found = problems(site)
    assert found == [
        "content/places/g-place.md:1: missing required key 'address'; add a line such as "
        "'address: Torhoutsestraat 54, 8210 Zedelgem'",
        "content/tasks/a-typo.md:6: unknown key 'spost' — did you mean 'spots'?",
        "content/tasks/b-dst.md:5: 2027-03-28 02:15 does not exist in Europe/Brussels: the clocks "
        "jump forward that night; pick a time an hour later",
        "content/tasks/c-link.md:7: in the text: the link 'javascript:x()' uses 'javascript:', "
        "which is not allowed; use a link starting with https: or http: or mailto: or tel:",
        "content/tasks/d-empty.md:1: the file is empty; start it with a line '---', the keys "
        "(title: …), and a line '---'",
        "content/tasks/e-two.md:3: place 'nergens' does not exist; known places: g-place, t-hof",
        "content/tasks/e-two.md:7: taken (5) is more than spots (2); at most 2 can sign up",
    ]


def test_warnings_do_not_fail_the_build(site):
    site.task("soep", TASK + "start: 2027-01-16\nrepeat:\n  freq: weekly\n  count: 3\n"
              "  except: [2027-01-17]")
    site.write("content/tasks/brieven.markdown", "---\ntitle: x\n---\n")
    site.write("content/tasks/Grote Kuis.MD", "---\ntitle: x\n---\n")
    _, warnings = load(site.options())
    assert [str(w) for w in warnings] == [
        "content/tasks/Grote Kuis.MD:1: warning: 'Grote Kuis.MD' is not read: only files "
        "ending in .md are; rename it to 'grote-kuis.md'",
        "content/tasks/brieven.markdown:1: warning: 'brieven.markdown' is not read: only files "
        "ending in .md are; rename it to 'brieven.md'",
        "content/tasks/soep.md:6: warning: except date 2027-01-17 is not one of the repeat's "
        "days, so it changes nothing",
    ]


@pytest.mark.parametrize("url, warned", [("https://example.be/doeplek/", True),
                                         ("http://example.be/a/b", True),
                                         ("https://doeplek.example.be/", False),
                                         ("https://doeplek.example.be", False)])
def test_a_base_url_with_a_path_is_warned_of(site, url, warned):
    """Links inside the site are root-relative: a board served below a path loses its styles."""
    site.write("content/site.yml", SITE_YML.replace("base_url: https://doeplekken.example.be",
                                                    f"base_url: {url}"))
    _, warnings = load(site.options())
    path = url.split(".be", 1)[1].rstrip("/")
    expected = [f"content/site.yml:3: warning: base_url '{url}' has a path ({path}): links inside "
                "the site start at the root of its address, so pages, styles and search only work "
                "when the site is served there. Use the address of the site's own (sub)domain, "
                "e.g. https://doeplekken.example.be"]
    assert [str(w) for w in warnings] == (expected if warned else [])


def test_rebuild_rechecks_a_task_when_what_it_refers_to_changes(site):
    """A build may remember unchanged files; a task's problems still follow its place and site.yml."""
    site.place("oranje", "name: vzw Oranje\naddress: Stationsstraat 1")
    site.task("soep", "title: Soep\nplace: oranje\ncategory: koken\nstart: 2027-01-16")
    site.build()
    site.place("oranje", "name: vzw Oranje")  # the place breaks; the task file is unchanged
    assert problems(site)[-1] == (
        "content/tasks/soep.md:3: place 'oranje' has problems of its own (see "
        "content/places/oranje.md); fix that file first")
    site.place("oranje", "name: vzw Oranje\naddress: Stationsstraat 1")
    original = site_yml(site)
    site.write("content/site.yml", original.replace("  koken: koken\n", ""))
    assert problems(site) == [
        "content/tasks/soep.md:4: category 'koken' is not in content/site.yml; known: plooien, tuinwerk"]
    site.write("content/site.yml", original)
    assert site.build().model.tasks[0].task.place == "oranje"


def test_unclosed_quote_points_at_the_line_where_it_opened(site):
    site.task("soep", 'title: "Soep koken\nplace: t-hof\ncategory: koken\nstart: 2027-01-16')
    assert problems(site) == [
        "content/tasks/soep.md:2: the quote that opens the value on this line is never closed; "
        "end the value with the same quote (\" or ')"]


def test_repeat_mistakes_are_reported_even_when_start_is_wrong(site):
    site.task("soep", """\
        title: Soep
        place: t-hof
        category: koken
        start: "2027-03-28 02:30"
        repeat: {freq: yearly, until: 2027-01-01, count: 3, except: [nope]}""")
    assert problems(site) == [
        "content/tasks/soep.md:5: 2027-03-28 02:30 does not exist in Europe/Brussels: the clocks "
        "jump forward that night; pick a time an hour later",
        "content/tasks/soep.md:6: 'nope' is not a date; write it as 2027-01-16",
        "content/tasks/soep.md:6: repeat freq must be 'daily', 'weekly' or 'monthly', not 'yearly'",
        "content/tasks/soep.md:6: repeat has both 'until' and 'count'; keep one: until a date, "
        "or a number of times"]


def test_a_bad_file_name_does_not_hide_the_file_s_other_mistakes(site):
    site.write("content/tasks/Soep_Koken.md",
               "---\ntitle: Soep\nplace: t-hof\ncategory: koken\nstart: 2027-01-10\nend: 2027-01-09\n---\n")
    assert problems(site) == [
        "content/tasks/Soep_Koken.md:1: the file name 'Soep_Koken' cannot be used in a web address; "
        "use lowercase letters, digits and hyphens, e.g. 'soep-koken'",
        "content/tasks/Soep_Koken.md:6: end (2027-01-09) is before start (2027-01-10); "
        "the end must be at or after the start"]


def test_a_date_that_does_not_exist_is_reported_at_its_line(site):
    site.task("soep", "title: Soep\nplace: t-hof\ncategory: koken\nstart: 2027-02-30")
    assert problems(site) == [
        "content/tasks/soep.md:5: '2027-02-30' is not a date that exists; check the day and the "
        "month (2027-01-16)"]


def test_a_single_except_date_without_a_list(site):
    site.task("soep", "title: Soep\nplace: t-hof\ncategory: koken\nstart: 2027-01-16\n"
                      "repeat:\n  freq: weekly\n  count: 3\n  except: 2027-01-23")
    result = site.build()
    (view,) = result.model.tasks
    assert [o.day.isoformat() for o in view.occurrences] == ["2027-01-16", "2027-01-30"]


def test_a_quoted_day_that_does_not_exist(site):
    site.task("soep", 'title: Soep\nplace: t-hof\ncategory: koken\nstart: "2027-02-30"')
    assert problems(site) == [
        "content/tasks/soep.md:5: '2027-02-30' is not a date that exists; check the day and the "
        "month (2027-01-16)"]


def test_a_task_file_that_is_a_symlink_loop_is_a_problem_not_a_traceback(site):
    # Asking whether such an entry is a folder fails (too many levels of symbolic links):
    # it is an unreadable file like any other.
    (site.root / "content/tasks/a.md").symlink_to("b.md")
    (site.root / "content/tasks/b.md").symlink_to("a.md")
    assert [line.split(": the file cannot be read")[0] for line in problems(site)] == [
        "content/tasks/a.md:1", "content/tasks/b.md:1"]


def test_a_file_name_that_is_not_utf8_is_a_problem_not_a_traceback(site):
    # A file unpacked from an old archive can have a Latin-1 name; Python hands it over
    # with surrogate escapes, which the build cache's keys must cope with.
    import os
    site.task("soep", TASK + 'start: "2026-12-05 09:30"')
    folder = os.fsencode(site.root / "content/tasks")
    with open(os.path.join(folder, b"caf\xe9.md"), "wb") as handle:
        handle.write(b"---\n" + TASK.encode() + b'start: "2026-12-05 09:30"\n---\nSoep.\n')
    os.utime(os.path.join(folder, b"caf\xe9.md"), (1_700_000_000, 1_700_000_000))  # settled: its stat is remembered
    found = problems(site)
    assert len(found) == 1 and found[0].startswith("content/tasks/caf"), found
    assert problems(site) == found  # the same with what the first build remembered


@pytest.mark.parametrize("path", ["content/tasks/a.md", "content/places/b.md", "content/site.yml"])
def test_a_named_pipe_for_a_content_file_is_a_problem_and_does_not_hang(site, path):
    # Opening a FIFO for reading waits for a writer: without care the build never ends.
    import os
    import time
    fifo = site.root / path
    fifo.unlink(missing_ok=True)
    os.mkfifo(fifo)
    started = time.monotonic()
    with writer_after(fifo):
        found = problems(site)
    assert time.monotonic() - started < 5
    assert f"{path}:1: this is a folder, a pipe or a device, not a normal file; " \
           "replace it with a normal text file" in found


def test_a_site_yml_that_is_a_folder_is_a_problem_not_a_traceback(site):
    (site.root / "content/site.yml").unlink()
    (site.root / "content/site.yml").mkdir()
    assert problems(site) == ["content/site.yml:1: the file cannot be read (is a directory); "
                              "check that it exists and is a normal file"]

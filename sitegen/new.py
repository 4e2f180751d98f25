"""`sitegen new`: write a valid, commented task or place file to start from.

What it cannot guess (the place, the kind of work, the start; a place's address) it asks
for on a terminal, showing what there is to choose from, and never picks silently: off a
terminal a missing value is an error that names the option to pass. The comments in the
file are in the site's language.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from zoneinfo import ZoneInfo

from .messages import hints
from .i18n import Text, _, say
from .load.config import load_settings
from .load.content import LoadOptions, load_site, slugify
from .load.mistakes import by_label
from .load.yamlfile import (FILE_BYTES, TooBig, YamlError, parse_front_matter, read_at_most, read_text,
                            split_front_matter)
from .model import Site
from .problems import BuildFailed, Problems
from .theme import Theme
from .when import WhenError, parse_moment

# Asks one question on the terminal and returns the answer (`input`); None off a terminal.
Ask = Callable[[str], str]


@dataclass(frozen=True)
class NewTask:
    """What `sitegen new task` was asked for; a value left None is asked for, or refused."""

    title: str
    place: str | None = None
    start: str | None = None
    category: str | None = None


@dataclass(frozen=True)
class NewPlace:
    """What `sitegen new place` was asked for."""

    name: str
    address: str | None = None


class MissingValue(Exception):
    """A value `sitegen new` cannot guess, off a terminal: the message names the option."""

    def __init__(self, message: Text):
        self.message = message
        super().__init__(message)


def new_task(root: Path, wanted: NewTask, ask: Ask | None = None, tell: Callable[[str], None] = print) -> Path:
    """Write content/tasks/<slug>.md; raise BuildFailed (and write nothing) when check would refuse it.

    `ask` and `tell` talk with the coordinator on a terminal; without `ask`, a value that
    cannot be guessed raises MissingValue.
    """
    problems = Problems()
    site = load_settings(root, problems)
    problems.raise_if_any()
    say_here = _sayer(site)
    places = known_places(root)
    place = _choose(wanted.place, places, "--place", hints.ask_place(), "content/places/", ask, tell, say_here)
    categories = {c.slug: c.label for c in site.categories}
    category = _choose(wanted.category, categories, "--category", hints.ask_category(), "content/site.yml",
                       ask, tell, say_here)
    start = wanted.start or _ask_start(site, ask, tell, say_here)
    wanted = replace(wanted, place=place, category=category, start=start)
    text = task_text(wanted, site.language)
    return _checked(root, _write_new(root / "content/tasks", slugify(wanted.title), text))


def new_place(root: Path, wanted: NewPlace, ask: Ask | None = None, tell: Callable[[str], None] = print) -> Path:
    """Write content/places/<slug>.md; raise BuildFailed (and write nothing) when check would refuse it."""
    problems = Problems()
    site = load_settings(root, problems)
    problems.raise_if_any()
    address = wanted.address
    if address is None:
        if ask is None:
            raise MissingValue(hints.missing_address())
        address = ask(_sayer(site)(hints.ask_address())).strip()
    text = place_text(replace(wanted, address=address), site.language)
    return _checked(root, _write_new(root / "content/places", slugify(wanted.name, "plek"), text))


def known_places(root: Path) -> dict[str, str]:
    """The places to choose from: file name → the name people know (the file name when unreadable)."""
    places = {}
    for path in sorted((root / "content/places").glob("*.md")):
        try:
            name = parse_front_matter(split_front_matter(read_text(read_at_most(path, FILE_BYTES)))).get("name")
        except (OSError, TooBig, UnicodeDecodeError, YamlError):
            name = None
        places[path.stem] = str(name) if isinstance(name, str) and name.strip() else path.stem
    return places


def _sayer(site: Site) -> Callable[[str], str]:
    return lambda text: say(text, site.language)


def _choose(given: str | None, choices: dict[str, str], option: str, question: Text, where: str,
            ask: Ask | None, tell, say_here) -> str:
    """A slug from `choices`: as given (or named by its label), the only one, or asked for."""
    if given is not None:
        named = None if given in choices else by_label(given, choices.items())
        return named[0] if named else given  # an unknown one is told by the check, with its hints
    if len(choices) == 1:
        return next(iter(choices))
    if not choices:
        raise MissingValue(hints.no_choices(where))
    listed = [f"{slug} ({label})" if label != slug else slug for slug, label in choices.items()]
    if ask is None:
        raise MissingValue(hints.missing_option(option, ", ".join(listed)))
    numbered = list(choices)
    for number, line in enumerate(listed, start=1):
        tell(f"  {number}. {line}")
    while True:
        answer = ask(say_here(question)).strip()
        if answer.isdigit() and 1 <= int(answer) <= len(numbered):
            return numbered[int(answer) - 1]
        if answer in choices:
            return answer
        if named := by_label(answer, choices.items()):
            return named[0]
        tell(say_here(hints.not_a_choice(answer)))


def _ask_start(site: Site, ask: Ask | None, tell, say_here) -> str:
    if ask is None:
        raise MissingValue(hints.missing_start())
    while True:
        answer = ask(say_here(hints.ask_start())).strip()
        try:
            parse_moment(answer, answer, ZoneInfo(site.timezone))
            return answer
        except WhenError as error:
            tell(say_here(hints.not_a_start(error.args[0])))


def _checked(root: Path, path: Path) -> Path:
    """Keep the new file only if `check` finds nothing wrong with it (the same loader, same messages)."""
    _model, problems = load_site(LoadOptions(root, Theme.for_site(root).dirs))
    relative = path.relative_to(root).as_posix()
    own = [problem for problem in problems.found if problem.path == relative]
    if own:
        path.unlink()
        raise BuildFailed(own)
    return path


def _quote(text: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: quotes, colons and '#' stay text.
    return json.dumps(text.strip(), ensure_ascii=False)


def _write_new(folder: Path, slug: str, text: str) -> Path:
    """Create <slug>.md, or <slug>-2.md, -3… when taken: never overwrite a coordinator's file."""
    folder.mkdir(parents=True, exist_ok=True)
    number = 1
    while True:
        path = folder / (f"{slug}.md" if number == 1 else f"{slug}-{number}.md")
        try:
            # "x" mode fails if the file exists, even if another process made it a moment ago.
            with open(path, "x", encoding="utf-8") as handle:
                handle.write(text)
            return path
        except FileExistsError:
            number += 1


def task_text(wanted: NewTask, language: str) -> str:
    """The new task file, its comments in `language`."""
    return TASK_TEMPLATE.format(title=_quote(wanted.title), place=wanted.place, start=_quote(wanted.start),
                                category=wanted.category, **_said(TASK_COMMENTS, language))


def place_text(wanted: NewPlace, language: str) -> str:
    """The new place file, its comments in `language`."""
    return PLACE_TEMPLATE.format(name=_quote(wanted.name), address=_quote(wanted.address),
                                 **_said(PLACE_COMMENTS, language))


def _said(comments: dict[str, Text], language: str) -> dict[str, str]:
    return {name: say(text, language) for name, text in comments.items()}


TASK_COMMENTS = {
    "c_title": _("A short, concrete title: what will people do, and for whom?"),
    "c_place": _("The doe-plek: a file name (without .md) in content/places/."),
    "c_start": _("\"2027-01-16 09:30\" (in quotes) for a time, or 2027-01-16 for a whole day."),
    "c_end": _("When it ends; default: two hours after the start. Just \"12:00\" is fine on the same day."),
    "c_category": _("One of the categories in content/site.yml."),
    "c_spots": _("How many people are needed, and how many already signed up."),
    "c_client": _("Who asks for the task:"),
    "c_access": _("Access tags from content/site.yml, e.g. [zittend, rolstoel]:"),
    "c_reward": _("Community-currency units per participant:"),
    "c_repeat": _("A recurring task:"),
    "c_status": _("open, full or cancelled:"),
    "c_body": _("Describe the task here in a few sentences: what happens, what to bring,\n"
                "who is welcome. Markdown works: **bold**, lists, [links](https://www.example.be)."),
}

TASK_TEMPLATE = """\
---
# {c_title}
title: {title}
# {c_place}
place: {place}
# {c_start}
start: {start}
# {c_end}
# end: "12:00"
# {c_category}
category: {category}
# {c_spots}
# spots: 6
# taken: 0
# {c_client}
# client:
#   name: Gezinsbond Zedelgem
#   url: https://www.gezinsbond.be
# partners: [OCMW Zedelgem]
# talents: [geduld]
# {c_access}
# access: []
# {c_reward}
# reward: 2
# {c_repeat}
# repeat:
#   freq: weekly
#   until: 2027-03-27
# {c_status}
# status: open
---
{c_body}
"""

PLACE_COMMENTS = {
    "c_name": _("The name people know the place by."),
    "c_geo": _("[latitude, longitude], for the map link:"),
    "c_hours": _("Opening hours, as text:"),
    "c_access": _("Access tags from content/site.yml, e.g. [rolstoel]:"),
    "c_body": _("Describe the place here: what it is, how to get there, who welcomes you."),
}

PLACE_TEMPLATE = """\
---
# {c_name}
name: {name}
address: {address}
# {c_geo}
# geo: [51.1423, 3.1367]
# {c_hours}
# hours: maandag tot vrijdag, 9–17 uur
# contact: 050 12 34 56
# partners: [OCMW Zedelgem]
# {c_access}
# access: []
---
{c_body}
"""

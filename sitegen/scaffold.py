"""`sitegen new`: write a valid, commented task or place file to start from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from . import messages
from .config import load_settings
from .content import slugify
from .problems import BuildFailed, Problem, Problems
from .when import WhenError, parse_moment


@dataclass(frozen=True)
class NewTask:
    """What `sitegen new task` was asked for."""

    title: str
    place: str
    start: str
    category: str | None = None  # default: the first category in site.yml


@dataclass(frozen=True)
class NewPlace:
    """What `sitegen new place` was asked for."""

    name: str
    address: str


def new_task(root: Path, wanted: NewTask) -> Path:
    """Write content/tasks/<slug>.md; raise BuildFailed when the place, category or start is wrong."""
    problems = Problems()
    site = load_settings(root, problems)
    problems.raise_if_any()
    places = known_places(root)
    found: list[str] = []
    if wanted.place not in places:
        found.append(messages.unknown_place(wanted.place, places))
    category = wanted.category or site.categories[0].slug
    known_categories = [c.slug for c in site.categories]
    if category not in known_categories:
        found.append(messages.unknown_choice("category", category, known_categories))
    try:
        parse_moment(wanted.start, wanted.start, site.zone)
    except WhenError as error:
        found.append(str(error))
    if found:
        raise BuildFailed([Problem("sitegen new", 1, message) for message in found])
    text = TASK_TEMPLATE.format(
        title=_quote(wanted.title), place=wanted.place, start=_quote(wanted.start), category=category)
    return _write_new(root / "content/tasks", slugify(wanted.title), text)


def new_place(root: Path, wanted: NewPlace) -> Path:
    """Write content/places/<slug>.md."""
    text = PLACE_TEMPLATE.format(name=_quote(wanted.name), address=_quote(wanted.address))
    return _write_new(root / "content/places", slugify(wanted.name), text)


def known_places(root: Path) -> list[str]:
    return sorted(p.stem for p in (root / "content/places").glob("*.md"))


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


TASK_TEMPLATE = """\
---
# A short, concrete title: what will people do, and for whom?
title: {title}
# The doe-plek: a file name (without .md) in content/places/.
place: {place}
# "2027-01-16 09:30" (in quotes) for a time, or 2027-01-16 for a whole day.
start: {start}
# When it ends; default: two hours after the start. Just "12:00" is fine on the same day.
# end: "12:00"
# One of the categories in content/site.yml.
category: {category}
# How many people are needed, and how many already signed up.
# spots: 6
# taken: 0
# Who asks for the task:
# client:
#   name: Gezinsbond Zedelgem
#   url: https://www.gezinsbond.be
# partners: [OCMW Zedelgem]
# talents: [geduld]
# Access tags from content/site.yml, e.g. [zittend, rolstoel]:
# access: []
# Community-currency units per participant:
# reward: 2
# A recurring task:
# repeat:
#   freq: weekly
#   until: 2027-03-27
# open, full or cancelled:
# status: open
---
Describe the task here in a few sentences: what happens, what to bring,
who is welcome. Markdown works: **bold**, lists, [links](https://www.example.be).
"""

PLACE_TEMPLATE = """\
---
# The name people know the place by.
name: {name}
address: {address}
# [latitude, longitude], for the map link:
# geo: [51.1423, 3.1367]
# hours: maandag tot vrijdag, 9–17 uur
# contact: 050 12 34 56
# partners: [OCMW Zedelgem]
# Access tags from content/site.yml, e.g. [rolstoel]:
# access: []
---
Describe the place here: what it is, how to get there, who welcomes you.
"""

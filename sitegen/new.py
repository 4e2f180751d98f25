"""`sitegen new`: write a valid, commented task or place file to start from."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .load.config import load_settings
from .load.content import LoadOptions, load_site, slugify
from .problems import BuildFailed, Problems
from .theme import Theme


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
    """Write content/tasks/<slug>.md; raise BuildFailed (and write nothing) when check would refuse it."""
    problems = Problems()
    site = load_settings(root, problems)
    problems.raise_if_any()
    text = TASK_TEMPLATE.format(
        title=_quote(wanted.title), place=wanted.place, start=_quote(wanted.start),
        category=wanted.category or site.categories[0].slug)
    return _checked(root, _write_new(root / "content/tasks", slugify(wanted.title), text))


def new_place(root: Path, wanted: NewPlace) -> Path:
    """Write content/places/<slug>.md; raise BuildFailed (and write nothing) when check would refuse it."""
    text = PLACE_TEMPLATE.format(name=_quote(wanted.name), address=_quote(wanted.address))
    return _checked(root, _write_new(root / "content/places", slugify(wanted.name, "plek"), text))


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

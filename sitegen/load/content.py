"""Content files → validated, cross-linked records (`SiteModel`).

Everything is loaded and checked before anything is rendered, and every
problem in every file is collected, so one build reports them all. A file's
own keys are read by `tasks.py` and `places.py`, the files themselves by `files.py`.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath

from .. import messages, urls
from ..model import SiteModel, TaskView, sort_key, view_task
from ..paths import points_outside
from ..problems import Problems
from ..recipe import Recipe, make_values, recipe
from ..shortlinks import short_code
from .config import load_settings
from .files import (LoadOptions, check_pictures, check_places, find_asset, picture_problem, read_file, read_folder,
                    slugify)
from .markup import render_markdown
from .history import History
from .past import past_warning
from .places import PLACE_KEYS, load_place
from .tasks import CLIENT_KEYS, REPEAT_KEYS, RESULT_KEYS, STATUSES, TASK_KEYS, load_task
from .yamlfile import FrontMatterText

# Imported from here by the stages, the editor's config and the tests.
__all__ = ["CLIENT_KEYS", "PLACE_KEYS", "REPEAT_KEYS", "RESULT_KEYS", "STATUSES", "TASK_KEYS", "LoadOptions",
           "build_moment", "find_asset", "load_site", "load_task_file", "picture_problem", "slugify"]


def build_moment(zone, environ=os.environ, clock: datetime | None = None) -> datetime:
    """The build's "now": SOURCE_DATE_EPOCH when set (reproducible builds), else the start of this hour.

    Builds within the same hour share one moment, so what they make is the same (calendar
    events outside git carry the moment as their DTSTAMP). A task that just ended may so
    show as upcoming for up to an hour; the board's script hides it at its end time.
    """
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().lstrip("-").isdigit():
        return datetime.fromtimestamp(int(epoch), tz=timezone.utc).astimezone(zone)
    now = clock or datetime.now(timezone.utc)
    return now.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0).astimezone(zone)


def load_site(options: LoadOptions, now: datetime | None = None,
              make: Callable[[list[Recipe]], list] = make_values,
              history: History | None = None) -> tuple[SiteModel | None, Problems]:
    """Load site.yml, places and tasks; the model is None when there are problems.

    Each file is loaded by a recipe of its text and what it is checked against (the site
    settings, the places), and its Markdown body by a recipe of its own: `make` makes them
    (the engine remembers them between builds). The pictures a file names are looked up
    afresh by every build: they can change, or turn into a link out of the site, without
    the file changing. `history` (git's) tells which past tasks were written after they ended.
    """
    problems = Problems()
    if points_outside(options.root / "content", options.root):
        problems.add("content", 1, messages.link_outside("content"))
        return None, problems
    site = load_settings(options.root, problems, options.base_url)
    place_files = read_folder(options.root, "content/places", problems)
    task_files = read_folder(options.root, "content/tasks", problems)
    if site is None:
        return None, problems  # categories and zone are unknown: checking tasks would mislead
    places = {}
    for (path, _), place in zip(place_files, make(
            [recipe(load_place, path, front, _body_recipe(front), site) for path, front in place_files])):
        problems.found.extend(place.found)
        problems.warnings.extend(place.warnings)
        if place.record and not check_pictures(path, place.pictures, options, problems):
            places[place.record.slug] = place.record
    # Places whose file exists but has problems: a task there must not be told it "does not exist".
    broken = tuple(sorted({PurePosixPath(path).stem for path, _ in place_files} - places.keys()))
    known = tuple(sorted(places))
    tasks, loaded, start_lines = [], [], {}
    for (path, _), task in zip(task_files, make(
            [recipe(load_task, path, front, _body_recipe(front), site, known, broken) for path, front in task_files])):
        problems.found.extend(task.found)
        problems.warnings.extend(task.warnings)
        if (not check_places(path, task.unknown_places, places, broken, problems)
                and not check_pictures(path, task.pictures, options, problems) and task.record):
            loaded.append(task.record)
            start_lines[path] = task.start_line
            if options.drafts or not task.record.draft:
                tasks.append(task.record)
    _check_short_codes([*places.values(), *loaded], problems)
    if problems:
        return None, problems

    now = (now or build_moment(site.zone)).astimezone(site.zone)
    views = sorted((view_task(t, now) for t in tasks), key=_task_order)
    for view in views:  # here, not in the remembered loading: the moment changes every build
        revision = history.of(view.task.source) if history is not None else None
        if warning := past_warning(view, now, revision.last if revision is not None else None):
            problems.warn(view.task.source, start_lines[view.task.source], warning)
    # By name; ’t Hof with the names written 't Hof, as before apostrophes became typographic.
    ordered_places = dict(sorted(places.items(), key=lambda item: item[1].name.replace("’", "'").casefold()))
    return SiteModel(site, ordered_places, tuple(views), now), problems


def _check_short_codes(records: list, problems: Problems) -> None:
    """Two pages whose short links (/t/<code>, a hash of the page's address) coincide: the later
    file is told to take another name. Drafts count too: publishing one must not take a code."""
    first: dict[str, str] = {}
    for record in records:  # places, then tasks, each in name order: the same file is told every build
        code = short_code(urls.route(record).url)
        if code in first:
            problems.add(record.source, 1, messages.short_code_taken(code, first[code]))
        else:
            first[code] = record.source


def _body_recipe(front: FrontMatterText) -> Recipe:
    return recipe(render_markdown, front.body)


def load_task_file(options: LoadOptions, model: SiteModel, path: str) -> tuple[TaskView | None, Problems]:
    """Load one task file with a build's checks, against an already loaded site; its view at model.now.

    For `serve`'s preview of an edited task. The view is None when the file has
    problems, or is a draft that this build leaves out. `model` was loaded without
    problems, so no place file is broken: the task is checked against model.places.
    """
    problems = Problems()
    relative = PurePosixPath(path)
    if relative.is_absolute():
        relative = PurePosixPath(Path(path).resolve().relative_to(options.root.resolve()).as_posix())
    if str(relative.parent) != "content/tasks" or relative.suffix != ".md" or relative.name.startswith("."):
        raise ValueError(f"not a task file: {path}")
    front = read_file(options.root / relative, str(relative), problems)
    if front is None:
        return None, problems
    loaded = load_task(str(relative), front, render_markdown(front.body), model.site, tuple(sorted(model.places)), ())
    problems.found.extend(loaded.found)
    problems.warnings.extend(loaded.warnings)
    check_places(str(relative), loaded.unknown_places, model.places, (), problems)
    check_pictures(str(relative), loaded.pictures, options, problems)
    task = loaded.record
    if task is None or problems or (task.draft and not options.drafts):
        return None, problems
    view = view_task(task, model.now)
    if warning := past_warning(view, model.now):
        problems.warn(str(relative), loaded.start_line, warning)
    return view, problems


def _task_order(view: TaskView) -> tuple:
    """Soonest first; the slug decides between tasks at the same moment."""
    return (sort_key(view.next), view.task.slug)

"""Printable sign-up sheets: for people without a smartphone or e-mail, and for the activity.

A sheet is an A4 page to hang beside the poster or take along: the task, its date and
time, the place and whom to call, and ruled rows for a name, a phone number, how many
people one brings along, and the hours the coordinator writes down afterwards (what goes
into `result`). A task needing more people than one sheet's rows gets more sheets, each
with the same header. `/tasks/<slug>/signup-sheet/` is the sheet of the next time; a
repeating task also has one per date for its next SHEET_DATES times
(`/tasks/<slug>/signup-sheet/<date>/`). Past and cancelled tasks have none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import urls
from .model import SiteModel, TaskView
from .shortlinks import breakable, short_link, short_url
from .when import Occurrence

if TYPE_CHECKING:  # render imports this module for its sheet_dates filter
    from .render import Pages

ROWS_PER_SHEET = 14  # rows of 12 mm: room for large handwriting
SHEET_DATES = 8  # dated sheets of a repeating task: its next few times


def has_sheets(view: TaskView) -> bool:
    return view.state in ("open", "full")


def dated(view: TaskView) -> list[Occurrence]:
    """The times of a repeating task that get a sheet of their own (none for a one-off task)."""
    if not has_sheets(view) or view.task.schedule.repeat is None:
        return []
    return list(view.occurrences[view.next_index:view.next_index + SHEET_DATES])


def sheet_routes(view: TaskView) -> list[tuple[urls.Route, Occurrence]]:
    """Each sign-up sheet page of a task and the time it is for."""
    if not has_sheets(view):
        return []
    return [(urls.route(view, "sheet"), view.next)] + [(urls.sheet(view, o.day), o) for o in dated(view)]


def sheet_paths(view: TaskView) -> list[str]:
    """The output files of a task's sheets (reuse.own_paths: they show that task only)."""
    return [route.path for route, _ in sheet_routes(view)]


def pages_of_rows(spots: int | None) -> list[range]:
    """The numbered rows of each sheet: enough for every place needed, at least one sheet."""
    sheets = max(1, -(-(spots or 0) // ROWS_PER_SHEET))
    return [range(n * ROWS_PER_SHEET + 1, (n + 1) * ROWS_PER_SHEET + 1) for n in range(sheets)]


def render_task_sheets(pages: Pages, model: SiteModel, views) -> dict[str, bytes]:
    """The sign-up sheets of each of the task views: output path → bytes."""
    files = {}
    site = model.site
    for view in views:
        task = view.task
        for route, occurrence in sheet_routes(view):
            files[route.path] = pages.render(
                "signup_sheet.html", route,
                view=view, task=task, place=model.places[task.place], occurrence=occurrence,
                sheets=pages_of_rows(task.spots),
                contact=task.contact or site.contact,
                link=breakable(short_url(site.base_url, short_link(task))),
                page=urls.route(task).url,
                dates=[(urls.sheet(view, o.day).url, o) for o in dated(view)],
            )
    return files

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

from .. import urls
from ..model import SiteModel, TaskView
from ..recipe import Outputs, recipe
from ..render.templates import Templates
from ..shortlinks import breakable, short_link, short_url
from ..sheets import dated, sheet_routes
from ..when import Occurrence

ROWS_PER_SHEET = 14  # rows of 12 mm: room for large handwriting


def pages_of_rows(spots: int | None) -> list[range]:
    """The numbered rows of each sheet: enough for every place needed, at least one sheet."""
    sheets = max(1, -(-(spots or 0) // ROWS_PER_SHEET))
    return [range(n * ROWS_PER_SHEET + 1, (n + 1) * ROWS_PER_SHEET + 1) for n in range(sheets)]


def sheet_outputs(model: SiteModel, templates: Templates) -> Outputs:
    """The sign-up sheets of every task that has them: output path → recipe."""
    return {route.path: recipe(sheet_page, templates, view, occurrence, route.url)
            for view in model.tasks for route, occurrence in sheet_routes(view)}


def sheet_page(templates: Templates, view: TaskView, occurrence: Occurrence, url: str) -> bytes:
    site, task = templates.site, view.task
    return templates.render(
        "signup_sheet.html", url,
        view=view, task=task, place=templates.places[task.place], occurrence=occurrence,
        sheets=pages_of_rows(task.spots),
        contact=task.contact or site.contact,
        link=breakable(short_url(site.base_url, short_link(task))),
        page=urls.route(task).url,
        dates=[(urls.sheet(view, o.day).url, o) for o in dated(view)],
    )

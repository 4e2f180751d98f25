"""Which sign-up sheets a task has: one for its next time, and one per date of a repeating task."""

from __future__ import annotations

from . import urls
from .model import TaskView
from .when import Occurrence

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

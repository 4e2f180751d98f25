"""A task that lies wholly in the past and was never done: most likely a slip of the year."""

from __future__ import annotations

from datetime import date, datetime

from ..messages import hints
from ..model import TaskView
from ..when import YEAR_MAX, Occurrence, is_over


def past_warning(view: TaskView, now: datetime, written: datetime | None = None):
    """The warning for a task whose every occurrence is over, with no result and not cancelled; else None.

    A coordinator who types last year in January sees it pass and never appear; one whose
    task did take place is told to add its result. The year suggested is the first that puts
    the last occurrence after `now` (typically next year).

    `written`: when the file was last committed (None: not in git, or not committed yet). A
    task committed before it ended is one that really took place: a board keeps hundreds of
    those, and a warning for each, every build, would bury the slip (GitHub shows only the
    first ten warnings of a check in a pull request).
    """
    task = view.task
    if not view.past or task.result is not None or task.cancelled:
        return None
    start = task.schedule.start
    last = view.occurrences[-1]
    if written is not None and not is_over(last, written):
        return None
    for years in range(1, YEAR_MAX - start.year + 1):
        shifted = _later(last, years)
        if shifted is not None and not is_over(shifted, now):
            return hints.in_the_past(_day(start).isoformat(), start.year + years)
    return None


def _later(occurrence: Occurrence, years: int) -> Occurrence | None:
    """The same occurrence `years` later; None when it falls on a 29 February that year has not."""
    try:
        return Occurrence(occurrence.start.replace(year=occurrence.start.year + years),
                          occurrence.end.replace(year=occurrence.end.year + years))
    except ValueError:
        return None


def _day(moment) -> date:
    return moment.date() if isinstance(moment, datetime) else moment

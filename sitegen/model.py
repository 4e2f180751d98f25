"""The content as records: site settings, places, tasks, and the whole site.

Every record is frozen and built once by `content.load_site`; rendering is a
pure function of these records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from zoneinfo import ZoneInfo

from .when import ENDLESS_HORIZON, Occurrence, Schedule, is_over


@dataclass(frozen=True)
class Choice:
    """A category or access tag: slug for URLs, label for people."""

    slug: str
    label: str
    kind: str = "category"  # "category" or "access": each has its own pages and feeds (urls.py)


@dataclass(frozen=True)
class Editor:
    """site.yml `editor`: where the web editor at /admin/ saves (GitHub, through pull requests)."""

    repo: str  # owner/name on GitHub, e.g. doeplekken/zedelgem
    branch: str = "main"  # the branch the site is built from


@dataclass(frozen=True)
class Site:
    """`content/site.yml`."""

    title: str  # shown on every page
    base_url: str  # absolute URL of the deployed site, without trailing slash
    categories: tuple[Choice, ...]  # allowed task categories
    tagline: str = ""  # one line under the title
    language: str = "nl"  # UI language: nl or en
    timezone: str = "Europe/Brussels"  # IANA name; naive times are in this zone
    currency: str = ""  # name of the community currency, e.g. Doe-munten
    signup: str = ""  # default sign-up URL with placeholders
    suggest: str = ""  # URL of the form to propose a task
    contact: str = ""  # phone and/or e-mail for posters and the footer
    access: tuple[Choice, ...] = ()  # allowed access tags
    editor: Editor | None = None  # the web editor's repository; None: /admin/ can only edit locally
    waitlist: str = ""  # default reserve-list form URL (placeholders as signup), shown when a task is full

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def category(self, slug: str) -> Choice:
        return next(c for c in self.categories if c.slug == slug)

    def access_tag(self, slug: str) -> Choice:
        return next(c for c in self.access if c.slug == slug)


@dataclass(frozen=True)
class Place:
    """`content/places/<slug>.md`: a doe-plek."""

    slug: str  # file stem, used in URLs
    source: str  # path relative to the site root
    name: str
    address: str
    geo: tuple[float, float] | None = None  # (latitude, longitude)
    partners: tuple[str, ...] = ()
    access: tuple[str, ...] = ()  # access tag slugs
    hours: str = ""  # opening hours, as text
    contact: str = ""
    image: str | None = None  # path relative to content/ or theme/
    body_images: tuple[str, ...] = ()  # pictures the body shows, paths like `image`
    body_html: str = ""  # sanitised Markdown body


@dataclass(frozen=True)
class Client:
    """Who asks for the task (opdrachtgever)."""

    name: str
    url: str | None = None


@dataclass(frozen=True)
class Result:
    """What a past task achieved; feeds the impact page."""

    participants: int | None = None
    hours: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Task:
    """`content/tasks/<slug>.md`: one task on the board."""

    slug: str
    source: str
    title: str
    place: str  # place slug
    category: str  # category slug
    schedule: Schedule
    client: Client | None = None
    partners: tuple[str, ...] = ()
    talents: tuple[str, ...] = ()
    access: tuple[str, ...] = ()
    spots: int | None = None  # people needed
    taken: int | None = None  # people already signed up
    status: str = "open"  # open, full or cancelled (as written)
    signup: str | None = None  # URL with placeholders; None: the site default
    # The reserve list, shown when the task is full: a URL (this task's own form, placeholders
    # as signup) or a number (how many are on the list; the form is site.yml's `waitlist`).
    waitlist: str | int | None = None
    reward: float | int | None = None  # community-currency units per participant
    contact: str = ""
    image: str | None = None
    body_images: tuple[str, ...] = ()  # pictures the body shows, paths like `image`
    result: Result | None = None
    draft: bool = False
    body_html: str = ""

    @property
    def all_day(self) -> bool:
        return self.schedule.all_day

    @property
    def cancelled(self) -> bool:
        return self.status == "cancelled"

    @property
    def full(self) -> bool:
        return self.status == "full" or (
            self.spots is not None and self.taken is not None and self.taken >= self.spots
        )

    @property
    def spots_left(self) -> int | None:
        if self.spots is None:
            return None
        return max(self.spots - (self.taken or 0), 0)

    @property
    def waiting(self) -> int | None:
        """How many are on the reserve list, when the coordinator records it (`waitlist: N`)."""
        return self.waitlist if isinstance(self.waitlist, int) else None


@dataclass(frozen=True)
class TaskView:
    """A task as seen on the build date: its next occurrence and its state."""

    task: Task
    occurrences: tuple[Occurrence, ...]
    next: Occurrence  # the next one not over yet, or the last one when past
    past: bool

    @property
    def state(self) -> str:
        """open, full, cancelled or past — what the card and page show."""
        if self.past:
            return "past"
        if self.task.cancelled:
            return "cancelled"
        if self.task.full:
            return "full"
        return "open"

    @property
    def can_sign_up(self) -> bool:
        return self.state == "open"

    @property
    def searchable(self) -> bool:
        """True for tasks people can still take part in: not past, not cancelled."""
        return self.state in ("open", "full")

    @property
    def months(self) -> list[str]:
        """The months ('2026-12') in which the task still happens, for the month filter.

        Those from `next` on (the ones before it are over); a past task: its last month.
        """
        if self.past:
            return [f"{self.next.day.year:04d}-{self.next.day.month:02d}"]
        found: set[str] = set()
        for occurrence in self.occurrences[self.next_index:]:
            found.update(month_span(occurrence.day, occurrence.last_day))  # a multi-day task: every month
        return sorted(found)

    @property
    def sort_value(self) -> str:
        """The next start as sortable text ('2026-12-05T09:30'; all-day: 'T00:00')."""
        start = self.next.start
        return start.strftime("%Y-%m-%dT%H:%M") if isinstance(start, datetime) else start.strftime("%Y-%m-%dT00:00")

    @property
    def next_index(self) -> int:
        """Where `next` lies in `occurrences`: those before it are over, those after it not
        (they follow in order and last as long: when.Schedule)."""
        return 0 if len(self.occurrences) == 1 else self.occurrences.index(self.next)


def month_span(first: date, last: date):
    """'2026-12', '2027-01', …: the months from first's to last's."""
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield f"{year:04d}-{month:02d}"
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def month_options(views) -> list[date]:
    """The first day of every month in which one of these tasks happens, in order."""
    found = {(int(value[:4]), int(value[5:])) for view in views for value in view.months}
    return [date(year, month, 1) for year, month in sorted(found)]


def view_task(task: Task, now: datetime) -> TaskView:
    """Place a task in time relative to the build moment `now`."""
    horizon = now.date() + ENDLESS_HORIZON
    occurrences = task.schedule.occurrences(horizon) or (
        Occurrence(task.schedule.start, task.schedule.end),)
    upcoming = [o for o in occurrences if not is_over(o, now)]
    if upcoming:
        return TaskView(task, occurrences, upcoming[0], past=False)
    return TaskView(task, occurrences, occurrences[-1], past=True)


@dataclass(frozen=True)
class SiteModel:
    """The whole site, loaded, validated and cross-linked, at build moment `now`."""

    site: Site
    places: dict[str, Place]  # by slug, sorted by name
    tasks: tuple[TaskView, ...]  # all (non-draft unless --drafts), soonest first
    now: datetime  # the build moment in the site zone
    sources: dict[str, str] = field(default_factory=dict)  # path → content hash

    @property
    def today(self) -> date:
        return self.now.date()

    @cached_property
    def upcoming(self) -> tuple[TaskView, ...]:
        return tuple(v for v in self.tasks if not v.past)

    @cached_property
    def past(self) -> tuple[TaskView, ...]:
        return tuple(sorted((v for v in self.tasks if v.past),
                            key=lambda v: sort_key(v.next), reverse=True))

    def at_place(self, slug: str) -> tuple[TaskView, ...]:
        return self._by_place.get(slug, ())

    def in_category(self, slug: str) -> tuple[TaskView, ...]:
        return self._by_category.get(slug, ())

    @cached_property
    def _by_place(self) -> dict[str, tuple[TaskView, ...]]:
        return _grouped(self.tasks, lambda view: view.task.place)

    @cached_property
    def _by_category(self) -> dict[str, tuple[TaskView, ...]]:
        return _grouped(self.tasks, lambda view: view.task.category)


def _grouped(views, key) -> dict[str, tuple[TaskView, ...]]:
    """The views by a key, each group in the views' order (one pass, not one per place)."""
    found: dict[str, list[TaskView]] = {}
    for view in views:
        found.setdefault(key(view), []).append(view)
    return {slug: tuple(group) for slug, group in found.items()}


def sort_key(occurrence: Occurrence) -> tuple:
    """Order occurrences by start; all-day tasks first on their day."""
    start = occurrence.start
    if isinstance(start, datetime):
        return (start.date(), 1, start.timestamp())
    return (start, 0, 0.0)

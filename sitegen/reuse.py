"""Each task's own outputs (page, .ics feed, poster) reused from the last build when unchanged.

A task's own outputs depend on the task, where the build moment places it in
time (and for its event the moment's year, or the moment itself without git
history), its git history and what every template sees (theme files, site
settings, places: the page memo's environment fingerprint). When all of those
hash to what the last build recorded, and the output folder still holds exactly
the files that build wrote (manifest hash, size and mtime), the task is not
rendered again: its files stay where they are and only their paths and manifest
entries travel on. So a one-task edit at 10 000 tasks renders one task's outputs
plus the site-wide lists, instead of walking every task through every stage.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from . import urls
from .cache import MISSING, current, repr_key
from .history import History
from .memo import environment_fingerprint
from .model import SiteModel, TaskView
from .output import Manifest
from .paper import sheet_paths
from .theme import Theme

STORE = "task-outputs"
KINDS = ("page", "ics", "poster")  # the outputs that show one task only


@dataclass(frozen=True)
class TaskPlan:
    """Which tasks to render, and the files of the others kept from the last build."""

    changed: tuple[TaskView, ...]
    kept: Manifest = field(default_factory=dict)  # path → the last build's manifest entry
    keys: dict[str, bytes] = field(default_factory=dict)  # slug → key, for the changed tasks


def own_paths(view: TaskView) -> list[str]:
    return [urls.route(view, kind).path for kind in KINDS] + sheet_paths(view)


def plan(model: SiteModel, theme: Theme, history: History) -> TaskPlan:
    """Split the tasks into those whose own outputs must be rendered and those kept as they are."""
    cache = current()
    if cache is None:
        return TaskPlan(model.tasks)
    environment = environment_fingerprint(theme, model)
    # Without an output folder (check) nothing is kept, yet the views get a build's keys: the
    # cards and events that run looks up are then the build's, which a shard it touches keeps.
    outputs = cache.outputs
    if outputs is not None:
        outputs.state  # the folder check: waited for here, so the workers forked later share it
    changed, kept, keys = [], {}, {}
    # The moment as the events see it, made once (repr() of the datetime, 10 000 times: 15 ms).
    in_git, outside_git = str(model.now.year).encode(), model.now.isoformat().encode()
    for view in model.tasks:
        source = view.task.source
        revision = history.of(source)
        # The view is a function of the task's file (and the records' context: site, places,
        # in the environment) and of where the build moment places it: past or not, which
        # occurrence is next, how many are listed (an endless repeat's horizon moves).
        placement = (view.past, len(view.occurrences), view.next_index)
        key = repr_key(environment, source, model.sources.get(source), revision, placement)
        # Its event also depends on the moment: the year's VTIMEZONE in its .ics, and DTSTAMP,
        # which is the moment itself when git does not know the file. So do its own outputs
        # as a whole (the .ics is one of them); its page, poster and card do not.
        events = hashlib.sha256(key + (in_git if revision is not None else outside_git)).digest()
        # The keys stand for the whole view in other cache keys (pages, cards, lists, events,
        # feeds): they hold everything it is made from, and save pickling 10 000 views again.
        cache.view_digests[id(view)] = (view, key, "plan", events)  # what view_key, event_key read
        if outputs is None:
            continue
        remembered = cache.get(STORE, events)
        entries = outputs.entries_if_same(remembered) if remembered is not MISSING else None
        if entries is None:
            changed.append(view)
            keys[view.task.slug] = events
        else:
            kept.update(entries)
    if outputs is None:
        return TaskPlan(model.tasks)
    cache.know({path: entry[0] for path, entry in kept.items()})  # the search index and writer need not hash them
    return TaskPlan(tuple(changed), kept, keys)


def record(task_plan: TaskPlan, files) -> None:
    """Remember the hashes of the changed tasks' own outputs, for the next build's plan."""
    cache = current()
    if cache is None or not task_plan.keys:
        return
    known = cache.known_digests()
    for view in task_plan.changed:
        paths = [path for path in own_paths(view) if path in files]
        cache.put(STORE, task_plan.keys[view.task.slug], tuple(
            (path, known.get(path) or hashlib.sha256(files[path]).digest()) for path in paths))

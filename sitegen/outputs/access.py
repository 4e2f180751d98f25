"""A page per access tag (`/access/<tag>/`): the upcoming tasks with that tag, and its feed.

A day centre, a school or a reading group subscribes to exactly the tasks its people can
do ("kan zittend", "geen Nederlands nodig"); the feed itself is made beside the place and
category feeds (calendar.py).
"""

from __future__ import annotations

from .. import urls
from ..model import Choice, SiteModel, TaskView
from ..recipe import Outputs, Recipe, recipe
from ..render.templates import Templates


def access_outputs(model: SiteModel, templates: Templates, cards: dict[str, Recipe]) -> Outputs:
    """Each access tag's page: output path → recipe."""
    tagged: dict[str, list[TaskView]] = {tag.slug: [] for tag in model.site.access}
    for view in model.upcoming:
        for tag in view.task.access:
            tagged[tag].append(view)
    return {urls.route(tag).path: recipe(access_page, templates, tag, tuple(tagged[tag.slug]),
                                         tuple(cards[v.task.slug] for v in tagged[tag.slug]))
            for tag in model.site.access}


def access_page(templates: Templates, tag: Choice, tasks: tuple[TaskView, ...], cards: tuple[str, ...]) -> bytes:
    return templates.render("access.html", urls.route(tag).url, tag=tag, tasks=tasks,
                            cards={view.task.slug: html for view, html in zip(tasks, cards)})

"""A page per access tag (`/access/<tag>/`): the upcoming tasks with that tag, and its feed.

A day centre, a school or a reading group subscribes to exactly the tasks its people can
do ("kan zittend", "geen Nederlands nodig"); the feed itself is made beside the place and
category feeds (calendar.render_feeds).
"""

from __future__ import annotations

from . import urls
from .model import SiteModel, TaskView
from .render import Pages
from .theme import Theme


def render_access_pages(model: SiteModel, theme: Theme) -> dict[str, bytes]:
    """Each access tag's page: output path → bytes."""
    pages = Pages(theme, model)
    tagged: dict[str, list[TaskView]] = {tag.slug: [] for tag in model.site.access}
    for view in model.upcoming:
        for tag in view.task.access:
            tagged[tag].append(view)
    files = {}
    for tag in model.site.access:
        route = urls.route(tag)
        files[route.path] = pages.render("access.html", route, tag=tag, tasks=tagged[tag.slug])
    return files

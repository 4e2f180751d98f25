"""The HTML pages: one small, declared context per page type, as recipes.

`page_outputs` says how every page of the site is made: the board, each task, place and
category page and the 404 page. Task cards are recipes of their own, shared by the board
and the place and category lists (a card shows one task view, and one edit changes one).
"""

from __future__ import annotations

from .. import urls
from ..model import Choice, Place, SiteModel, TaskView
from ..recipe import Outputs, Recipe, recipe
from .templates import Templates


def page_outputs(model: SiteModel, templates: Templates, cards: dict[str, Recipe]) -> Outputs:
    """Board, task, place and category pages and the 404 page: output path → recipe."""
    pages: Outputs = {urls.route("board").path: recipe(board_page, templates, model.upcoming,
                                                       _cards(model.upcoming, cards))}
    for view in model.tasks:
        pages[urls.route(view).path] = recipe(task_page, templates, view)
    for place in model.places.values():
        here = model.at_place(place.slug)
        upcoming = tuple(v for v in here if not v.past)
        past = tuple(v for v in reversed(here) if v.past)
        pages[urls.route(place).path] = recipe(place_page, templates, place, upcoming, past,
                                               _cards(upcoming, cards))
    for category in model.site.categories:
        upcoming = tuple(v for v in model.in_category(category.slug) if not v.past)
        pages[urls.route(category).path] = recipe(category_page, templates, category, upcoming,
                                                  _cards(upcoming, cards))
    pages[urls.route("404").path] = recipe(page, templates, "404.html", urls.route("404").url)
    return pages


def card_recipes(model: SiteModel, templates: Templates) -> dict[str, Recipe]:
    """Each upcoming task's card (the lists show upcoming tasks only), by slug."""
    return {view.task.slug: recipe(card, templates, view) for view in model.upcoming}


def _cards(views, cards: dict[str, Recipe]) -> tuple:
    return tuple(cards[view.task.slug] for view in views)


def card(templates: Templates, view: TaskView) -> str:
    return templates.render_card(view)


def board_page(templates: Templates, tasks: tuple[TaskView, ...], cards: tuple[str, ...]) -> bytes:
    return templates.render("board.html", urls.route("board").url, tasks=tasks, cards=_by_slug(tasks, cards))


def task_page(templates: Templates, view: TaskView) -> bytes:
    return templates.render("task.html", urls.route(view).url, view=view, task=view.task,
                            place=templates.places[view.task.place])


def place_page(templates: Templates, place: Place, upcoming: tuple[TaskView, ...],
               past: tuple[TaskView, ...], cards: tuple[str, ...]) -> bytes:
    return templates.render("place.html", urls.route(place).url, place=place, upcoming=upcoming,
                            past=past, cards=_by_slug(upcoming, cards))


def category_page(templates: Templates, category: Choice, tasks: tuple[TaskView, ...],
                  cards: tuple[str, ...]) -> bytes:
    return templates.render("category.html", urls.route(category).url, category=category, tasks=tasks,
                            cards=_by_slug(tasks, cards))


def page(templates: Templates, template: str, page_url: str) -> bytes:
    """A page made of what every template sees (the site, places and categories) only."""
    return templates.render(template, page_url)


def _by_slug(views, cards) -> dict[str, str]:
    return {view.task.slug: html for view, html in zip(views, cards)}

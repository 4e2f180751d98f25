"""Printable A4 posters with QR codes: one per task and one per place.

A poster is an HTML page that prints to exactly one A4 portrait sheet from a
browser (theme/static/css/poster.css), and shows the same sheet on screen, scaled to
the window. The text is sent as whole sentences (task) or tasks (place) up to a
budget; the poster's script (theme/static/js/poster.js) measures the sheet and
leaves out, from the end, those that do not fit, saying "meer info: scan de code".
Without JavaScript the CSS cuts the text at a whole line, never through one.
"""

from __future__ import annotations

import re
from html import escape

from markupsafe import Markup

from .. import urls
from ..load.links import phone_of
from ..load.markup import cut, plain_text
from ..model import Place, SiteModel, TaskView
from ..recipe import Outputs, recipe
from ..render.templates import Templates
from ..shortlinks import breakable, short_link, short_url

# segno's automatic mask choice tries all 8 masks; a fixed mask is several times cheaper.
# Every mask is valid and scanners read them all; the spec's penalty only
# avoids patterns that are slightly harder to read. Mask 2 is the one segno picks most
# often for our URLs (147 of 400 sampled), and tests decode every poster's code.
QR_MASK = 2
QR_ERROR = "m"  # 15 % of the code can be damaged (a fold, a drawing pin) and it still reads
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules

STRIPS = 6  # tear-off strips along the bottom of a task poster: wide enough for 11 pt lines
BODY_CHARS = 1200  # "what you do": at most this much reaches the poster, the browser fits it
STRIP_TITLE_CHARS = 24  # one bold line of a strip
PLACE_TASKS = 8  # tasks a place poster offers; the browser shows those that fit


def qr_svg(url: str, title: str) -> str:
    """The QR code of a URL as inline SVG that CSS scales (a viewBox, no fixed size)."""
    import segno  # here: most builds find every code remembered
    code = segno.make_qr(url, error=QR_ERROR, boost_error=False, mask=QR_MASK)
    size = len(code.matrix) + 2 * QR_BORDER
    return (f'<svg viewBox="0 0 {size} {size}" class="qr"><title>{escape(title, quote=False)}</title>'
            f'<path class="qr-line" stroke="#000" d="{_dark_runs_path(code.matrix)}"/></svg>')


_DARK_RUN = re.compile(rb"\x01+")


def _dark_runs_path(matrix) -> str:
    """The SVG path that strokes each row's runs of dark modules, 1 unit thick.

    The same bytes as segno's `svg_inline(scale=1, border=QR_BORDER, omitsize=True, ...)`
    (tests compare them), written from the matrix in one pass: segno's writer walks it
    module by module, a large share of a cold build's CPU.
    """
    moves = []
    pen_x = pen_y = 0  # where the last stroke ended; moves after the first are relative
    for y, row in enumerate(matrix, start=QR_BORDER):
        for run in _DARK_RUN.finditer(row):
            x = run.start() + QR_BORDER
            if moves:
                moves.append(f"m{x - pen_x} {y - pen_y}h{run.end() - run.start()}")
            else:  # the first row always starts dark (a finder pattern): an absolute move
                moves.append(f"M{x} {y}.5h{run.end() - run.start()}")
            pen_x, pen_y = run.end() + QR_BORDER, y
    return "".join(moves)


def title_size(title: str) -> str:
    """A size class so short titles are huge and long ones still fit (poster.js shrinks further)."""
    length = len(title)
    for limit, name in ((18, "title-xl"), (32, "title-l"), (52, "title-m"), (80, "title-s")):
        if length <= limit:
            return name
    return "title-xs"


_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=\S)")


def body_blocks(body_html: str, budget: int = BODY_CHARS) -> tuple[list[tuple[str, list[str]]], bool]:
    """The body's paragraphs ("p") and list items ("li") as sentences, at most `budget`
    characters of them, and whether some were left out. The poster's script shows the
    sentences that fit."""
    blocks: list[tuple[str, list[str]]] = []
    left = budget
    for paragraph in plain_text(body_html).split("\n\n"):
        for line in paragraph.split("\n"):
            if not line:
                continue
            kind = "li" if line.startswith("• ") else "p"
            kept = []
            for sentence in _SENTENCE_END.split(line):
                if len(sentence) > left:
                    if not blocks and not kept:  # one huge first sentence: its start, at a word
                        kept.append(cut(sentence, left))
                    if kept:
                        blocks.append((kind, kept))
                    return blocks, True
                kept.append(sentence)
                left -= len(sentence) + 1
            blocks.append((kind, kept))
    return blocks, False


def poster_outputs(model: SiteModel, templates: Templates) -> Outputs:
    """A poster for every task and every place: output path → recipe."""
    site = model.site
    files: Outputs = {}
    for view in model.tasks:
        url = urls.absolute(site.base_url, urls.route(view).url)
        files[urls.route(view, "poster").path] = recipe(task_poster, templates, view,
                                                        recipe(qr_svg, url, view.task.title))
    for place in model.places.values():
        url = urls.absolute(site.base_url, urls.route(place).url)
        upcoming = tuple(v for v in model.at_place(place.slug) if not v.past and not v.task.cancelled)
        files[urls.route(place, "poster").path] = recipe(place_poster, templates, place, upcoming[:PLACE_TASKS],
                                                         len(upcoming) > PLACE_TASKS, recipe(qr_svg, url, place.name))
    return files


def task_poster(templates: Templates, view: TaskView, qr: str) -> bytes:
    site, task = templates.site, view.task
    page_url = urls.route(task).url
    blocks, shortened = body_blocks(task.body_html)
    link = short_url(site.base_url, short_link(task))
    return templates.render(
        "poster_task.html", urls.route(view, "poster").url,
        view=view, task=task, place=templates.places[task.place],
        category=site.category(task.category),
        qr=Markup(qr),
        page=page_url, link=breakable(link),
        title_class=title_size(task.title),
        blocks=blocks, shortened=shortened,
        picture=task.image,
        strip_title=cut(task.title, STRIP_TITLE_CHARS),
        strip_when=templates.words.short_when(view.next, task.schedule.repeat),
        strips=STRIPS if view.state in ("open", "full") else 0,
        phone=phone_of(task.contact or site.contact),
        contact=task.contact or site.contact,
        sheet=urls.route(task, "sheet").url if view.state in ("open", "full") else None,
    )


def place_poster(templates: Templates, place: Place, tasks: tuple[TaskView, ...], more: bool, qr: str) -> bytes:
    site = templates.site
    page_url = urls.route(place).url
    return templates.render(
        "poster_place.html", urls.route(place, "poster").url,
        place=place, qr=Markup(qr),
        page=page_url, link=breakable(short_url(site.base_url, short_link(place))),
        tasks=tasks, more=more,
        years=len({view.next.day.year for view in tasks}) > 1,
        picture=place.image,
        contact=place.contact or site.contact,
    )

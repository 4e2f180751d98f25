"""Printable A4 posters with QR codes: one per task and one per place.

A poster is an HTML page that prints to exactly one A4 portrait sheet from a
browser (theme/static/css/poster.css). Everything that could overflow the
sheet is cut here, at build time, so the page stays readable without
JavaScript; the CSS clips whatever still does not fit.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit
from html import escape

from markupsafe import Markup

from .. import urls
from ..load.links import PHONE_RE
from ..load.markup import cut, text_blocks
from ..model import Place, SiteModel, TaskView
from ..recipe import Outputs, recipe
from ..render.templates import Templates

# segno's automatic mask choice tries all 8 masks (≈ 2.7 ms a code); a fixed mask costs
# ≈ 0.5 ms. Every mask is valid and scanners read them all; the spec's penalty only
# avoids patterns that are slightly harder to read. Mask 2 is the one segno picks most
# often for our URLs (147 of 400 sampled), and tests decode every poster's code.
QR_MASK = 2
QR_ERROR = "m"  # 15 % of the code can be damaged (a fold, a drawing pin) and it still reads
QR_BORDER = 4  # the quiet zone the QR standard asks for, in modules

STRIPS = 7  # tear-off strips along the bottom of a task poster
BODY_CHARS = 450  # "what you do", cut to what fits beside the QR code
STRIP_TITLE_CHARS = 48
PLACE_TASKS = 6  # tasks listed on a place poster


def qr_svg(url: str, title: str) -> str:
    """The QR code of a URL as inline SVG that CSS scales (a viewBox, no fixed size)."""
    import segno  # here: most builds find every code remembered, and importing segno costs 8 ms
    code = segno.make_qr(url, error=QR_ERROR, boost_error=False, mask=QR_MASK)
    size = len(code.matrix) + 2 * QR_BORDER
    return (f'<svg viewBox="0 0 {size} {size}" class="qr"><title>{escape(title, quote=False)}</title>'
            f'<path class="qr-line" stroke="#000" d="{_dark_runs_path(code.matrix)}"/></svg>')


_DARK_RUN = re.compile(rb"\x01+")


def _dark_runs_path(matrix) -> str:
    """The SVG path that strokes each row's runs of dark modules, 1 unit thick.

    The same bytes as segno's `svg_inline(scale=1, border=QR_BORDER, omitsize=True, ...)`
    (tests compare them), written from the matrix in one pass: segno's writer walked it
    module by module, 0.3 ms a code, 3 s of CPU in a 10 000-task cold build.
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


def short_url(base_url: str, url: str) -> str:
    """The host and path people type from paper: no https://, no www."""
    host = urlsplit(base_url).netloc
    host = host[4:] if host.startswith("www.") else host
    return host + url


def phone_of(contact: str) -> str:
    """The first phone number in a contact line; empty when it has none (the strip says "Bel …")."""
    match = PHONE_RE.search(contact)
    return match.group(0) if match else ""


def title_size(title: str) -> str:
    """A size class so short titles are huge and long ones still fit in three lines."""
    length = len(title)
    if length <= 24:
        return "title-xl"
    if length <= 44:
        return "title-l"
    if length <= 72:
        return "title-m"
    return "title-s"


def body_blocks(body_html: str, budget: int = BODY_CHARS) -> list[str]:
    """Paragraphs of the body, as plain text, cut to a character budget."""
    kept: list[str] = []
    for block in text_blocks(body_html):
        if budget <= 40:
            if kept and not kept[-1].endswith("…"):
                kept[-1] = kept[-1].rstrip(" ,;:.–-") + "…"  # more follows on the page
            break
        kept.append(cut(block, budget))
        budget -= len(kept[-1]) + 40  # a new paragraph costs about a line
    return kept


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
    words = templates.words
    return templates.render(
        "poster_task.html", urls.route(view, "poster").url,
        view=view, task=task, place=templates.places[task.place],
        qr=Markup(qr), page=page_url, short=short_url(site.base_url, page_url),
        title_class=title_size(task.title),
        blocks=body_blocks(task.body_html),
        strip_title=cut(task.title, STRIP_TITLE_CHARS),
        strip_when=words.when(view.next),
        strips=STRIPS if view.state in ("open", "full") else 0,
        phone=phone_of(task.contact or site.contact),
        contact=task.contact or site.contact,
    )


def place_poster(templates: Templates, place: Place, tasks: tuple[TaskView, ...], more: bool, qr: str) -> bytes:
    site = templates.site
    page_url = urls.route(place).url
    return templates.render(
        "poster_place.html", urls.route(place, "poster").url,
        place=place, qr=Markup(qr), page=page_url, short=short_url(site.base_url, page_url),
        tasks=tasks, more=more, contact=place.contact or site.contact,
    )

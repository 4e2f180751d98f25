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

ROWS_PER_SHEET = 14  # at most; rows of about 12 mm, never less than MIN_ROW_MM

# How the sheet keeps to one A4 page whatever its texts (paper.css): the sheet is a column of
# fixed height in which the table of rows takes the height the head (band, title, facts,
# intro) and the footer leave, so a longer head makes the rows shorter, down to MIN_ROW_MM
# (paper.css: .sheet-rows td). Text wraps, a long word too; nothing is clamped. A head so long
# that ROWS_PER_SHEET rows would be shorter than that gets fewer rows per sheet (and so more
# sheets for its spots): sheet_layout estimates, from the texts alone so every build agrees,
# the head's height, counting characters as wide as DejaVu Sans draws them (wider than the
# system fonts of Windows, macOS or Android), so the browser's lines are never more than it
# counts. A title that would leave fewer than half the rows is set smaller (.sheet-title-small).
# A head that leaves no room for even one row (a title of well over a thousand characters) is
# the one case left that does not fit.
MIN_ROW_MM = 9
SHEET_MM = 275  # .sheet: the page's 297 mm less 11 mm above and below
# The gaps between the six blocks, the intro's sentence, the table's head (three lines) and
# the footer (two lines), in the longer of the two languages, as Chromium prints them
# (tests/test_paper.py prints long heads in both and checks that they fit).
GAPS_MM, INTRO_CHARS, TABLE_HEAD_MM, FOOTER_MM = 5 * 3, 80, 16, 12.5
LINE_MM = 12 * 0.3528 * 1.3  # a line of 12 pt text
TITLE_PT, SMALL_TITLE_PT, KIND_MM = 21, 15, 14 * 0.3528 * 1.2
BAND_PAD_MM, FACTS_GAP_MM = 4, 1
# Characters of average width on a line: of the title (21 pt bold, 186 mm), the band
# (12 pt bold capitals, beside "Blad 1 van 3"), a fact (12 pt, half of 180 mm) and the intro.
TITLE_CHARS, BAND_CHARS, FACT_CHARS, INTRO_LINE_CHARS = 34, 40, 30, 64


def text_lines(text: str, per_line: float) -> int:
    """How many lines `text` takes at `per_line` characters a line: wrapped at spaces, a word
    longer than a line anywhere (overflow-wrap: anywhere); capitals, m and w count one and a half."""
    lines, used = 1, 0.0
    for word in text.split():
        width = sum(1.5 if c.isupper() or c in "mw" else 1 for c in word)
        if used and used + 1 + width <= per_line:
            used += 1 + width
            continue
        if used:
            lines += 1
        while width > per_line:
            lines, width = lines + 1, width - per_line
        used = width
    return lines


def sheet_layout(band: str, title: str, facts: list[str], link: str) -> tuple[int, bool]:
    """Rows per sheet (ROWS_PER_SHEET, or fewer when the head leaves too little height for
    them at MIN_ROW_MM each) and whether the title is set small."""
    fact_rows = [max(text_lines(fact, FACT_CHARS) for fact in facts[n:n + 2])
                 for n in range(0, len(facts), 2)]
    rest = (BAND_PAD_MM + LINE_MM * text_lines(band.upper(), BAND_CHARS) + KIND_MM
            + LINE_MM * sum(fact_rows) + FACTS_GAP_MM * (len(fact_rows) - 1)
            + LINE_MM * text_lines("x" * INTRO_CHARS + " · " + link, INTRO_LINE_CHARS))

    def rows(points: float) -> int:
        lines = text_lines(title, TITLE_CHARS * TITLE_PT / points)
        room = SHEET_MM - GAPS_MM - TABLE_HEAD_MM - FOOTER_MM - rest - points * 0.3528 * 1.2 * lines
        return max(1, min(ROWS_PER_SHEET, int(room // MIN_ROW_MM)))

    small = rows(TITLE_PT) < ROWS_PER_SHEET // 2
    return rows(SMALL_TITLE_PT if small else TITLE_PT), small


def pages_of_rows(spots: int | None, per_sheet: int = ROWS_PER_SHEET) -> list[range]:
    """The numbered rows of each sheet: enough for every place needed, at least one sheet."""
    sheets = max(1, -(-(spots or 0) // per_sheet))
    return [range(n * per_sheet + 1, (n + 1) * per_sheet + 1) for n in range(sheets)]


def sheet_outputs(model: SiteModel, templates: Templates) -> Outputs:
    """The sign-up sheets of every task that has them: output path → recipe."""
    return {route.path: recipe(sheet_page, templates, view, occurrence, route.url)
            for view in model.tasks for route, occurrence in sheet_routes(view)}


def sheet_page(templates: Templates, view: TaskView, occurrence: Occurrence, url: str) -> bytes:
    site, task = templates.site, view.task
    place, contact = templates.places[task.place], task.contact or site.contact
    link = short_url(site.base_url, short_link(task))
    say = templates.words.gettext  # the sheet's own words, in the site's language (signup_sheet.html)
    facts = [f"{say('When')} {templates.words.when(occurrence)}", f"{say('Where')} {place.name}, {place.address}"]
    if contact:
        facts.append(f"{say('Contact')} {contact}")
    if task.spots is not None:
        facts.append(f"{say('Spots')} {say('{n} people needed', n=task.spots)}")
    # The band: the site's title, and "Blad 10 van 12" on the same line.
    band = f"{site.title} {say('Sheet {n} of {total}', n=88, total=88)}"
    rows, small_title = sheet_layout(band, task.title, facts, link)
    return templates.render(
        "signup_sheet.html", url,
        view=view, task=task, place=place, occurrence=occurrence,
        sheets=pages_of_rows(task.spots, rows), small_title=small_title,
        contact=contact,
        link=breakable(link),
        page=urls.route(task).url,
        dates=[(urls.sheet(view, o.day).url, o) for o in dated(view)],
    )

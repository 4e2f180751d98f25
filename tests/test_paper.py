"""Paper: sign-up sheets (one A4 page per 14 rows, each with the header) and short links."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import require, serve_folder
from sitegen import BuildFailed
from sitegen.outputs import paper
from sitegen.sheets import SHEET_DATES
from sitegen.shortlinks import ALPHABET, short_code

BASE = "https://doeplekken.example.be"


def _tools():
    for tool in ("pdfinfo", "pdftotext"):
        require(shutil.which(tool) is not None, f"{tool} is not installed (apt-get install poppler-utils)")


def _sheets(site):
    site.task("soep", """\
        title: Soep koken voor de buurt
        place: t-hof
        start: "2026-12-05 09:30"
        end: "12:00"
        category: koken
        spots: 6
        contact: "Griet · 050 11 22 33"
        """)
    site.task("groot", """\
        title: Zwerfvuil rapen
        place: t-hof
        start: 2026-12-12
        category: tuinwerk
        spots: 30
        """)
    site.task("wekelijks", """\
        title: Koffie schenken
        place: t-hof
        start: "2026-12-02 14:00"
        repeat: {freq: weekly}
        category: koken
        """)
    site.task("weg", "title: Afgelast\nplace: t-hof\nstart: 2026-12-10\ncategory: koken\nstatus: cancelled")
    site.task("oud", "title: Voorbij\nplace: t-hof\nstart: 2026-11-02\ncategory: koken")
    site.build()
    return site


@pytest.fixture(scope="module")
def sheets(tmp_path_factory):
    from conftest import BUILD_EPOCH, PLACE_MD, SITE_YML, SiteFolder
    folder = SiteFolder(tmp_path_factory.mktemp("paper") / "site")
    folder.write("content/site.yml", SITE_YML)
    folder.write("content/places/t-hof.md", PLACE_MD)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        return _sheets(folder)


def test_a_sheet_has_the_task_the_place_the_contact_and_ruled_rows(sheets):
    html = sheets.read("tasks/soep/signup-sheet/index.html")
    assert '<span class="sheet-kind">Inschrijflijst</span> <span dir="auto">Soep koken voor de buurt</span></h1>' in html
    assert '<time datetime="2026-12-05T09:30:00+01:00">zaterdag 5 december 2026, 9.30–12 uur</time>' in html
    assert '<strong dir="auto">’t Hof</strong>, Torhoutsestraat 54, 8210 Zedelgem' in html
    assert "<dd>Griet · 050 11 22 33</dd>" in html  # the task's contact, else the site's
    heads = re.findall(r'<th scope="col" class="col-\w+">(.*?)</th>', html)
    assert heads == ["Nr.", "Naam", "Telefoon", "Ik breng … mensen mee",
                     'Uren <span class="sheet-hint">(invullen na afloop)</span>']
    assert html.count("<tr><td class=\"col-number\">") == paper.ROWS_PER_SHEET  # 6 spots: one sheet
    assert "Blad 1 van 1" in html
    assert f"doeplekken.<wbr>example.<wbr>be<wbr>/t/{short_code('/tasks/soep/')}" in html
    assert '<meta name="robots" content="noindex">' in html


def test_more_places_than_rows_give_more_sheets_each_with_the_header(sheets):
    html = sheets.read("tasks/groot/signup-sheet/index.html")
    pages = -(-30 // paper.ROWS_PER_SHEET)
    assert html.count('<section class="page"') == pages == 3
    assert [f"Blad {n} van 3" for n in (1, 2, 3)] == re.findall(r"Blad \d van 3(?=</span>)", html)
    assert html.count("Zwerfvuil rapen</span></h") == 3  # every sheet has the header
    numbers = re.findall(r'<td class="col-number">(\d+)</td>', html)
    assert numbers == [str(n) for n in range(1, 3 * paper.ROWS_PER_SHEET + 1)]


def test_a_repeating_task_has_a_sheet_for_each_of_its_next_dates(sheets):
    files = sheets.files()
    dated = sorted(p for p in files if p.startswith("tasks/wekelijks/signup-sheet/2"))
    assert dated == [f"tasks/wekelijks/signup-sheet/{day}/index.html" for day in (
        "2026-12-02", "2026-12-09", "2026-12-16", "2026-12-23", "2026-12-30", "2027-01-06",
        "2027-01-13", "2027-01-20")][:SHEET_DATES]
    html = sheets.read("tasks/wekelijks/signup-sheet/2026-12-16/index.html")
    assert "woensdag 16 december 2026, 14–16 uur" in html
    assert 'href="/tasks/wekelijks/signup-sheet/2026-12-16/" aria-current="page"' in html
    task_page = sheets.read("tasks/wekelijks/index.html")
    assert 'href="/tasks/wekelijks/signup-sheet/">Inschrijflijst afdrukken</a>' in task_page
    assert '<a href="/tasks/wekelijks/signup-sheet/2026-12-09/">9 december 2026</a>' in task_page


def test_past_and_cancelled_tasks_have_no_sheet(sheets):
    files = sheets.files()
    assert "tasks/weg/signup-sheet/index.html" not in files
    assert "tasks/oud/signup-sheet/index.html" not in files
    assert "signup-sheet" not in sheets.read("tasks/weg/index.html")
    assert "tasks/soep/signup-sheet/index.html" in files


def test_the_sheet_is_linked_from_the_task_page_and_the_poster(sheets):
    assert 'href="/tasks/soep/signup-sheet/">Inschrijflijst afdrukken</a>' in sheets.read("tasks/soep/index.html")
    assert '<a href="/tasks/soep/signup-sheet/">Inschrijflijst afdrukken</a>' in sheets.read(
        "tasks/soep/poster/index.html")


def _pdf(page, url, path):
    page.goto(url)
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True, print_background=True)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))
    texts = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), "-layout", str(path), "-"],
                            capture_output=True, text=True, check=True).stdout for n in range(1, pages + 1)]
    return pages, texts


def test_each_sheet_prints_as_one_a4_page_with_its_header(browser, sheets, tmp_path):
    _tools()
    page = browser.new_page()
    with serve_folder(sheets.out) as origin:
        one, (text,) = _pdf(page, f"{origin}/tasks/soep/signup-sheet/", tmp_path / "soep.pdf")
        three, texts = _pdf(page, f"{origin}/tasks/groot/signup-sheet/", tmp_path / "groot.pdf")
    page.close()
    assert one == 1
    assert "Soep koken voor de buurt" in text and "BLAD 1 VAN 1" in text and "Griet" in text
    assert three == 3
    for number, text in enumerate(texts, start=1):
        assert "Zwerfvuil rapen" in text and f"BLAD {number} VAN 3" in text and "Naam" in text
        assert "zaterdag 12 december 2026" in text
        first = (number - 1) * paper.ROWS_PER_SHEET + 1
        assert re.search(rf"^\s*{first}\s*$", text, re.M) and re.search(rf"^\s*{first + 13}\s*$", text, re.M)


def test_sheets_fit_their_page_on_screen_and_at_360_px(browser, sheets):
    with serve_folder(sheets.out) as origin:
        for viewport in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
            page = browser.new_page(viewport=viewport)
            page.goto(f"{origin}/tasks/groot/signup-sheet/")
            found = page.evaluate("""() => [...document.querySelectorAll('main .page, main .page *')]
              .filter(e => e.getClientRects().length && (e.clientWidth || e.clientHeight)
                      && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
              .map(e => e.tagName + '.' + e.className)""")
            sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            page.close()
            assert found == [] and sideways <= 0, viewport



# -- any head fits: long words and titles, long places, English -----------------------------

LONG_WORD = "Arbeidsongeschiktheidsverzekeringsformulieren"
FOUR_LINES = ("Brieven plooien en in omslagen steken voor de jaarlijkse ledenvergadering van de "
              "Gezinsbond afdeling Sint-Andries en Sint-Michiels samen")
LONG_PLACE = 'name: "Kültür Merkezi Şehitlik — Ontmoetingsruimte"\naddress: Sleepstraat 100, 9000 Gent'
# Everything long at once, and a title of eight lines: fewer rows on more sheets.
HUGE_TITLE = f"{FOUR_LINES} {LONG_WORD} {FOUR_LINES}"


@pytest.fixture(scope="module")
def long_heads(tmp_path_factory):
    """Two sites (Dutch, English) whose sheets have the heads the audit found too big."""
    from conftest import BUILD_EPOCH, PLACE_MD, SITE_YML, SiteFolder
    sites = {}
    for language in ("nl", "en"):
        folder = SiteFolder(tmp_path_factory.mktemp(f"long-{language}") / "site")
        folder.write("content/site.yml", SITE_YML.replace("language: nl", f"language: {language}"))
        folder.write("content/places/t-hof.md", PLACE_MD)
        folder.place("kultur", LONG_PLACE)
        tasks = {"woord": (f"{LONG_WORD} sorteren", "t-hof", ""),
                 "vier": (FOUR_LINES, "t-hof", ""),
                 "engels": ("Soep koken en tafels dekken voor het buurtfeest in de parochiezaal", "t-hof", ""),
                 "plek": ("Soep koken", "kultur", ""),
                 "alles": (HUGE_TITLE, "kultur", 'contact: "Griet Vandenberghe-Verstraete · 050 11 22 33 · '
                                                 'griet.vandenberghe@example.be"\nrepeat: {freq: weekly}')}
        for slug, (title, place, more) in tasks.items():
            folder.task(slug, f'title: "{title}"\nplace: {place}\nstart: "2026-12-05 09:30"\nend: "12:00"\n'
                              f"category: koken\nspots: 14\n{more}")
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
            folder.build()
        sites[language] = folder
    return sites


# What of each sheet does not fit, in print: a box whose content is wider or taller than it
# (text cut at an edge or clipped), or the last row or the footer below the sheet or its page.
_OVERFLOW = """() => [...document.querySelectorAll('main .page')].flatMap(page => {
  const sheet = page.querySelector('.sheet'), bottom = Math.min(page.getBoundingClientRect().bottom,
                                                                sheet.getBoundingClientRect().bottom);
  const wrong = [sheet, ...sheet.querySelectorAll('*')]
    .filter(e => e.getClientRects().length && (e.clientWidth || e.clientHeight)
            && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1))
    .map(e => `${e.tagName}.${e.className} ${e.scrollWidth}×${e.scrollHeight} in ${e.clientWidth}×${e.clientHeight}`);
  for (const part of ['tbody tr:last-child', '.sheet-result'])
    if (sheet.querySelector(part).getBoundingClientRect().bottom > bottom + 1) wrong.push(part + ' below the page');
  return wrong; })"""


def _row_heights_mm(page):
    return page.evaluate("""() => [...document.querySelectorAll('main .page tbody tr')]
        .map(row => row.getBoundingClientRect().height * 25.4 / 96)""")


CASES = [("nl", "woord", f"{LONG_WORD}sorteren"), ("nl", "vier", "Sint-Michielssamen"),
         ("en", "engels", "parochiezaal"), ("nl", "plek", "9000 Gent"), ("en", "plek", "9000 Gent"),
         ("nl", "alles", f"{LONG_WORD}Brieven"), ("en", "alles", "9000 Gent")]


@pytest.mark.parametrize(("language", "slug", "needle"), CASES, ids=[f"{l}-{s}" for l, s, _ in CASES])
def test_a_long_head_still_prints_every_word_on_one_page_per_sheet(browser, long_heads, tmp_path,
                                                                     language, slug, needle):
    _tools()
    site = long_heads[language]
    html = site.read(f"tasks/{slug}/signup-sheet/index.html")
    sheets = html.count('<section class="page"')
    page = browser.new_page()
    with serve_folder(site.out) as origin:
        page.goto(f"{origin}/tasks/{slug}/signup-sheet/")
        page.emulate_media(media="print")
        overflow, rows = page.evaluate(_OVERFLOW), _row_heights_mm(page)
        pages, texts = _pdf(page, f"{origin}/tasks/{slug}/signup-sheet/", tmp_path / f"{slug}.pdf")
    page.close()
    assert overflow == []
    assert len(rows) >= 14 and min(rows) >= paper.MIN_ROW_MM - 0.05  # a row for every spot, big enough
    assert pages == sheets  # one A4 page a sheet
    footer_end = "participants and hours." if language == "en" else "participants en hours."
    for text in texts:
        flat, words = re.sub(r"\s+", "", text), " ".join(text.split())
        assert needle.replace(" ", "") in flat  # the word whole, wherever it wraps
        assert "9000 Gent" in words or slug != "plek"
        assert words.endswith(footer_end)  # the footer, to its last word
        assert re.search(r"^\s*14\s*$", text, re.M) or sheets > 1  # the last row


def test_a_head_too_long_for_fourteen_rows_gets_fewer_rows_on_more_sheets(long_heads):
    html = long_heads["en"].read("tasks/alles/signup-sheet/index.html")
    numbers = [int(n) for n in re.findall(r'<td class="col-number">(\d+)</td>', html)]
    sheets = html.count('<section class="page"')
    assert sheets > 1 and len(numbers) < sheets * paper.ROWS_PER_SHEET
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 14  # every spot has a row
    assert html.count(f"{HUGE_TITLE}</span></h") == sheets  # every sheet has the header
    assert "line-clamp" not in long_heads["en"].read("static/css/paper.css")  # no text hidden


def test_the_row_estimate_never_counts_fewer_lines_than_a_line_holds():
    assert paper.text_lines("", 30) == 1
    assert paper.text_lines("a " * 10, 30) == 1
    assert paper.text_lines("x" * 31, 30) == 2  # a long word breaks anywhere
    assert paper.text_lines("W" * 20, 30) == 1 + (20 * 1.5 > 30)
    assert paper.ROWS_PER_SHEET * paper.MIN_ROW_MM <= paper.SHEET_MM / 2


def test_long_heads_fit_their_page_on_screen_and_at_360_px(browser, long_heads):
    with serve_folder(long_heads["en"].out) as origin:
        for viewport in ({"width": 1280, "height": 900}, {"width": 360, "height": 740}):
            page = browser.new_page(viewport=viewport)
            for slug in ("woord", "plek", "alles"):
                page.goto(f"{origin}/tasks/{slug}/signup-sheet/")
                assert page.evaluate(_OVERFLOW) == [], (viewport, slug)
            page.close()


# -- short links ------------------------------------------------------------------------------

def test_short_codes_are_six_unambiguous_characters_of_the_address():
    code = short_code("/tasks/soep/")
    assert len(code) == 6 and set(code) <= set(ALPHABET)
    assert not set("01ilo") & set(ALPHABET)
    assert code == short_code("/tasks/soep/")  # a pure function of the address: every build agrees
    assert short_code("/tasks/soep-2/") != code


def test_redirects_lead_each_short_link_to_its_page(sheets):
    rules = sheets.read("_redirects").splitlines()
    assert f"/t/{short_code('/tasks/soep/')} /tasks/soep/ 301" in rules
    assert f"/t/{short_code('/places/t-hof/')} /places/t-hof/ 301" in rules
    assert len(rules) == 6  # five tasks (past and cancelled too: old posters) and one place


def test_a_code_taken_twice_is_a_problem_for_the_later_file(site):
    # Found by trying names: these two pages have the same six characters.
    assert short_code("/tasks/taak-10627/") == short_code("/tasks/taak-26526/")
    for slug in ("taak-10627", "taak-26526"):
        site.task(slug, "title: Taak\nplace: t-hof\nstart: 2026-12-05\ncategory: koken")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert [str(p) for p in failure.value.problems] == [
        f"content/tasks/taak-26526.md:1: the short link /t/{short_code('/tasks/taak-10627/')} of this "
        "file is the same as that of content/tasks/taak-10627.md (a rare coincidence of the two file "
        "names); rename this file, e.g. by adding '-2' before '.md'"]

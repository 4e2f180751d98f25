"""Posters print to exactly one A4 page in Chromium, and their QR codes scan to the right URL."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import segno

from conftest import require, serve_folder
from sitegen.outputs import posters
from sitegen.shortlinks import short_code

BASE = "https://doeplekken.example.be"
NASTY_TITLE = 'Zwerfvuilopruimactiviteiten "groot & klein" </script> {{ niets }} in het Gemeentepark van Sint-Andries-Loppem'
LONG_BODY = "\n\n".join(
    f"Alinea {i}: we werken samen in kleine groepjes, met handschoenen en grijpers, en "
    "drinken daarna koffie. Iedereen is welkom, jong en oud, met of zonder ervaring." for i in range(14)
) + "\n\n" + "\n".join(f"- ding {i} om mee te brengen" for i in range(12)) + "\n"


PICTURE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 250"><rect width="400" height="250" '
           'fill="#9c6"/><circle cx="320" cy="60" r="40" fill="#fd6"/></svg>\n')


def _tools():
    for tool in ("pdfinfo", "pdftoppm", "zbarimg"):
        require(shutil.which(tool) is not None,
                f"{tool} is not installed (apt-get install poppler-utils zbar-tools)")


def print_pdf(page, url: str, path: Path) -> Path:
    page.goto(url)
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True, print_background=True)
    return path


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in out.splitlines())}


def qr_codes_in(pdf: Path) -> list[str]:
    """Render the page at 150 dpi and decode every QR code on it."""
    png = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(png)], check=True)
    done = subprocess.run(["zbarimg", "--raw", "-q", str(png) + ".png"], capture_output=True, text=True)
    return [line for line in done.stdout.splitlines() if line]


def assert_one_a4_page(pdf: Path) -> None:
    info = pdf_info(pdf)
    assert info["Pages"] == "1", f"{pdf.name}: {info['Pages']} pages"
    width, height = (float(n) for n in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5, info["Page size"]  # A4 portrait


@pytest.fixture(scope="module")
def stress_site(tmp_path_factory):
    """Content made to overflow: a huge title, a long body, repeats, every state, a busy place."""
    from conftest import BUILD_EPOCH, PLACE_MD, SITE_YML, SiteFolder

    folder = SiteFolder(tmp_path_factory.mktemp("posters") / "site")
    folder.write("content/site.yml", SITE_YML)
    folder.write("content/places/t-hof.md", PLACE_MD)
    folder.write("content/images/park.svg", PICTURE)
    folder.place("park", """\
        name: "Gemeentepark Sint-Andries-Loppem, ingang aan de kant van de Heidelbergstraat"
        image: images/park.svg
        address: Heidelbergstraat 102 (achter de oude pastorie, naast de speeltuin), 8210 Loppem
        hours: elke dag van zonsopgang tot zonsondergang, behalve tijdens evenementen en stormweer
        contact: parkwachter 050 98 76 54 of park@example.be
        """)
    folder.task("lang", f"""\
        title: '{NASTY_TITLE}'
        place: park
        start: "2026-12-05 09:30"
        repeat: {{freq: weekly, until: 2027-03-27, except: [2026-12-26]}}
        category: tuinwerk
        access: [zittend, rolstoel, kinderen]
        spots: 12
        taken: 3
        reward: 2.5
        """, LONG_BODY)
    folder.task("afgelast", """\
        title: Brieven plooien
        place: t-hof
        start: 2026-12-10
        category: plooien
        status: cancelled
        """)
    folder.task("voorbij", """\
        title: Soep koken
        place: t-hof
        start: "2026-11-02 10:00"
        category: koken
        """)
    folder.task("foto", """\
        title: Soep koken
        place: t-hof
        start: "2026-12-08 10:00"
        category: koken
        image: images/park.svg
        spots: 4
        """, "We koken soep. Iedereen proeft mee.\n")
    folder.task("kort", """\
        title: Koffie
        place: t-hof
        start: "2026-12-09 10:00"
        category: koken
        """, "Koffie schenken.\n")
    for i in range(9):
        folder.task(f"park-{i}", f"""\
            title: Taak {i} in het park met een titel die net iets te lang is om op één regel te passen
            place: park
            start: "2026-12-{10 + i} 14:00"
            category: tuinwerk
            """)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        folder.build()
    return folder


def test_every_poster_prints_one_a4_page_with_a_qr_code_to_its_page(browser, stress_site, tmp_path):
    _tools()
    page = browser.new_page()
    wanted = {
        "tasks/lang/poster/": f"{BASE}/tasks/lang/",
        "tasks/afgelast/poster/": f"{BASE}/tasks/afgelast/",
        "tasks/voorbij/poster/": f"{BASE}/tasks/voorbij/",
        "tasks/park-0/poster/": f"{BASE}/tasks/park-0/",
        "places/park/poster/": f"{BASE}/places/park/",
        "places/t-hof/poster/": f"{BASE}/places/t-hof/",
    }
    with serve_folder(stress_site.out) as origin:
        for i, (path, url) in enumerate(wanted.items()):
            pdf = print_pdf(page, f"{origin}/{path}", tmp_path / f"poster{i}.pdf")
            assert_one_a4_page(pdf)
            assert qr_codes_in(pdf) == [url], path
    page.close()


def test_the_qr_code_is_at_least_3_cm_wide_on_paper(browser, stress_site):
    page = browser.new_page()
    page.emulate_media(media="print")
    with serve_folder(stress_site.out) as origin:
        page.goto(f"{origin}/tasks/lang/poster/")
        width_px = page.eval_on_selector("svg.qr", "e => e.getBoundingClientRect().width")
    page.close()
    assert width_px / 96 * 2.54 >= 3.0  # CSS px are 1/96 inch in print


def test_the_demo_posters_all_fit_one_page(browser, demo_site, tmp_path):
    _tools()
    demo_site.build()
    paths = sorted(p for p in demo_site.files() if p.endswith("/poster/index.html"))
    assert len(paths) >= 20
    page = browser.new_page()
    with serve_folder(demo_site.out) as origin:
        for i, path in enumerate(paths):
            assert_one_a4_page(print_pdf(page, f"{origin}/{path}", tmp_path / f"demo{i}.pdf"))
    page.close()


def test_task_poster_content(stress_site):
    html = stress_site.read("tasks/lang/poster/index.html")
    assert 'class="poster-title title-xs" data-fit-title' in html  # the build's guess, for no JavaScript
    assert "&lt;/script&gt; {{ niets }}" in html  # escaped, not evaluated
    assert "zaterdag 5 december 2026, 9.30–11.30 uur" in html
    assert "elke zaterdag" in html
    assert "Heidelbergstraat 102" in html
    assert "kan zittend" in html and "/static/access/zittend.svg" in html
    assert "2,5 Doe-munten per persoon" in html
    assert "12 mensen gezocht · nog 9 plaatsen vrij" in html
    assert html.count('<li class="strip">') == posters.STRIPS
    strip = re.search(r'<li class="strip">(.*?)</li>', html, re.S).group(1)
    code = short_code("/tasks/lang/")
    assert f'<span class="strip-link">doeplekken.<wbr>example.<wbr>be<wbr>/t/{code}</span>' in strip
    assert '<span class="strip-phone">Bel 050 12 34 56</span>' in strip
    assert '<span class="strip-when">elke zaterdag · 9.30 uur</span>' in strip
    assert '<strong class="strip-title" dir="auto">Zwerfvuilopruimactivite…</strong>' in strip
    assert "<script>" not in html  # no inline JavaScript
    assert not re.search(r"<[^>]+\son\w+=", html) and "style=" not in html
    assert '<script src="/static/js/poster.js" defer></script>' in html
    assert 'data-print hidden' in html  # the Print button appears only with JavaScript
    assert '<a href="/tasks/lang/signup-sheet/">Inschrijflijst afdrukken</a>' in html
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in html


def test_cancelled_and_past_posters_say_so_in_large_type(stress_site):
    cancelled = stress_site.read("tasks/afgelast/poster/index.html")
    past = stress_site.read("tasks/voorbij/poster/index.html")
    assert '<p class="poster-state">gaat niet door</p>' in cancelled
    assert '<p class="poster-state">voorbij</p>' in past
    assert 'class="strip"' not in cancelled and 'class="strip"' not in past
    assert "signup-sheet" not in cancelled and "signup-sheet" not in past  # nothing to sign up for
    assert "poster-state" not in stress_site.read("tasks/lang/poster/index.html")


def test_place_poster_lists_the_next_tasks_and_opening_hours(stress_site):
    html = stress_site.read("places/park/poster/index.html")
    assert "Wat kan je hier doen?" in html
    assert html.count("<li data-fit-block data-fit-item>") == posters.PLACE_TASKS
    assert html.index("Taak 0 in") < html.index("Taak 1 in")
    assert '<p class="poster-more" data-fit-more data-fit-always>En nog meer taken: scan de code</p>' in html
    assert "elke dag van zonsopgang" in html and "parkwachter 050 98 76 54" in html
    assert f"doeplekken.<wbr>example.<wbr>be<wbr>/t/{short_code('/places/park/')}" in html


def test_pages_link_to_their_poster(stress_site):
    assert 'href="/tasks/lang/poster/">Affiche afdrukken</a>' in stress_site.read("tasks/lang/index.html")
    assert 'href="/places/park/poster/">Affiche afdrukken</a>' in stress_site.read("places/park/index.html")


def test_fixed_mask_codes_decode_for_many_urls(tmp_path):
    """The fixed mask (posters.QR_MASK) reads for every kind of URL, not just the demo's."""
    require(shutil.which("zbarimg") is not None, "zbarimg is not installed (apt-get install zbar-tools)")
    wanted = [f"{BASE}/tasks/{'-'.join(['taak'] * (i % 9 + 1))}-{i}/" for i in range(40)]
    wanted += [f"https://www.doe-plekken-{i}.be/places/plek-{i}/" for i in range(10)]
    files = []
    for i, url in enumerate(wanted):
        svg_code = segno.make_qr(url, error=posters.QR_ERROR, boost_error=False, mask=posters.QR_MASK)
        files.append(tmp_path / f"{i:03}.png")
        svg_code.save(str(files[-1]), scale=4, border=posters.QR_BORDER)
    done = subprocess.run(["zbarimg", "--raw", "-q", *map(str, files)], capture_output=True, text=True)
    assert done.stdout.splitlines() == wanted


def test_qr_svg_is_byte_for_byte_what_segno_writes():
    """Our one-pass path writer (posters._dark_runs_path) draws exactly segno's own SVG."""
    urls = [f"{BASE}/tasks/{'-'.join(['taak'] * (i % 13 + 1))}-{i}/" for i in range(300)]
    urls += ["https://x.be/", f"https://www.doe-plekken.be/places/{'lange-naam-' * 12}/", "mailto:a@b.be"]
    for url in urls:
        code = segno.make_qr(url, error=posters.QR_ERROR, boost_error=False, mask=posters.QR_MASK)
        title = f"Affiche <{url}> & meer"
        assert posters.qr_svg(url, title) == code.svg_inline(
            scale=1, border=posters.QR_BORDER, omitsize=True, svgclass="qr", lineclass="qr-line", title=title)


def test_qr_svg_has_a_quiet_zone_and_scales():
    svg = posters.qr_svg(f"{BASE}/tasks/x/", "x")
    size = segno.make_qr(f"{BASE}/tasks/x/", error="m", boost_error=False).symbol_size(scale=1, border=0)[0]
    assert f'viewBox="0 0 {size + 8} {size + 8}"' in svg  # 4 modules of quiet zone on each side
    assert "width=" not in svg.split(">")[0]  # sized by CSS


def test_body_is_sent_as_sentences_up_to_its_budget():
    html = "".join(f"<p>{'Een zin van vijf woorden. ' * 12}</p>" for _ in range(5))
    blocks, shortened = posters.body_blocks(html)
    assert shortened
    sent = [sentence for _, sentences in blocks for sentence in sentences]
    assert sum(len(s) + 1 for s in sent) <= posters.BODY_CHARS + 1
    assert set(sent) == {"Een zin van vijf woorden."}  # whole sentences only
    assert posters.body_blocks("<ul><li>een</li><li>twee</li></ul>") == (
        [("li", ["• een"]), ("li", ["• twee"])], False)
    assert posters.body_blocks("<p>Soep. Brood!</p><p>Koffie?</p>") == (
        [("p", ["Soep.", "Brood!"]), ("p", ["Koffie?"])], False)


def test_one_huge_sentence_is_cut_at_a_word():
    blocks, shortened = posters.body_blocks("<p>" + "woord " * 400 + "</p>", 100)
    assert shortened and blocks == [("p", ["woord " * 15 + "woord…"])]  # 95 characters + …


def test_a_breakable_link_wraps_only_after_dots_and_hyphens():
    assert posters.breakable("doeplekken-zedelgem.netlify.app/t/53rncs") == (
        "doeplekken-<wbr>zedelgem.<wbr>netlify.<wbr>app<wbr>/t/53rncs")
    assert posters.breakable("a&b.be/t/x") == "a&amp;b.<wbr>be<wbr>/t/x"


# -- the sheet in Chromium: on paper, on a wide screen and on a phone ----------------------------

MODES = {  # name: (viewport, media)
    "print": ({"width": 1280, "height": 900}, "print"),
    "1280": ({"width": 1280, "height": 900}, "screen"),
    "360": ({"width": 360, "height": 740}, "screen"),
}
STRESS_POSTERS = ["tasks/lang/poster/", "tasks/afgelast/poster/", "tasks/voorbij/poster/",
                  "tasks/park-0/poster/", "tasks/foto/poster/", "tasks/kort/poster/",
                  "places/park/poster/", "places/t-hof/poster/"]
MM = 96 / 25.4  # CSS px per millimetre on paper

# Every element of the sheet whose content is larger than its box (it overflows, or is clipped
# by overflow: hidden) or that lies outside the sheet. SVG's own parts are the QR code's.
OVERFLOWS = """() => {
  const page = document.querySelector('main.page');
  const sheet = page.querySelector('.sheet');
  const edge = sheet.getBoundingClientRect();
  const name = el => el.tagName.toLowerCase() + (el.className && el.className.baseVal === undefined
    ? '.' + String(el.className).trim().split(/\\s+/).join('.') : '') + ' "' + (el.textContent || '').trim().slice(0, 30) + '"';
  const found = [];
  for (const el of [page, sheet, ...sheet.querySelectorAll('*')]) {
    if (el.parentElement && el.parentElement.closest('svg')) continue;
    if (!el.getClientRects().length) continue;  // not displayed
    if ((el.clientWidth || el.clientHeight) &&
        (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1)) {
      found.push(`${name(el)}: content ${el.scrollWidth}×${el.scrollHeight} in ${el.clientWidth}×${el.clientHeight}`);
    }
    const r = el.getBoundingClientRect();
    if (el !== page && r.width && (r.left < edge.left - 1 || r.right > edge.right + 1 ||
                                   r.top < edge.top - 1 || r.bottom > edge.bottom + 1)) {
      found.push(`${name(el)}: outside the sheet`);
    }
  }
  return found;
}"""


@pytest.fixture(scope="module")
def served_posters(stress_site, demo_posters):
    with serve_folder(stress_site.out) as stress, serve_folder(demo_posters.out) as demo:
        yield {"stress": stress, "demo": demo}


@pytest.fixture(scope="module")
def demo_posters(tmp_path_factory):
    import shutil as copy

    from conftest import BUILD_EPOCH, DEMO, SiteFolder
    folder = SiteFolder(tmp_path_factory.mktemp("demo-posters") / "demo")
    copy.copytree(DEMO, folder.root / "content")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        folder.build()
    return folder


def open_in(browser, mode: str, java_script: bool = True):
    viewport, media = MODES[mode]
    context = browser.new_context(viewport=viewport, java_script_enabled=java_script)
    page = context.new_page()
    page.emulate_media(media=media)
    return context, page


@pytest.mark.parametrize("mode", MODES)
def test_nothing_on_any_poster_overflows_or_is_clipped(browser, served_posters, demo_posters, mode):
    demo = sorted(p[:-len("index.html")] for p in demo_posters.files() if p.endswith("/poster/index.html"))
    assert len(demo) >= 20
    context, page = open_in(browser, mode)
    problems = {}
    for origin, paths in ((served_posters["stress"], STRESS_POSTERS), (served_posters["demo"], demo)):
        for path in paths:
            page.goto(f"{origin}/{path}")
            page.wait_for_load_state("load")
            found = page.evaluate(OVERFLOWS)
            if found:
                problems[path] = found
    context.close()
    assert problems == {}


def _geometry(page):
    return page.evaluate("""() => {
      const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; };
      return {page: box(document.querySelector('main.page')), qr: box(document.querySelector('.poster-qr')),
              strips: box(document.querySelector('.strip-list'))};
    }""")


def test_on_screen_the_same_a4_sheet_is_scaled_to_the_window(browser, served_posters):
    shapes = {}
    for mode in MODES:
        context, page = open_in(browser, mode)
        page.goto(f"{served_posters['stress']}/tasks/park-0/poster/")
        shapes[mode] = _geometry(page)
        context.close()
    assert shapes["360"]["page"][2] == pytest.approx(360 - 16, abs=1)  # the phone's width, less a margin
    assert shapes["1280"]["page"][2] == pytest.approx(210 * MM, abs=1)  # real size on a wide screen
    for mode, shape in shapes.items():
        left, top, width, height = shape["page"]
        assert height / width == pytest.approx(297 / 210, rel=0.01), mode  # A4 proportions
        paper = shapes["print"]["page"]
        for part in ("qr", "strips"):  # where the QR code and the strips sit, as parts of the sheet
            x, y, w, h = shape[part]
            px, py, pw, ph = shapes["print"][part]
            assert [(x - left) / width, (y - top) / width, w / width] == pytest.approx(
                [(px - paper[0]) / paper[2], (py - paper[1]) / paper[2], pw / paper[2]], abs=0.01), (mode, part)


VISIBLE_TEXT = """() => {
  const box = document.querySelector('[data-fit]');
  const shown = [...box.querySelectorAll('[data-fit-item]')].filter(e => e.getClientRects().length);
  const more = document.querySelector('[data-fit-more]');
  return {shown: shown.map(e => e.textContent), all: box.querySelectorAll('[data-fit-item]').length,
          more: more ? more.getClientRects().length > 0 : null, size: box.className};
}"""


@pytest.mark.parametrize("mode", MODES)
def test_a_long_description_is_shortened_at_a_sentence_with_a_pointer_to_the_code(browser, served_posters, mode):
    context, page = open_in(browser, mode)
    page.goto(f"{served_posters['stress']}/tasks/lang/poster/")
    text = page.evaluate(VISIBLE_TEXT)
    assert 0 < len(text["shown"]) < text["all"]
    assert text["shown"][-1].endswith((".", "grijpers, en drinken daarna koffie.")) or text["shown"][-1].startswith("•")
    assert text["more"] is True
    assert page.locator("[data-fit-more]").inner_text() == "→ meer info: scan de code" or \
        page.locator("[data-fit-more]").text_content() == "meer info: scan de code"
    assert "fit-s" in text["size"]  # it first tried the larger sizes
    page.goto(f"{served_posters['stress']}/tasks/kort/poster/")
    short = page.evaluate(VISIBLE_TEXT)
    assert short["shown"] == ["Koffie schenken."] and short["more"] is False
    assert "fit-xl" in short["size"]  # a short text is set large
    context.close()


LINES_CUT = """() => {
  const box = document.querySelector('[data-fit]');
  const edge = box.getBoundingClientRect();
  const lineHeight = parseFloat(getComputedStyle(box).lineHeight);
  const cut = [];
  const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const line of range.getClientRects()) {
      if (line.top < edge.bottom - 1 && line.bottom > edge.bottom + 1) cut.push(node.textContent.slice(0, 30));
    }
  }
  return {cut, lines: edge.height / lineHeight};
}"""


@pytest.mark.parametrize("mode", MODES)
def test_without_javascript_the_text_is_cut_at_a_whole_line(browser, served_posters, mode):
    context, page = open_in(browser, mode, java_script=False)
    page.goto(f"{served_posters['stress']}/tasks/lang/poster/")
    found = page.evaluate(LINES_CUT)
    assert found["cut"] == []
    assert found["lines"] == pytest.approx(round(found["lines"]), abs=0.02)  # a whole number of lines
    assert page.locator("[data-fit-more]").is_visible()  # it may be cut: the note is always there
    context.close()


def test_tear_off_strips_are_readable_and_clear_of_the_cut_lines(browser, served_posters):
    context, page = open_in(browser, "print")
    page.goto(f"{served_posters['stress']}/tasks/lang/poster/")
    strips = page.evaluate("""() => [...document.querySelectorAll('.strip')].map(strip => {
      const r = strip.getBoundingClientRect();
      const phone = strip.querySelector('.strip-phone').getBoundingClientRect();
      return {
        sizes: [strip, ...strip.querySelectorAll('*')].map(e => parseFloat(getComputedStyle(e).fontSize)),
        clear: [phone.left - r.left, r.right - phone.right, phone.top - r.top, r.bottom - phone.bottom],
        border: getComputedStyle(strip).borderLeftStyle,
        link: strip.querySelector('.strip-link').textContent,
      };
    })""")
    context.close()
    assert len(strips) == posters.STRIPS
    for strip in strips:
        assert min(strip["sizes"]) >= 11 * 96 / 72 - 0.01  # at least 11 pt on paper
        assert min(strip["clear"]) >= 2 * MM  # the phone number 2 mm or more from every edge
        assert strip["border"] == "dashed"
        host, _, path = strip["link"].partition("/")
        assert host == "doeplekken.example.be" and path == "t/" + short_code("/tasks/lang/")
        assert len("/" + path) <= 9


def test_the_picture_is_on_the_poster_when_there_is_one(browser, served_posters):
    context, page = open_in(browser, "print")
    for path, wanted in (("tasks/foto/poster/", True), ("places/park/poster/", True),
                         ("tasks/park-0/poster/", False)):
        page.goto(f"{served_posters['stress']}/{path}")
        pictures = page.evaluate("""() => [...document.querySelectorAll('img.poster-picture')].map(
            img => [img.complete && img.naturalWidth > 0, img.getBoundingClientRect().height])""")
        if wanted:
            assert len(pictures) == 1 and pictures[0][0], path
            assert 30 * MM - 1 <= pictures[0][1] <= 50 * MM + 1  # less under a long title
        else:
            assert pictures == [], path
    context.close()


def test_a_place_poster_is_filled_with_its_next_tasks(browser, served_posters):
    context, page = open_in(browser, "print")
    measure = """() => {
      const box = document.querySelector('[data-fit]');
      const shown = [...box.querySelectorAll('[data-fit-item]')].filter(e => e.getClientRects().length);
      const last = shown[shown.length - 1].getBoundingClientRect();
      return {shown: shown.length, all: box.querySelectorAll('[data-fit-item]').length, size: box.className,
              filled: (last.bottom - box.getBoundingClientRect().top) / box.clientHeight,
              more: document.querySelector('[data-fit-more]').getClientRects().length > 0};
    }"""
    page.goto(f"{served_posters['demo']}/places/t-hof/poster/")  # four tasks: set large
    few = page.evaluate(measure)
    page.goto(f"{served_posters['stress']}/places/park/poster/")  # ten tasks: as many as fit
    many = page.evaluate(measure)
    context.close()
    assert few["shown"] == few["all"] == 4 and few["more"] is False
    assert few["filled"] > 0.6 and "fit-s" not in few["size"]
    # A long name, a long address and a picture leave room for two of its three-line tasks.
    assert many["all"] == posters.PLACE_TASKS and many["shown"] >= 2 and many["more"] is True
    assert many["filled"] > 0.6 and "fit-s" in many["size"]


def test_strips_are_as_short_as_their_lines_allow(browser, served_posters):
    """Without JavaScript a strip is at least 58 mm and as long as its longest line, one line
    each (here the demo's link, doeplekken-zedelgem.netlify.app/t/…); the script lets lines
    wrap where the strip has room for them and gives the rest to the text."""
    heights, longest = {}, {}
    for java_script in (True, False):
        context, page = open_in(browser, "print", java_script=java_script)
        page.goto(f"{served_posters['demo']}/tasks/brieven-plooien-gezinsbond/poster/")
        heights[java_script] = page.locator(".strip-list").bounding_box()["height"]
        longest[java_script] = page.evaluate("""() => Math.max(...[...document.querySelector('.strip').children]
            .map(e => { const r = document.createRange(); r.selectNodeContents(e); return r.getBoundingClientRect().height; }))""")
        context.close()
    assert heights[False] >= 58 * MM - 1
    assert heights[False] == pytest.approx(max(58 * MM, longest[False] + 6 * MM), abs=1)  # 3 mm padding each end
    assert 40 * MM - 1 <= heights[True] < 58 * MM


def test_a_place_poster_names_the_year_when_its_tasks_span_two(demo_posters, stress_site):
    spanning = demo_posters.read("places/t-hof/poster/index.html")  # december 2026 to october 2027
    assert ">za 5 dec 2026 · 9.30 uur</time>" in spanning and ">zo 31 okt 2027 · 14 uur</time>" in spanning
    within = stress_site.read("places/t-hof/poster/index.html")  # all in december 2026
    assert ">di 8 dec · 10 uur</time>" in within


# -- the strips' lines, whatever the wording: every repeat in words, English, long phones ------

STRIP_TASKS = {  # slug: front matter; each makes a strip line longer than "za 5 dec · 9.30 uur"
    "om-de-2-weken": """\
        title: Brieven plooien
        place: t-hof
        start: "2026-12-02 09:30"
        repeat: {freq: weekly, interval: 2, count: 4}
        category: plooien
        contact: "Griet · 0471 23 45 67"
        """,  # the audit's poster: om de 2 weken op woensdag · 9.30 uur
    "om-de-12-maanden": """\
        title: Brieven plooien voor de Gezinsbond van Zedelgem
        place: lang
        start: "2026-12-31 10:30"
        repeat: {freq: monthly, interval: 12}
        category: plooien
        contact: "Griet Vanderstraeten-Verhaeghe · +32 471 23 45 67"
        """,
    "om-de-14-dagen": """\
        title: Koffie
        place: lang
        start: "2026-12-02 09:30"
        repeat: {freq: daily, interval: 14, until: 2027-06-30}
        category: koken
        contact: "0471 23 45 67 / 050 12 34 56"
        """,
    "elke-maand": """\
        title: Zwerfvuil rapen langs de Kerkebeek
        place: lang
        start: "2026-12-02 13:45"
        repeat: {freq: monthly, except: [2027-01-02]}
        category: tuinwerk
        """,
    "elke-zaterdag": """\
        title: Soep koken
        place: t-hof
        start: "2026-12-05 09:30"
        repeat: {freq: weekly}
        category: koken
        """,
    "elke-dag": """\
        title: Planten water geven
        place: lang
        start: 2026-12-02
        repeat: {freq: daily, count: 30}
        category: tuinwerk
        """,
}
STRIP_TASKS_EN = {
    "every-2-weeks": STRIP_TASKS["om-de-2-weken"].replace("Brieven plooien", "Folding letters for the league"),
    "every-12-months": STRIP_TASKS["om-de-12-maanden"].replace("10:30", "21:30"),
}
LONG_PLACE = """\
    name: "Dienstencentrum Sint-Andries-Loppem, ingang aan de kant van de Heidelbergstraat"
    address: Heidelbergstraat 102 (achter de oude pastorie, naast de speeltuin), 8210 Loppem
    """
# A system without a condensed font: the strips fall back to the wide sans-serif at the end of
# their font list (what the audit's machine did; this one has Liberation Sans Narrow).
NO_CONDENSED_FONT = "\n.strip { font-family: sans-serif; font-stretch: normal; }\n"


@pytest.fixture(scope="module")
def strip_sites(tmp_path_factory):
    from conftest import BUILD_EPOCH, PLACE_MD, SITE_YML, SiteFolder

    sites = {}
    for language, tasks in (("nl", STRIP_TASKS), ("en", STRIP_TASKS_EN)):
        folder = SiteFolder(tmp_path_factory.mktemp("strips") / language)
        # The README's host: its link takes two lines of a 58 mm strip, with any font.
        folder.write("content/site.yml", SITE_YML.replace("language: nl", f"language: {language}").replace(
            "https://doeplekken.example.be", "https://doeplekken-zedelgem.netlify.app"))
        folder.write("content/places/t-hof.md", PLACE_MD)
        folder.place("lang", LONG_PLACE)
        for slug, front in tasks.items():
            folder.task(slug, front)
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
            folder.build()
        sites[language] = folder
    return sites


# Per strip: its content against its box, and how far each line of text lies from the dashed
# cut lines (the inner edge of the strip's own border, of its neighbour's and of the list's
# top), in CSS px. Strips are turned 180°, so a strip's border-left is drawn on its right.
STRIP_LINES = """() => [...document.querySelectorAll('.strip')].map(strip => {
  const r = strip.getBoundingClientRect();
  const style = getComputedStyle(strip);
  const inner = {left: r.left + parseFloat(style.borderRightWidth), right: r.right - parseFloat(style.borderLeftWidth),
                 top: r.top, bottom: r.bottom};
  const lines = [];
  for (const part of strip.children) {
    const range = document.createRange();
    range.selectNodeContents(part);
    for (const line of range.getClientRects()) {
      if (line.width && line.height) {
        lines.push({part: part.className, text: part.textContent,
                    clear: Math.min(line.left - inner.left, inner.right - line.right,
                                    line.top - inner.top, inner.bottom - line.bottom)});
      }
    }
  }
  return {scroll: [strip.scrollWidth, strip.scrollHeight], client: [strip.clientWidth, strip.clientHeight],
          parts: [...strip.children].map(e => [e.className, e.scrollWidth, e.scrollHeight, e.clientWidth, e.clientHeight]),
          lines};
})"""


@pytest.mark.parametrize("font", ["system", "no-condensed"])
@pytest.mark.parametrize("java_script", [True, False], ids=["js", "no-js"])
def test_strip_lines_stay_in_their_strip_clear_of_the_cut_lines_whatever_the_wording(
        browser, strip_sites, java_script, font):
    """Whatever the repeat in words, the language, the phone or the font, no strip has more lines
    than its width holds: each line stays inside its strip, 3 mm from every dashed cut line."""
    problems = []
    for language, folder in strip_sites.items():
        with serve_folder(folder.out) as origin:
            context, page = open_in(browser, "print", java_script=java_script)
            if font == "no-condensed":
                page.route("**/poster.css", lambda route: route.fulfill(
                    response=(response := route.fetch()), body=response.text() + NO_CONDENSED_FONT))
            for slug in (STRIP_TASKS if language == "nl" else STRIP_TASKS_EN):
                page.goto(f"{origin}/tasks/{slug}/poster/")
                page.wait_for_load_state("load")
                strips = page.evaluate(STRIP_LINES)
                assert len(strips) == posters.STRIPS, slug
                assert {line["part"] for line in strips[0]["lines"]} >= {"strip-link", "strip-phone"}, slug
                for i, strip in enumerate(strips):
                    (sw, sh), (cw, ch) = strip["scroll"], strip["client"]
                    if sw > cw or sh > ch:
                        problems.append(f"{language} {slug} strip {i}: content {sw}×{sh} in {cw}×{ch}")
                    for part, psw, psh, pcw, pch in strip["parts"]:
                        if psw > pcw or psh > pch:
                            problems.append(f"{language} {slug} strip {i} {part}: {psw}×{psh} in {pcw}×{pch}")
                    for line in strip["lines"]:
                        if line["clear"] < 3 * MM - 0.1:  # layout rounds to 1/64 px
                            problems.append(f"{language} {slug} strip {i} {line['text']!r}: "
                                            f"{line['clear'] / MM:.2f} mm from a cut line")
            context.close()
    assert problems == []

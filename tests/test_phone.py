"""Signing up from a phone at 360 × 740, by element positions in Chromium (the demo board).

The first screen of the board shows the first task card whole; the search stays one tap away
(with or without JavaScript); a task page shows its sign-up button and "of bel" on the first
screen. Also the small things a phone shows: rewards on one line, the impact page's chart and
tables at 360 px, the copy button, no request that fails (a missing favicon).
"""

from __future__ import annotations

import re
import shutil
from urllib.parse import urlsplit

import pytest

from conftest import BUILD_EPOCH, DEMO, SiteFolder
from search_fixture import serve

PHONE = {"width": 360, "height": 740}
WIDE = {"width": 1280, "height": 900}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    folder = SiteFolder(tmp_path_factory.mktemp("phone") / "demo")
    shutil.copytree(DEMO, folder.root / "content")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        folder.build()
    with serve(folder.out) as url:
        yield folder, url


def _open(browser, viewport=PHONE, java_script=True):
    context = browser.new_context(viewport=viewport, java_script_enabled=java_script,
                                  timezone_id="Europe/Brussels", locale="nl-BE")
    return context, context.new_page()


def _box(page, selector):
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize("java_script", [True, False])
def test_the_first_task_card_is_whole_on_the_boards_first_screen(browser, demo, java_script):
    _, url = demo
    context, page = _open(browser, java_script=java_script)
    page.goto(url + "/")
    header, card = _box(page, ".site-header"), _box(page, "#tasks article.card")
    summary = _box(page, "#finder > summary")
    context.close()
    assert header["height"] <= 80  # one row: the title and the Menu button
    assert summary["y"] + summary["height"] <= PHONE["height"]  # the search is one tap away
    assert card["y"] >= 0 and card["y"] + card["height"] <= PHONE["height"], card


def test_on_a_wide_screen_the_menu_and_the_search_are_open(browser, demo):
    _, url = demo
    context, page = _open(browser, WIDE)
    page.goto(url + "/")
    assert page.locator(".nav-wide").is_visible() and not page.locator(".nav-narrow").is_visible()
    assert page.locator("#search-q").is_visible()
    context.close()


def test_the_menu_unfolds_on_a_phone_without_javascript(browser, demo):
    _, url = demo
    context, page = _open(browser, java_script=False)
    page.goto(url + "/")
    assert not page.locator(".nav-wide").is_visible()
    links = page.locator(".nav-narrow .nav a")
    assert not links.first.is_visible()
    page.locator(".nav-narrow summary").click()
    assert links.count() == 5 and all(links.nth(i).is_visible() for i in range(5))
    context.close()


def test_the_folded_search_opens_with_javascript(browser, demo):
    _, url = demo
    context, page = _open(browser)
    page.goto(url + "/")
    assert not page.locator("#search-q").is_visible()  # folded: the tasks come first
    page.locator("#finder > summary").click()
    assert page.locator("#search-q").is_visible()
    assert not page.locator("#finder-nojs").is_visible()
    page.goto(url + "/?q=soep")  # a shared search opens it
    assert page.locator("#search-q").is_visible()
    context.close()


def test_without_javascript_the_folded_search_leads_to_the_lists(browser, demo):
    _, url = demo
    context, page = _open(browser, java_script=False)
    page.goto(url + "/")
    page.locator("#finder > summary").click()
    link = page.locator("#finder-nojs a")
    assert link.is_visible() and not page.locator("#search").is_visible()
    link.click()
    assert page.url.endswith("/#plekken")
    access = page.locator("#plekken a[href^='/access/']")
    assert access.count() == 6 and access.first.is_visible()
    context.close()


def _upcoming_open_tasks(folder):
    slugs = []
    for path in sorted(folder.files()):
        match = re.fullmatch(r"tasks/([a-z0-9-]+)/index.html", path)
        if match and 'class="signup"' in folder.read(path):
            slugs.append(match.group(1))
    return slugs


def test_every_task_page_shows_its_button_and_phone_on_the_first_screen(browser, demo):
    folder, url = demo
    slugs = _upcoming_open_tasks(folder)
    assert len(slugs) >= 8
    context, page = _open(browser)
    late = {}
    for slug in slugs:
        page.goto(f"{url}/tasks/{slug}/")
        button, phone = _box(page, ".signup .button"), page.locator(".signup-phone")
        bottom = button["y"] + button["height"]
        if phone.count():
            box = phone.bounding_box()
            bottom = max(bottom, box["y"] + box["height"])
            assert re.fullmatch(r"of bel \d[\d ]+\d", phone.inner_text()), slug
        if bottom > PHONE["height"]:
            late[slug] = bottom
    context.close()
    assert late == {}


def test_rewards_never_break_over_two_lines(browser, demo):
    _, url = demo
    context, page = _open(browser)
    for path in ("/", "/tasks/brieven-plooien-gezinsbond/"):
        page.goto(url + path)
        lines = page.evaluate("""() => [...document.querySelectorAll('.reward, .facts .nowrap')]
            .map(e => [e.textContent.trim(), new Set([...e.getClientRects()].map(r => Math.round(r.top))).size])""")
        assert lines and all(count == 1 for _, count in lines), lines
    context.close()


def test_the_impact_page_reads_at_360_px(browser, demo):
    _, url = demo
    context, page = _open(browser)
    page.goto(url + "/impact/")
    sizes = page.evaluate("""() => [...document.querySelectorAll('.impact-chart text')]
        .map(e => parseFloat(getComputedStyle(e).fontSize))""")
    sideways = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    cells = page.evaluate("""() => [...document.querySelectorAll('.impact-table th, .impact-table td')]
        .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().right)""")
    labels = page.evaluate("""() => [...document.querySelectorAll('.impact-table tbody td')]
        .map(e => getComputedStyle(e, '::before').content)""")
    context.close()
    assert sizes and min(sizes) >= 16  # the chart's words at the page's size, not shrunk
    assert sideways <= 0 and max(cells) <= PHONE["width"]
    assert labels[:4] == ['"Taken"', '"Deelnemers"', '"Uren"', '"Verdiend (Doe-munten)"']


def test_the_copy_button_looks_like_a_button(browser, demo):
    _, url = demo
    context, page = _open(browser)
    page.goto(url + "/tasks/brieven-plooien-gezinsbond/")
    style = page.locator("button.copy-link").evaluate("""e => { const s = getComputedStyle(e);
        return [s.borderTopStyle, s.borderTopColor, s.backgroundColor, parseFloat(s.borderTopLeftRadius),
                e.getBoundingClientRect().height, s.fontWeight]; }""")
    context.close()
    assert style[0] == "solid" and style[1] == "rgb(11, 93, 59)"  # the board's green, not the system grey
    assert style[2] == "rgb(255, 255, 255)" and style[3] > 0 and style[4] >= 44 and style[5] == "700"


PAGE_TYPES = ["/", "/tasks/brieven-plooien-gezinsbond/", "/places/t-hof/", "/categories/koken/",
              "/access/zittend/", "/impact/", "/subscribe/", "/suggest/",
              "/tasks/brieven-plooien-gezinsbond/poster/", "/places/t-hof/poster/",
              "/tasks/brieven-plooien-gezinsbond/signup-sheet/", "/places/t-hof/embed/"]


def test_no_page_asks_for_anything_that_is_missing(browser, demo):
    _, url = demo
    context, page = _open(browser, WIDE)
    failed, errors = [], []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {urlsplit(r.url).path}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    for path in PAGE_TYPES:
        page.goto(url + path, wait_until="networkidle")
    context.close()
    assert failed == [] and errors == []  # a favicon missing shows only as a console error


def test_every_template_with_a_head_names_its_icon():
    from conftest import REPO
    heads = [p for p in (REPO / "theme/templates").glob("*.html") if "<head>" in p.read_text(encoding="utf-8")]
    assert len(heads) >= 4
    for template in heads:
        assert '<link rel="icon" href="{{ \'favicon.svg\' | static }}" type="image/svg+xml">' in \
            template.read_text(encoding="utf-8"), template.name


LONG_WORD = "Zwerfvuilopruimactiemetdebuurtbewonersvandegemeenteparkwijk"


@pytest.fixture(scope="module")
def long_words(tmp_path_factory):
    """The demo with names and web addresses longer than a phone's screen, as people write them."""
    folder = SiteFolder(tmp_path_factory.mktemp("phone") / "long")
    shutil.copytree(DEMO, folder.root / "content")
    folder.place("ontmoetingscentrum", """
        name: Sociaalcultureelontmoetingscentrumdeoudepastorijvanloppem
        address: Burgemeester-Van-Caillie-de-Mûelenaere-en-Vandenbergheplein 1234, 8210 Loppem
    """)
    folder.task("lang", f"""
        title: {LONG_WORD}
        place: ontmoetingscentrum
        start: "2027-01-20 09:30"
        category: tuinwerk
    """, "Meer: https://www.zedelgem.be/nieuws/" + "a" * 80 + "\n\n"
         f"| {LONG_WORD} | b | c | d | e | f | g | h |\n|---|---|---|---|---|---|---|---|\n"
         "| 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 |\n\n    " + "code" * 40 + "\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        folder.build()
    with serve(folder.out) as url:
        yield url


@pytest.mark.parametrize("java_script", [True, False])
def test_words_longer_than_the_screen_never_push_a_page_sideways(browser, long_words, java_script):
    context, page = _open(browser, java_script=java_script)
    sideways = {}
    for path in ("/", "/tasks/lang/", "/places/ontmoetingscentrum/", "/places/ontmoetingscentrum/embed/",
                 "/categories/tuinwerk/"):
        page.goto(long_words + path)
        sideways[path] = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    words = page.evaluate("document.body.textContent")
    context.close()
    assert "Sociaalcultureelontmoetingscentrum" in words
    assert sideways == dict.fromkeys(sideways, 0)

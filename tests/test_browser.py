"""The board's search and filters in headless Chromium, served with the production CSP.

The site is built at BUILD_NOW; the browser's clock is BROWSER_NOW, four hours later, so the
afternoon coffee task (13–15 h on the build day) has ended since the build and must hide.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest

from conftest import BROWSER_NOW, BUILD_NOW, PLACE_MD, SITE_YML, SiteFolder
from search_fixture import TITLES, serve, write_board
from sitegen.outputs import search

expect = pytest.importorskip("playwright.sync_api").expect

WAIT = 3000  # ms: "a word of any task title finds it within 3 s"

# The board's cards in order, with what the filters look at.
CARDS = [  # slug, place, category, access, months, state
    ("koffie-schenken", "t-hof", "koken", {"zittend"}, {"2026-11"}, "open"),
    ("tuinploeg", "park", "tuinwerk", {"kinderen"}, {"2026-12", "2027-01", "2027-02"}, "open"),
    ("soep-koken", "t-hof", "koken", {"zittend"}, {"2026-12"}, "open"),
    ("brieven-plooien", "t-hof", "plooien", {"zittend", "rolstoel"}, {"2026-12"}, "open"),
    ("koekjes-bakken", "t-hof", "koken", set(), {"2026-12"}, "cancelled"),
    ("kerstkaartjes", "bib", "plooien", {"zittend", "rolstoel", "kinderen"}, {"2026-12"}, "full"),
    ("boeken-kaften", "bib", "plooien", {"zittend"}, {"2027-01"}, "open"),
]
STALE = {"koffie-schenken"}


def expected(place="", category="", access="", month="", open=""):
    """The titles a filtered board must show: the same rule as board.js, written out."""
    titles = []
    for slug, card_place, card_category, card_access, months, state in CARDS:
        if slug in STALE or state == "cancelled":
            continue
        if ((not place or place == card_place) and (not category or category == card_category)
                and (not access or access in card_access) and (not month or month in months)
                and (not open or state == "open")):
            titles.append(TITLES[slug])
    return titles


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    folder = SiteFolder(tmp_path_factory.mktemp("browser") / "site")
    folder.write("content/site.yml", SITE_YML)
    folder.write("content/places/t-hof.md", PLACE_MD)
    write_board(folder)
    # Two pages per shard: the index comes in two shards that the board merges, so every
    # search below also proves the merge (kerstkaartjes and boeken-kaften are in different ones).
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(search, "PAGES_PER_SHARD", 2)
        folder.build()
    assert json.loads((folder.out / "pagefind/sitegen-urls.json").read_bytes())["merge"] == ["shard-01/"]
    with serve(folder.out) as url:
        yield url


class Watch:
    """What a page did that it must not: console errors, uncaught errors, requests elsewhere."""

    def __init__(self):
        self.errors: list[str] = []
        self.foreign: list[str] = []


@pytest.fixture
def watch():
    return Watch()


@pytest.fixture
def page(browser, watch, base_url):
    context = browser.new_context(timezone_id="Europe/Brussels", locale="nl-BE",
                                  viewport={"width": 1280, "height": 900})

    def only_local(route):
        if urlsplit(route.request.url).hostname != "127.0.0.1":
            watch.foreign.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", only_local)
    page = context.new_page()
    page.on("console", lambda message: message.type == "error" and watch.errors.append(message.text))
    page.on("pageerror", lambda error: watch.errors.append(str(error)))
    yield page
    context.close()
    assert watch.errors == [], "console errors"
    assert watch.foreign == [], "requests that left 127.0.0.1"


def cards(page):
    return page.locator("#tasks article.card:not([hidden]) .card-title a")


def count(page):
    return page.locator("#search-count")


def test_the_board_lists_every_upcoming_task_but_hides_what_ended_since_the_build(page, base_url):
    page.goto(base_url + "/")
    titles = [TITLES[slug] for slug, *_ in CARDS if slug not in STALE]
    expect(cards(page)).to_have_text(titles)  # the cancelled task stays on the full list
    expect(page.locator("#search")).to_be_visible()
    expect(count(page)).to_have_text("")


def test_a_page_starts_at_the_suites_moment_whatever_the_day_and_time_goes_on(browser, base_url):
    page = browser.new_page()
    page.goto(base_url + "/")
    first = page.evaluate("Date.now()")
    page.wait_for_timeout(300)
    later = page.evaluate("Date.now()")
    page.close()
    assert 0 <= first - BROWSER_NOW.timestamp() * 1000 < 60_000 and later > first


def test_at_the_build_moment_nothing_is_hidden(browser, base_url):
    context = browser.new_context(timezone_id="Europe/Brussels")
    page = context.new_page()
    page.clock.set_fixed_time(BUILD_NOW)
    page.goto(base_url + "/")
    expect(cards(page)).to_have_count(len(CARDS))
    context.close()


@pytest.mark.parametrize("query, filters", [
    ("?place=t-hof", {"place": "t-hof"}),
    ("?place=bib", {"place": "bib"}),
    ("?category=plooien", {"category": "plooien"}),
    ("?category=tuinwerk", {"category": "tuinwerk"}),
    ("?access=kinderen", {"access": "kinderen"}),
    ("?access=rolstoel", {"access": "rolstoel"}),
    ("?month=2027-01", {"month": "2027-01"}),
    ("?month=2027-02", {"month": "2027-02"}),
    ("?open=1", {"open": "1"}),
    ("?place=t-hof&access=rolstoel", {"place": "t-hof", "access": "rolstoel"}),
    ("?category=plooien&access=zittend&month=2026-12",
     {"category": "plooien", "access": "zittend", "month": "2026-12"}),
    ("?category=koken&open=1", {"category": "koken", "open": "1"}),
])
def test_filters_in_the_url_show_exactly_the_matching_tasks(page, base_url, query, filters):
    page.goto(base_url + "/" + query)
    titles = expected(**filters)
    expect(cards(page)).to_have_text(titles)
    for name, value in filters.items():
        field = page.locator(f"#search [name={name}]")
        if name == "open":
            expect(field).to_be_checked()
        else:
            expect(field).to_have_value(value)
    expect(count(page)).to_have_text(f"{len(titles)} taken gevonden" if len(titles) != 1
                                     else "1 taak gevonden")


def test_an_unknown_filter_value_shows_everything(page, base_url):
    page.goto(base_url + "/?month=1999-01")
    expect(page.locator("#search-month")).to_have_value("")
    expect(cards(page)).to_have_count(len(CARDS) - len(STALE))


@pytest.mark.parametrize("word, slugs", [
    ("pompoenen", ["soep-koken"]),  # a word of the text only
    ("kaften", ["boeken-kaften"]),  # a word of a title
    ("Kerstkaartjes", ["kerstkaartjes"]),
    ("gezinsbond", ["brieven-plooien"]),
    ("bibliotheek", ["kerstkaartjes", "boeken-kaften"]),  # the place, on the task page
])
def test_typing_a_word_finds_the_task(page, base_url, word, slugs):
    page.goto(base_url + "/")
    page.locator("#search-q").fill(word)
    expect(cards(page)).to_have_text([TITLES[s] for s in slugs], timeout=WAIT)
    expect(page).to_have_url(f"{base_url}/?q={word}")


def test_one_search_finds_tasks_from_different_shards(page, base_url):
    pages = {slug: search.shard_of(f"tasks/{slug}/index.html", 2) for slug in ("kerstkaartjes", "boeken-kaften")}
    assert pages["kerstkaartjes"] != pages["boeken-kaften"]
    page.goto(base_url + "/?q=bibliotheek")
    expect(cards(page)).to_have_text([TITLES["kerstkaartjes"], TITLES["boeken-kaften"]], timeout=WAIT)
    expect(count(page)).to_contain_text("2")


def test_a_cancelled_task_is_not_a_result(page, base_url):
    page.goto(base_url + "/?q=koekjes")
    expect(count(page)).to_have_text("Geen taken gevonden. Probeer een ander woord of minder filters.",
                                     timeout=WAIT)
    expect(cards(page)).to_have_count(0)
    expect(page.locator("#tasks section.day:not([hidden])")).to_have_count(0)


def test_a_word_and_filters_together(page, base_url):
    # "plooien" is the category of three tasks; only two of those are at the library.
    page.goto(base_url + "/?q=plooien&place=bib")
    expect(cards(page)).to_have_text([TITLES["kerstkaartjes"], TITLES["boeken-kaften"]], timeout=WAIT)
    expect(page.locator("#search-q")).to_have_value("plooien")


def test_back_and_forward_restore_the_filters(page, base_url):
    page.goto(base_url + "/")
    page.select_option("#search-place", "t-hof")
    expect(page).to_have_url(base_url + "/?place=t-hof")
    expect(cards(page)).to_have_text(expected(place="t-hof"))
    page.select_option("#search-category", "koken")
    expect(page).to_have_url(base_url + "/?place=t-hof&category=koken")
    expect(cards(page)).to_have_text(expected(place="t-hof", category="koken"))
    page.locator("#search-q").fill("pompoenen")
    expect(page).to_have_url(base_url + "/?q=pompoenen&place=t-hof&category=koken", timeout=WAIT)

    page.go_back()
    expect(page).to_have_url(base_url + "/?place=t-hof&category=koken")
    expect(page.locator("#search-q")).to_have_value("")
    page.go_back()
    expect(page).to_have_url(base_url + "/?place=t-hof")
    expect(page.locator("#search-category")).to_have_value("")
    expect(cards(page)).to_have_text(expected(place="t-hof"))
    page.go_back()
    expect(page).to_have_url(base_url + "/")
    expect(cards(page)).to_have_count(len(CARDS) - len(STALE))

    page.go_forward()
    page.go_forward()
    expect(page).to_have_url(base_url + "/?place=t-hof&category=koken")
    expect(page.locator("#search-category")).to_have_value("koken")
    expect(cards(page)).to_have_text(expected(place="t-hof", category="koken"))
    page.go_forward()
    expect(cards(page)).to_have_text([TITLES["soep-koken"]], timeout=WAIT)


def test_reload_keeps_the_search(page, base_url):
    page.goto(base_url + "/?q=pompoenen&place=t-hof")
    expect(cards(page)).to_have_text([TITLES["soep-koken"]], timeout=WAIT)
    page.reload()
    expect(page.locator("#search-q")).to_have_value("pompoenen")
    expect(page.locator("#search-place")).to_have_value("t-hof")
    expect(cards(page)).to_have_text([TITLES["soep-koken"]], timeout=WAIT)


def test_show_all_clears_everything(page, base_url):
    page.goto(base_url + "/?q=pompoenen&access=zittend")
    expect(cards(page)).to_have_count(1, timeout=WAIT)
    page.get_by_role("button", name="Alles tonen").click()
    expect(page).to_have_url(base_url + "/")
    expect(cards(page)).to_have_count(len(CARDS) - len(STALE))
    expect(count(page)).to_have_text("")


def test_the_form_works_by_keyboard(page, base_url):
    page.goto(base_url + "/")
    page.locator("#search-q").focus()
    page.keyboard.type("kaften")
    page.keyboard.press("Enter")
    expect(cards(page)).to_have_text([TITLES["boeken-kaften"]], timeout=WAIT)
    page.keyboard.press("Tab")  # to the filters' summary (open on a wide screen)
    expect(page.locator("#search-more summary")).to_be_focused()
    page.keyboard.press("Tab")  # to the place select
    expect(page.locator("#search-place")).to_be_focused()
    outline = page.locator("#search-place").evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline not in ("", "none")  # the focus is visible
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # category, access, month, then the checkbox
    expect(page.locator("#search-open")).to_be_focused()
    page.keyboard.press("Space")
    expect(page).to_have_url(base_url + "/?q=kaften&open=1")


def test_without_javascript_the_board_lists_everything(browser, base_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(base_url + "/?place=bib")
    expect(page.locator("#search")).to_be_hidden()  # a static page cannot filter itself
    expect(cards(page)).to_have_count(len(CARDS))
    expect(page.locator(".browse a[href='/places/bib/']")).to_have_count(1)
    expect(page.locator(".browse a[href='/categories/plooien/']")).to_have_count(1)
    context.close()


@pytest.mark.parametrize("path", ["/", "/?q=pompoenen", "/tasks/soep-koken/", "/places/t-hof/",
                                  "/categories/koken/"])
def test_no_sideways_scrolling_at_360_px(page, base_url, path):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_on_a_phone_the_search_folds_away_until_one_is_set(browser, base_url):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(base_url + "/")
    expect(page.locator("#search")).to_be_hidden()  # folded in "Zoek een taak": the first tasks stay in view
    page.locator("#finder > summary").click()
    expect(page.locator("#search-q")).to_be_visible()
    expect(page.locator("#search-place")).to_be_hidden()  # the filters fold once more
    page.locator("#search-more summary").click()
    expect(page.locator("#search-place")).to_be_visible()
    page.goto(base_url + "/?place=bib")
    expect(page.locator("#search-place")).to_be_visible()  # a shared filtered link shows its filter
    expect(page.locator("#search-place")).to_have_value("bib")
    context.close()

"""The pages a volunteer sees: board, task, place and category pages, drafts, theme overrides.

Checks read the visible text and the links, not the markup, so template
restyling does not break them. The build moment is Thursday 2026-11-26 12:00.
"""

from __future__ import annotations

import html
import re

import pytest
from conftest import PLACE_MD, SITE_YML, SiteFolder

from sitegen import BuildFailed


def main_of(page: str) -> str:
    match = re.search(r"<main\b.*?</main>", page, re.S)
    assert match, "page has no <main>"
    return match.group(0)


_INLINE = re.compile(r"</?(?:a|span|strong|em|b|i|time|data|abbr)\b[^>]*>")


def text(page: str) -> str:
    """The visible words of the page's <main>, whitespace collapsed (inline tags join their text)."""
    without_tags = re.sub(r"<[^>]+>", " ", _INLINE.sub("", main_of(page)))
    return " ".join(html.unescape(without_tags).split())


def hrefs(page: str) -> list[str]:
    return [html.unescape(h) for h in re.findall(r'href="([^"]*)"', main_of(page))]


def task_links(page: str) -> list[str]:
    """Task slugs linked from <main>, in order, each once."""
    seen = []
    for href in hrefs(page):
        match = re.fullmatch(r"/tasks/([a-z0-9-]+)/", href)
        if match and match.group(1) not in seen:
            seen.append(match.group(1))
    return seen


def in_order(haystack: str, *needles: str) -> bool:
    position = 0
    for needle in needles:
        position = haystack.find(needle, position)
        if position < 0:
            return False
        position += len(needle)
    return True


T = "place: t-hof\ncategory: koken\n"


def write_board(site):
    site.place("oranje", "name: vzw Oranje\naddress: Stationsstraat 12, 8210 Zedelgem")
    site.task("soep", "title: Soep koken\n" + T + "start: '2026-12-05 09:30'\nend: 12:00\n"
              "spots: 10\ntaken: 3\nreward: 2.5\naccess: [zittend, rolstoel]\n"
              "client:\n  name: Gezinsbond\n  url: https://www.gezinsbond.be\n"
              "partners: [vzw Oranje]\ntalents: [geduld]\ncontact: 050 11 22 33")
    site.task("vroeg", "title: Vroege koffie\n" + T + "start: '2026-11-26 08:00'\nend: '10:00'")
    site.task("vandaag", "title: Hele dag plooien\nplace: oranje\ncategory: plooien\n"
              "start: 2026-11-26")
    site.task("afgelast", "title: Afgelaste soep\n" + T + "start: '2026-12-01 14:00'\nstatus: cancelled")
    site.task("volzet", "title: Volle tuin\nplace: oranje\ncategory: tuinwerk\n"
              "start: '2026-12-01 10:00'\nspots: 4\ntaken: 4")
    site.task("markt", "title: Kerstmarkt opbouwen\n" + T + "start: 2026-12-12\nend: 2026-12-13")
    site.task("vorig-jaar", "title: Soep van vorig jaar\n" + T + "start: '2025-11-08 09:00'\n"
              "result:\n  participants: 7\n  hours: 14\n  note: Lekker!")
    site.task("ontwerp", "title: Nog niet klaar\n" + T + "start: 2026-12-20\ndraft: true")
    site.task("mail", "title: Inpakken\nplace: oranje\ncategory: plooien\nstart: 2026-12-03\n"
              "signup: 'mailto:oranje@example.be?subject={title}%20op%20{date}'")
    return site


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    """Built once for the module: the tests only read it."""
    site = SiteFolder(tmp_path_factory.mktemp("board"))
    site.write("content/site.yml", SITE_YML)
    site.write("content/places/t-hof.md", PLACE_MD)
    write_board(site).build()
    return site


def test_board_lists_upcoming_soonest_first(board):
    page = board.read("index.html")
    assert task_links(page) == ["vandaag", "volzet", "afgelast", "mail", "soep", "markt"]


def test_board_leaves_out_past_tasks_and_drafts(board):
    page = text(board.read("index.html"))
    assert "Vroege koffie" not in page  # ended this morning
    assert "Soep van vorig jaar" not in page
    assert "Nog niet klaar" not in page


def test_board_groups_by_day_in_words(board):
    page = text(board.read("index.html"))
    assert in_order(page, "donderdag 26 november 2026", "Hele dag plooien",
                    "dinsdag 1 december 2026", "Volle tuin", "Afgelaste soep",  # 10:00, 14:00
                    "donderdag 3 december 2026", "Inpakken",
                    "zaterdag 5 december 2026", "Soep koken",
                    "zaterdag 12 december 2026", "Kerstmarkt opbouwen")
    headings = re.findall(r"<h2[^>]*>\s*([^<]*?)\s*</h2>", main_of(board.read("index.html")))
    assert [h for h in headings if "2026" in h] == [  # one heading per day
        "donderdag 26 november 2026", "dinsdag 1 december 2026", "donderdag 3 december 2026",
        "zaterdag 5 december 2026", "zaterdag 12 december 2026"]


def test_board_cards_show_state_spots_reward_access(board):
    page = text(board.read("index.html"))
    assert in_order(page, "Volle tuin", "volzet", "Afgelaste soep", "gaat niet door")
    assert in_order(page, "Soep koken", "kan zittend", "rolstoeltoegankelijk", "nog 7 plaatsen vrij",
                    "2,5 Doe-munten")


def test_task_page_facts(board):
    page = board.read("tasks/soep/index.html")
    words = text(page)
    assert '<h1 class="p-name" dir="auto">Soep koken</h1>' in page
    assert "zaterdag 5 december 2026, 9.30–12 uur" in words
    assert "Torhoutsestraat 54, 8210 Zedelgem" in words
    assert "https://www.openstreetmap.org/?mlat=51.14230&mlon=3.13670#map=17/51.14230/3.13670" in hrefs(page)
    assert "https://www.gezinsbond.be" in hrefs(page)
    assert "2,5 Doe-munten per persoon" in words
    assert "10 mensen gezocht" in words and "nog 7 plaatsen vrij" in words
    assert "tel:050112233" in hrefs(page)
    assert in_order(words, "vzw Oranje", "geduld", "kan zittend")
    assert 'datetime="2026-12-05T09:30:00+01:00"' in page


def test_task_page_signup_has_encoded_placeholders(board):
    page = board.read("tasks/soep/index.html")
    assert ("https://forms.example.be/inschrijven?taak=Soep%20koken&datum=2026-12-05&uur=09%3A30"
            "&plek=%E2%80%99t%20Hof&link=https%3A%2F%2Fdoeplekken.example.be%2Ftasks%2Fsoep%2F") in hrefs(page)
    assert "Ik doe mee" in text(page)


def test_task_page_mailto_signup(board):
    page = board.read("tasks/mail/index.html")
    assert "mailto:oranje@example.be?subject=Inpakken%20op%202026-12-03" in hrefs(page)
    assert "Ik doe mee (mail)" in text(page)


@pytest.mark.parametrize("slug, notice", [
    ("afgelast", "Deze taak gaat niet door."),
    ("volzet", "Deze taak is volzet."),
    ("vroeg", "Deze taak is voorbij."),
])
def test_no_signup_when_cancelled_full_or_past(board, slug, notice):
    page = board.read(f"tasks/{slug}/index.html")
    assert not [h for h in hrefs(page) if h.startswith("https://forms.example.be")]
    assert "Ik doe mee" not in text(page)
    assert notice in text(page)


def test_task_page_all_day_and_multi_day(board):
    assert "donderdag 26 november 2026, de hele dag" in text(board.read("tasks/vandaag/index.html"))
    assert ("zaterdag 12 december tot en met zondag 13 december 2026"
            in text(board.read("tasks/markt/index.html")))


def test_no_map_link_without_geo(board):
    page = board.read("tasks/vandaag/index.html")
    assert not [h for h in hrefs(page) if "openstreetmap" in h]
    assert "Stationsstraat 12, 8210 Zedelgem" in text(page)


def test_past_task_shows_its_result(board):
    words = text(board.read("tasks/vorig-jaar/index.html"))
    assert "7 mensen, 14 uur" in words and "Lekker!" in words


def test_place_page_has_upcoming_and_past(board):
    page = board.read("places/t-hof/index.html")
    words = text(page)
    assert "’t Hof" in words and "maandag tot vrijdag, 9–17 uur" in words
    assert in_order(words, "Taken op deze plek", "Afgelaste soep", "Soep koken", "Kerstmarkt opbouwen",
                    "Eerder gedaan", "Vroege koffie", "Soep van vorig jaar")
    assert "Hele dag plooien" not in words  # another place
    assert "Nog niet klaar" not in words


def test_category_pages_list_upcoming_tasks(board):
    words = text(board.read("categories/koken/index.html"))
    assert in_order(words, "koken", "Afgelaste soep", "Soep koken", "Kerstmarkt opbouwen")
    assert "Vroege koffie" not in words and "Hele dag plooien" not in words
    assert "Er zijn nu geen taken gepland" in text(board.read("categories/tuinwerk/index.html")) or \
        "Volle tuin" in text(board.read("categories/tuinwerk/index.html"))


def test_drafts_only_with_the_option(board, site):
    assert not (board.out / "tasks/ontwerp/index.html").exists()
    site.task("ontwerp", "title: Nog niet klaar\n" + T + "start: 2026-12-20\ndraft: true")
    site.build(drafts=True)
    assert "Nog niet klaar" in text(site.read("index.html"))
    assert (site.out / "tasks/ontwerp/index.html").exists()
    site.build()
    assert "Nog niet klaar" not in text(site.read("index.html"))
    assert not (site.out / "tasks/ontwerp/index.html").exists()  # removed again


def test_content_is_escaped(site):
    site.task("xss", "title: \"<script>alert(1)</script> & co\"\n" + T + "start: 2026-12-05\n"
              "talents: ['<img src=x onerror=alert(1)>']",
              body="<script>alert(2)</script>\n\n<img src=\"foto.png\" onerror=\"alert(3)\">\n")
    site.write("content/foto.png", "not really a png")
    site.build()
    page = site.read("tasks/xss/index.html")
    assert "<script>alert" not in page
    assert not re.search(r"<[^>]*onerror", page)  # as text it is harmless: &lt;img … onerror&gt;
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in page


def test_repeating_task_shows_its_next_date_and_rule(site):
    site.task("koffie", "title: Koffie schenken\n" + T + "start: '2026-11-05 14:00'\nend: '16:00'\n"
              "repeat:\n  freq: weekly\n  until: 2027-01-28\n  except: [2026-12-31]")
    site.build()
    words = text(site.read("tasks/koffie/index.html"))
    assert "donderdag 26 november 2026, 14–16 uur" in words
    assert "elke donderdag, tot en met 28 januari 2027, niet op 31 december 2026" in words


def test_english_site(site):
    yml = site.root / "content/site.yml"
    yml.write_text(yml.read_text().replace("language: nl", "language: en"))
    site.task("soep", "title: Soup\n" + T + "start: '2026-12-05 09:30'\nend: 12:00")
    site.build()
    page = site.read("tasks/soep/index.html")
    assert '<html lang="en">' in page
    assert "Saturday 5 December 2026, 9:30–12:00" in text(page)


def test_image_is_copied_and_its_url_encoded(site):
    site.write("content/images/Soep koken.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    site.task("soep", "title: Soep\n" + T + "start: 2026-12-05\nimage: images/Soep koken.svg")
    site.build()
    assert 'src="/media/images/Soep%20koken.svg"' in site.read("tasks/soep/index.html")
    assert (site.out / "media/images/Soep koken.svg").read_text().startswith("<svg")


def test_theme_override_extends_the_default(site):
    site.write("theme/templates/task.html", """\
        {% extends "default/task.html" %}
        {% block main %}<p class="eigen">Eigen sjabloon voor {{ task.title }}</p>{{ super() }}{% endblock %}
        """)
    site.write("theme/templates/404.html", """\
        {% extends "default/base.html" %}
        {% block title %}Eigen 404 · {{ site.title }}{% endblock %}
        {% block main %}<h1>Hier is niets, {{ site.title }}</h1>{% endblock %}
        """)
    site.write("theme/static/css/extra.css", "body { color: black }\n")
    site.task("soep", "title: Soep koken\n" + T + "start: 2026-12-05")
    site.build()
    page = site.read("tasks/soep/index.html")
    assert '<p class="eigen">Eigen sjabloon voor Soep koken</p>' in page
    assert '<h1 class="p-name" dir="auto">Soep koken</h1>' in page  # the default task page, through super()
    missing = site.read("404.html")
    assert "<title>Eigen 404 · Doe-plekken Testdorp</title>" in missing
    assert "<h1>Hier is niets, Doe-plekken Testdorp</h1>" in missing
    assert 'class="skip"' in missing and "<footer" in missing  # the default base around it
    assert (site.out / "static/css/extra.css").exists()
    assert (site.out / "static/css/site.css").exists()  # the default's files stay


def test_pictures_in_the_text_are_published_under_media(site):
    site.write("content/images/soep pot.jpg", "jpeg bytes")
    site.task("soep", "title: Soep\n" + T + "start: 2026-12-05",
              body="Zo ziet het eruit:\n\n![De soeppot](images/soep%20pot.jpg)\n")
    site.build()
    page = site.read("tasks/soep/index.html")
    assert '<img alt="De soeppot" src="/media/images/soep%20pot.jpg">' in page
    assert (site.out / "media/images/soep pot.jpg").read_text() == "jpeg bytes"


def test_a_missing_picture_in_the_text_is_an_error_at_its_line(site):
    site.task("soep", "title: Soep\n" + T + "start: 2026-12-05",
              body="Eerste regel.\n\n![De soeppot](images/pot.jpg)\n")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert [str(p) for p in failure.value.problems] == [
        "content/tasks/soep.md:9: in the text: image 'images/pot.jpg' was not found under "
        "content/ or theme/; check the file name"]


def test_a_picture_added_or_removed_later_is_seen_by_the_next_build(site):
    # The build cache remembers loaded tasks; one that shows a picture must be checked again.
    site.task("soep", "title: Soep\n" + T + "start: 2026-12-05", body="![pot](images/pot.jpg)\n")
    with pytest.raises(BuildFailed):
        site.build()
    site.write("content/images/pot.jpg", "jpeg bytes")
    site.build()
    assert (site.out / "media/images/pot.jpg").read_text() == "jpeg bytes"
    (site.root / "content/images/pot.jpg").unlink()
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert "image 'images/pot.jpg' was not found" in str(failure.value)


def _full_tasks(site):
    site.write("content/site.yml", SITE_YML + 'waitlist: "https://forms.example.be/reserve?taak={title}&datum={date}"\n')
    full = "place: t-hof\ncategory: koken\nstart: '2026-12-05 09:30'\nspots: 4\ntaken: 4\n"
    site.task("geteld", "title: Soep koken\n" + full + "waitlist: 3")
    site.task("eigen", "title: Brood bakken\n" + full + "waitlist: 'https://forms.example.be/eigen?t={slug}'")
    site.task("bellen", "title: Taart bakken\n" + full + "waitlist: 'tel:+3250998877'")
    site.task("open", "title: Koffie\n" + T + "start: '2026-12-06 10:00'\nspots: 4\ntaken: 1")
    site.build()
    return site


def test_a_full_task_offers_the_reserve_list(site):
    _full_tasks(site)
    page = site.read("tasks/geteld/index.html")
    words = text(page)
    assert "https://forms.example.be/reserve?taak=Soep%20koken&datum=2026-12-05" in hrefs(page)
    assert "Zet me op de reservelijst of bel 050 12 34 56" in words
    assert "Deze taak is volzet. Zet je op de reservelijst: valt er iemand weg, dan laten we het je weten." in words
    assert "4 mensen gezocht · 3 op de reservelijst" in words
    assert not [h for h in hrefs(page) if h.startswith("https://forms.example.be/inschrijven")]


def test_a_task_may_have_its_own_reserve_list(site):
    _full_tasks(site)
    assert "https://forms.example.be/eigen?t=eigen" in hrefs(site.read("tasks/eigen/index.html"))
    calling = site.read("tasks/bellen/index.html")
    assert "tel:+3250998877" in hrefs(calling)
    assert "Zet me op de reservelijst (bel)" in text(calling) and "of bel" not in text(calling)


def test_cards_show_how_to_sign_up_or_that_the_list_is_full(site):
    _full_tasks(site)
    board = site.read("index.html")
    cards = {match.group(2): match.group(1) for match in
             re.finditer(r'(<article class="card.*?href="/tasks/([\w-]+)/".*?</article>)', board, re.S)}
    assert 'class="badge badge-open">nog 3 plaatsen vrij</span>' in cards["open"]
    assert re.search(r'<a class="button button-small" href="https://forms\.example\.be/inschrijven\?taak=Koffie[^"]*">'
                     r'Ik doe mee<span class="visually-hidden"> – Koffie</span></a>', cards["open"])
    assert '<span class="badge badge-full">volzet</span>' in cards["geteld"]
    assert '<span class="waiting">3 op de reservelijst</span>' in cards["geteld"]
    assert re.search(r'<a class="button button-small button-quiet" href="https://forms\.example\.be/reserve[^"]*">'
                     r'Zet me op de reservelijst<span class="visually-hidden"> – Soep koken</span></a>', cards["geteld"])


def test_without_a_reserve_list_a_full_task_only_says_so(board):
    card = re.search(r'<article class="card h-event state-full".*?</article>', board.read("index.html"), re.S).group(0)
    assert "button" not in card and "volzet" in card


def test_the_calendar_event_of_a_full_task_links_the_reserve_list(site):
    from icalendar import Calendar
    _full_tasks(site)
    event = Calendar.from_ical(site.read("tasks/geteld.ics")).walk("VEVENT")[0]
    assert str(event["DESCRIPTION"]).endswith(
        "Deze taak is volzet. Zet je op de reservelijst: valt er iemand weg, dan laten we het je weten.\n"
        "Reservelijst: https://forms.example.be/reserve?taak=Soep%20koken&datum=2026-12-05")


def test_two_sites_built_in_one_process_keep_their_own_addresses(site, tmp_path):
    """Compiled templates are shared in the process: nothing of one site may be folded into them."""
    other = SiteFolder(tmp_path / "other")
    other.write("content/site.yml", SITE_YML.replace("doeplekken.example.be", "andere.example.be"))
    other.write("content/places/t-hof.md", PLACE_MD)
    for folder in (site, other):
        folder.task("soep", "title: Soep\n" + T + "start: 2026-12-05")
        folder.build()
    for folder, host in ((site, "doeplekken.example.be"), (other, "andere.example.be")):
        page = folder.read("subscribe/index.html")
        assert f'<span class="feed-address">https://{host}/feed.json</span>' in page, host
        assert f'<span class="feed-address">https://{host}/feed.xml</span>' in page, host


# -- right-to-left text: coordinators write parts of a task in Arabic ---------------------------

ARABIC = "مرحبا! نبحث عن متطوعين لتحضير القهوة. الشاي متوفر أيضاً."
ARABIC_TITLE = "تحضير القهوة"

# The direction the browser gives each element: computed `direction`, and the :dir() it
# matches (dir="auto" resolves through the text's first strong letter).
DIRECTIONS = """selectors => Object.fromEntries(selectors.map(selector => {
  const element = document.querySelector(selector);
  return [selector, element && [getComputedStyle(element).direction,
                                element.matches(':dir(rtl)') ? 'rtl' : element.matches(':dir(ltr)') ? 'ltr' : '?']];
}))"""


def test_arabic_text_is_laid_out_right_to_left_and_dutch_left_to_right(site, browser):
    from conftest import serve_folder

    site.task("koffie", """\
        title: Koffie zetten
        place: t-hof
        start: "2026-12-09 10:00"
        category: koken
        """, f"{ARABIC}\n\nWe zetten samen koffie.\n\n- {ARABIC}\n- koekjes\n")
    site.task("qahwa", f"""\
        title: {ARABIC_TITLE}
        place: t-hof
        start: "2026-12-10 10:00"
        category: koken
        """)
    site.build()
    rtl, ltr = ["rtl", "rtl"], ["ltr", "ltr"]
    with serve_folder(site.out) as origin:
        page = browser.new_page()
        page.goto(f"{origin}/tasks/koffie/")
        assert page.evaluate(DIRECTIONS, [".body > p:nth-of-type(1)", ".body > p:nth-of-type(2)",
                                          ".body li:nth-of-type(1)", ".body li:nth-of-type(2)", "h1"]) == {
            ".body > p:nth-of-type(1)": rtl, ".body > p:nth-of-type(2)": ltr,
            ".body li:nth-of-type(1)": rtl, ".body li:nth-of-type(2)": ltr, "h1": ltr}
        page.goto(f"{origin}/tasks/qahwa/")
        assert page.evaluate(DIRECTIONS, ["h1", ".body > p"]) == {"h1": rtl, ".body > p": ltr}
        page.goto(f"{origin}/")
        cards = page.evaluate("""() => Object.fromEntries([...document.querySelectorAll('.card-title')].map(
            title => [title.textContent.trim(), getComputedStyle(title).direction]))""")
        assert cards == {ARABIC_TITLE: "rtl", "Koffie zetten": "ltr"}
        page.goto(f"{origin}/tasks/koffie/poster/")
        assert page.evaluate(DIRECTIONS, [".poster-text > p:nth-of-type(1)", ".poster-text > p:nth-of-type(2)",
                                          ".poster-title"]) == {
            ".poster-text > p:nth-of-type(1)": rtl, ".poster-text > p:nth-of-type(2)": ltr, ".poster-title": ltr}
        page.goto(f"{origin}/tasks/qahwa/poster/")
        assert page.evaluate(DIRECTIONS, [".poster-title", ".strip-title"]) == {
            ".poster-title": rtl, ".strip-title": rtl}
        page.goto(f"{origin}/tasks/qahwa/signup-sheet/")
        assert page.evaluate(DIRECTIONS, [".sheet-title", ".sheet-title > span:not(.sheet-kind)"]) == {
            ".sheet-title": ltr, ".sheet-title > span:not(.sheet-kind)": rtl}
        page.close()

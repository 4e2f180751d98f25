"""Atom feed, sitemap, robots.txt, embeds, impact, suggest, 404 and share links."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from urllib.parse import parse_qs, unquote, urlsplit

from conftest import BUILD_NOW

BASE = "https://doeplekken.example.be"
A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _tasks(site):
    site.place("park", """\
        name: Gemeentepark
        address: Gemeenteplein 1, 8210 Loppem
        """)
    site.task("eerst", """\
        title: Bladeren harken
        place: park
        start: "2026-12-01 10:00"
        category: tuinwerk
        """)
    site.task("later", """\
        title: Soep & brood <koken>
        place: t-hof
        start: "2027-01-20 10:00"
        category: koken
        reward: 2
        """)
    site.task("oud", """\
        title: Appels plukken
        place: park
        start: "2025-09-20 10:00"
        category: tuinwerk
        reward: 3
        result: {participants: 8, hours: 16}
        """)
    site.task("ouder", """\
        title: Kerstmarkt
        place: t-hof
        start: 2026-10-03
        category: koken
        reward: 1.5
        result: {participants: 4, hours: 10.5}
        """)
    site.task("nog-een", """\
        title: Snoeien
        place: park
        start: "2026-10-10 10:00"
        category: tuinwerk
        result: {participants: 6, hours: 12}
        """)


def test_atom_feed_lists_upcoming_tasks_newest_first(site):
    _tasks(site)
    site.build()
    feed = ET.fromstring(site.read("feed.xml").encode())
    assert feed.tag == f"{A}feed"
    assert feed.findtext(f"{A}id") == f"{BASE}/"
    assert feed.find(f"{A}link[@rel='self']").get("href") == f"{BASE}/feed.xml"
    entries = feed.findall(f"{A}entry")
    # Outside git the start orders them: the task starting last is the newest.
    assert [e.findtext(f"{A}id") for e in entries] == [f"{BASE}/tasks/later/", f"{BASE}/tasks/eerst/"]
    assert entries[0].findtext(f"{A}title") == "Soep & brood <koken>"
    assert entries[0].findtext(f"{A}updated") == "2027-01-20T09:00:00Z"
    assert feed.findtext(f"{A}updated") == "2027-01-20T09:00:00Z"
    assert "woensdag 20 januari 2027" in entries[0].findtext(f"{A}summary")
    assert feed.find(f"{A}author").findtext(f"{A}name") == "Doe-plekken Testdorp"


def test_feed_and_sitemap_do_not_change_with_the_clock(site):
    _tasks(site)
    site.build()
    first = site.read("feed.xml"), site.read("sitemap.xml")
    site.build(now=BUILD_NOW + timedelta(hours=3))
    assert (site.read("feed.xml"), site.read("sitemap.xml")) == first


def test_sitemap_lists_every_page_once_with_absolute_urls(site):
    _tasks(site)
    site.build()
    root = ET.fromstring(site.read("sitemap.xml").encode())
    locs = [u.findtext(f"{S}loc") for u in root.findall(f"{S}url")]
    assert len(locs) == len(set(locs))
    for wanted in ("/", "/tasks/eerst/", "/tasks/oud/", "/places/park/", "/places/t-hof/",
                   "/categories/koken/", "/impact/", "/suggest/"):
        assert BASE + wanted in locs
    assert all(loc.startswith(BASE + "/") for loc in locs)
    assert not [loc for loc in locs if "/poster/" in loc or "/embed/" in loc or "404" in loc
                or "/admin/" in loc or "/signup-sheet/" in loc]  # the web editor is for coordinators only
    assert BASE + "/access/zittend/" in locs
    pages = {p for p in site.files() if p.endswith("index.html") and "/poster/" not in p and "/embed/" not in p
             and "/signup-sheet/" not in p and p != "admin/index.html"}
    assert len(locs) == len(pages)


def test_robots_points_to_the_sitemap(site):
    site.build()
    assert site.read("robots.txt") == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}/sitemap.xml\n"


def test_embed_is_a_compact_list_without_site_chrome(site):
    _tasks(site)
    site.build()
    html = site.read("places/park/embed/index.html")
    assert "site-header" not in html and "<nav" not in html and "site.css" not in html
    assert '<link rel="stylesheet" href="/static/css/embed.css">' in html
    assert '<meta name="robots" content="noindex">' in html
    links = re.findall(r"<a ([^>]*)>", html)
    assert links and all('target="_blank"' in a and 'rel="noopener"' in a for a in links)
    assert "Bladeren harken" in html and "Appels plukken" not in html  # upcoming only
    assert "<script" not in html


def test_place_page_offers_the_iframe_code(site):
    _tasks(site)
    site.build()
    html = site.read("places/park/index.html")
    assert '<label for="embed-snippet">' in html
    snippet = re.search(r'<textarea id="embed-snippet"[^>]*readonly>(.*?)</textarea>', html, re.S).group(1)
    assert snippet == (f'&lt;iframe src=&#34;{BASE}/places/park/embed/&#34; title=&#34;Taken bij '
                       'Gemeentepark&#34; width=&#34;100%&#34; height=&#34;420&#34; '
                       'loading=&#34;lazy&#34;&gt;&lt;/iframe&gt;')


def test_the_iframe_code_reads_as_written(site):
    """The code a partner copies shows names as written: no &#x27; for an apostrophe."""
    import html as entities
    site.place("molen", """\
        name: "Bakkerij 'De Molen' & \\"Zonen\\" in 't Dorp"
        address: Markt 1, 8210 Zedelgem
        """)
    site.build()
    page = site.read("places/molen/index.html")
    shown = entities.unescape(re.search(r'<textarea id="embed-snippet"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    assert shown == (f'<iframe src="{BASE}/places/molen/embed/" title="Taken bij Bakkerij \'De Molen\' '
                     '&amp; &quot;Zonen&quot; in ’t Dorp" width="100%" height="420" loading="lazy"></iframe>')
    assert "&#x27;" not in shown


def test_the_subscribe_page_explains_before_it_lists(site):
    _tasks(site)
    site.build()
    page = site.read("subscribe/index.html")
    assert page.index("1. Zo zet je taken in je agenda") < page.index("Op een Android-gsm") < page.index('href="webcal:')
    assert page.index("2. Kies welke taken je wil zien") < page.index('href="webcal:')
    before = page.split("2. Kies welke taken je wil zien", 1)[0].split("<main", 1)[1]
    assert before.count("<a ") == 0  # no link before the explanation ends
    assert re.findall(r"<summary>(.*?)</summary>", page.split("<main", 1)[1]) == [
        "Alleen de taken van één doe-plek (2)", "Alleen één soort werk (3)",
        "Alleen taken met een label voor toegankelijkheid (3)"]
    assert f"{BASE}/access/zittend.ics" in page
    assert f'<span class="feed-address">{BASE}/feed.json</span>' in page
    assert 'href="/places/park/feed.json"' in page


def _table(html: str, heading_id: str) -> list[list[str]]:
    table = html.split(f'<table class="impact-table" aria-labelledby="{heading_id}">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in rows]


def test_impact_per_year_and_per_place(site):
    _tasks(site)
    site.build()
    html = site.read("impact/index.html")
    assert _table(html, "impact-years") == [
        ["Jaar", "Taken", "Deelnemers", "Uren", "Verdiend (Doe-munten)"],
        ["2026", "2", "10", "22,5", "6"],  # 4 × 1,5 + 6 × 0 (no reward)
        ["2025", "1", "8", "16", "24"],  # 8 × 3
        ["Samen", "3", "18", "38,5", "30"],
    ]
    assert _table(html, "impact-places")[1:3] == [
        ["Gemeentepark", "2", "14", "28", "24"],
        ["’t Hof", "1", "4", "10,5", "6"],
    ]
    # One bar a year, oldest first; the longest is 70 % of its row (room for the number).
    assert re.findall(r'<text x="0" y="\d+" class="impact-chart-label">(\w+)</text>', html) == ["2025", "2026"]
    assert re.findall(r'<rect x="0" y="5" width="([\d.]+)%"', html) == ["56.0", "70.0"]
    assert '<desc id="impact-chart-text">2025: 8 deelnemers; 2026: 10 deelnemers.</desc>' in html
    assert "<script" not in html.split("<main", 1)[1]


def test_impact_headings_are_not_repeated(site):
    _tasks(site)
    site.build()
    html = site.read("impact/index.html")
    headings = re.findall(r"<h[1-6][^>]*>(.*?)</h[1-6]>", html)
    assert headings == ["Wat we samen deden", "Deelnemers per jaar", "Per jaar", "Per doe-plek"]
    assert "<caption" not in html


def test_impact_of_one_year_is_charted_per_month(site):
    site.task("sep", "title: A\nplace: t-hof\nstart: 2026-09-05\ncategory: koken\nresult: {participants: 3}")
    site.task("nov", "title: B\nplace: t-hof\nstart: 2026-11-07\ncategory: koken\nresult: {participants: 6}")
    site.build()
    html = site.read("impact/index.html")
    assert ">Deelnemers per maand in 2026</h2>" in html
    assert re.findall(r'class="impact-chart-label">(\w+)</text>', html) == ["september", "oktober", "november"]
    assert re.findall(r'<rect x="0" y="5" width="([\d.]+)%"', html) == ["35.0", "0.0", "70.0"]
    assert "september: 3 deelnemers; oktober: 0 deelnemers; november: 6 deelnemers." in html


def test_impact_of_ten_years_has_ten_bars(site):
    for year in range(2016, 2026):
        site.task(f"t{year}", f"title: T\nplace: t-hof\nstart: {year}-06-01\ncategory: koken\n"
                              f"result: {{participants: {year - 2010}}}")
    site.build()
    html = site.read("impact/index.html")
    labels = re.findall(r'class="impact-chart-label">(\w+)</text>', html)
    assert labels == [str(year) for year in range(2016, 2026)]
    assert re.search(r'<svg class="impact-chart" width="100%" height="(\d+)"', html).group(1) == str(10 * 36 + 4)


def test_impact_without_results(site):
    site.build()
    assert "Er zijn nog geen resultaten van afgelopen taken." in site.read("impact/index.html")


def test_suggest_page_links_the_form_and_contact(site):
    site.build()
    html = site.read("suggest/index.html")
    assert html.count('href="https://forms.example.be/voorstel"') == 2
    for word in ("Klein", "Concreet", "Soepel in tijd en hoeveelheid", "Samen te doen"):
        assert word in html
    assert 'href="tel:050123456"' in html


def test_404_is_friendly(site):
    site.build()
    html = site.read("404.html")
    assert "Deze pagina bestaat niet (meer)" in html
    assert '<a class="button" href="/">' in html and 'href="/places/t-hof/"' in html
    assert 'href="tel:050123456"' in html


def test_share_links_are_plain_links(site):
    _tasks(site)
    site.build()
    html = site.read("tasks/later/index.html")
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', html.split('class="share"', 1)[1]))
    by_text = {text: href.replace("&amp;", "&") for href, text in links.items()}
    page = f"{BASE}/tasks/later/"
    whatsapp = urlsplit(by_text["Delen via WhatsApp"])
    assert whatsapp.netloc == "wa.me" and unquote(whatsapp.query).endswith(page)
    assert "Soep & brood <koken>" in unquote(whatsapp.query)
    assert by_text["Delen op Facebook"] == \
        "https://www.facebook.com/sharer/sharer.php?u=" + page.replace(":", "%3A").replace("/", "%2F")
    mail = parse_qs(urlsplit(by_text["Doorsturen per e-mail"]).query)
    assert mail["subject"] == ["Soep & brood <koken>"] and mail["body"][0].endswith(page)
    assert f'<span class="share-url-text">{page}</span>' in html
    assert f'data-copy="{page}" hidden' in html
    assert '<script src="/static/js/share.js" defer></script>' in html

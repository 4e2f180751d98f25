"""What other websites read: the JSON Feed (validated against the schema written from the README),
h-event microformats (parsed with mf2py), and the calendar feed and page of each access tag."""

from __future__ import annotations

import json
import re
import shutil
from datetime import date, datetime
from pathlib import Path

import jsonschema
import mf2py
import pytest
from icalendar import Calendar

from conftest import BUILD_EPOCH, BUILD_NOW, DEMO, REPO, SITE_YML, SiteFolder
from sitegen.shortlinks import short_code

BASE = "https://doeplekken.example.be"
SCHEMA = json.loads((REPO / "tests/schemas/jsonfeed-doeplek.schema.json").read_text(encoding="utf-8"))
README = (REPO / "README.md").read_text(encoding="utf-8")


def _reach(site):
    site.write("content/site.yml", SITE_YML + 'waitlist: "https://forms.example.be/reserve?taak={title}"\n')
    site.write("content/images/soep.jpg", "jpeg bytes")
    site.place("bib", "name: Bibliotheek\naddress: Stationsstraat 2, 8210 Zedelgem\ngeo: [51.14, 3.13]")
    site.task("soep", """\
        title: Soep koken
        place: t-hof
        start: "2026-12-05 09:30"
        end: "12:00"
        category: koken
        access: [zittend, rolstoel]
        spots: 8
        taken: 3
        reward: 2.5
        image: images/soep.jpg
        client: {name: Gezinsbond, url: "https://www.gezinsbond.be"}
        """, "We koken samen soep. Iedereen proeft.\n")
    site.task("vol", """\
        title: Boeken kaften
        place: bib
        start: 2026-12-12
        category: plooien
        access: [zittend]
        spots: 4
        taken: 4
        waitlist: 2
        """)
    site.task("weg", "title: Taart\nplace: bib\nstart: '2026-12-20 14:00'\ncategory: koken\nstatus: cancelled")
    site.task("week", """\
        title: Koffie
        place: t-hof
        start: "2026-12-02 14:00"
        repeat: {freq: weekly, count: 6}
        category: koken
        access: [kinderen]
        """)
    site.task("oud", "title: Oud\nplace: t-hof\nstart: 2026-10-01\ncategory: koken\naccess: [zittend]")
    site.build()
    return site


@pytest.fixture(scope="module")
def reach(tmp_path_factory):
    from conftest import PLACE_MD
    folder = SiteFolder(tmp_path_factory.mktemp("jsonfeed") / "site")
    folder.write("content/site.yml", SITE_YML)
    folder.write("content/places/t-hof.md", PLACE_MD)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        return _reach(folder)


def _feed(site, path="feed.json"):
    return json.loads(site.read(path))


def _by_slug(feed):
    return {item["url"].rstrip("/").rsplit("/", 1)[1]: item for item in feed["items"]}


# -- JSON Feed ----------------------------------------------------------------------------------

def test_every_json_feed_follows_the_documented_schema(reach):
    paths = ["feed.json"] + sorted(p for p in reach.files() if p.endswith("/feed.json"))
    assert paths == ["feed.json", "places/bib/feed.json", "places/t-hof/feed.json"]
    for path in paths:
        jsonschema.validate(_feed(reach, path), SCHEMA, format_checker=jsonschema.FormatChecker())


def test_the_schema_refuses_what_the_documentation_does_not_allow(reach):
    feed = _feed(reach)
    for spoil in (lambda f: f["items"][0]["_doeplek"].pop("ics_url"),
                  lambda f: f["items"][0]["_doeplek"].update(status="busy"),
                  lambda f: f["items"][0]["_doeplek"].update(start="5 december"),
                  lambda f: f["items"][0]["_doeplek"].update(colour="green"),
                  lambda f: f["items"][0]["_doeplek"]["place"].update(geo=[51, 3])):
        spoilt = json.loads(json.dumps(feed))
        spoil(spoilt)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(spoilt, SCHEMA)


def test_the_schema_and_the_readme_name_the_same_fields():
    documented = set(re.findall(r"^\| `([a-z_.]+)` \|", README.split("## JSON Feed", 1)[1].split("\n## ", 1)[0], re.M))
    item = SCHEMA["$defs"]["item"]["properties"]
    extension = item["_doeplek"]["properties"]
    wanted = set(extension) | {f"place.{key}" for key in extension["place"]["properties"]}
    assert wanted <= documented, wanted - documented


def test_the_feed_holds_the_upcoming_tasks_with_what_a_board_needs(reach):
    feed = _feed(reach)
    assert feed["feed_url"] == f"{BASE}/feed.json" and feed["home_page_url"] == f"{BASE}/"
    items = _by_slug(feed)
    assert set(items) == {"soep", "vol", "weg", "week"}  # not the past task
    soep = items["soep"]
    assert soep["id"] == soep["url"] == f"{BASE}/tasks/soep/"
    assert soep["image"] == f"{BASE}/media/images/soep.jpg"
    assert soep["tags"] == ["koken", "kan zittend", "rolstoeltoegankelijk"]
    assert soep["summary"] == "zaterdag 5 december 2026, 9.30–12 uur · ’t Hof, Torhoutsestraat 54, 8210 Zedelgem"
    assert soep["content_html"] == '<p dir="auto">We koken samen soep. Iedereen proeft.</p>'
    assert items["vol"]["content_html"] == '<p dir="auto">Samen aan de slag.</p>'
    task = soep["_doeplek"]
    assert (task["start"], task["end"], task["all_day"]) == ("2026-12-05T09:30:00+01:00", "2026-12-05T12:00:00+01:00", False)
    assert task["place"] == {"slug": "t-hof", "name": "’t Hof", "address": "Torhoutsestraat 54, 8210 Zedelgem",
                             "geo": {"latitude": 51.1423, "longitude": 3.1367}, "url": f"{BASE}/places/t-hof/"}
    assert task["category"] == {"slug": "koken", "label": "koken"}
    assert task["access"] == [{"slug": "zittend", "label": "kan zittend"},
                              {"slug": "rolstoel", "label": "rolstoeltoegankelijk"}]
    assert (task["spots"], task["spots_left"], task["status"], task["reward"]) == (8, 5, "open", 2.5)
    assert task["signup_url"].startswith("https://forms.example.be/inschrijven?taak=Soep%20koken")
    assert task["waitlist_url"] is None
    assert task["ics_url"] == f"{BASE}/tasks/soep.ics"
    assert task["short_url"] == f"{BASE}/t/{short_code('/tasks/soep/')}"
    assert task["client"] == {"name": "Gezinsbond", "url": "https://www.gezinsbond.be"}


def test_full_cancelled_repeating_and_all_day_tasks(reach):
    items = _by_slug(_feed(reach))
    full = items["vol"]["_doeplek"]
    assert (full["status"], full["spots_left"], full["waiting"], full["signup_url"]) == ("full", 0, 2, None)
    assert full["waitlist_url"] == "https://forms.example.be/reserve?taak=Boeken%20kaften"
    assert (full["start"], full["end"], full["all_day"]) == ("2026-12-12", "2026-12-12", True)
    cancelled = items["weg"]["_doeplek"]
    assert cancelled["status"] == "cancelled" and cancelled["signup_url"] is cancelled["waitlist_url"] is None
    week = items["week"]["_doeplek"]
    assert week["repeat"] == "elke woensdag, 6 keer" and week["start"] == "2026-12-02T14:00:00+01:00"
    assert items["soep"]["_doeplek"]["repeat"] is None


def test_times_and_links_agree_with_the_site(reach):
    files = reach.files()
    redirects = reach.read("_redirects").splitlines()
    for item in _feed(reach)["items"]:
        task = item["_doeplek"]
        start, end = (datetime.fromisoformat(task[k]) if "T" in task[k] else date.fromisoformat(task[k])
                      for k in ("start", "end"))
        assert end >= start and (isinstance(start, date) and not isinstance(start, datetime)) == task["all_day"]
        page = item["url"].removeprefix(BASE)
        assert page.lstrip("/") + "index.html" in files
        assert task["ics_url"].removeprefix(BASE + "/") in files
        assert f"{task['short_url'].removeprefix(BASE)} {page} 301" in redirects


def test_a_place_feed_holds_that_places_tasks_in_the_same_order(reach):
    site, bib = _feed(reach), _feed(reach, "places/bib/feed.json")
    assert bib["title"] == "Doe-plekken Testdorp — Bibliotheek"
    assert bib["feed_url"] == f"{BASE}/places/bib/feed.json" and bib["home_page_url"] == f"{BASE}/places/bib/"
    assert bib["items"] == [i for i in site["items"] if i["_doeplek"]["place"]["slug"] == "bib"]
    assert [i["title"] for i in bib["items"]] == ["Taart", "Boeken kaften"]  # newest (latest start) first


def test_pages_name_their_feeds(reach):
    assert '<link rel="alternate" type="application/feed+json" href="/feed.json"' in reach.read("index.html")
    assert f'<span class="feed-address">{BASE}/feed.json</span>' in reach.read("subscribe/index.html")


def test_the_feed_does_not_change_with_the_clock(reach, tmp_path):
    from datetime import timedelta
    first = reach.read("feed.json")
    reach.build(now=BUILD_NOW + timedelta(hours=2))
    assert reach.read("feed.json") == first


def test_netlify_serves_the_feeds_as_json_feed_to_any_website():
    from test_csp import headers_for
    for path in ("/feed.json", "/places/t-hof/feed.json"):
        headers = headers_for(path)
        assert headers["Content-Type"] == "application/feed+json; charset=utf-8"
        assert headers["Access-Control-Allow-Origin"] == "*"


# -- microformats ------------------------------------------------------------------------------

def _events(html: str, url: str) -> list[dict]:
    return [item for item in mf2py.parse(doc=html, url=url)["items"] if item["type"] == ["h-event"]]


def test_the_board_is_a_list_of_h_events(reach):
    events = _events(reach.read("index.html"), BASE + "/")
    assert len(events) == 4
    by_name = {e["properties"]["name"][0]: e["properties"] for e in events}
    soep = by_name["Soep koken"]
    assert soep["url"] == [f"{BASE}/tasks/soep/"]
    # mf2py writes offsets without the colon, as microformats2 parsers do.
    assert soep["start"] == ["2026-12-05T09:30:00+0100"] and soep["end"] == ["2026-12-05T12:00:00+0100"]
    assert soep["location"] == ["’t Hof"] and soep["category"] == ["koken"]
    assert by_name["Boeken kaften"]["start"] == ["2026-12-12"]


def test_a_task_page_is_one_h_event_with_its_place_as_an_h_card(reach):
    (event,) = _events(reach.read("tasks/soep/index.html"), BASE + "/tasks/soep/")
    props = event["properties"]
    assert props["name"] == ["Soep koken"] and props["url"] == [f"{BASE}/tasks/soep/"]
    assert props["start"] == ["2026-12-05T09:30:00+0100"] and props["end"] == ["2026-12-05T12:00:00+0100"]
    assert props["category"] == ["koken"]
    assert props["content"][0]["value"].startswith("We koken samen soep.")
    (place,) = props["location"]
    assert place["type"] == ["h-card"]
    assert place["properties"] == {
        "name": ["’t Hof"], "url": [f"{BASE}/places/t-hof/"], "street-address": ["Torhoutsestraat 54"],
        "postal-code": ["8210"], "locality": ["Zedelgem"], "latitude": ["51.1423"], "longitude": ["3.1367"]}


def test_place_category_and_access_pages_list_h_events(reach):
    for path, names in (("places/bib/index.html", {"Boeken kaften", "Taart"}),
                        ("categories/koken/index.html", {"Soep koken", "Taart", "Koffie"}),
                        ("access/zittend/index.html", {"Soep koken", "Boeken kaften"})):
        assert {e["properties"]["name"][0] for e in _events(reach.read(path), BASE + "/")} == names, path



def test_h_event_and_h_card_urls_keep_the_path_of_the_base_url(site):
    """A parser resolves a root-relative href against the host: the u-url must be absolute."""
    base = "https://example.be/doeplek"
    site.write("content/site.yml", SITE_YML.replace(f"base_url: {BASE}", f"base_url: {base}/"))
    site.task("soep", "title: Soep\nplace: t-hof\nstart: '2026-12-05 09:30'\ncategory: koken")
    site.build()
    (card,) = _events(site.read("index.html"), base + "/")
    assert card["properties"]["url"] == [f"{base}/tasks/soep/"]
    (event,) = _events(site.read("tasks/soep/index.html"), base + "/tasks/soep/")
    assert event["properties"]["url"] == [f"{base}/tasks/soep/"]
    assert event["properties"]["location"][0]["properties"]["url"] == [f"{base}/places/t-hof/"]


# -- access tags: a feed and a page each -----------------------------------------------------

def test_each_access_tag_has_a_feed_of_its_tasks(reach):
    # As the other feeds: upcoming tasks and those of the last 30 days ("Oud" ended in October).
    for tag, titles in (("zittend", {"Soep koken", "Boeken kaften"}), ("kinderen", {"Koffie"}),
                        ("rolstoel", {"Soep koken"})):
        calendar = Calendar.from_ical(reach.read(f"access/{tag}.ics"))
        assert {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")} == titles, tag
        assert str(calendar["X-WR-CALNAME"]).startswith("Doe-plekken Testdorp — ")
    assert str(Calendar.from_ical(reach.read("access/zittend.ics"))["X-WR-CALNAME"]) == \
        "Doe-plekken Testdorp — kan zittend"


def test_each_access_tag_has_a_page_with_its_upcoming_tasks_and_subscribe_links(reach):
    page = reach.read("access/zittend/index.html")
    assert "<title>Toegankelijk: kan zittend · Doe-plekken Testdorp</title>" in page
    assert "Een dagcentrum, school of vereniging kan ze in zijn agenda zetten" in page
    assert 'href="webcal://doeplekken.example.be/access/zittend.ics"' in page
    assert "Oud" not in page.split("<main", 1)[1]  # upcoming only
    assert 'href="/access/zittend/"' in reach.read("tasks/soep/index.html")  # the task's pictograms link it
    assert 'href="/access/kinderen/"' in reach.read("index.html")  # and the board's lists
    for tag in ("zittend", "rolstoel", "kinderen"):
        assert f"{BASE}/access/{tag}.ics" in reach.read("subscribe/index.html")


def test_the_demo_site_feeds_validate_too(tmp_path):
    folder = SiteFolder(tmp_path / "demo")
    shutil.copytree(DEMO, folder.root / "content")
    folder.build()
    for path in [p for p in folder.files() if p.endswith("feed.json")]:
        jsonschema.validate(json.loads(folder.read(path)), SCHEMA)
    assert Path(folder.out / "access/geen-nederlands-nodig.ics").is_file()


def test_a_task_without_a_text_has_its_title_as_its_content(site):
    site.task("zonder", "title: Taart bakken\nplace: t-hof\ncategory: koken\nstart: '2026-12-20 14:00'", body="")
    site.build()
    assert _by_slug(_feed(site))["zonder"]["content_html"] == '<p dir="auto">Taart bakken</p>'

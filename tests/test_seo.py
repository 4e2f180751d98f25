"""schema.org JSON-LD on task pages and Open Graph / Twitter tags on every page."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from sitegen.render import seo

BASE = "https://doeplekken.example.be"
NASTY = """Quotes "double" & 'single' </script><script>alert(1)</script> <!-- {{ x }} {% y %} — crêpes 🎉"""


class Head(HTMLParser):
    """The JSON-LD scripts and <meta> tags of a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.jsonld: list[str] = []
        self.meta: dict[str, str] = {}
        self.scripts = 0
        self._in_ld = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts += 1
            self._in_ld = attrs.get("type") == "application/ld+json"
            if self._in_ld:
                self.jsonld.append("")
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_ld = False

    def handle_data(self, data):
        if self._in_ld:
            self.jsonld[-1] += data


def parse(html: str) -> Head:
    head = Head()
    head.feed(html)
    return head


def test_event_jsonld_of_a_timed_task(site):
    site.task("soep", """\
        title: Soep koken
        place: t-hof
        start: "2026-12-05 09:30"
        end: "2026-12-05 12:00"
        client: {name: Gezinsbond Zedelgem, url: "https://gezinsbond.example.be"}
        category: koken
        """, "Samen **soep** koken.\n")
    site.build()
    head = parse(site.read("tasks/soep/index.html"))
    assert len(head.jsonld) == 1
    event = json.loads(head.jsonld[0])
    assert event["@context"] == "https://schema.org" and event["@type"] == "Event"
    assert event["name"] == "Soep koken"
    assert event["startDate"] == "2026-12-05T09:30+01:00"
    assert event["endDate"] == "2026-12-05T12:00+01:00"
    assert event["eventStatus"] == "https://schema.org/EventScheduled"
    assert event["eventAttendanceMode"] == "https://schema.org/OfflineEventAttendanceMode"
    assert event["location"] == {
        "@type": "Place", "name": "’t Hof",
        "address": {"@type": "PostalAddress", "streetAddress": "Torhoutsestraat 54",
                    "postalCode": "8210", "addressLocality": "Zedelgem", "addressCountry": "BE"},
        "geo": {"@type": "GeoCoordinates", "latitude": 51.1423, "longitude": 3.1367},
    }
    assert event["organizer"] == {"@type": "Organization", "name": "Gezinsbond Zedelgem",
                                  "url": "https://gezinsbond.example.be"}
    offer = event["offers"]
    assert offer["price"] == 0 and offer["priceCurrency"] == "EUR"
    assert offer["url"].startswith("https://forms.example.be/inschrijven?taak=Soep%20koken")
    assert offer["availability"] == "https://schema.org/InStock"
    assert event["description"] == "Samen soep koken."
    assert event["url"] == f"{BASE}/tasks/soep/"
    assert "image" not in event


def test_summer_time_all_day_cancelled_and_no_client(site):
    site.task("zomer", """\
        title: Zomerfeest
        place: t-hof
        start: "2027-07-03 14:00"
        category: koken
        status: cancelled
        """)
    site.task("dag", """\
        title: Boekenbeurs
        place: t-hof
        start: 2027-01-16
        end: 2027-01-17
        category: plooien
        """)
    site.build()
    summer = json.loads(parse(site.read("tasks/zomer/index.html")).jsonld[0])
    assert summer["startDate"] == "2027-07-03T14:00+02:00"
    assert summer["eventStatus"] == "https://schema.org/EventCancelled"
    assert summer["offers"]["availability"] == "https://schema.org/SoldOut"
    # A cancelled task offers no sign-up form (its page shows none either): the task page.
    assert summer["offers"]["url"] == "https://doeplekken.example.be/tasks/zomer/"
    assert summer["organizer"]["name"] == "Doe-plekken Testdorp"
    assert summer["organizer"]["url"] == "https://doeplekken.example.be/"
    day = json.loads(parse(site.read("tasks/dag/index.html")).jsonld[0])
    assert (day["startDate"], day["endDate"]) == ("2027-01-16", "2027-01-17")


def test_a_hostile_title_cannot_break_out_of_the_json_ld(site):
    (site.root / "content/img").mkdir(parents=True)
    (site.root / "content/img/soep.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    site.task("lastig", f"""\
        title: {json.dumps(NASTY, ensure_ascii=False)}
        place: t-hof
        start: "2026-12-05 09:30"
        category: koken
        image: img/soep.png
        """)
    site.build()
    html = site.read("tasks/lastig/index.html")
    head = parse(html)
    assert head.scripts == 2  # the JSON-LD and share.js: the title's <script> stayed text
    event = json.loads(head.jsonld[0])
    assert event["name"] == NASTY
    raw = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    assert "<" not in raw and ">" not in raw and "&" not in raw
    assert "\\u003c/script\\u003e" in raw and "{{ x }}" in raw
    assert event["image"] == [f"{BASE}/media/img/soep.png"]
    assert head.meta["og:title"] == f"{NASTY} · Doe-plekken Testdorp"
    assert head.meta["og:image"] == event["image"][0]


def test_script_json_escapes_only_what_it_must():
    assert seo.script_json({"a": "</script>&<!--"}) == '{"a":"\\u003c/script\\u003e\\u0026\\u003c!--"}'
    assert json.loads(seo.script_json({"a": "</script>&é"})) == {"a": "</script>&é"}


def test_open_graph_and_twitter_tags_on_every_page(demo_site):
    demo_site.build()
    # Every page for visitors; not the web editor (noindex, for coordinators, never shared).
    pages = [p for p in demo_site.files() if p.endswith(".html") and p != "admin/index.html"]
    assert len(pages) > 40
    assert parse(demo_site.read("admin/index.html")).meta["robots"] == "noindex"
    for path in pages:
        meta = parse(demo_site.read(path)).meta
        for key in ("og:title", "og:description", "og:url", "og:image", "og:type", "og:locale",
                    "twitter:card"):
            assert meta.get(key), f"{path}: no {key}"
        url = "/" + path.removesuffix("index.html")
        assert meta["og:url"] == "https://doeplekken-zedelgem.netlify.app" + url, path
        assert meta["og:image"].startswith("https://doeplekken-zedelgem.netlify.app/")
        assert meta["og:image"].endswith((".png", ".jpg", ".jpeg")), path
        assert meta["og:locale"] == "nl_BE" and meta["og:type"] == "website"
        assert meta["twitter:card"] == "summary_large_image"
    assert "static/img/share.png" in demo_site.files()


def test_english_site_has_english_locale(site):
    site.write("content/site.yml", site.root.joinpath("content/site.yml").read_text()
               .replace("language: nl", "language: en"))
    site.task("soup", """\
        title: Soup
        place: t-hof
        start: "2026-12-05 09:30"
        category: koken
        """)
    site.build()
    assert parse(site.read("tasks/soup/index.html")).meta["og:locale"] == "en_BE"
    assert json.loads(parse(site.read("tasks/soup/index.html")).jsonld[0])["inLanguage"] == "en-BE"


def test_an_svg_picture_is_not_offered_to_social_media(site):
    """Facebook, WhatsApp and search engines refuse SVG: such a task shares the default image."""
    site.write("content/images/soep.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"/>')
    site.write("content/images/soep.jpg", "jpeg bytes")
    for slug, image in (("tekening", "images/soep.svg"), ("foto", "images/soep.jpg")):
        site.task(slug, f"title: Soep\nplace: t-hof\ncategory: koken\nstart: 2026-12-05\nimage: {image}")
    site.build()
    drawing, photo = (parse(site.read(f"tasks/{slug}/index.html")) for slug in ("tekening", "foto"))
    assert drawing.meta["og:image"] == f"{BASE}/static/img/share.png"
    assert "image" not in json.loads(drawing.jsonld[0])
    assert photo.meta["og:image"] == f"{BASE}/media/images/soep.jpg"
    assert json.loads(photo.jsonld[0])["image"] == [f"{BASE}/media/images/soep.jpg"]
    assert '<img class="task-image" src="/media/images/soep.svg" alt="">' in site.read("tasks/tekening/index.html")

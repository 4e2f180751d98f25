"""Stage by stage: YAML with lines, front matter, fields, links, Markdown sanitising."""

from __future__ import annotations

import re
from datetime import date, datetime

import pytest

from sitegen.load.content import slugify
from sitegen.load.fields import Fields
from sitegen.load.links import check_link, check_signup, fill_placeholders, scheme_of
from sitegen.load.markup import MarkdownRenderer, plain_text, summary
from sitegen.problems import Problems
from sitegen.load.yamlfile import (YamlError, YamlList, YamlMap, parse_front_matter, parse_yaml, read_text,
                                   split_front_matter)

# -- yamlfile -----------------------------------------------------------------


def test_yaml_keeps_the_line_of_every_key_and_item():
    data = parse_yaml("title: Soep\nrepeat:\n  freq: weekly\n  except:\n    - 2027-01-23\n"
                      "    - 2027-01-30\naccess: [zittend, rolstoel]\n")
    assert isinstance(data, YamlMap)
    assert data.line_of("title") == 1
    assert data.line_of("repeat") == 2
    assert data["repeat"].line_of("freq") == 3
    exceptions = data["repeat"]["except"]
    assert isinstance(exceptions, YamlList)
    assert [exceptions.line_of(0), exceptions.line_of(1)] == [5, 6]
    assert data["access"].line_of(1) == 7
    assert data.line_of("missing") == 1


def test_yaml_line_offset_counts_from_the_file_start():
    data = parse_yaml("title: Soep\nspots: 3\n", line_offset=1)
    assert data.line_of("spots") == 3


def test_yaml_keeps_raw_text_of_scalars():
    """YAML 1.1 reads an unquoted 10:00 as the sexagesimal integer 600; the raw text survives."""
    data = parse_yaml("start: 10:00\nend: 12:30\nquoted: '09:30'\n")
    assert data["start"] == 600 and data.raw["start"] == "10:00"
    assert data["end"] == 750 and data.raw["end"] == "12:30"
    assert data["quoted"] == "09:30"


def test_yaml_date_forms_as_pyyaml_reads_them():
    data = parse_yaml("a: 2027-01-16\nb: 2027-01-16 09:30\nc: 2027-01-16 09:30:00\n"
                      "d: 2027-01-16T09:30:00+01:00\n")
    assert data["a"] == date(2027, 1, 16)
    assert data["b"] == "2027-01-16 09:30"  # no seconds: just text
    assert data["c"] == datetime(2027, 1, 16, 9, 30)
    assert data["d"].utcoffset().total_seconds() == 3600


def test_yaml_duplicate_keys_are_recorded():
    data = parse_yaml("title: a\nspots: 1\ntitle: b\n")
    assert data.duplicates == [("title", 3)]
    assert data["title"] == "b"


def test_yaml_non_text_keys_keep_their_text():
    data = parse_yaml("yes: 1\n2027: x\n")
    assert set(data) == {"yes", "2027"}


def test_yaml_syntax_error_has_a_line():
    with pytest.raises(YamlError) as error:
        parse_yaml("title: Soep\naccess: [a, b\nspots: 3\n", line_offset=1)
    assert error.value.line == 4


def test_front_matter_split_and_body_line():
    front = split_front_matter("---\ntitle: Soep\nspots: 3\n---\nEerste regel.\n\nTweede.\n")
    meta = parse_front_matter(front)
    assert meta == {"title": "Soep", "spots": 3}
    assert meta.line_of("spots") == 3
    assert front.body == "Eerste regel.\n\nTweede.\n"
    assert front.body_line == 5


@pytest.mark.parametrize("text, message", [
    ("", "the file is empty"),
    ("  \n\n", "the file is empty"),
    ("Soep\n", "no front matter"),
    ("---\ntitle: Soep\n", "the front matter is not closed"),
    ("---\n---\nSoep\n", "the front matter is empty"),
    ("---\n- a\n- b\n---\n", "the front matter must be keys with values"),
])
def test_front_matter_file_level_problems(text, message):
    with pytest.raises(YamlError) as error:
        parse_front_matter(split_front_matter(text))
    assert error.value.line == 1
    assert str(error.value).startswith(message)


def test_read_text_accepts_bom_and_windows_line_ends():
    assert read_text("\ufeff---\r\ntitle: é\r\n---\r\n".encode()) == "---\ntitle: é\n---\n"
    with pytest.raises(UnicodeDecodeError):
        read_text("café".encode("latin-1"))


# -- fields --------------------------------------------------------------------


def fields(yaml_text: str, allowed=("title", "spots", "reward", "draft", "talents", "repeat")):
    problems = Problems()
    return Fields(parse_yaml(yaml_text), "x.md", problems, allowed), problems


def test_fields_read_types():
    f, problems = fields("title: no\nspots: '3'\nreward: 2.5\ndraft: true\ntalents: geduld\n")
    assert f.text("title") == "no"  # YAML 1.1 would say False; the coordinator wrote "no"
    assert f.integer("spots", minimum=1) == 3  # a quoted number is still that number
    assert f.number("reward") == 2.5
    assert f.boolean("draft") is True
    assert f.text_list("talents") == ("geduld",)
    assert not problems


def test_fields_text_keeps_what_was_written():
    f, problems = fields("title: 050123456\nspots: 12:00\nreward: 1.50\n",
                         allowed=("title", "spots", "reward"))
    assert f.text("title") == "050123456"  # YAML 1.1: an octal integer
    assert f.text("spots") == "12:00"  # YAML 1.1: 720
    assert f.text("reward") == "1.50"
    assert not problems


def test_fields_nested_missing_key_is_reported_at_the_parent():
    f, problems = fields("title: Soep\nrepeat:\n  interval: 2\n")
    repeat = f.mapping("repeat", ("freq", "interval"), "not a mapping")
    repeat.text("freq", required=True, example="weekly")
    assert [str(p) for p in problems.found] == [
        "x.md:2: missing required key 'freq'; add a line such as 'freq: weekly'"]


def test_slugify_folds_accents_and_quotes():
    assert slugify("Soep koken in ’t Hof") == "soep-koken-in-t-hof"
    assert slugify("Crème brûlée!") == "creme-brulee"
    assert slugify("???") == "taak"


def test_slugify_keeps_file_names_short():
    sentence = "Help ons de brieven voor de buurtvergadering van volgende maand te plooien en te sorteren"
    slug = slugify(sentence)
    assert len(slug) <= 60 and slug == "help-ons-de-brieven-voor-de-buurtvergadering-van-volgende"
    assert slugify("a" * 300) == "a" * 60
    assert slugify("kort " + "b" * 80) == "kort"


# -- links --------------------------------------------------------------------


@pytest.mark.parametrize("url, scheme", [
    ("https://example.be", "https"),
    ("JavaScript:alert(1)", "javascript"),
    ("java\tscript:alert(1)", "javascript"),
    (" \x00javascript:alert(1)", "javascript"),
    ("/tasks/soep/", None),
    ("images/soep.jpg", None),
    ("#top", None),
])
def test_scheme_as_a_browser_reads_it(url, scheme):
    assert scheme_of(url) == scheme


def test_check_link():
    assert check_link("https://www.oranje.be") is None
    assert check_link("mailto:info@oranje.be") is None
    assert check_link("tel:+3250123456") is None
    assert check_link("/places/t-hof/") is None
    assert "not allowed" in check_link("vbscript:msgbox(1)")
    assert "incomplete" in check_link("oranje", ("https",), relative_ok=False)
    assert "write https://www.oranje.be" in check_link("www.oranje.be", ("https",), relative_ok=False)


def test_signup_allows_only_https_mailto_tel():
    assert check_signup("https://forms.example.be/?t={title}&d={date}") is None
    assert check_signup("mailto:inschrijven@oranje.be?subject={title}") is None
    assert check_signup("tel:050123456") is None
    assert "'http:'" in check_signup("http://forms.example.be/")
    assert "unknown placeholder '{datum}'" in check_signup("https://f.example.be/?d={datum}")


def test_placeholders_are_url_encoded():
    url = fill_placeholders(
        "https://docs.google.com/forms/d/e/x/viewform?entry.1={title}&entry.2={date}&entry.3={place}"
        "&entry.4={url}&entry.5={time}",
        {"title": "Soep & brood: 'samen'?", "date": "2027-01-16", "place": "'t Hof",
         "url": "https://doeplekken.example.be/tasks/soep/", "time": "09:30", "slug": "soep"})
    assert url == (
        "https://docs.google.com/forms/d/e/x/viewform?entry.1=Soep%20%26%20brood%3A%20%27samen%27%3F"
        "&entry.2=2027-01-16&entry.3=%27t%20Hof"
        "&entry.4=https%3A%2F%2Fdoeplekken.example.be%2Ftasks%2Fsoep%2F&entry.5=09%3A30")


# -- markup -------------------------------------------------------------------


@pytest.fixture(scope="module")
def md():
    return MarkdownRenderer()


def test_markdown_tables_lists_and_headings(md):
    body = md.render("# Wat\n\n- plooien\n- plakken\n\n| dag | uur |\n|---|---|\n| za | 9 |\n")
    assert '<h2 dir="auto">Wat</h2>' in body.html  # the page title is the only h1
    assert '<li dir="auto">plooien</li>' in body.html
    assert "<table>" in body.html and '<td dir="auto">za</td>' in body.html
    assert body.refused == ()


def test_every_block_of_text_finds_its_own_direction(md):
    """dir="auto" on each block of a body: Arabic is laid out right to left, Dutch left to right."""
    body = md.render("مرحبا! نبحث عن متطوعين.\n\n## Kop\n\n> citaat\n\n- een\n\n| a |\n|---|\n| b |\n\n"
                     "<dl><dt>term</dt><dd>uitleg</dd></dl>\n")
    for start in ("<p", "<h2", "<blockquote", "<li", "<th", "<td", "<dt", "<dd"):
        tags = re.findall(start + r"\b[^>]*>", body.html)
        assert tags and all(' dir="auto"' in tag for tag in tags), (start, body.html)
    assert "<table>" in body.html and "<ul>" in body.html  # not on the containers


@pytest.mark.parametrize("source, wanted", [
    ('<p dir="rtl">Dag!</p>', '<p dir="rtl">Dag!</p>'),  # the coordinator's own choice is kept
    ('<p dir="RTL">Dag!</p>', '<p dir="rtl">Dag!</p>'),
    ('<p dir="ltr">مرحبا</p>', '<p dir="ltr">مرحبا</p>'),
    ('<p dir="auto">Dag!</p>', '<p dir="auto">Dag!</p>'),
    ('<p dir="bogus">Dag!</p>', '<p dir="auto">Dag!</p>'),  # no other value
    ('<p dir="rtl onmouseover=x()">Dag!</p>', '<p dir="auto">Dag!</p>'),
    ('<p><b dir="rtl">Dag</b> <a href="https://x.be" dir="rtl">x</a></p>',
     '<p dir="auto"><b>Dag</b> <a href="https://x.be" rel="noopener noreferrer">x</a></p>'),  # only on blocks
    ('<p><a href="https://x.be" title="<p>">x</a></p>',  # a tag's text inside a value stays as it was
     '<p dir="auto"><a href="https://x.be" title="&lt;p&gt;" rel="noopener noreferrer">x</a></p>'),
])
def test_a_coordinators_own_direction_is_kept_only_as_ltr_rtl_or_auto(md, source, wanted):
    assert md.render(source).html == wanted


@pytest.mark.parametrize("source, absent", [
    ("Hallo <script>alert(1)</script> daar", ["<script", "alert(1)"]),
    ('<img src="x.png" onerror="alert(1)">', ["onerror"]),
    ('<p style="color:red" onclick="x()">tekst</p>', ["style=", "onclick"]),
    ("<iframe src='https://evil.example'></iframe>", ["<iframe"]),
    ("<!-- geheim -->zichtbaar", ["geheim"]),
    ('<a href="https://oranje.be" target="_blank" onmouseover="x()">Oranje</a>', ["onmouseover", "target"]),
])
def test_raw_html_is_sanitised(md, source, absent):
    html = md.render(source).html
    for fragment in absent:
        assert fragment not in html


def test_safe_links_keep_working_with_noopener(md):
    body = md.render("[Oranje](https://www.oranje.be) of [mail](mailto:info@oranje.be)")
    assert '<a href="https://www.oranje.be" rel="noopener noreferrer">Oranje</a>' in body.html
    assert 'href="mailto:info@oranje.be"' in body.html
    assert body.refused == ()


@pytest.mark.parametrize("source, url", [
    ("[klik](javascript:alert(1))", "javascript:alert(1)"),
    ("[klik][1]\n\n[1]: javascript:alert(2)", "javascript:alert(2)"),
    ('<a href="JAVASCRIPT:alert(3)">x</a>', "JAVASCRIPT:alert(3)"),
    ('<a href="&#106;&#97;vascript:alert(4)">x</a>', "javascript:alert(4)"),
    ('<a href="&#x6A;avascript&colon;alert(5)">x</a>', "javascript:alert(5)"),
    ("![x](data:image/svg+xml;base64,PHN2Zz4=)", "data:image/svg+xml;base64,PHN2Zz4="),
    ('<img src="vbscript:x">', "vbscript:x"),
])
def test_dangerous_links_are_refused_and_removed(md, source, url):
    body = md.render(source)
    assert [found for found, _ in body.refused] == [url]
    assert "script:" not in body.html.lower() and "data:" not in body.html


def test_links_to_other_sites_are_fine_but_their_images_are_not(md):
    body = md.render("[Natuurpunt](https://www.natuurpunt.be) ![x](https://x.example/a.png) "
                     "![eigen](/static/access/zittend.svg)")
    assert [url for url, _ in body.refused] == ["https://x.example/a.png"]


def test_words_that_look_like_schemes_are_just_text(md):
    body = md.render("Let op: javascript: is geen link, en data: ook niet.")
    assert body.refused == ()
    assert "javascript: is geen link" in body.html


def test_plain_text_and_summary(md):
    html = md.render("Eerste zin met **vet**.\n\n- een\n- twee\n").html
    assert plain_text(html) == "Eerste zin met vet.\n\n• een\n• twee"
    assert summary(md.render("woord " * 100).html, limit=20) == "woord woord woord…"


def test_plain_text_keeps_line_breaks_and_loose_list_items_on_one_line_each():
    from sitegen.load.markup import plain_text
    html = ("<p>Adres:<br>Kerkstraat 1<br>8210 Zedelgem</p>\n<ul>\n<li>\n<p>een</p>\n</li>\n"
            "<li>\n<p>twee</p>\n</li>\n</ul>\n<p>Slot.</p>")
    assert plain_text(html) == "Adres:\nKerkstraat 1\n8210 Zedelgem\n\n• een\n• twee\n\nSlot."


# -- apostrophes ------------------------------------------------------------------

@pytest.mark.parametrize("written, shown", [
    ("'t Hof", "’t Hof"),
    ("In 't Hof, zo'n auto's", "In ’t Hof, zo’n auto’s"),
    ("'s avonds en 'n koffie", "’s avonds en ’n koffie"),
    ("zomer '26", "zomer ’26"),
    ("’t Hof", "’t Hof"),
    ("'quoted' text", "'quoted' text"),  # quotation marks are left as written
    ("rock 'n' roll", "rock ’n' roll"),
    ("l'Oréal", "l’Oréal"),
])
def test_apostrophes_become_typographic(written, shown):
    from sitegen.typography import apostrophes
    assert apostrophes(written) == shown


def test_apostrophes_in_html_leave_tags_attributes_and_code_alone():
    from sitegen.typography import apostrophes_in_html
    assert apostrophes_in_html(
        "<p>In 't Hof <a href=\"https://x.be/it's\" title=\"it's\">it's</a> <code>'t</code></p>") == (
        "<p>In ’t Hof <a href=\"https://x.be/it's\" title=\"it's\">it’s</a> <code>'t</code></p>")


def test_one_apostrophe_on_pages_feeds_and_calendars(site):
    site.task("koffie", "title: Koffie in 't Hof\nplace: t-hof\nstart: 2026-12-05\ncategory: koken\n"
              "partners: [Okra 't Dorp]\nclient: Café 't Pleintje", "Kom naar 't Hof, zo'n gezellige plek.\n")
    site.build()
    for path in ("tasks/koffie/index.html", "tasks/koffie.ics", "feed.json", "feed.xml", "index.html",
                 "tasks/koffie/poster/index.html"):
        text = site.read(path)
        assert "’t Hof" in text, path
        for straight in ("'t Hof", "&#39;t Hof", "&#x27;t Hof", "\\u0027t"):
            assert straight not in text, (path, straight)
    page = site.read("tasks/koffie/index.html")
    assert "Okra ’t Dorp" in page and "Café ’t Pleintje" in page and "zo’n gezellige" in page


@pytest.mark.parametrize("contact, shown, dialled", [
    ("Griet · 050 12 34 56", "050 12 34 56", "tel:050123456"),
    ("(050) 12 34 56", "(050) 12 34 56", "tel:050123456"),
    ("Bel +32 (0)471 23 45 67", "+32 (0)471 23 45 67", "tel:+32471234567"),
    ("+32 (0)50 12 34 56 of info@example.be", "+32 (0)50 12 34 56", "tel:+3250123456"),
    ("0471/23.45.67", "0471/23.45.67", "tel:0471234567"),
    ("Tel. 050-123456", "050-123456", "tel:050123456"),
])
def test_a_phone_number_is_read_whole_and_dialled_as_written(contact, shown, dialled):
    from sitegen.load.links import phone_of, tel_href
    assert phone_of(contact) == shown and tel_href(shown) == dialled

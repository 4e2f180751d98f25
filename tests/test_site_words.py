"""The site's words come from the `site` catalog: Dutch by default, English with `language: en`,
and a site's own theme can still use the keys of the words from before the catalog."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, SiteFolder

GOLDEN_CONTENT = REPO / "tests/goldens/small/content"

# (output file, Dutch, English): pages, a poster, the calendar and JSON feeds, the Atom feed.
SAID = [
    ("index.html", ">Alle taken</a>", ">All tasks</a>"),
    ("index.html", '<h1 class="board-title">Binnenkort</h1>', '<h1 class="board-title">Coming up</h1>'),
    ("index.html", 'data-results-many="{n} taken gevonden"', 'data-results-many="{n} tasks found"'),
    ("tasks/brieven-plooien/index.html", "<dt>Wanneer</dt>", "<dt>When</dt>"),
    ("tasks/brieven-plooien/index.html", ">Ik doe mee</a>", ">Sign me up</a>"),
    ("tasks/kerstmarkt/index.html", "Deze taak gaat niet door.", "This task is cancelled."),
    ("tasks/bladeren-harken/index.html", "Herhaalt: elke zaterdag, 3 keer, niet op 5 december 2026",
     "Repeats: every Saturday, 3 times, not on 5 December 2026"),
    ("tasks/brieven-plooien/poster/index.html", "Scan mij", "Scan me"),
    ("subscribe/index.html", "<h1>Taken in je agenda</h1>", "<h1>Tasks in your calendar</h1>"),
    ("subscribe/index.html", "<li>Klik op „Toevoegen”.</li>", "<li>Click “Add”.</li>"),
    ("suggest/index.html", "Taak voorstellen", "Suggest a task"),
    ("404.html", "Deze pagina bestaat niet (meer)", "This page does not exist (any more)"),
    ("calendar.ics", "Meer info: https://goud.example.be/tasks/", "More information: https://goud.example.be/tasks/"),
    ("calendar.ics", "Inschrijven: https://forms.example.be/", "Sign up: https://forms.example.be/"),
    ("feed.xml", "· gaat niet door", "· cancelled"),
    ("admin/config.yml", "label: Taken", "label: Tasks"),
]


@pytest.fixture
def golden_site(tmp_path) -> SiteFolder:
    folder = SiteFolder(tmp_path / "site")
    shutil.copytree(GOLDEN_CONTENT, folder.root / "content")
    return folder


def _read(folder: SiteFolder, path: str) -> str:
    text = folder.read(path)
    return text.replace("\r\n ", "").replace("\n ", "") if path.endswith(".ics") else text  # unfolded


def _speak(folder: SiteFolder, language: str) -> None:
    yml = folder.root / "content/site.yml"
    text = yml.read_text(encoding="utf-8").replace("\nlanguage: en\n", "\n")
    yml.write_text(text + (f"language: {language}\n" if language != "nl" else ""), encoding="utf-8")


def test_a_dutch_site_speaks_dutch_and_an_english_one_english(golden_site):
    golden_site.build()
    dutch = {path: _read(golden_site, path) for path, _nl, _en in SAID}
    # The same folder again: the compiled templates in the build cache were made for the
    # Dutch build and must say English now (the catalog is called at render time).
    _speak(golden_site, "en")
    golden_site.build()
    assert any((golden_site.root / ".sitegen-cache").glob("templates-*/*")), "no compiled templates kept"
    english = {path: _read(golden_site, path) for path, _nl, _en in SAID}
    for path, nl, en in SAID:
        assert nl in dutch[path] and en not in dutch[path], (path, nl)
        assert en in english[path] and nl not in english[path], (path, en)
    feed = json.loads(golden_site.read("feed.json"))
    repeats = {item["_doeplek"]["repeat"] for item in feed["items"]} - {None}
    assert repeats == {"every Saturday, 3 times, not on 5 December 2026"}


def test_plural_forms_come_from_the_catalog():
    from sitegen.render.words import Words
    assert [Words("nl").spots(n) for n in (1, 2)] == ["nog 1 plaats vrij", "nog 2 plaatsen vrij"]
    assert [Words("en").spots(n) for n in (1, 2)] == ["1 place left", "2 places left"]


def test_a_site_theme_still_says_the_old_keys(golden_site):
    # A coordinator's theme from before the catalog: t('key'), a plural key, a key with values,
    # beside the new _() and ngettext().
    golden_site.write("theme/templates/suggest.html", """\
        {% extends "default/suggest.html" %}
        {% block main %}<p id="old">{{ t('back_to_board') }} | {{ t('spots_left', n=1) }} | {{ t('spots_left_plural', n=3) }} | {{ t('embed_title', place='Park') }} | {{ t('hours_suffix') }}</p>
        <p id="new">{{ _("Back to all tasks") }} | {{ ngettext("{n} place left", "{n} places left", 3) }} | {{ _("Tasks at {place}", place="'t Park") }}</p>{% endblock %}
        """)
    golden_site.build()
    page = golden_site.read("suggest/index.html")
    assert ('<p id="old">Terug naar alle taken | nog 1 plaats vrij | nog 3 plaatsen vrij | '
            'Taken bij Park | uur</p>') in page
    assert '<p id="new">Terug naar alle taken | nog 3 plaatsen vrij | Taken bij &#39;t Park</p>' in page
    _speak(golden_site, "en")
    golden_site.build()
    page = golden_site.read("suggest/index.html")
    assert '<p id="old">Back to all tasks | 1 place left | 3 places left | Tasks at Park | </p>' in page
    assert '<p id="new">Back to all tasks | 3 places left | Tasks at &#39;t Park</p>' in page

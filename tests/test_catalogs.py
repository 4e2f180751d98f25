"""The gettext catalogs: every string in the code has its Dutch translation, compiled."""

from __future__ import annotations

import io
import re
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from sitegen.i18n import DOMAINS, LANGUAGES, LOCALE_DIR, N_, Text, _, say

ROOT = Path(__file__).resolve().parent.parent
# As scripts/update-catalogs extracts them (Babel's defaults, N_ with a plural): `_` and
# `N_` in the code, `_`, `gettext` and `ngettext` in the templates (jinja2.ext.i18n).
KEYWORDS = {"_": None, "gettext": None, "N_": (1, 2), "ngettext": (1, 2)}


def _extracted(domain: str, root: Path = ROOT) -> dict[str, set[str]]:
    """Every message id found in the domain's files → the files that say it."""
    with open(LOCALE_DIR / f"{domain}.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = {}
    for file, _line, message, _comments, _context in extract_from_dir(
            root, method_map, options_map, keywords=KEYWORDS):
        found.setdefault(message if isinstance(message, str) else message[0], set()).add(file)
    return found


def _untranslated(domain: str, root: Path = ROOT) -> list[str]:
    catalog = _catalog("nl", domain)
    return sorted(msgid for msgid in _extracted(domain, root)
                  if not (entry := catalog.get(msgid)) or entry.fuzzy
                  or not all(entry.string if isinstance(entry.string, tuple) else (entry.string,)))


def _catalog(language: str, domain: str):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        return read_po(po, locale=language)


def _fields(pattern: str) -> set[str]:
    """The values a pattern fills in, with how: `{limit:,}` is said as the language writes numbers."""
    return {f"{name}:{spec}" for _text, name, spec, _conv in string.Formatter().parse(pattern)
            if name is not None}


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_has_a_dutch_translation(domain):
    missing = _untranslated(domain)
    assert not missing, f"run scripts/update-catalogs and translate in {domain}.po: {missing}"


def test_the_site_domain_extracts_the_templates_and_the_code():
    found = _extracted("site")
    assert "theme/templates/base.html" in found["Skip to content"]
    assert "theme/templates/subscribe.html" in found["Next to the calendar you want, click “Google Calendar”.\n"
                                                     "Sign in with your Google account if asked. This works best "
                                                     "on a computer.\nClick “Add”.\nOn your phone: open the Google "
                                                     "Calendar app. The new calendar is in the menu, under your "
                                                     "other calendars. Don't see it? Turn on “Sync” in that "
                                                     "calendar's settings."]
    assert found["{n} place left"] == {"sitegen/render/words.py", "sitegen/render/legacy_keys.py"}  # plurals
    assert found["More information: {page}"] == {"sitegen/outputs/calendar.py"}


def test_a_template_string_without_dutch_is_found(tmp_path):
    # What test_every_string_has_a_dutch_translation sees when a template gains a new string.
    templates = tmp_path / "theme/templates"
    templates.mkdir(parents=True)
    (templates / "new.html").write_text('{{ _("Skip to content") }} {{ _("A sentence nobody translated") }}\n'
                                        '{{ ngettext("{n} new thing", "{n} new things", 2) }}')
    assert _untranslated("site", tmp_path) == ["A sentence nobody translated", "{n} new thing"]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_fill_in_the_same_values(language, domain):
    # A translation that names another {value} (or drops one) fails when it is said; one that
    # drops a value's `:,` says 1000000 where the language writes 1.000.000.
    wrong = []
    for entry in _catalog(language, domain):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set().union(*map(_fields, ids)) - {"n:"}
        wrong += [entry.id for text in strings if text and _fields(text) - {"n:"} != wanted]
    assert not wrong


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_compiled_catalogs_are_up_to_date(language, domain):
    compiled = io.BytesIO()
    write_mo(compiled, _catalog(language, domain))
    mo = LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.mo"
    assert mo.read_bytes() == compiled.getvalue(), "run scripts/update-catalogs (pybabel compile)"


def test_a_message_is_english_until_said_in_a_language(monkeypatch):
    message = _("the file '{name}' {hint}", name="x.md", hint=N_("has one problem", "has {n} problems", 2))
    assert message == "the file 'x.md' has 2 problems"
    assert say(message, "en") == message
    assert say("plain text", "nl") == "plain text"
    assert isinstance(message, Text) and re.fullmatch(r"[^{}]*", message)


def test_a_new_translation_is_a_new_code_fingerprint(tmp_path):
    # A page the engine remembers was said with the catalogs of its day.
    import shutil
    import sitegen
    from sitegen.engine.fingerprint import code_fingerprint
    package = tmp_path / "sitegen"
    shutil.copytree(Path(sitegen.__file__).parent, package, ignore=shutil.ignore_patterns("__pycache__"))
    before = code_fingerprint(package)
    mo = package / "locale/nl/LC_MESSAGES/site.mo"
    mo.write_bytes(mo.read_bytes() + b"\0")
    assert code_fingerprint(package) != before

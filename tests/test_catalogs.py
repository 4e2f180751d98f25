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
KEYWORDS = {"_": None, "N_": (1, 2)}  # as scripts/update-catalogs extracts them


def _extracted(domain: str) -> set[str]:
    with open(LOCALE_DIR / f"{domain}.cfg", encoding="utf-8") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else message[0])
    return found


def _catalog(language: str, domain: str):
    with open(LOCALE_DIR / language / "LC_MESSAGES" / f"{domain}.po", "rb") as po:
        return read_po(po, locale=language)


def _fields(pattern: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(pattern) if name is not None}


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_has_a_dutch_translation(domain):
    catalog = _catalog("nl", domain)
    missing = sorted(msgid for msgid in _extracted(domain)
                     if not (entry := catalog.get(msgid)) or entry.fuzzy
                     or not all(entry.string if isinstance(entry.string, tuple) else (entry.string,)))
    assert not missing, f"run scripts/update-catalogs and translate in {domain}.po: {missing}"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_fill_in_the_same_values(language, domain):
    # A translation that names another {value} (or drops one) fails when it is said.
    wrong = []
    for entry in _catalog(language, domain):
        if not entry.id:
            continue
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wanted = set().union(*map(_fields, ids)) - {"n"}
        wrong += [entry.id for text in strings if text and _fields(text) - {"n"} != wanted]
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


def test_a_new_translation_is_a_new_code_fingerprint(tmp_path, monkeypatch):
    # A page the engine remembers was said with the catalogs of its day.
    import shutil
    from sitegen.engine import fingerprint
    package = tmp_path / "sitegen"
    shutil.copytree(fingerprint._PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint, "_PACKAGE", package)
    before = fingerprint.code_fingerprint()
    mo = package / "locale/nl/LC_MESSAGES/site.mo"
    mo.write_bytes(mo.read_bytes() + b"\0")
    assert fingerprint.code_fingerprint() != before

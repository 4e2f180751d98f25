"""The language coordinators' messages are said in, and what stays the same in every language."""

from __future__ import annotations

import os
import pickle

import pytest

from sitegen import BuildFailed, messages
from sitegen.arguments import chosen_language, site_language
from sitegen.dev.overlay import decorate
from sitegen.i18n import Text, say
from sitegen.load.yamlfile import FILE_BYTES
from sitegen.problems import Problem, Problems


def _site(tmp_path, text: str | bytes | None):
    (tmp_path / "content").mkdir(parents=True)
    if isinstance(text, bytes):
        (tmp_path / "content/site.yml").write_bytes(text)
    elif text is not None:
        (tmp_path / "content/site.yml").write_text(text, encoding="utf-8")
    return tmp_path


@pytest.mark.parametrize("text, language", [
    ("title: x\nlanguage: en\n", "en"), ("title: x\nlanguage: nl\n", "nl"), ("title: x\n", "nl"),
    ("language: fr\n", None), ("language: [en\n", None), ("- en\n", None), (b"language: \xff\n", None),
    (None, None), ("language: en\n" + "#" * FILE_BYTES, None),
])
def test_site_language_reads_only_a_good_language(tmp_path, text, language):
    assert site_language(_site(tmp_path, text)) == language


def test_site_language_never_follows_a_link_out_or_waits_on_a_pipe(tmp_path):
    outside = tmp_path / "elsewhere.yml"
    outside.write_text("language: en\n", encoding="utf-8")
    root = _site(tmp_path / "site", None)
    (root / "content/site.yml").symlink_to(outside)
    assert site_language(root) is None
    pipe_root = _site(tmp_path / "pipe", None)
    os.mkfifo(pipe_root / "content/site.yml")
    assert site_language(pipe_root) is None  # returns at once: a FIFO is never opened


def test_lang_wins_over_the_site_and_the_site_over_dutch(tmp_path):
    root = _site(tmp_path, "title: x\nlanguage: en\n")
    assert chosen_language(["check", "--root", str(root)]) == "en"
    assert chosen_language(["check", f"--root={root}", "--lang", "nl"]) == "nl"
    assert chosen_language(["--lang=nl", "check", "--root", str(root)]) == "nl"
    assert chosen_language(["check", "--root", str(tmp_path / "nowhere")]) == "nl"
    assert chosen_language(["check", "--lang", "fr", "--root", str(root)]) == "en"  # argparse refuses fr


def test_every_constant_message_is_a_text_with_a_dutch_translation():
    constants = {name: value for name, value in vars(messages).items() if name.isupper()}
    assert constants and all(isinstance(value, Text) for value in constants.values())
    assert all(say(value, "nl") != value for value in constants.values()), [
        name for name, value in constants.items() if say(value, "nl") == value]


def test_hints_and_lists_inside_a_message_are_translated_too():
    message = messages.link_scheme("javascript:alert(1)", "javascript", ("https", "mailto", "tel"))
    assert say(message, "nl").endswith("gebruik een link die begint met https: of mailto: of tel:")
    assert message.endswith("use a link starting with https: or mailto: or tel:")
    assert say(messages.wrong_type("spots", messages.TEXT, None), "nl") == "'spots' moet tekst zijn, niet leeg"
    assert say(messages.unknown_place("x", []), "nl") == "plek 'x' bestaat niet; gekende plekken: (geen)"


def test_amounts_are_written_as_the_language_writes_numbers():
    # In Dutch 1,000,000 reads as one and 0.42 as no number at all.
    summary = messages.build_summary(tasks=1200, places=3, pages=40, feeds=9, records=1200,
                                     written=5, removed=0, out="public", seconds=0.4237)
    assert "in 0,42 s" in say(summary, "nl") and "1200 taken" in say(summary, "nl")
    assert "in 0.42 s" in summary
    too_big = messages.number_too_big("spots", 10**9, 1_000_000)
    assert "meer dan 1.000.000," in say(too_big, "nl")
    assert "more than 1,000,000," in too_big
    assert "range() van 5.000.000 items; hoogstens 100.000" in say(messages.template_range(5_000_000, 100_000), "nl")
    # A year, a line or a port is no amount: never 2.200.
    assert "1900–2200" in say(messages.year_out_of_range("0202", 1900, 2200), "nl")


def test_why_a_file_cannot_be_read_is_said_in_dutch_too(site):
    # The disk's reason is part of the message: a coordinator who reads Dutch should not
    # meet "Too many levels of symbolic links" in the middle of it.
    (site.root / "content/tasks/a.md").symlink_to("b.md")
    (site.root / "content/tasks/b.md").symlink_to("a.md")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    said = [problem.said("nl") for problem in failure.value.problems]
    assert "content/tasks/a.md:1: het bestand kan niet gelezen worden (een kring van symbolische links); " \
           "kijk na of het bestaat en een gewoon bestand is" in said
    assert not any("symbolic" in line for line in said), said


def test_a_remembered_problem_is_said_in_the_language_of_the_day():
    # The engine pickles problems across builds; the language is chosen when they are shown.
    problems = Problems()
    problems.warn("content/tasks/x.markdown", 1, messages.not_md("x.markdown", "x.md"))
    problems.add("content/tasks/y.md", 0, messages.duplicate_key("title\x1b[31m"))
    warning, error = pickle.loads(pickle.dumps(problems.warnings + problems.found))
    assert warning.said("nl") == ("content/tasks/x.markdown:1: let op: 'x.markdown' wordt niet gelezen: alleen "
                                  "bestanden die op .md eindigen, worden gelezen; hernoem het naar 'x.md'")
    assert str(warning) == warning.said("en") == ("content/tasks/x.markdown:1: warning: 'x.markdown' is not read: "
                                                  "only files ending in .md are; rename it to 'x.md'")
    assert error.said("nl") == "content/tasks/y.md:1: de sleutel 'title\\x1b[31m' staat er twee keer; hou er maar één"
    assert isinstance(error, Problem) and not error.warning


def test_the_serve_banner_is_in_the_sites_language():
    body = b"<html><head></head><body><p>x</p></body></html>"
    lines = ["content/tasks/x.md:3: plek 'y' bestaat niet; gekende plekken: t-hof"]
    assert b"<h2>bouwen mislukt: 1 probleem gevonden; er is niets geschreven \xe2\x80\x94 de laatste goede " \
           b"versie wordt getoond</h2>" in decorate(body, 1, lines, "nl")
    assert b"<h2>build failed: 2 problems found; nothing was written \xe2\x80\x94 showing the last good " \
           b"build</h2>" in decorate(body, 1, lines * 2, "en")

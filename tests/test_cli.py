"""The command line: help texts, exit codes, and problems on stderr without tracebacks."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, require

from sitegen.cli import main

TASK = "title: Soep koken\nplace: t-hof\ncategory: koken\nstart: '2027-01-16 09:30'\n"


def run(*args, cwd, command=(sys.executable, "-m", "sitegen"), **env_changes):
    """Run the real command in a fresh process, as a coordinator would."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **env_changes}  # works installed or not
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def help_text(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as leaving:
        main([*argv, "--help"])
    assert leaving.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_help_is_dutch_by_default(capsys):
    text = help_text(capsys)
    assert text.startswith("gebruik: sitegen [-h] [--lang {nl,en}] OPDRACHT ...")
    assert ("Bouw het takenbord van de doe-plekken: Markdown-taken en -plekken erin, een statische site "
            "eruit.") in text
    assert "opties: -h, --help toon deze hulp en stop --lang {nl,en} taal van de berichten" in text
    assert "opdrachten: OPDRACHT build bouw content/ tot public/" in text
    assert "check controleer de inhoud zonder iets te schrijven" in text
    assert "usage" not in text and "options" not in text


def test_help(capsys):
    text = help_text(capsys, "--lang", "en")
    assert text.startswith("usage: sitegen")
    assert "options: -h, --help show this help message and exit" in text
    assert "Build the doe-plek task board: Markdown tasks and places in, a static site out." in text
    assert "build build content/ into public/" in text
    assert "check validate the content without writing anything" in text


def test_build_help(capsys):
    text = help_text(capsys, "build", "--lang", "en")
    assert text.startswith("usage: sitegen build")
    assert "Build the site. Nothing is written unless every file is valid." in text
    for option in ("--root ROOT site folder holding content/ (default: current folder)",
                   "--drafts include tasks with draft: true",
                   "--base-url BASE_URL absolute site URL, overriding site.yml's base_url",
                   "--out OUT output folder (default: <root>/public)",
                   "--quiet print only problems"):
        assert option in text


def test_build_help_in_dutch(capsys):
    text = help_text(capsys, "build")
    assert text.startswith("gebruik: sitegen build")
    assert "Bouw de site. Er wordt niets geschreven tenzij elk bestand in orde is." in text
    for option in ("--root MAP map van de site, met content/ erin (standaard: de huidige map)",
                   "--base-url URL volledige URL van de site, in plaats van base_url uit site.yml",
                   "--drafts neem ook taken met draft: true mee",
                   "--quiet toon alleen problemen"):
        assert option in text


def test_every_command_takes_lang(capsys):
    for command in (["build"], ["check"], ["serve"], ["new"], ["new", "task"], ["new", "place"]):
        assert "show this help message and exit" in help_text(capsys, *command, "--lang", "en")
        assert "toon deze hulp en stop" in help_text(capsys, *command, "--lang", "nl")


def test_check_help(capsys):
    text = help_text(capsys, "check", "--lang", "en")
    assert text.startswith("usage: sitegen check")
    assert "Check every content file; exit 1 listing each problem as path:line: message." in text
    assert "--out" not in text


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert capsys.readouterr().out.startswith("gebruik: sitegen")


def test_unknown_option_exits_2(capsys):
    with pytest.raises(SystemExit) as leaving:
        main(["build", "--bogus"])
    assert leaving.value.code == 2
    assert capsys.readouterr().err.endswith("\nsitegen: fout: onbekende argumenten: --bogus\n")
    with pytest.raises(SystemExit) as leaving:
        main(["build", "--bogus", "--lang", "en"])
    assert leaving.value.code == 2
    assert capsys.readouterr().err.endswith("\nsitegen: error: unrecognized arguments: --bogus\n")


@pytest.mark.parametrize("argv, dutch, english", [
    (["new", "task"], "sitegen new task: fout: deze argumenten zijn verplicht: titel",
     "sitegen new task: error: the following arguments are required: title"),
    (["serve", "--port", "acht"], "sitegen serve: fout: argument --port: geen geheel getal: 'acht'",
     "sitegen serve: error: argument --port: not a whole number: 'acht'"),
    (["check", "--format", "html"],
     "sitegen check: fout: argument --format: ongeldige keuze: 'html' (kies uit 'text', 'github')",
     "sitegen check: error: argument --format: invalid choice: 'html' (choose from 'text', 'github')"),
    (["build", "--root"], "sitegen build: fout: argument --root: verwacht één waarde",
     "sitegen build: error: argument --root: expected one argument"),
])
def test_argument_mistakes_are_told_in_the_chosen_language(capsys, argv, dutch, english):
    for extra, said in (([], dutch), (["--lang", "en"], english)):
        with pytest.raises(SystemExit) as leaving:
            main([*extra, *argv])
        assert leaving.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("gebruik: " if not extra else "usage: ")
        assert err.endswith(f"\n{said}\n")


def test_build_ok_exit_0(site, capsys):
    site.task("soep", TASK)
    assert main(["build", "--root", str(site.root)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("1 taken, 1 plekken, 18 pagina's, 9 agendafeeds, 1 zoekitems gebouwd in ")
    assert err == ""
    assert main(["build", "--root", str(site.root), "--lang", "en"]) == 0
    assert capsys.readouterr().out.startswith("built 1 tasks, 1 places, 18 pages, 9 feeds, 1 search records in ")
    assert (site.out / "tasks/soep/index.html").exists()


def test_build_quiet_and_out(site, tmp_path, capsys):
    site.task("soep", TASK)
    assert main(["build", "--root", str(site.root), "--out", str(tmp_path / "www"), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "www/tasks/soep/index.html").exists()


def test_base_url_option(site, capsys):
    site.task("soep", TASK)
    assert main(["build", "--root", str(site.root), "--base-url", "https://preview.example.net/"]) == 0
    assert '<link rel="canonical" href="https://preview.example.net/tasks/soep/">' in site.read(
        "tasks/soep/index.html")


def test_check_ok_writes_nothing(site, capsys):
    site.task("soep", TASK)
    assert main(["check", "--root", str(site.root)]) == 0
    assert capsys.readouterr().out == "ok: 1 taken en 1 plekken, geen problemen\n"
    assert not site.out.exists()


def test_check_problems_exit_1(site, capsys):
    site.task("soep", TASK + "spost: 3")
    site.task("tuin", TASK.replace("koken\n", "tuin\n"))
    assert main(["check", "--root", str(site.root)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "content/tasks/soep.md:6: onbekende sleutel 'spost' — bedoel je 'spots'?\n"
        "content/tasks/tuin.md:4: categorie 'tuin' staat niet in content/site.yml — bedoel je "
        "'tuinwerk'? Gekend: plooien, tuinwerk, koken\n"
        "2 problemen gevonden\n")
    english = (
        "content/tasks/soep.md:6: unknown key 'spost' — did you mean 'spots'?\n"
        "content/tasks/tuin.md:4: category 'tuin' is not in content/site.yml — did you mean "
        "'tuinwerk'? Known: plooien, tuinwerk, koken\n"
        "2 problems found\n")
    assert main(["check", "--root", str(site.root), "--lang", "en"]) == 1
    assert capsys.readouterr() == ("", english)
    site.write("content/site.yml", (site.root / "content/site.yml").read_text(encoding="utf-8").replace(
        "language: nl", "language: en"))
    assert main(["check", "--root", str(site.root)]) == 1
    assert capsys.readouterr() == ("", english)
    assert main(["check", "--lang", "nl", "--root", str(site.root)]) == 1  # --lang wins over site.yml
    assert capsys.readouterr().err.endswith("\n2 problemen gevonden\n")


def test_no_content_folder(tmp_path, capsys):
    assert main(["build", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"geen map content/ in {tmp_path.resolve()}; start sitegen in de map van een site of geef --root mee\n")
    assert main(["build", "--root", str(tmp_path), "--lang", "en"]) == 1
    assert capsys.readouterr().err == (
        f"no content/ folder in {tmp_path.resolve()}; run sitegen in a site folder or pass --root\n")


@pytest.mark.parametrize("out", [".", "content", "theme/x"])
def test_refuses_an_out_folder_holding_the_sources(site, capsys, out):
    site.task("soep", TASK)
    assert main(["build", "--root", str(site.root), "--out", str(site.root / out)]) == 1
    assert "bevat de eigen bestanden van de site" in capsys.readouterr().err
    assert (site.root / "content/tasks/soep.md").exists()


def test_python_m_sitegen_reports_problems_on_stderr(site):
    site.task("soep", TASK + "end: '2027-01-16 08:00'")
    result = run("build", cwd=site.root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "content/tasks/soep.md:6: end (2027-01-16 08:00) ligt voor start (2027-01-16 09:30); "
        "het einde moet op of na het begin liggen\n"
        "bouwen mislukt: 1 probleem gevonden; er is niets geschreven\n")
    result = run("build", "--lang", "en", cwd=site.root)
    assert result.stderr == (
        "content/tasks/soep.md:6: end (2027-01-16 08:00) is before start (2027-01-16 09:30); "
        "the end must be at or after the start\n"
        "build failed: 1 problem found; nothing was written\n")
    assert not site.out.exists()


def test_python_m_sitegen_flushes_its_summary_before_its_quick_exit(site):
    # cli.run leaves with os._exit (no slow teardown): what it printed must still arrive.
    site.task("soep", TASK)
    result = run("build", cwd=site.root, PYTHONUNBUFFERED=None)  # buffered, as in a pipe
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 taken, 1 plekken")
    assert result.stdout.endswith("\n")


def test_template_mistake_in_a_site_override_has_no_traceback(site):
    site.task("soep", TASK)
    site.write("theme/templates/task.html",
               '{% extends "default/task.html" %}\n{% block main %}\n{{ task.title | upper( }}\n'
               '{% endblock %}\n')
    result = run("build", cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("theme/templates/task.html:3: fout in sjabloon: ")


def test_python_build_py(site):
    site.task("soep", TASK)
    result = run(cwd=site.root, command=(sys.executable, str(REPO / "build.py")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("1 taken, 1 plekken")
    assert (site.out / "tasks/soep/index.html").exists()


def test_installed_console_script(site):
    # The script installed beside this Python (its venv need not be activated), else on the PATH.
    executable = shutil.which("sitegen", path=str(Path(sys.executable).parent)) or shutil.which("sitegen")
    require(executable is not None, "the sitegen command is not installed (the README's first command installs it)")
    site.task("soep", TASK + "spots: 0")
    result = run("check", cwd=site.root, command=(executable,))
    assert result.returncode == 1
    assert result.stderr.startswith(
        "content/tasks/soep.md:6: 'spots' moet een geheel getal van 1 of meer zijn, niet '0'\n")


def test_a_warning_is_told_as_one_in_the_chosen_language(site):
    site.task("soep", TASK)
    site.write("content/tasks/oud.markdown", "---\ntitle: x\n---\n")
    result = run("check", cwd=site.root)
    assert result.returncode == 0
    assert result.stderr == ("content/tasks/oud.markdown:1: let op: 'oud.markdown' wordt niet gelezen: alleen "
                             "bestanden die op .md eindigen, worden gelezen; hernoem het naar 'oud.md'\n")
    assert result.stdout == "ok: 1 taken en 1 plekken, geen problemen\n"
    result = run("check", "--lang", "en", cwd=site.root)
    assert result.stderr == ("content/tasks/oud.markdown:1: warning: 'oud.markdown' is not read: only files "
                             "ending in .md are; rename it to 'oud.md'\n")


@pytest.mark.parametrize("site_yml", ["title: [unclosed\n", "language: fr\n", b"\xff\xfe", "- a list\n"])
def test_a_broken_site_yml_is_told_in_dutch_or_lang(site, site_yml):
    if isinstance(site_yml, bytes):
        (site.root / "content/site.yml").write_bytes(site_yml)
    else:
        site.write("content/site.yml", site_yml)
    result = run("check", cwd=site.root)
    assert result.returncode == 1
    assert re.match(r"content/site\.yml:\d+: ", result.stderr)
    assert result.stderr.endswith(" gevonden\n") and "found" not in result.stderr
    english = run("check", "--lang=en", cwd=site.root)
    assert re.match(r"content/site\.yml:\d+: ", english.stderr) and english.stderr.endswith(" found\n")


def test_unprintable_characters_stay_escaped_in_any_language(site):
    site.task("soep", TASK + "spots: \"3\\x1b\"")
    for lang, words in (("nl", "moet een geheel getal"), ("en", "must be a whole number")):
        result = run("check", "--lang", lang, cwd=site.root)
        line = result.stderr.splitlines()[0]
        assert line.startswith("content/tasks/soep.md:6: 'spots' ") and words in line
        assert "\\x1b" in line and "\x1b" not in line
    # A direction control is named, never printed (it would turn the line around).
    site.task("soep", TASK + "spots: \"3\\u202e\"")
    for lang, words in (("nl", "U+202E (right-to-left override)"), ("en", "U+202E (right-to-left override)")):
        line = run("check", "--lang", lang, cwd=site.root).stderr.splitlines()[0]
        assert line.startswith("content/tasks/soep.md:6: 'spots' ") and words in line
        assert "\u202e" not in line

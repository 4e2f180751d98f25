"""`sitegen new`: the files it writes pass `check`, slugs are folded and unique, nothing is overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sitegen.cli import main

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout's sitegen, installed or not


def _sitegen(*args: str, cwd) -> subprocess.CompletedProcess:
    # In English: these tests are about the files `new` writes, not about the language.
    return subprocess.run([sys.executable, "-m", "sitegen", *args, "--lang", "en"], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=60)


def test_new_task_writes_a_file_that_check_accepts(site):
    done = _sitegen("new", "task", "Soep koken in ’t Hof: één pot!", "--place", "t-hof",
                    "--start", "2027-01-16 09:30", cwd=site.root)
    assert done.returncode == 0, done.stderr
    path = site.root / "content/tasks/soep-koken-in-t-hof-een-pot.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Soep koken in ’t Hof: één pot!"' in text
    assert "category: plooien" in text  # the first category of site.yml
    assert "# " in text  # commented for the coordinator
    checked = _sitegen("check", cwd=site.root)
    assert checked.returncode == 0, checked.stderr
    assert "ok: 1 tasks" in checked.stdout
    built = site.build()
    page = site.read("tasks/soep-koken-in-t-hof-een-pot/index.html")
    assert "Soep koken in ’t Hof: één pot!" in page
    assert built.model.tasks[0].task.schedule.start.isoformat() == "2027-01-16T09:30:00+01:00"


def test_new_task_never_overwrites(site):
    first = site.task("brieven-plooien", """
        title: Mijn eigen taak
        place: t-hof
        start: 2027-01-10
        category: koken
    """)
    before = first.read_bytes()
    for _ in range(2):
        assert main(["new", "task", "Brieven plooien", "--place", "t-hof", "--start", "2027-01-16",
                     "--category", "tuinwerk", "--root", str(site.root)]) == 0
    assert first.read_bytes() == before
    second = (site.root / "content/tasks/brieven-plooien-2.md").read_text(encoding="utf-8")
    assert "category: tuinwerk" in second and 'start: "2027-01-16"' in second
    assert (site.root / "content/tasks/brieven-plooien-3.md").exists()
    assert main(["check", "--root", str(site.root)]) == 0


def test_new_task_unknown_place_gives_the_check_message(site, capsys):
    assert main(["new", "task", "Iets", "--place", "t-hoff", "--start", "2027-01-16 09:30",
                 "--root", str(site.root), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "place 't-hoff' does not exist — did you mean 't-hof'? Known places: t-hof" in err
    assert not list((site.root / "content/tasks").iterdir())


def test_new_task_bad_start_and_category(site, capsys):
    assert main(["new", "task", "Iets", "--place", "t-hof", "--start", "morgen",
                 "--category", "breien", "--root", str(site.root), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "category 'breien' is not in content/site.yml" in err
    assert "'morgen' is not a date" in err


def test_new_place_then_a_task_there(site):
    assert main(["new", "place", "Café Één", "--address", "Markt 1, 8210 Zedelgem",
                 "--root", str(site.root)]) == 0
    text = (site.root / "content/places/cafe-een.md").read_text(encoding="utf-8")
    assert 'name: "Café Één"' in text and 'address: "Markt 1, 8210 Zedelgem"' in text
    assert main(["new", "task", "Koffie", "--place", "cafe-een", "--start", "2027-02-01 14:00",
                 "--root", str(site.root)]) == 0
    assert main(["check", "--root", str(site.root)]) == 0


def test_new_help_texts():
    for args in (["new", "--help"], ["new", "task", "--help"], ["new", "place", "--help"]):
        done = subprocess.run([sys.executable, "-m", "sitegen", *args, "--lang", "en"], env=ENV,
                              capture_output=True, text=True)
        assert done.returncode == 0
        assert "never overwritten" in done.stdout or "--address" in done.stdout or "--place" in done.stdout


def test_new_refuses_what_check_would_refuse(site, capsys):
    assert main(["new", "place", "Nieuw", "--address", "", "--root", str(site.root), "--lang", "en"]) == 1
    assert main(["new", "task", "   ", "--place", "t-hof", "--start", "2027-02-30",
                 "--root", str(site.root), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "content/places/nieuw.md:4: 'address' is empty" in err
    assert "content/tasks/taak.md:3: 'title' is empty" in err
    assert "'2027-02-30' is not a date that exists" in err
    assert "Traceback" not in err and "nothing was written" in err
    assert sorted(p.name for p in (site.root / "content").rglob("*.md")) == ["t-hof.md"]


def test_new_task_with_a_very_long_title_gets_a_short_file_name(site):
    title = "Samen " + "heel " * 80 + "lang plooien"
    done = _sitegen("new", "task", title, "--place", "t-hof", "--start", "2027-01-16 09:30", cwd=site.root)
    assert done.returncode == 0, done.stderr
    [path] = (site.root / "content/tasks").glob("samen-heel-*.md")
    assert len(path.stem) <= 60
    assert f'title: "{title}"' in path.read_text(encoding="utf-8")
    assert _sitegen("check", cwd=site.root).returncode == 0


def test_a_name_without_letters_gets_a_place_file_name(site):
    assert main(["new", "place", "???", "--address", "Markt 1, 8000 Brugge", "--root", str(site.root)]) == 0
    assert (site.root / "content/places/plek.md").exists()

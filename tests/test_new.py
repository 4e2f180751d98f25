"""`sitegen new`: the files it writes pass `check`, slugs are folded and unique, nothing is overwritten."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import writer_after
from sitegen.cli import main
from sitegen.new import known_places

REPO = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(REPO)}  # this checkout's sitegen, installed or not


def _sitegen(*args: str, cwd) -> subprocess.CompletedProcess:
    # In English: these tests are about the files `new` writes, not about the language.
    return subprocess.run([sys.executable, "-m", "sitegen", *args, "--lang", "en"], cwd=cwd, env=ENV,
                          capture_output=True, text=True, timeout=60)


def test_new_task_writes_a_file_that_check_accepts(site):
    done = _sitegen("new", "task", "Soep koken in ’t Hof: één pot!", "--place", "t-hof",
                    "--start", "2027-01-16 09:30", "--category", "plooien", cwd=site.root)
    assert done.returncode == 0, done.stderr
    path = site.root / "content/tasks/soep-koken-in-t-hof-een-pot.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Soep koken in ’t Hof: één pot!"' in text
    assert "category: plooien" in text
    assert "# Een korte, concrete titel: wat gaan mensen doen, en voor wie?\n" in text  # in the site's language
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
                 "--category", "koken", "--root", str(site.root), "--lang", "en"]) == 1
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
                 "--category", "koken", "--root", str(site.root)]) == 0
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
                 "--category", "koken", "--root", str(site.root), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "content/places/nieuw.md:4: 'address' is empty" in err
    assert "content/tasks/taak.md:3: 'title' is empty" in err
    assert "'2027-02-30' is not a date that exists" in err
    assert "Traceback" not in err and "nothing was written" in err
    assert sorted(p.name for p in (site.root / "content").rglob("*.md")) == ["t-hof.md"]


def test_new_task_with_a_very_long_title_gets_a_short_file_name(site):
    title = "Samen " + "heel " * 80 + "lang plooien"
    done = _sitegen("new", "task", title, "--place", "t-hof", "--start", "2027-01-16 09:30", "--category", "koken",
                    cwd=site.root)
    assert done.returncode == 0, done.stderr
    [path] = (site.root / "content/tasks").glob("samen-heel-*.md")
    assert len(path.stem) <= 60
    assert f'title: "{title}"' in path.read_text(encoding="utf-8")
    assert _sitegen("check", cwd=site.root).returncode == 0


def test_a_name_without_letters_gets_a_place_file_name(site):
    assert main(["new", "place", "???", "--address", "Markt 1, 8000 Brugge", "--root", str(site.root)]) == 0
    assert (site.root / "content/places/plek.md").exists()


def test_new_task_off_a_terminal_never_picks_a_category(site):
    done = _sitegen("new", "task", "Soep koken", "--place", "t-hof", "--start", "2027-01-16", cwd=site.root)
    assert done.returncode == 1
    assert done.stderr == ("error: --category is missing: pass --category with one of: "
                           "plooien (plooien en inpakken), tuinwerk, koken\n")
    assert not list((site.root / "content/tasks").iterdir())


def test_new_task_off_a_terminal_names_the_places_and_the_start(site):
    site.place("bib", "name: Bibliotheek Zedelgem\naddress: Markt 2, 8210 Zedelgem")
    done = _sitegen("new", "task", "Soep koken", "--category", "koken", "--start", "2027-01-16", cwd=site.root)
    assert done.returncode == 1
    assert done.stderr == ("error: --place is missing: pass --place with one of: bib (Bibliotheek Zedelgem), "
                           "t-hof ('t Hof)\n")
    done = _sitegen("new", "task", "Soep koken", "--category", "koken", "--place", "bib", cwd=site.root)
    assert done.returncode == 1 and done.stderr.startswith("error: --start is missing: pass it, e.g. --start ")


def test_new_task_start_as_two_words_and_a_place_by_its_name(site):
    site.place("bib", "name: Bibliotheek Zedelgem\naddress: Markt 2, 8210 Zedelgem")
    done = _sitegen("new", "task", "Soep koken", "--place", "Bibliotheek Zedelgem", "--category", "Koken",
                    "--start", "2027-02-01", "10:00", cwd=site.root)
    assert done.returncode == 0, done.stderr
    text = (site.root / "content/tasks/soep-koken.md").read_text(encoding="utf-8")
    assert 'place: bib\n' in text and 'start: "2027-02-01 10:00"\n' in text and "category: koken\n" in text
    assert _sitegen("check", cwd=site.root).returncode == 0


def test_new_files_are_commented_in_the_sites_language(site):
    yml = site.root / "content/site.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("language: nl", "language: en"), encoding="utf-8")
    assert main(["new", "task", "Soup", "--place", "t-hof", "--start", "2027-01-16", "--category", "koken",
                 "--root", str(site.root)]) == 0
    assert main(["new", "place", "Hall", "--address", "Markt 1", "--root", str(site.root)]) == 0
    task = (site.root / "content/tasks/soup.md").read_text(encoding="utf-8")
    place = (site.root / "content/places/hall.md").read_text(encoding="utf-8")
    assert "# A short, concrete title: what will people do, and for whom?\n" in task
    assert "# The name people know the place by.\n" in place


class Terminal:
    """`sitegen` on a pseudo-terminal: read what it prints, type answers as a person would."""

    def __init__(self, *args: str, cwd):
        import pty
        self.master, slave = pty.openpty()
        self.process = subprocess.Popen([sys.executable, "-m", "sitegen", *args], cwd=cwd, env=ENV,
                                        stdin=slave, stdout=slave, stderr=slave, close_fds=True)
        os.close(slave)
        self.seen = ""

    def expect(self, text: str, timeout: float = 30) -> str:
        import select
        import time
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise AssertionError(f"no {text!r} on the terminal; it showed:\n{self.seen}")
            try:
                chunk = os.read(self.master, 4096).decode("utf-8", "replace")
            except OSError:  # the program ended and closed the terminal
                chunk = ""
            if not chunk:
                raise AssertionError(f"the program ended before {text!r}; it showed:\n{self.seen}")
            self.seen += chunk.replace("\r\n", "\n")
        shown, self.seen = self.seen.split(text, 1)
        return shown + text

    def type(self, answer: str) -> None:
        os.write(self.master, (answer + "\n").encode("utf-8"))

    def close(self) -> int:
        code = self.process.wait(timeout=60)
        os.close(self.master)
        return code


def test_new_task_on_a_terminal_asks_in_dutch_with_the_lists(site):
    site.place("bib", "name: Bibliotheek Zedelgem\naddress: Markt 2, 8210 Zedelgem")
    terminal = Terminal("new", "task", "Soep koken", cwd=site.root)
    try:
        shown = terminal.expect("Welke doe-plek? Typ het nummer of de bestandsnaam: ")
        assert "  1. bib (Bibliotheek Zedelgem)\n  2. t-hof ('t Hof)\n" in shown
        terminal.type("7")
        terminal.expect("'7' is geen van de nummers of namen hierboven; probeer opnieuw")
        terminal.expect("Welke doe-plek? ")
        terminal.type("2")
        shown = terminal.expect("Welk soort werk (category)? Typ het nummer of de naam: ")
        assert "  1. plooien (plooien en inpakken)\n  2. tuinwerk\n  3. koken\n" in shown
        terminal.type("Tuinwerk")
        terminal.expect("Wanneer begint ze? ")
        terminal.type("16/01/2027 9u30")
        terminal.expect("'16/01/2027 9u30' staat als dag/maand/jaar; schrijf \"2027-01-16 09:30\" "
                        "(jaar-maand-dag); probeer opnieuw")
        terminal.expect("Wanneer begint ze? ")
        terminal.type("2027-01-16 09:30")
        terminal.expect("content/tasks/soep-koken.md geschreven")
    finally:
        code = terminal.close()
    assert code == 0
    text = (site.root / "content/tasks/soep-koken.md").read_text(encoding="utf-8")
    assert "place: t-hof\n" in text and "category: tuinwerk\n" in text and 'start: "2027-01-16 09:30"\n' in text
    assert _sitegen("check", cwd=site.root).returncode == 0


def test_new_place_on_a_terminal_asks_for_the_address(site):
    terminal = Terminal("new", "place", "De Molen", cwd=site.root)
    try:
        terminal.expect("Adres (straat, nummer, postcode en gemeente): ")
        terminal.type("Molenstraat 3, 8210 Zedelgem")
        terminal.expect("content/places/de-molen.md geschreven")
    finally:
        assert terminal.close() == 0
    text = (site.root / "content/places/de-molen.md").read_text(encoding="utf-8")
    assert 'address: "Molenstraat 3, 8210 Zedelgem"\n' in text and "# De naam zoals mensen de plek kennen.\n" in text


def test_a_named_pipe_among_the_places_is_named_by_its_file_and_does_not_hang(site):
    fifo = site.root / "content/places/pijp.md"
    os.mkfifo(fifo)
    started = time.monotonic()
    with writer_after(fifo):
        places = known_places(site.root)
    assert time.monotonic() - started < 5
    assert places["pijp"] == "pijp" and places["t-hof"] != "t-hof"

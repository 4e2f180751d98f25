"""The incremental engine's safety net: whatever a coordinator does, an incremental build of
the site is byte-identical to a cold build of the same state.

Hypothesis drives a small site (in git) through random sequences of actions: edit, add,
rename and delete tasks and places, change site.yml, override a theme template (one that
starts to show a field no template showed before), commit, move the build moment by an hour,
a day, a month or across New Year, and upgrade a dependency whose output the build keeps
(a fake newer version of Markdown or icalendar, with changed output). After every step the
site is built twice: into its own public/ with its cache (the incremental build), and into a
new folder without any cache (the cold build). Both must succeed or fail alike; when they
succeed the two folders hold the same files with the same bytes, and when they fail public/
is left as it was.

Profiles: `ci` (default: a fixed seed, eight runs of twenty steps) and `long`
(`HYPOTHESIS_PROFILE=long SITEGEN_TEST_SEED=$RANDOM python -m pytest tests/test_incremental.py`).
"""

from __future__ import annotations

import importlib
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from hypothesis import HealthCheck, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import (RuleBasedStateMachine, get_state_machine_test, initialize, invariant,
                                 precondition, rule)

from sitegen import BuildOptions, build
from sitegen.problems import BuildFailed
from sitegen.theme import default_theme_dir

from conftest import BUILD_NOW, PLACE_MD, SITE_YML, ZONE, require

settings.register_profile("ci", max_examples=8, stateful_step_count=20, database=None,
                          deadline=None, suppress_health_check=list(HealthCheck))
settings.register_profile("long", max_examples=60, stateful_step_count=40, deadline=None,
                          suppress_health_check=list(HealthCheck))
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
SEED = int(os.environ.get("SITEGEN_TEST_SEED", "20261201"))  # fixed in CI; another for a local hunt

SLUGS = ["soep", "brieven", "tuin", "koffie", "zwerfvuil", "kaften"]
PLACE_SLUGS = ["t-hof", "bib", "park"]
TITLES = ["Soep koken", "Brieven plooien", "Tuinwerk in het park", "Koffie schenken",
          "Zwerfvuil rapen", "Boeken kaften", "Crêpes bakken voor ’t Hof"]
BODIES = ["Samen aan de slag.\n",
          "We plooien **brieven** en drinken koffie.\n\n- geduld\n- een schaar\n",
          "Meer info op [de website](https://www.example.be/info).\n",
          "## Wat\n\nEen *rustige* taak, ook zittend.\n"]
ACCESS = ["zittend", "rolstoel", "kinderen"]
TIMES = ["09:30", "14:00", None]  # None: an all-day task
MOVES = {"hour": timedelta(hours=1), "day": timedelta(days=1), "month": timedelta(days=31)}


def _task_file(task: dict) -> str:
    lines = [f"title: \"{task['title']}\"", f"place: {task['place']}", f"category: {task['category']}"]
    day = task["day"]
    lines.append(f"start: \"{day} {task['time']}\"" if task["time"] else f"start: {day}")
    if task.get("repeat"):
        lines += ["repeat:", "  freq: weekly", f"  count: {task['repeat']}"]
    for key in ("spots", "taken", "reward"):
        if task.get(key) is not None:
            lines.append(f"{key}: {task[key]}")
    if task.get("status"):
        lines.append(f"status: {task['status']}")
    if task.get("access"):
        lines.append(f"access: [{', '.join(task['access'])}]")
    if task.get("talents"):
        lines.append(f"talents: [{', '.join(task['talents'])}]")
    return "---\n" + "\n".join(lines) + "\n---\n" + task["body"]


def _place_file(name: str, address: str) -> str:
    return f"---\nname: \"{name}\"\naddress: {address}\naccess: [rolstoel]\n---\nEen doe-plek.\n"


def _files(folder: Path) -> dict[str, bytes]:
    if not folder.is_dir():
        return {}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env={
        **os.environ, "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.be",
        "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.be"})


class Upgrade:
    """A newer release of a library the build uses, as the running process would see it.

    A fake dist-info first on sys.path makes importlib.metadata report the new version, and
    one of the library's methods is patched to give different output, as a new release might.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.undo: list = []

    def apply(self, library: str, version: int) -> None:
        self.revert()
        dist = self.folder / f"{library}-{version}.0.dist-info"
        dist.mkdir(parents=True, exist_ok=True)
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {library}\nVersion: {version}.0\n")
        sys.path.insert(0, str(self.folder))
        importlib.invalidate_caches()
        self.undo.append(lambda: sys.path.remove(str(self.folder)))
        self.undo.append(lambda: shutil.rmtree(dist, ignore_errors=True))
        if library == "Markdown":
            import markdown
            original = markdown.Markdown.convert
            markdown.Markdown.convert = lambda md, text: original(md, text).replace(
                "</p>", f" (v{version})</p>", 1)
            self.undo.append(lambda: setattr(markdown.Markdown, "convert", original))
        else:
            import icalendar
            original = icalendar.prop.vText.to_ical
            icalendar.prop.vText.to_ical = lambda text: original(text) + f" v{version}".encode()
            self.undo.append(lambda: setattr(icalendar.prop.vText, "to_ical", original))

    def revert(self) -> None:
        while self.undo:
            self.undo.pop()()
        importlib.invalidate_caches()


class CoordinatorActions(RuleBasedStateMachine):
    """A site under random coordinator actions; after each, incremental == cold."""

    def __init__(self):
        super().__init__()
        self.work = Path(tempfile.mkdtemp(prefix="sitegen-incremental-"))
        self.root = self.work / "site"
        self.now = BUILD_NOW
        self.tasks: dict[str, dict] = {}
        self.places: dict[str, tuple[str, str]] = {}
        self.categories = {"plooien": "plooien en inpakken", "tuinwerk": "tuinwerk", "koken": "koken"}
        self.site_title = "Doe-plekken Testdorp"
        self.language = "nl"
        self.upgrade = Upgrade(self.work / "upgrades")
        self.versions = 0
        self.last_good: dict[str, bytes] = {}

    # -- the site on disk -------------------------------------------------------
    def write(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")

    def write_site(self) -> None:
        text = SITE_YML.replace("title: Doe-plekken Testdorp", f"title: \"{self.site_title}\"")
        text = text.replace("language: nl", f"language: {self.language}")
        head, _, _ = text.partition("categories:")
        categories = "".join(f"  {slug}: {label}\n" for slug, label in self.categories.items())
        access = "".join(f"  {tag}: {tag.capitalize()}\n" for tag in ACCESS)
        self.write("content/site.yml", f"{head}categories:\n{categories}access:\n{access}")

    def write_task(self, slug: str) -> None:
        self.write(f"content/tasks/{slug}.md", _task_file(self.tasks[slug]))

    @initialize()
    def start(self):
        self.write_site()
        self.write("content/places/t-hof.md", PLACE_MD)
        self.places["t-hof"] = ("'t Hof", "Torhoutsestraat 54, 8210 Zedelgem")
        self.tasks["soep"] = dict(title="Soep koken", place="t-hof", category="koken",
                                  day=(BUILD_NOW + timedelta(days=3)).date().isoformat(),
                                  time="09:30", body=BODIES[0], spots=6, taken=2)
        self.write_task("soep")
        _git(self.root, "init", "-q")
        _git(self.root, "add", "-A")
        _git(self.root, "commit", "-q", "-m", "start")

    # -- tasks -----------------------------------------------------------------
    @rule(slug=st.sampled_from(SLUGS), title=st.sampled_from(TITLES), days=st.integers(-45, 60),
          time=st.sampled_from(TIMES), category=st.sampled_from(["plooien", "tuinwerk", "koken"]),
          body=st.sampled_from(BODIES), repeat=st.sampled_from([None, None, 3, 8]),
          access=st.lists(st.sampled_from(ACCESS), unique=True, max_size=2), data=st.data())
    def add_task(self, slug, title, days, time, category, body, repeat, access, data):
        if slug in self.tasks:
            return
        place = data.draw(st.sampled_from(sorted(self.places)))
        self.tasks[slug] = dict(title=title, place=place, category=category, time=time, body=body,
                                day=(self.now + timedelta(days=days)).date().isoformat(),
                                repeat=repeat, access=access)
        self.write_task(slug)

    @precondition(lambda self: self.tasks)
    @rule(data=st.data(), change=st.sampled_from(
        ["title", "day", "time", "spots", "full", "cancel", "reopen", "body", "access", "talents",
         "reward", "place", "repeat"]))
    def edit_task(self, data, change):
        slug = data.draw(st.sampled_from(sorted(self.tasks)))
        task = self.tasks[slug]
        if change == "title":
            task["title"] = data.draw(st.sampled_from(TITLES))
        elif change == "day":
            task["day"] = (self.now + timedelta(days=data.draw(st.integers(-45, 60)))).date().isoformat()
        elif change == "time":
            task["time"] = data.draw(st.sampled_from(TIMES))
        elif change == "spots":
            task["spots"], task["taken"] = 5, data.draw(st.integers(0, 4))
        elif change == "full":
            task["spots"], task["taken"] = 3, 3
        elif change == "cancel":
            task["status"] = "cancelled"
        elif change == "reopen":
            task["status"] = None
        elif change == "body":
            task["body"] = data.draw(st.sampled_from(BODIES))
        elif change == "access":
            task["access"] = data.draw(st.lists(st.sampled_from(ACCESS), unique=True, max_size=3))
        elif change == "talents":
            task["talents"] = data.draw(st.sampled_from([[], ["geduld"], ["geduld", "een fiets"]]))
        elif change == "reward":
            task["reward"] = data.draw(st.sampled_from([None, 2, 3.5]))
        elif change == "place":
            task["place"] = data.draw(st.sampled_from(sorted(self.places)))
        else:
            task["repeat"] = data.draw(st.sampled_from([None, 2, 5]))
        self.write_task(slug)

    @precondition(lambda self: self.tasks)
    @rule(data=st.data(), new=st.sampled_from(SLUGS))
    def rename_task(self, data, new):
        old = data.draw(st.sampled_from(sorted(self.tasks)))
        if new in self.tasks:
            return
        (self.root / f"content/tasks/{old}.md").rename(self.root / f"content/tasks/{new}.md")
        self.tasks[new] = self.tasks.pop(old)

    @precondition(lambda self: self.tasks)
    @rule(data=st.data())
    def delete_task(self, data):
        slug = data.draw(st.sampled_from(sorted(self.tasks)))
        (self.root / f"content/tasks/{slug}.md").unlink()
        del self.tasks[slug]

    # -- places ------------------------------------------------------------------
    @rule(slug=st.sampled_from(PLACE_SLUGS), name=st.sampled_from(["Bib Zedelgem", "Gemeentepark", "De Molen"]))
    def add_place(self, slug, name):
        if slug in self.places:
            return
        self.places[slug] = (name, "Stationsstraat 1, 8210 Zedelgem")
        self.write(f"content/places/{slug}.md", _place_file(*self.places[slug]))

    @rule(data=st.data(), name=st.sampled_from(["'t Hof", "Het Hof", "Bib Loppem"]),
          address=st.sampled_from(["Torhoutsestraat 54, 8210 Zedelgem", "Kerkstraat 2, 8210 Loppem"]))
    def edit_place(self, data, name, address):
        slug = data.draw(st.sampled_from(sorted(self.places)))
        self.places[slug] = (name, address)
        self.write(f"content/places/{slug}.md", _place_file(name, address))

    @rule(data=st.data(), new=st.sampled_from(PLACE_SLUGS))
    def rename_place(self, data, new):
        old = data.draw(st.sampled_from(sorted(self.places)))
        if new in self.places:
            return
        (self.root / f"content/places/{old}.md").rename(self.root / f"content/places/{new}.md")
        self.places[new] = self.places.pop(old)
        for slug, task in self.tasks.items():
            if task["place"] == old:
                task["place"] = new
                self.write_task(slug)

    @precondition(lambda self: len(self.places) > 1)
    @rule(data=st.data())
    def delete_unused_place(self, data):
        used = {task["place"] for task in self.tasks.values()}
        unused = sorted(set(self.places) - used)
        if unused:
            slug = data.draw(st.sampled_from(unused))
            (self.root / f"content/places/{slug}.md").unlink()
            del self.places[slug]

    # -- settings and theme -------------------------------------------------------
    @rule(change=st.sampled_from(["title", "label", "language", "add-category"]))
    def edit_site(self, change):
        if change == "title":
            self.site_title = "Doe-plekken Loppem" if self.site_title.endswith("Testdorp") else "Doe-plekken Testdorp"
        elif change == "label":
            self.categories["koken"] = "koken en bakken" if self.categories["koken"] == "koken" else "koken"
        elif change == "language":
            self.language = "en" if self.language == "nl" else "nl"
        else:
            self.categories.setdefault("klussen", "klussen")
        self.write_site()

    @rule(template=st.sampled_from(["_card.html", "task.html"]))
    def override_template(self, template):
        """A site's own template that shows a field the default one does not (talents, reward)."""
        default = (default_theme_dir() / "templates" / template).read_text(encoding="utf-8")
        shown = ('<p class="own-theme">{{ (view.task.talents | join(", ")) or "-" }} · '
                 '{{ view.task.reward if view.task.reward is not none else "-" }}</p>\n')
        marker = "</article>" if template == "_card.html" else "</main>"
        text = default.replace(marker, shown + marker, 1) if marker in default else default + shown
        self.write(f"theme/templates/{template}", text)

    @rule()
    def drop_own_theme(self):
        shutil.rmtree(self.root / "theme", ignore_errors=True)

    # -- time, git and libraries ------------------------------------------------------
    @rule(move=st.sampled_from(["hour", "day", "month", "new-year"]))
    def move_build_moment(self, move):
        if move == "new-year":
            self.now = datetime(self.now.year, 12, 31, 23, 0, tzinfo=ZONE) + timedelta(hours=2)
        else:
            self.now = (self.now + MOVES[move]).astimezone(ZONE)

    @rule()
    def commit(self):
        _git(self.root, "add", "-A")
        _git(self.root, "commit", "-q", "--allow-empty", "-m", "edit")

    @rule(library=st.sampled_from(["Markdown", "icalendar"]))
    def upgrade_a_dependency(self, library):
        self.versions += 1
        self.upgrade.apply(library, 90 + self.versions)

    # -- the check ---------------------------------------------------------------------
    @invariant()
    def incremental_build_equals_cold_build(self):
        if not (self.root / "content").is_dir():
            return  # before start()
        public = self.root / "public"
        before = _files(public)
        cold = self.work / "cold"
        shutil.rmtree(cold, ignore_errors=True)
        incremental_problems = cold_problems = None
        try:
            build(BuildOptions(root=self.root, now=self.now))
        except BuildFailed as failure:
            incremental_problems = [str(p) for p in failure.problems]
        try:
            build(BuildOptions(root=self.root, out=cold, now=self.now, cache=False))
        except BuildFailed as failure:
            cold_problems = [str(p) for p in failure.problems]
        assert incremental_problems == cold_problems
        if incremental_problems is not None:
            assert _files(public) == before, "a failed build changed public/"
            return
        incremental, fresh = _files(public), _files(cold)
        assert sorted(incremental) == sorted(fresh), sorted(set(incremental) ^ set(fresh))
        different = [path for path in fresh if incremental[path] != fresh[path]]
        assert not different, f"incremental build differs from the cold build in {different[:5]}"

    def teardown(self):
        self.upgrade.revert()
        shutil.rmtree(self.work, ignore_errors=True)


def test_incremental_builds_equal_cold_builds_after_any_coordinator_actions():
    require(shutil.which("git") is not None, "git is not installed")
    seed(SEED)(get_state_machine_test(CoordinatorActions, settings=settings.get_profile(PROFILE)))()

"""The engine: warm builds equal cold ones, edits make only what they change, bad stores are
made again, killed builds are finished by the next one. (The property test of all of it
together is tests/test_incremental.py.)"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sitegen import BuildOptions, build
from sitegen.build import check
from sitegen.engine import CACHE_DIR, GATHERS, Engine
from sitegen.engine.pool import CHUNK_AT_MOST, PARALLEL_FROM, Pool
from sitegen.engine.store import Store
from sitegen.load.content import build_moment
from sitegen.recipe import make_all, recipe

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import FIXED_NOW, generate  # noqa: E402


def _task(site, slug: str, title: str, place: str = "t-hof", category: str = "koken") -> None:
    site.task(slug, f"""
        title: {title}
        place: {place}
        start: "2026-12-{5 + len(slug) % 20:02d} 09:30"
        category: {category}
    """, body=f"Samen {title.lower()}.\n\n- handschoenen\n- een **goed humeur**\n")


@pytest.fixture
def three(site):
    site.place("bib", """
        name: Bib Zedelgem
        address: Stationsstraat 1, 8210 Zedelgem
    """)
    _task(site, "soep", "Soep koken")
    _task(site, "brieven", "Brieven plooien", category="plooien")
    _task(site, "boeken", "Boeken kaften", place="bib", category="plooien")
    return site


def _files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def _mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def _cold(site, tmp_path: Path, name: str) -> dict[str, bytes]:
    out = tmp_path / name
    build(site.options(out=out, cache=False))
    return _files(out)


def _renders(monkeypatch) -> list[str]:
    """The names of the templates Jinja2 renders from now on."""
    import jinja2

    rendered = []
    original = jinja2.Template.render
    monkeypatch.setattr(jinja2.Template, "render",
                        lambda self, *a, **k: rendered.append(self.name) or original(self, *a, **k))
    return rendered


def _edit(path: Path, sentence: str = "Nog een zin.") -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{sentence}\n", encoding="utf-8")


def test_cold_and_warm_builds_are_byte_identical(three, tmp_path):
    first = three.build()
    assert (three.root / CACHE_DIR / "README.txt").exists()
    cold = _files(three.out)
    second = three.build()
    assert second.report.written == 0 and second.report.removed == 0
    assert _files(three.out) == cold == _cold(three, tmp_path, "nocache")
    assert first.files.keys() == second.files.keys()


def test_editing_one_task_rewrites_only_what_shows_it(three, tmp_path):
    three.build()
    before, stamps = _files(three.out), _mtimes(three.out)
    time.sleep(0.01)
    _task(three, "soep", "Pompoensoep koken")
    three.build()
    after, restamped = _files(three.out), _mtimes(three.out)
    assert after == _cold(three, tmp_path, "reference")  # the warm build is right
    changed = {path for path in after if before.get(path) != after[path]}
    for path in ("tasks/soep/index.html", "tasks/soep.ics", "tasks/soep/poster/index.html",
                 "index.html", "places/t-hof/index.html", "calendar.ics"):
        assert path in changed, path
    for path in ("tasks/boeken/index.html", "tasks/boeken.ics", "tasks/boeken/poster/index.html",
                 "tasks/brieven/index.html", "tasks/brieven/poster/index.html", "places/bib/index.html"):
        assert path not in changed, path
    # Files whose bytes did not change were not written again.
    untouched = {path for path in after if path in before and path not in changed}
    assert untouched and all(restamped[path] == stamps[path] for path in untouched)


def test_a_warm_build_renders_only_what_changed(tmp_path, monkeypatch):
    generate(60, tmp_path)
    options = BuildOptions(root=tmp_path, jobs=1)
    build(options)
    rendered = _renders(monkeypatch)
    build(options)
    assert rendered == []
    _edit(tmp_path / "content/tasks/taak-00010.md")
    build(options)
    assert rendered.count("task.html") == 1 and rendered.count("poster_task.html") == 1
    assert rendered.count("_card.html") <= 1  # the board, place and category lists reuse the others
    assert len(rendered) < 15  # its page, poster, card and the lists showing it, not every page


def test_unchanged_files_are_not_parsed_again(three, monkeypatch):
    import yaml

    three.build()
    parsed = []
    original = yaml.CSafeLoader.get_single_node
    monkeypatch.setattr(yaml.CSafeLoader, "get_single_node",
                        lambda loader: parsed.append(loader) or original(loader))
    three.build()
    assert len(parsed) == 1  # site.yml only: its settings are read by every build
    bib = three.root / "content/places/bib.md"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Bib Zedelgem", "Bibliotheek Zedelgem"),
                   encoding="utf-8")
    parsed.clear()
    three.build()
    assert len(parsed) == 2  # and the edited place
    assert "Bibliotheek Zedelgem" in three.read("places/bib/index.html")


def test_an_unchanged_record_is_known_by_its_loading_key_not_digested_again(three):
    # A loaded task or place stands for itself in keys by the key of the recipe that loaded
    # it: digesting it again would walk every record of the site in every build.
    from sitegen.engine import Engine
    from sitegen.model import Place, Task, TaskView
    three.build()
    engine = Engine(three.root)
    build(three.options(), engine)
    assert engine.keyer.digested[TaskView] > 0  # the count is real: views are made each build
    assert engine.keyer.digested[Task] == 0 and engine.keyer.digested[Place] == 0


def test_keys_tell_apart_what_renders_apart():
    # Each kind of value has a form of its own in a key: values a page shows differently
    # must never share one, equal values always do.
    from dataclasses import dataclass, field
    from datetime import date, datetime, timedelta, timezone
    from functools import cached_property
    from zoneinfo import ZoneInfo

    from sitegen.engine.keys import Keyer
    from sitegen.recipe import recipe

    @dataclass(frozen=True)
    class Shown:
        when: object
        extra: tuple = field(default=())

        @cached_property
        def derived(self):
            return repr(self.when)

    brussels, london = ZoneInfo("Europe/Brussels"), ZoneInfo("Europe/London")
    wall = datetime(2026, 10, 25, 2, 30)
    different = [
        1, True, 1.0, "1", b"1", None, (), (1,), ((1,),), {}, {1: 1}, (1, 2), (2, 1),
        date(2026, 1, 2), datetime(2026, 1, 2), wall.replace(tzinfo=brussels),
        wall.replace(tzinfo=brussels, fold=1), wall.replace(tzinfo=london),
        wall.replace(tzinfo=timezone.utc), wall.replace(tzinfo=timezone(timedelta(hours=1))),
        timedelta(days=1), Shown(1), Shown(True), Shown(1, (2,)), Shown("S1;"), ("S1;",),
    ]
    def key(value):
        return Keyer().key(recipe(repr, value))
    keys = [key(value) for value in different]
    assert len(set(keys)) == len(different)
    assert key(wall.replace(tzinfo=ZoneInfo("Europe/Brussels"))) == keys[different.index(wall.replace(tzinfo=brussels))]
    remembered = Shown(5)
    before = key(remembered)
    remembered.derived  # a cached derived value does not change what the record is
    assert key(remembered) == before == key(Shown(5))


def test_damaged_truncated_or_foreign_store_files_are_made_again(three):
    three.build()
    expected = _files(three.out)
    folder = three.root / CACHE_DIR
    stores = sorted(folder.glob("*.pickle"))
    assert {p.name.split(".")[0] for p in stores} == {"values", "outputs"}
    for number, path in enumerate(stores):
        data = bytearray(path.read_bytes())
        if number % 3 == 0:
            data[len(data) // 2] ^= 0xFF  # garbled in the middle
        elif number % 3 == 1:
            data = data[:100]  # truncated
        else:
            data = data.replace(b"sitegen-store 1", b"sitegen-store 0", 1)  # another format
        path.write_bytes(bytes(data))
    assert Store(folder, Engine(three.root).store.fingerprint).outputs() == {}  # the garbled manifest
    # Files edited or removed by hand in public/ are not trusted either.
    (three.out / "tasks/soep/index.html").write_text("kapot", encoding="utf-8")
    (three.out / "tasks/brieven.ics").unlink()
    three.build()
    assert _files(three.out) == expected


def test_a_store_of_other_code_is_not_used(three, monkeypatch):
    three.build()
    rendered = _renders(monkeypatch)
    three.build()
    assert rendered == []
    # A new release of a library, as the running process sees it: its dist-info on sys.path.
    newer = three.root.parent / "newer"
    (newer / "Jinja2-99.0.dist-info").mkdir(parents=True)
    monkeypatch.syspath_prepend(str(newer))
    three.build()
    assert "task.html" in rendered  # nothing remembered by other code is used
    assert len(list((three.root / CACHE_DIR).glob("templates-*"))) == 1  # nor kept


def test_a_failed_build_leaves_output_and_store_as_they_were(three):
    three.build()
    output = _files(three.out)
    store = {p.name: p.read_bytes() for p in (three.root / CACHE_DIR).glob("*.pickle")}
    three.task("kapot", "title: Kapot\nplace: nergens\nstart: 2026-12-06\ncategory: koken\n")
    with pytest.raises(Exception):
        three.build()
    assert _files(three.out) == output
    assert {p.name: p.read_bytes() for p in (three.root / CACHE_DIR).glob("*.pickle")} == store


def test_check_writes_nothing(three):
    result = check(three.options())
    assert result.model.tasks
    assert not three.out.exists() and not (three.root / CACHE_DIR).exists()
    three.build()
    store = {p.name: p.read_bytes() for p in (three.root / CACHE_DIR).rglob("*") if p.is_file()}
    _task(three, "soep", "Pompoensoep koken")
    check(three.options())
    assert {p.name: p.read_bytes() for p in (three.root / CACHE_DIR).rglob("*") if p.is_file()} == store


def test_a_hand_made_file_in_the_output_goes_and_a_lost_one_comes_back(three):
    three.build()
    expected = _files(three.out)
    three.write("public/oud/index.html", "stale")
    (three.out / "tasks/soep/poster/index.html").unlink()
    report = three.build().report
    assert report.removed == 1 and report.written == 1
    assert _files(three.out) == expected and not (three.out / "oud").exists()


def test_building_into_another_folder_does_not_trust_the_first_one(three, tmp_path):
    three.build()
    other = tmp_path / "www"
    build(three.options(out=other))
    assert _files(other) == _files(three.out)
    (other / "tasks/soep/index.html").write_text("kapot", encoding="utf-8")
    three.build()  # back to public/: its manifest is not the one of www/
    build(three.options(out=other))
    assert _files(other) == _files(three.out)


def test_the_same_site_named_by_a_relative_or_an_absolute_path_shares_its_store(three, monkeypatch):
    three.build()
    monkeypatch.chdir(three.root.parent)
    rendered = _renders(monkeypatch)
    build(BuildOptions(root=Path(three.root.name), now=three.options().now))
    assert rendered == []


def test_compiled_templates_are_kept_and_compiled_again_when_edited(three, monkeypatch):
    import jinja2

    three.build()
    folders = list((three.root / CACHE_DIR).glob("templates-*"))
    assert len(folders) == 1 and len(list(folders[0].iterdir())) >= 5  # base, board, task, card …
    for code in folders[0].iterdir():  # damaged files are compiled again, never run
        data = bytearray(code.read_bytes())
        data[len(data) // 2] ^= 0xFF
        code.write_bytes(bytes(data))
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, source, name=None, *a, **k: compiled.append(name) or original(self, source, name, *a, **k))
    expected = _files(three.out)
    shutil.rmtree(three.out)
    three.build()
    assert _files(three.out) == expected and "task.html" in compiled
    compiled.clear()
    shutil.rmtree(three.out)
    three.build()
    assert compiled == []  # from the cache now
    three.write("theme/templates/404.html", "{% extends 'default/404.html' %}{% block title %}Eén{% endblock %}")
    three.build()
    three.write("theme/templates/404.html", "{% extends 'default/404.html' %}{% block title %}Twee{% endblock %}")
    three.build()
    assert "Twee" in three.read("404.html")


def test_the_store_does_not_grow_from_hour_to_hour_after_many_edits(tmp_path):
    generate(40, tmp_path)
    options = BuildOptions(root=tmp_path, jobs=1, now=FIXED_NOW)
    result = build(options)
    path = tmp_path / next(view for view in result.model.tasks if view.past).task.source
    folder = tmp_path / CACHE_DIR

    def size():
        return sum(p.stat().st_size for p in folder.glob("values.*.pickle"))

    first = size()
    for edit in range(30):  # each edit's pages, cards and events are new entries
        _edit(path, f"Zin {edit}.")
        build(options)
    for hour in range(1, 4):
        build(BuildOptions(root=tmp_path, jobs=1, now=FIXED_NOW + timedelta(hours=hour)))
    assert size() <= 1.5 * first  # what no build uses any more goes


def test_a_template_error_in_a_worker_is_a_path_line_problem(tmp_path):
    from sitegen.problems import BuildFailed

    generate(PARALLEL_FROM, tmp_path)  # big enough to render in worker processes
    override = tmp_path / "theme/templates/task.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "default/task.html" %}\n{% block main %}\n'
                        "{{ task.title + 1 }}\n{% endblock %}\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(root=tmp_path, jobs=2))
    assert [str(p) for p in failure.value.problems] == [
        "theme/templates/task.html:3: template error: this expression in the template fails: "
        'TypeError: can only concatenate str (not "int") to str']
    assert not (tmp_path / "public").exists()


def _pid(number: int) -> tuple[int, int]:
    return number, os.getpid()


def test_the_pool_makes_recipes_in_other_processes_with_the_same_values():
    pool = Pool(2)
    assert pool.worth_it(PARALLEL_FROM) and not pool.worth_it(PARALLEL_FROM - 1)
    # More than the chunks sent ahead at once: later chunks go as earlier ones come back.
    count = CHUNK_AT_MOST * 2 * 4 + 7
    recipes = [recipe(_pid, number) for number in range(count)]
    resolved = []
    try:
        made = pool.map(recipes, [None] * count, None, lambda made: resolved.append(made) or made)
    finally:
        pool.close()
    assert [number for number, _ in made] == list(range(count)) and resolved == recipes
    assert os.getpid() not in {pid for _, pid in made} and len({pid for _, pid in made}) == 2


def _gathered(parts: tuple) -> tuple[int, int]:
    return len(parts), os.getpid()


def test_a_recipe_made_of_many_values_is_made_here_beside_the_workers(tmp_path):
    # The board gathers thousands of cards: this process holds them, a worker would need a copy.
    light = [recipe(_pid, number) for number in range(PARALLEL_FROM)]
    gathering = recipe(_gathered, tuple(recipe(_pid, number) for number in range(GATHERS)))
    with Engine(tmp_path, cache=False, jobs=2) as engine:
        *made, gathered = engine.values([*light, gathering])
    assert [number for number, _ in made] == list(range(PARALLEL_FROM))
    assert os.getpid() not in {pid for _, pid in made}
    assert gathered == (GATHERS, os.getpid())


def test_recipes_made_here_or_by_the_engine_give_the_same_files(three, tmp_path):
    from sitegen.build import load, site_outputs

    options = three.options()
    with Engine(three.root, cache=False) as engine:
        model, _ = load(options, engine)
        outputs = site_outputs(model, options, engine)
    made = make_all(outputs)
    three.build()
    assert made == _files(three.out)


def test_without_source_date_epoch_the_build_moment_is_the_start_of_the_hour():
    zone = ZoneInfo("Europe/Brussels")
    moment = build_moment(zone, environ={}, clock=datetime(2026, 11, 27, 12, 34, 56, tzinfo=timezone.utc))
    assert moment == datetime(2026, 11, 27, 13, 0, tzinfo=zone)
    assert build_moment(zone, environ={"SOURCE_DATE_EPOCH": "1795000000"}) == \
        datetime.fromtimestamp(1795000000, tz=timezone.utc)


def test_sigkill_mid_build_then_a_normal_build_gives_the_uninterrupted_site(tmp_path):
    killed, reference = tmp_path / "killed", tmp_path / "reference"
    staging_before = set(Path("/dev/shm").glob("sitegen-search-*"))
    generate(120, killed)
    generate(120, reference)
    env = dict(os.environ)  # SOURCE_DATE_EPOCH is set by conftest for every test
    command = [sys.executable, "-m", "sitegen", "build", "--quiet", "--root"]
    started = time.perf_counter()
    subprocess.run(command + [str(reference)], env=env, check=True, capture_output=True)
    duration = time.perf_counter() - started
    expected = _files(reference / "public")

    # First a complete build, then edits, then builds killed at seeded random moments.
    subprocess.run(command + [str(killed)], env=env, check=True, capture_output=True)
    moments = random.Random(6).sample(range(5, 95), 4)
    for number, percent in enumerate(moments):
        for slug in ("taak-00003", "taak-00050"):
            _edit(killed / f"content/tasks/{slug}.md", f"Ronde {number}.")
            _edit(reference / f"content/tasks/{slug}.md", f"Ronde {number}.")
        process = subprocess.Popen(command + [str(killed)], env=env,
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   start_new_session=True)
        time.sleep(duration * percent / 100)
        os.killpg(process.pid, signal.SIGKILL)  # the build and its workers, mid-way
        process.wait()
    subprocess.run(command + [str(reference)], env=env, check=True, capture_output=True)
    subprocess.run(command + [str(killed)], env=env, check=True, capture_output=True)
    assert not list((killed / "public").rglob("*.sitegen-tmp"))
    assert _files(killed / "public") == _files(reference / "public")
    # A killed build cannot remove its Pagefind staging folder (search.py): tidy up after it.
    for leftover in set(Path("/dev/shm").glob("sitegen-search-*")) - staging_before:
        if (leftover / "site/tasks/taak-00003").is_dir():  # ours, not another build's in progress
            shutil.rmtree(leftover, ignore_errors=True)
    assert _files(reference / "public") != expected  # the edits did reach the site


def test_a_first_build_killed_mid_way_then_a_normal_build_gives_the_uninterrupted_site(tmp_path):
    """The first build into a new folder renames its staging folder there (write.py): killed
    before, during or after that, the next build still makes exactly the whole site."""
    killed, reference = tmp_path / "killed", tmp_path / "reference"
    generate(PARALLEL_FROM + 20, killed)  # workers stage, the rename is used
    generate(PARALLEL_FROM + 20, reference)
    command = [sys.executable, "-m", "sitegen", "build", "--quiet", "--root"]
    started = time.perf_counter()
    subprocess.run(command + [str(reference)], check=True, capture_output=True)
    duration = time.perf_counter() - started
    for percent in (40, 80, 97):
        for leftover in (killed / "public", killed / CACHE_DIR):
            shutil.rmtree(leftover, ignore_errors=True)
        process = subprocess.Popen(command + [str(killed)], stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(duration * percent / 100)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        subprocess.run(command + [str(killed)], check=True, capture_output=True)
        assert _files(killed / "public") == _files(reference / "public"), percent
        assert not list(killed.glob(".public.staging-*")) and not list(killed.glob(".public.backup-*"))

"""The build cache: warm builds equal cold ones, edits touch only what they change, bad caches are rebuilt."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from sitegen import BuildOptions, build
from sitegen.cache import CACHE_DIR, FORMAT, BuildCache

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
from generate import generate  # noqa: E402
from conftest import require  # noqa: E402


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


def _files(out: Path, skip_search: bool = True) -> dict[str, bytes]:
    # Pagefind's own bundle differs from run to run (see search.py); the cache reuses it,
    # so only a cold build without cache makes a new one: compare everything else.
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not (skip_search and p.relative_to(out).parts[0] == "pagefind")}


def _mtimes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}


def _cold(site, tmp_path: Path, name: str) -> dict[str, bytes]:
    out = tmp_path / name
    build(site.options(out=out, cache=False))
    return _files(out)


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
                 "index.html", "places/t-hof/index.html", "calendar.ics", "feed.json",
                 "tasks/soep/signup-sheet/index.html", "places/t-hof/feed.json"):
        assert path in changed, path
    for path in ("tasks/boeken/index.html", "tasks/boeken.ics", "tasks/boeken/poster/index.html",
                 "tasks/brieven/index.html", "tasks/brieven/poster/index.html", "places/bib/index.html",
                 "tasks/boeken/signup-sheet/index.html", "places/bib/feed.json", "_redirects"):
        assert path not in changed, path
    # Files whose bytes did not change were not written again.
    untouched = {path for path in after if path in before and path not in changed}
    assert untouched and all(restamped[path] == stamps[path] for path in untouched)


def test_corrupted_truncated_or_stale_cache_is_discarded(three, tmp_path):
    three.build()
    expected = _files(three.out)
    folder = three.root / CACHE_DIR
    stores = sorted(folder.glob("*.pickle"))
    assert {p.name.split(".")[0] for p in stores} >= {"bodies", "pages", "records", "manifest", "qr"}
    # One store garbled in the middle, one truncated, one from another version (each of their shards).
    for garbled in folder.glob("pages.*.pickle"):
        data = bytearray(garbled.read_bytes())
        data[len(data) // 2] ^= 0xFF
        garbled.write_bytes(bytes(data))
    for truncated in folder.glob("records.*.pickle"):
        truncated.write_bytes(truncated.read_bytes()[:100])
    for stale in folder.glob("bodies.*.pickle"):
        stale.write_bytes(stale.read_bytes().replace(FORMAT, b"sitegen-cache 0\n", 1))
    cache = BuildCache.for_site(three.root)
    assert cache.get_store("pages") == {} and cache.get_store("records") == {}
    assert cache.get_store("bodies") == {}
    assert sorted(cache.discarded) == ["bodies", "pages", "records"]
    # A page edited by hand in public/ is not trusted either.
    (three.out / "tasks/soep/index.html").write_text("kapot", encoding="utf-8")
    (three.out / "tasks/brieven.ics").unlink()
    three.build()
    assert _files(three.out) == expected
    assert BuildCache.for_site(three.root).discarded == []  # rewritten whole


def test_cache_from_other_code_is_not_used(three):
    three.build()
    other = BuildCache(three.root / CACHE_DIR, fingerprint=b"another version" + bytes(17))
    assert other.get_store("pages") == {} and "pages" in other.discarded


def test_a_failed_build_leaves_output_and_cache_as_they_were(three):
    three.build()
    output = _files(three.out, skip_search=False)
    cache = {p.name: p.read_bytes() for p in (three.root / CACHE_DIR).iterdir()}
    three.task("kapot", "title: Kapot\nplace: nergens\nstart: 2026-12-06\ncategory: koken\n")
    with pytest.raises(Exception):
        three.build()
    assert _files(three.out, skip_search=False) == output
    assert {p.name: p.read_bytes() for p in (three.root / CACHE_DIR).iterdir()} == cache


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
            path = killed / f"content/tasks/{slug}.md"
            path.write_text(path.read_text(encoding="utf-8") + f"\nRonde {number}.\n", encoding="utf-8")
            ref = reference / f"content/tasks/{slug}.md"
            ref.write_text(ref.read_text(encoding="utf-8") + f"\nRonde {number}.\n", encoding="utf-8")
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
    """The first build into a new folder renames its staging folder there (output.py): killed
    before, during or after that, the next build still makes exactly the whole site."""
    killed, reference = tmp_path / "killed", tmp_path / "reference"
    generate(320, killed)  # at least PARALLEL_FROM tasks: workers stage, the rename is used
    generate(320, reference)
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
        assert not list(killed.glob(".public.staging-*"))


def test_building_into_another_folder_does_not_trust_the_first_one(three, tmp_path):
    three.build()
    other = tmp_path / "www"
    build(three.options(out=other))
    assert _files(other) == _files(three.out)
    (other / "tasks/soep/index.html").write_text("kapot", encoding="utf-8")
    three.build()  # back to public/: its manifest is not the one of www/
    build(three.options(out=other))
    assert _files(other) == _files(three.out)


def test_a_template_error_in_a_worker_is_a_path_line_problem(tmp_path):
    from sitegen.parallel import PARALLEL_FROM
    from sitegen.problems import BuildFailed

    generate(PARALLEL_FROM, tmp_path)  # big enough to render in worker processes
    override = tmp_path / "theme/templates/task.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "default/task.html" %}\n{% block main %}\n'
                        "{{ task.title + 1 }}\n{% endblock %}\n", encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        build(BuildOptions(root=tmp_path, jobs=2))
    assert [str(p) for p in failure.value.problems] == [
        'theme/templates/task.html:3: template error: TypeError: can only concatenate str (not "int") to str']
    assert not (tmp_path / "public").exists()


def test_a_warm_build_renders_only_what_changed(tmp_path, monkeypatch):
    import jinja2

    generate(60, tmp_path)
    cache = BuildCache.for_site(tmp_path)
    cache.autosave = False  # as serve keeps it: in memory between builds
    options = BuildOptions(root=tmp_path, jobs=1)
    build(options, cache)  # cold: tasks parsed from their files
    rendered = []
    original = jinja2.Template.render
    monkeypatch.setattr(jinja2.Template, "render",
                        lambda self, *a, **k: rendered.append(self.name) or original(self, *a, **k))
    build(options, cache)  # warm: the same tasks, now from the cache, must give the same keys
    assert rendered == []
    task = tmp_path / "content/tasks/taak-00010.md"
    task.write_text(task.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    build(options, cache)
    assert rendered.count("task.html") == 1 and rendered.count("poster_task.html") == 1
    assert rendered.count("_card.html") == 1  # the board, place and category lists reuse the others
    assert len(rendered) < 15  # the board, its place and category pages, not every page
    cache.flush()
    rendered.clear()
    build(options)  # a one-shot build: everything from the cache on disk
    assert rendered == []


def test_a_one_edit_build_rewrites_few_cache_files_and_keeps_the_bodies_it_did_not_read(tmp_path, monkeypatch):
    from sitegen.markup import MarkdownRenderer

    generate(200, tmp_path)
    settled = time.time() - 60  # older than the racy-mtime window: their stats are remembered at once
    for file in (tmp_path / "content").rglob("*.md"):
        os.utime(file, (settled, settled))
    options = BuildOptions(root=tmp_path, jobs=1)
    folder = tmp_path / CACHE_DIR

    def edit(slug: str) -> list[str]:
        before = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pickle")}
        task = tmp_path / f"content/tasks/{slug}.md"
        task.write_text(task.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
        os.utime(task, (settled + 1, settled + 1))
        build(options)
        after = {p.name: p.stat().st_mtime_ns for p in folder.glob("*.pickle")}
        return [name for name in after if before.get(name) != after[name]]

    build(options)
    edit("taak-00010")  # the first edit drops what only the cold build used (every poster's QR code)
    rewritten = edit("taak-00011")
    stores = {p.name for p in folder.glob("*.pickle")}
    assert 0 < len(rewritten) < len(stores) / 4, sorted(rewritten)
    # The edited file's stat, hash and record are one entry: one shard of one store.
    assert len([name for name in rewritten if name.startswith("records.")]) == 1, sorted(rewritten)
    assert not any(name.startswith("stats.") for name in stores)
    # The other tasks' bodies were not read by those builds, yet are still there: a change
    # to another task's front matter only does not run Markdown again.
    other = tmp_path / "content/tasks/taak-00020.md"
    other.write_text(other.read_text(encoding="utf-8").replace("\n---\n", "\ndraft: false\n---\n", 1),
                     encoding="utf-8")
    converted = []
    original = MarkdownRenderer.render
    monkeypatch.setattr(MarkdownRenderer, "render", lambda self, text: converted.append(text) or original(self, text))
    build(options)
    assert converted == []


def test_workers_stage_their_files_beside_the_output_and_give_the_one_process_site(tmp_path):
    staged, serial = tmp_path / "staged", tmp_path / "serial"
    generate(320, staged)  # at least PARALLEL_FROM tasks: workers render and stage
    generate(320, serial)
    dead = staged / ".public.staging-999999999"  # left by a build killed long ago
    (dead / "tasks").mkdir(parents=True)
    result = build(BuildOptions(root=staged, jobs=2))
    build(BuildOptions(root=serial, jobs=1))
    assert _files(staged / "public") == _files(serial / "public")
    assert not list(staged.glob(".public.staging-*"))  # its own and the dead one's
    page = "tasks/taak-00007/index.html"
    assert result.files[page] == (staged / "public" / page).read_bytes()  # read on demand
    # One edit, built again by workers: only what shows that task is written.
    path = staged / "content/tasks/taak-00007.md"
    path.write_text(path.read_text(encoding="utf-8") + "\nNog iets.\n", encoding="utf-8")
    report = build(BuildOptions(root=staged, jobs=2)).report
    assert b"Nog iets." in (staged / "public" / page).read_bytes()
    assert 3 <= report.written < 20 and report.removed == 0


def test_a_first_build_into_a_new_folder_moves_the_staging_folder_there_whole(tmp_path, monkeypatch):
    from sitegen import output
    generate(320, tmp_path)  # at least PARALLEL_FROM tasks: workers render and stage
    one_by_one = []
    real_replace = output._replace
    monkeypatch.setattr(output, "_replace", lambda *a, **k: one_by_one.append(a[0]) or real_replace(*a, **k))
    first = build(BuildOptions(root=tmp_path, jobs=2))
    assert one_by_one == [] and first.report.written == len(_files(tmp_path / "public", skip_search=False))
    assert not list(tmp_path.glob(".public.staging-*"))
    # The same bytes as a build that writes file by file into a folder holding something else.
    other = tmp_path / "www"
    other.mkdir()
    (other / "old.txt").write_text("van vroeger", encoding="utf-8")
    build(BuildOptions(root=tmp_path, jobs=2, out=other))
    assert one_by_one and _files(other, skip_search=False) == _files(tmp_path / "public", skip_search=False)
    # The manifest describes the moved folder: the next build trusts it and writes nothing.
    assert build(BuildOptions(root=tmp_path, jobs=2)).report.written == 0


def test_serve_never_flushes_an_emptied_store(tmp_path):
    from sitegen.cache import BuildCache
    folder = tmp_path / "cache"
    one_shot = BuildCache(folder, b"code")
    one_shot.put("qr", "a", 1)
    one_shot.save()  # a one-shot build wrote the store to disk
    serving = BuildCache(folder, b"code")
    serving.autosave = False
    serving.put("qr", "b", 2)
    serving.save()  # a rebuild changed the store (in memory)
    serving.save()  # the next rebuild did not use it: it stays as the last build that used it left it
    serving.flush()
    # The store on disk is the one the serving session last used, never an empty one.
    assert BuildCache(folder, b"code").get("qr", "b") == 2


def test_a_store_a_build_did_not_touch_is_kept_for_the_next(tmp_path):
    from sitegen.cache import MISSING, BuildCache
    serving = BuildCache(tmp_path / "cache", b"code")
    serving.autosave = False
    serving.put("cards", "a", "<article>")
    serving.save()
    serving.save()  # a build whose board was remembered looked up no card
    assert serving.get("cards", "a") == "<article>"
    assert serving.get("cards", "b") is MISSING


def _record_compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja2 compiles from now on (not loaded from the code cache)."""
    import jinja2

    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile",
                        lambda self, source, name=None, *a, **k: compiled.append(name) or original(self, source, name, *a, **k))
    return compiled


def test_compiled_templates_are_kept_checked_and_compiled_again_when_edited(three, monkeypatch):
    from sitegen import render
    monkeypatch.setattr(render, "_TEMPLATE_CODE", render.TemplateCode())  # as in a new process
    three.build()
    expected = _files(three.out)
    codes = sorted((three.root / CACHE_DIR / "templates").glob("*.jinja"))
    assert len(codes) >= 5  # base, board, task, place, card …
    for code in codes:  # damaged files are compiled again, never unmarshalled
        data = bytearray(code.read_bytes())
        data[len(data) // 2] ^= 0xFF
        code.write_bytes(bytes(data))
    monkeypatch.setattr(render, "_TEMPLATE_CODE", render.TemplateCode())
    compiled = _record_compiles(monkeypatch)
    shutil.rmtree(three.out)
    three.build()
    assert _files(three.out) == expected and "task.html" in compiled
    # A site's own template, edited between builds in one process, is compiled again.
    three.write("theme/templates/404.html", "{% extends 'default/404.html' %}{% block title %}Eén{% endblock %}")
    three.build()
    three.write("theme/templates/404.html", "{% extends 'default/404.html' %}{% block title %}Twee{% endblock %}")
    three.build()
    assert "Twee" in three.read("404.html")


def test_an_event_remembered_without_a_plan_still_follows_its_place(three):
    # check() renders without an output folder, so reuse.plan gives the views no key;
    # the task's calendar event still shows its place, which is not part of the task.
    from sitegen.build import check

    feed = "tasks/boeken.ics"
    first = check(three.options())
    assert feed in first.files, sorted(first.files)
    assert "Stationsstraat 1" in first.files[feed].decode()
    three.place("bib", """
        name: Bib Zedelgem
        address: Markt 9, 8210 Zedelgem
    """)
    again = check(three.options()).files[feed].decode()
    assert "Markt 9" in again and "Stationsstraat 1" not in again


def test_compiled_templates_of_another_version_are_compiled_again(three, monkeypatch):
    # Jinja2 checks only its bytecode format number and the template source: code compiled
    # by another Jinja2 release (same format number) must not be run by this one.

    from sitegen import cache, render
    monkeypatch.setattr(render, "_TEMPLATE_CODE", render.TemplateCode())
    three.build()
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"another Jinja2 release" + bytes(10))
    monkeypatch.setattr(render, "_TEMPLATE_CODE", render.TemplateCode())  # as in a new process
    compiled = _record_compiles(monkeypatch)
    shutil.rmtree(three.out)
    three.build()
    assert "task.html" in compiled and "board.html" in compiled


def test_a_check_between_builds_keeps_what_the_next_build_needs(tmp_path, monkeypatch):
    # `sitegen check` then `sitegen build` (as CI does): the check must not drop the cards
    # and calendar events the build remembered, or the next one-edit build renders them all.
    import jinja2

    from sitegen.build import check
    from sitegen import calendar

    generate(60, tmp_path)
    options = BuildOptions(root=tmp_path, jobs=1)
    build(options)
    check(options)
    task = tmp_path / "content/tasks/taak-00010.md"
    task.write_text(task.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    rendered, events = [], []
    original = jinja2.Template.render
    monkeypatch.setattr(jinja2.Template, "render",
                        lambda self, *a, **k: rendered.append(self.name) or original(self, *a, **k))
    original_event = calendar.event
    monkeypatch.setattr(calendar, "event", lambda *a: events.append(a[1]) or original_event(*a))
    build(options)
    assert rendered.count("_card.html") == 1
    assert [view.task.slug for view in events] == ["taak-00010"]


def test_unchanged_places_are_not_parsed_again_and_keep_their_problems(three, monkeypatch):
    from sitegen import content
    from sitegen.problems import BuildFailed

    settled = time.time() - 60  # older than the racy-mtime window: their stats are remembered
    three.place("kerk", "name: Kerk\naddress: Kerkplein 1, 8210 Zedelgem\nhours: elke dag\n")
    for file in (three.root / "content").rglob("*.md"):
        os.utime(file, (settled, settled))
    three.build()
    loaded = []
    original = content._load_place
    monkeypatch.setattr(content, "_load_place", lambda path, *rest: loaded.append(path) or original(path, *rest))
    three.build()
    assert loaded == []
    # An edited place is read again, and shows its new text.
    bib = three.root / "content/places/bib.md"
    bib.write_text(bib.read_text(encoding="utf-8").replace("Bib Zedelgem", "Bibliotheek Zedelgem"),
                   encoding="utf-8")
    three.build()
    assert loaded == ["content/places/bib.md"]
    assert "Bibliotheek Zedelgem" in (three.out / "places/bib/index.html").read_text(encoding="utf-8")
    # A place with a mistake keeps reporting it, build after build.
    kerk = three.root / "content/places/kerk.md"
    kerk.write_text(kerk.read_text(encoding="utf-8").replace("hours: elke dag", "hours: [1, 2]"),
                    encoding="utf-8")
    os.utime(kerk, (settled + 1, settled + 1))
    for _ in range(2):
        with pytest.raises(BuildFailed) as failed:
            three.build()
        assert [(p.path, p.line) for p in failed.value.problems] == [("content/places/kerk.md", 4)]


def test_the_output_check_in_another_process_still_finds_hand_edits(three, tmp_path, monkeypatch, forking):
    from sitegen import output

    monkeypatch.setattr(output, "CHECK_BESIDE_FROM", 0)  # as at 10 000 tasks: stats in a forked child
    checked_in = tmp_path / "checked-in"
    original = output.check_folder
    monkeypatch.setattr(output, "check_folder", lambda *args: (
        checked_in.write_text(str(os.getpid())), original(*args))[1])
    three.build()
    expected = _files(three.out)
    (three.out / "tasks/soep/index.html").write_text("kapot", encoding="utf-8")  # in place
    (three.out / "tasks/brieven.ics").unlink()
    (three.out / "tasks/vreemd.html").write_text("niet van ons", encoding="utf-8")
    three.build()
    assert checked_in.read_text() != str(os.getpid())
    assert _files(three.out) == expected


def test_after_an_edit_feeds_render_in_a_forked_process_and_the_site_equals_a_cold_one(
        tmp_path, monkeypatch, forking):
    from generate import FIXED_NOW

    build_module = sys.modules["sitegen.build"]  # (sitegen.build names the function too)

    site, cold = tmp_path / "site", tmp_path / "cold"
    generate(320, site)  # at least PARALLEL_FROM tasks: a few edits split the site-wide stages
    build(BuildOptions(root=site, jobs=2, now=FIXED_NOW))
    rendered_in = tmp_path / "feeds-rendered-in"
    original = build_module.render_feeds
    monkeypatch.setattr(build_module, "render_feeds", lambda *args: (
        rendered_in.write_text(str(os.getpid())), original(*args))[1])
    upcoming = sorted(site.glob("content/tasks/*.md"))[7]
    text = upcoming.read_text(encoding="utf-8")
    title = text.split("title: ", 1)[1].split("\n", 1)[0]
    upcoming.write_text(text.replace(title, '"Nieuwe titel"', 1), encoding="utf-8")
    build(BuildOptions(root=site, jobs=2, now=FIXED_NOW))
    assert rendered_in.read_text() != str(os.getpid())
    shutil.copytree(site, cold, ignore=shutil.ignore_patterns("public", CACHE_DIR))
    build(BuildOptions(root=cold, jobs=1, cache=False, now=FIXED_NOW))
    assert _files(site / "public") == _files(cold / "public")
    assert b"Nieuwe titel" in (site / "public/calendar.ics").read_bytes()
    # What the forked process kept without reading travelled back: where every feed's events lie.
    layouts = BuildCache.for_site(site).get_store("feeds")
    feeds = {p.relative_to(site / "public").as_posix() for p in (site / "public").rglob("*.ics")
             if p.parent.name != "tasks"}
    assert layouts.keys() == feeds


def test_saving_splits_entries_into_the_shards_reading_looks_in():
    from sitegen.cache import _by_shard, shard_of

    keys = [bytes([n]) * 32 for n in range(40)] + [f"tasks/taak-{n:05d}/index.html" for n in range(40)]
    keys += ["content/tasks/caf\udce9.md", ("a", 1), b""]  # a file name that is not UTF-8, a tuple
    split = _by_shard({key: n for n, key in enumerate(keys)})
    assert {key: shard for shard, entries in split.items() for key in entries} == {key: shard_of(key) for key in keys}


def test_only_the_feeds_showing_an_edited_task_are_made_again(three, tmp_path, monkeypatch):
    from sitegen import calendar

    three.build()
    made = []
    original = calendar.calendar_bytes
    monkeypatch.setattr(calendar, "calendar_bytes", lambda model, name, *rest: (
        made.append(name), original(model, name, *rest))[1])
    three.build()
    assert made == []  # nothing changed: every feed kept where it is
    task = three.root / "content/tasks/soep.md"
    task.write_text(task.read_text(encoding="utf-8").replace("Soep koken", "Soep en brood"), encoding="utf-8")
    three.build()
    # The site's feed, its place's and category's, and its own: not the other place's or category's.
    assert len(made) == 4 and any("Soep en brood" in name for name in made)
    assert _files(three.out) == _cold(three, tmp_path, "cold")
    assert b"Soep en brood" in (three.out / "places/t-hof.ics").read_bytes()


def test_editing_a_past_task_then_an_upcoming_one_renders_one_card_each(tmp_path, monkeypatch):
    from generate import FIXED_NOW

    from sitegen import render

    generate(120, tmp_path)
    options = BuildOptions(root=tmp_path, jobs=1, now=FIXED_NOW)
    build(options)
    result = build(options)
    past = next(view for view in result.model.tasks if view.past)
    upcoming = next(view for view in result.model.tasks if not view.past)
    cards = []
    original = render.Pages._render_card
    monkeypatch.setattr(render.Pages, "_render_card", lambda pages, view: (
        cards.append(view.task.slug), original(pages, view))[1])
    for view in (past, upcoming):
        path = tmp_path / view.task.source
        path.write_text(path.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
        build(options)
    # The past task's build used one card of its shard: the others stay for the board.
    assert cards == [past.task.slug, upcoming.task.slug]


def test_card_versions_of_repeated_edits_do_not_pile_up(tmp_path):
    from datetime import timedelta

    from generate import FIXED_NOW

    generate(120, tmp_path)
    options = BuildOptions(root=tmp_path, jobs=1, now=FIXED_NOW)
    result = build(options)
    path = tmp_path / next(view for view in result.model.tasks if not view.past).task.source
    counts = []
    for edit in range(6):
        path.write_text(path.read_text(encoding="utf-8").replace("\ntitle: ", f"\ntitle: {edit} ", 1),
                        encoding="utf-8")
        build(options)
        counts.append(len(BuildCache.for_site(tmp_path).get_store("cards")))
    assert counts[-1] <= counts[1]  # each edit's board uses most cards: older versions go
    # A build that makes every list again (the next hour's) keeps only what it used.
    build(replace(options, now=FIXED_NOW + timedelta(hours=1)))
    assert len(BuildCache.for_site(tmp_path).get_store("cards")) <= len(result.model.tasks)


def test_the_cache_does_not_grow_from_hour_to_hour_after_many_edits(tmp_path):
    from datetime import timedelta

    from generate import FIXED_NOW

    generate(40, tmp_path)
    options = BuildOptions(root=tmp_path, jobs=1, now=FIXED_NOW)
    result = build(options)
    path = tmp_path / next(view for view in result.model.tasks if view.past).task.source
    for edit in range(50):  # each edit's pages, cards and events are new entries
        path.write_text(path.read_text(encoding="utf-8") + f"\nZin {edit}.\n", encoding="utf-8")
        build(options)

    def sizes():
        cache = BuildCache.for_site(tmp_path)
        return {store: len(cache.get_store(store)) for store in ("pages", "cards", "ics-events", "bodies")}

    hourly = []
    for hour in range(1, 5):
        build(replace(options, now=FIXED_NOW + timedelta(hours=hour)))
        hourly.append(sizes())
    # Each hour makes every page, card and event again: what the hour before made goes
    # (a shard no new entry falls in keeps its few until one does: 40 tasks, 16 shards).
    for store in hourly[0]:
        assert max(sizes[store] for sizes in hourly) <= 1.25 * hourly[0][store], (store, hourly)
    assert hourly[-1]["cards"] <= 1.25 * len(result.model.tasks)


def _git_commit_all(root: Path) -> None:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.be",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.be",
           "GIT_AUTHOR_DATE": "2026-11-01T10:00:00+00:00", "GIT_COMMITTER_DATE": "2026-11-01T10:00:00+00:00"}
    for args in (["init", "-q"], ["add", "content"], ["commit", "-q", "-m", "tasks"]):
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)


@pytest.mark.parametrize("in_git", [True, False])
def test_a_build_later_renders_what_moved_and_gives_the_cold_build_of_that_moment(tmp_path, in_git,
                                                                                 monkeypatch):
    """Pages are keyed by where their tasks lie in time, not by the build moment itself."""
    from datetime import timedelta

    import jinja2

    from generate import FIXED_NOW

    site = tmp_path / "site"
    generate(60, site)
    endless = site / "content/tasks/elke-week.md"  # an endless repeat: its horizon moves each day
    text = (site / "content/tasks/taak-00003.md").read_text(encoding="utf-8")
    endless.write_text(text.replace("  until: 2027-03-10\n", ""), encoding="utf-8")
    if in_git:
        require(shutil.which("git") is not None, "git is not installed")
        _git_commit_all(site)
    options = BuildOptions(root=site, jobs=1, now=FIXED_NOW)
    build(options)
    rendered = []
    original = jinja2.Template.render
    monkeypatch.setattr(jinja2.Template, "render",
                        lambda self, *a, **k: rendered.append(self.name) or original(self, *a, **k))
    # An hour later, a day later, past the end of an occurrence, into the next year.
    for later in (timedelta(hours=1), timedelta(days=1), timedelta(days=9), timedelta(days=40)):
        moment = FIXED_NOW + later
        rendered.clear()
        build(replace(options, now=moment))
        if later == timedelta(hours=1):
            # No task moved within that hour: no page is rendered again. (Outside git each
            # task's event carries the build moment as DTSTAMP: its .ics is made again.)
            assert rendered.count("task.html") == 0 and rendered.count("poster_task.html") == 0
        cold = tmp_path / f"cold-{later.days}-{later.seconds}"
        build(replace(options, now=moment, out=cold, cache=False))
        assert _files(site / "public") == _files(cold), later


def test_a_theme_that_shows_the_build_moment_gets_its_pages_rendered_at_each_moment(tmp_path):
    from datetime import timedelta

    from generate import FIXED_NOW

    site = tmp_path / "site"
    generate(20, site)
    _git_commit_all(site)
    override = site / "theme/templates/task.html"
    override.parent.mkdir(parents=True)
    override.write_text('{% extends "default/task.html" %}\n{% block main %}{{ super() }}'
                        "<p>Bijgewerkt om {{ now.hour }} uur</p>{% endblock %}\n", encoding="utf-8")
    poster = site / "theme/templates/poster_task.html"  # the word alone does not count
    poster.write_text('{% extends "default/poster_task.html" %}\n'
                      "{% block sheet %}<p>Sign up now!</p>{{ super() }}{% endblock %}\n", encoding="utf-8")
    options = BuildOptions(root=site, jobs=1, now=FIXED_NOW)
    build(options)
    later = FIXED_NOW + timedelta(hours=1)
    build(replace(options, now=later))
    build(replace(options, now=later, out=tmp_path / "cold", cache=False))
    assert _files(site / "public") == _files(tmp_path / "cold")
    page = next((site / "public/tasks").glob("*/index.html")).read_text(encoding="utf-8")
    assert f"Bijgewerkt om {later.hour} uur" in page

    from sitegen.memo import _reads_now
    assert _reads_now(override.read_bytes()) and not _reads_now(poster.read_bytes())
    assert not _reads_now(b"{% set now = 1 %}{{ now }}") and _reads_now(b"{% macro m() %}{{ now }}{% endmacro %}")


def test_on_one_core_the_output_check_runs_in_the_build_s_process(three, tmp_path, monkeypatch, forking):
    from sitegen import output, parallel

    monkeypatch.setattr(output, "CHECK_BESIDE_FROM", 0)
    monkeypatch.setattr(parallel, "cores", lambda: 1)
    checked_in = tmp_path / "checked-in"
    original = output.check_folder
    monkeypatch.setattr(output, "check_folder", lambda *args: (
        checked_in.write_text(str(os.getpid())), original(*args))[1])
    three.build()
    three.build()
    assert checked_in.read_text() == str(os.getpid())


def test_remembered_pages_the_output_holds_are_neither_read_nor_rewritten(three, tmp_path, monkeypatch):
    """After an edit, the place pages and posters the edit does not show are kept where they
    are, unread; a hand-edited one is rendered and written again."""
    three.build()
    soep = three.root / "content/tasks/soep.md"
    soep.write_text(soep.read_text(encoding="utf-8") + "\nNog een zin.\n", encoding="utf-8")
    poster = three.out / "places/bib/poster/index.html"
    poster.write_bytes(b"hand-edited")
    read = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda self: read.append(self) or original(self))
    before = _mtimes(three.out)
    three.build(jobs=1)
    unread = {"places/bib/index.html", "categories/plooien/index.html", "places/bib/embed/index.html"}
    assert not [path for path in read if path.is_relative_to(three.out)
                and path.relative_to(three.out).as_posix() in unread]
    after = _mtimes(three.out)
    assert all(after[path] == before[path] for path in unread)
    assert after["places/bib/poster/index.html"] != before["places/bib/poster/index.html"]
    assert _files(three.out) == _cold(three, tmp_path, "cold")


def test_the_subscribe_page_is_made_again_only_when_its_settings_or_places_change(three, monkeypatch):
    from sitegen import calendar

    three.build()
    made = []
    original = calendar.feed_links
    monkeypatch.setattr(calendar, "feed_links", lambda model, thing: made.append(thing) or original(model, thing))
    task = three.root / "content/tasks/soep.md"
    task.write_text(task.read_text(encoding="utf-8").replace("Soep koken", "Soep en brood"), encoding="utf-8")
    three.build()
    assert made == []  # a task edit: the remembered page stays where it is
    place = three.root / "content/places/bib.md"
    place.write_text(place.read_text(encoding="utf-8").replace("Bib Zedelgem", "Bibliotheek Zedelgem"),
                     encoding="utf-8")
    three.build()
    assert made and "Bibliotheek Zedelgem" in three.read("subscribe/index.html")


def test_a_changed_feed_takes_the_other_events_from_its_last_version(three, tmp_path, monkeypatch):
    """After an edit, the feeds showing the task are made from their files as last written
    plus the edited event: no other event is looked up. A hand-edited feed is made whole."""
    from sitegen import calendar

    three.build()
    looked_up = []
    original = calendar.serialised_events
    monkeypatch.setattr(calendar, "serialised_events", lambda model, views, history: (
        looked_up.extend(view.task.slug for view in views), original(model, views, history))[1])
    task = three.root / "content/tasks/soep.md"
    task.write_text(task.read_text(encoding="utf-8").replace("Soep koken", "Soep en brood"), encoding="utf-8")
    three.build(jobs=1)
    assert set(looked_up) == {"soep"}  # its own feed, then the site's, place's and category's
    assert _files(three.out) == _cold(three, tmp_path, "cold")

    looked_up.clear()
    site_feed = three.out / "calendar.ics"
    site_feed.write_bytes(site_feed.read_bytes().replace(b"Brieven plooien", b"Brieven PLOOIEN"))
    task.write_text(task.read_text(encoding="utf-8").replace("Soep en brood", "Soep"), encoding="utf-8")
    three.build(jobs=1)
    assert {"soep", "brieven", "boeken"} <= set(looked_up)  # the site's feed: every event again
    assert _files(three.out) == _cold(three, tmp_path, "cold2")


def test_the_same_site_named_by_a_relative_or_an_absolute_path_shares_its_cache(three, monkeypatch):
    """`sitegen build --root site` and `--root /abs/site` (or `cd site; sitegen build`) are
    one site: the second renders nothing and parses no file again."""
    import jinja2

    from sitegen import content

    monkeypatch.chdir(three.root.parent)
    relative = Path(three.root.name)
    build(BuildOptions(root=relative, now=three.options().now))
    rendered, parsed = [], []
    original = jinja2.Template.render
    monkeypatch.setattr(jinja2.Template, "render",
                        lambda self, *a, **k: rendered.append(self.name) or original(self, *a, **k))
    original_split = content.split_front_matter
    monkeypatch.setattr(content, "split_front_matter", lambda text: parsed.append(text) or original_split(text))
    build(BuildOptions(root=three.root.resolve(), now=three.options().now))
    assert rendered == [] and parsed == []


def test_feeds_spliced_over_a_series_of_edits_equal_cold_builds(three, tmp_path):
    """Each change a coordinator makes — a new title, another place, an earlier date (the
    events reorder), a new task, a removed one, a renamed place — leaves every feed as a
    cold build makes it, though the changed feeds are made from their last versions."""
    tasks = three.root / "content/tasks"

    def change(slug: str, old: str, new: str) -> None:
        path = tasks / f"{slug}.md"
        path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")

    steps = [
        lambda: change("soep", "Soep koken", "Soep en brood"),
        lambda: change("brieven", "place: t-hof", "place: bib"),
        lambda: change("boeken", "2026-12-11", "2026-12-02"),  # now the first event of every feed it is in
        lambda: _task(three, "fietsen", "Fietsen herstellen", place="bib"),
        lambda: (tasks / "soep.md").unlink(),
        lambda: (three.root / "content/places/bib.md").write_text(
            (three.root / "content/places/bib.md").read_text(encoding="utf-8").replace(
                "Bib Zedelgem", "Bibliotheek"), encoding="utf-8"),
    ]
    three.build()
    for number, step in enumerate(steps):
        step()
        three.build(jobs=1)
        feeds = {path: data for path, data in _files(three.out).items() if path.endswith(".ics")}
        cold = {path: data for path, data in _cold(three, tmp_path, f"cold{number}").items()
                if path.endswith(".ics")}
        assert feeds == cold, f"after step {number}"


def test_a_build_runs_without_the_cycle_collector_and_leaves_little_for_it(tmp_path, monkeypatch):
    """build.no_collections: the collector rests during a build (its forked workers too),
    which is safe because a build makes almost no reference cycles; after it, the collector
    runs again and the build's objects are out of its youngest generation."""
    import gc

    from sitegen import build as build_function  # noqa: F401  (sitegen.build names the function)

    build_module = sys.modules["sitegen.build"]
    generate(60, tmp_path)
    seen = []
    original = build_module.render_pages
    monkeypatch.setattr(build_module, "render_pages", lambda *args: seen.append(gc.isenabled()) or original(*args))
    gc.collect()
    result = build(BuildOptions(root=tmp_path, jobs=1))
    assert seen == [False] and gc.isenabled()
    assert gc.get_count()[0] < 1000  # the build's objects moved to the oldest generation
    # Cyclic garbage: the build's cache and template environments, and a small cycle per
    # Markdown body rendered (Python-Markdown's) — a few dozen objects a task, not pages' worth.
    assert gc.collect() < 100 * len(result.model.tasks)

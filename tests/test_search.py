"""The Pagefind index: what is in it, its filters, its shards, and how a broken Pagefind fails the build."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from search_fixture import SEARCHABLE, write_board
from sitegen.leftovers import STALE_AFTER
from sitegen.outputs import search
from sitegen.problems import BuildError


def _records(files: dict[str, bytes]) -> dict[str, dict]:
    """The indexed pages as Pagefind stored them, by URL (fragments are gzipped JSON)."""
    records = {}
    for path, data in files.items():
        if path.startswith("pagefind/") and "/fragment/" in path:
            raw = gzip.decompress(data)
            record = json.loads(raw[raw.index(b"{"):])  # after Pagefind's signature bytes
            records[record["url"]] = record
    return records


@pytest.fixture
def board(site):
    write_board(site)
    return site


def test_only_joinable_task_pages_are_indexed(board):
    result = board.build()
    records = _records(result.files)
    # Not the board, places or categories; not the past or the cancelled task.
    assert set(records) == {f"/tasks/{slug}/" for slug in SEARCHABLE}
    assert "data-pagefind-body" not in board.read("index.html")
    assert "data-pagefind-body" not in board.read("tasks/koekjes-bakken/index.html")
    assert "data-pagefind-body" not in board.read("tasks/zwerfvuil-rapen/index.html")
    assert (board.out / "pagefind/pagefind.js").is_file()
    assert not (board.out / "pagefind/pagefind-ui.js").exists()  # the board has its own form


def test_filters_meta_and_words(board):
    records = _records(board.build().files)
    soup = records["/tasks/soep-koken/"]
    assert soup["filters"] == {"place": ["t-hof"], "category": ["koken"],
                               "access": ["zittend"], "month": ["2026-12"], "open": ["yes"]}
    assert soup["meta"]["title"] == "Soep koken voor de buurtmaaltijd"
    assert soup["meta"]["date"] == "zaterdag 5 december 2026, 9.30–12 uur"
    assert soup["meta"]["place"] == "’t Hof"
    assert "pompoenen" in soup["content"]
    assert "Terug naar alle taken" not in soup["content"]  # navigation is not content
    assert records["/tasks/kerstkaartjes/"]["filters"]["open"] == ["no"]  # full
    # A weekly task is found in every month it still happens.
    assert records["/tasks/tuinploeg/"]["filters"]["month"] == ["2026-12", "2027-01", "2027-02"]


def test_result_ids_map_to_task_urls(board):
    files = board.build().files
    ids = {path.split("/")[-1].removesuffix(".pf_fragment"): record for path, record in
           ((p, _records({p: d})) for p, d in files.items() if p.startswith("pagefind/fragment/"))}
    mapping = json.loads(files["pagefind/sitegen-urls.json"])
    assert mapping == {"merge": [], "urls": {fragment: next(iter(record)) for fragment, record in ids.items()}}
    assert sorted(mapping["urls"].values()) == sorted(f"/tasks/{slug}/" for slug in SEARCHABLE)


@pytest.fixture
def shards(board, monkeypatch):
    """The board indexed in two shards, counting Pagefind runs."""
    monkeypatch.setattr(search, "PAGES_PER_SHARD", 2)
    runs = []
    index_folder = search._index_folder

    def counted(binary, site, *args):
        runs.append(sorted(p.parent.name for p in site.rglob("index.html")))
        return index_folder(binary, site, *args)

    monkeypatch.setattr(search, "_index_folder", counted)
    board.runs = runs
    return board


def test_shards_are_merged_bundles_with_one_url_map(shards):
    files = shards.build().files
    mapping = json.loads(files["pagefind/sitegen-urls.json"])
    assert len(shards.runs) == 2 and sorted(sum(shards.runs, [])) == sorted(SEARCHABLE)
    assert mapping["merge"] == ["shard-01/"]
    for folder in mapping["merge"]:
        # Data only: the primary bundle's script and WebAssembly search the merged shards.
        assert f"pagefind/{folder}pagefind-entry.json" in files
        assert not any(p.startswith(f"pagefind/{folder}") and (p.endswith(".js") or "wasm" in p) for p in files)
    records = _records(files)
    assert set(records) == {f"/tasks/{slug}/" for slug in SEARCHABLE}
    assert sorted(mapping["urls"].values()) == sorted(records)
    # The page → shard assignment is a hash of the page's path, not of the build.
    shard_of = {url: path.split("/")[1] for path in files if "/fragment/" in path
                for url in _records({path: files[path]})}
    assert shard_of["/tasks/kerstkaartjes/"] == "fragment"  # shard 0 is the bundle itself
    assert shard_of["/tasks/boeken-kaften/"] == "shard-01"


def test_editing_one_task_reindexes_only_its_shard(shards):
    first = {p: d for p, d in shards.build().files.items() if p.startswith("pagefind/")}
    assert len(shards.runs) == 2
    shards.runs.clear()
    assert shards.build().report.written == 0 and shards.runs == []  # nothing changed: no Pagefind
    task = shards.root / "content/tasks/boeken-kaften.md"
    task.write_text(task.read_text(encoding="utf-8") + "\nOok schoolboeken van de buurtschool.\n",
                    encoding="utf-8")
    second = {p: d for p, d in shards.build().files.items() if p.startswith("pagefind/")}
    assert shards.runs == [["boeken-kaften", "koffie-schenken", "soep-koken"]]
    changed = {p for p in first.keys() | second.keys() if first.get(p) != second.get(p)}
    assert changed and all(p.startswith("pagefind/shard-01/") for p in changed - {"pagefind/sitegen-urls.json"})
    assert "buurtschool" in _records(second)["/tasks/boeken-kaften/"]["content"]


def test_a_cold_build_gives_the_same_shards_as_a_warm_one(shards, tmp_path):
    warm = {p: d for p, d in shards.build().files.items() if p.startswith("pagefind/")}
    cold = {p: d for p, d in shards.build(out=tmp_path / "cold", cache=False).files.items()
            if p.startswith("pagefind/")}
    assert cold == warm


def test_stale_staging_folders_are_removed(board, tmp_path):
    board.build()
    task = board.root / "content/tasks/soep-koken.md"  # the next build indexes again, and tidies up first
    task.write_text(task.read_text(encoding="utf-8") + "\nMet verse kruiden.\n", encoding="utf-8")
    root = Path(search._fast_temp() or tempfile.gettempdir())
    dead = root / f"{search.STAGING_PREFIX}999999999-test"  # beyond pid_max: no such process
    old = root / f"{search.STAGING_PREFIX}old-test"
    live = root / f"{search.STAGING_PREFIX}{os.getpid()}-test"
    for folder in (dead, old, live):
        (folder / "00/site").mkdir(parents=True, exist_ok=True)
    os.utime(old, (time.time() - 2 * STALE_AFTER,) * 2)
    try:
        assert board.build().report.written
        assert not dead.exists() and not old.exists()
        assert live.exists()  # a build in progress (here: this very process) keeps its folder
    finally:
        for folder in (dead, old, live):
            subprocess.run(["rm", "-rf", str(folder)], check=False)


def test_index_is_dutch_and_sorted_by_start(board):
    board.build()
    entry = json.loads(board.read("pagefind/pagefind-entry.json"))
    assert list(entry["languages"]) == ["nl"]
    page = board.read("tasks/soep-koken/index.html")
    assert 'data-pagefind-sort="start:2026-12-05T09:30"' in page


def test_english_site_gets_an_english_index(board):
    yml = board.root / "content/site.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("language: nl", "language: en"), encoding="utf-8")
    board.build()
    assert list(json.loads(board.read("pagefind/pagefind-entry.json"))["languages"]) == ["en"]


def test_card_data_for_filters_without_index(board):
    board.build()
    html = board.read("index.html")
    assert 'data-month="2026-12 2027-01 2027-02" data-last-end="2027-02-24T11:00:00+01:00"' in html
    assert 'data-access="zittend rolstoel kinderen"' in html


def test_index_is_reproducible(board):
    # Pagefind itself orders its filter and meta indexes differently on every run
    # (Pagefind issue #638); pagefind_stable.py sorts them. Three runs, to catch a lucky order.
    runs = [{p: d for p, d in board.build().files.items() if p.startswith("pagefind/")} for _ in range(3)]
    assert runs[0] and runs[0] == runs[1] == runs[2]
    assert any(p.startswith("pagefind/filter/") for p in runs[0])


def test_a_board_without_tasks_needs_no_index(site):
    result = site.build()
    assert not any(p.startswith("pagefind/") for p in result.files)
    assert 'id="search"' not in site.read("index.html")


@pytest.mark.parametrize("binary", ["/nonexistent/pagefind", "/bin/false"])
def test_a_broken_pagefind_is_a_clear_build_error(board, monkeypatch, binary):
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", binary)
    started = time.monotonic()
    with pytest.raises(BuildError) as caught:
        board.build()
    assert str(caught.value).startswith("the search index could not be built: ")
    assert "pip install 'pagefind[bin]'" in str(caught.value)
    assert time.monotonic() - started < 30  # a dead process must not leave the build waiting
    assert not board.out.exists()  # nothing written


def test_cli_reports_a_broken_pagefind_without_traceback(board):
    env = {"PAGEFIND_BINARY_PATH": "/bin/false", "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795690800"}
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--root", str(board.root)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("fout: de zoekindex kon niet gebouwd worden: ")
    assert "Traceback" not in done.stderr
    assert not board.out.exists()


def test_check_validates_without_running_pagefind(board):
    # `sitegen check` is for coordinators' content: it must not need (or wait for) the index.
    env = {"PAGEFIND_BINARY_PATH": "/bin/false", "PATH": "/usr/bin:/bin", "SOURCE_DATE_EPOCH": "1795690800"}
    done = subprocess.run([sys.executable, "-m", "sitegen", "check", "--root", str(board.root)],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("ok: ")
    assert not board.out.exists()


def test_indexing_only_main_gives_the_same_index_as_whole_pages(board, monkeypatch, tmp_path):
    trimmed = {p: d for p, d in board.build(cache=False).files.items() if p.startswith("pagefind/")}
    staged = search.staged
    monkeypatch.setattr(search, "staged", lambda html: html)
    whole = {p: d for p, d in board.build(out=tmp_path / "whole", cache=False).files.items()
             if p.startswith("pagefind/")}
    assert trimmed == whole
    page = (board.out / "tasks/soep-koken/index.html").read_bytes()
    assert staged(page).startswith(b'<!DOCTYPE html><html lang="nl"')
    assert b"<nav" not in staged(page) and b"data-pagefind-body" in staged(page)


def test_a_build_with_nothing_changed_reads_no_page_back(shards, monkeypatch):
    shards.build()
    reads = []
    original = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda path: reads.append(path) or original(path))
    shards.build()
    assert [p for p in reads if shards.out in p.parents] == []  # unchanged pages stay on disk, unread


def test_a_shard_file_lost_from_the_output_is_written_again_without_indexing(shards):
    expected = {p: d for p, d in shards.build().files.items() if p.startswith("pagefind/")}
    task = shards.root / "content/tasks/boeken-kaften.md"  # in shard 1
    task.write_text(task.read_text(encoding="utf-8") + "\nOok schoolboeken.\n", encoding="utf-8")
    shards.runs.clear()
    shards.build()
    assert len(shards.runs) == 1  # shard 0 kept as it is, shard 1 indexed again
    (shards.out / "pagefind/pagefind-entry.json").unlink()
    shards.runs.clear()
    result = shards.build()
    assert shards.runs == []  # remembered, not indexed again
    assert result.files["pagefind/pagefind-entry.json"] == expected["pagefind/pagefind-entry.json"]


def test_another_pagefind_binary_indexes_every_shard_again(shards, monkeypatch, tmp_path):
    shards.build()
    shards.runs.clear()
    other = tmp_path / "pagefind"
    shutil.copy2(search._binary(), other)  # e.g. PAGEFIND_BINARY_PATH or pagefind_bin_extended
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(other))
    shards.build()
    assert len(shards.runs) == 2  # shards remembered from the other binary are not reused


def test_month_options_are_the_months_of_the_month_filter():
    """The board's month list (with its shortcut for one-off tasks) offers exactly the months
    the task pages' `month` filter values name: one-off, across months and years, repeats, past."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from datetime import timedelta

    from sitegen.when import Repeat, Schedule, is_over
    from sitegen.model import Task, month_options, view_task

    zone = ZoneInfo("Europe/Brussels")
    now = datetime(2026, 11, 26, 12, 0, tzinfo=zone)
    at = lambda day, hour=9: datetime.combine(day, datetime.min.time(), zone).replace(hour=hour)  # noqa: E731
    schedules = [
        Schedule(at(date(2026, 12, 5)), at(date(2026, 12, 5), 12)),  # one morning
        Schedule(date(2027, 1, 31), date(2027, 2, 1)),  # two days, across a month
        Schedule(at(date(2027, 12, 31), 20), at(date(2028, 1, 1), 2)),  # a night, across a year
        Schedule(date(2026, 11, 20), date(2026, 12, 3)),  # began before now, still on
        Schedule(date(2026, 10, 1), date(2026, 10, 1)),  # past
        Schedule(at(date(2026, 10, 7)), at(date(2026, 10, 7), 11), Repeat("monthly", count=5)),  # partly past
        Schedule(date(2027, 3, 1), date(2027, 3, 1), Repeat("weekly", until=date(2027, 4, 12))),
    ]
    views = [view_task(Task(f"t{number}", f"t{number}.md", "Taak", "plek", "koken", schedule), now)
             for number, schedule in enumerate(schedules)]
    def still_on(view):  # the months of every occurrence not over at `now`, or a past task's last
        found = {f"{d.year:04d}-{d.month:02d}" for o in view.occurrences if not is_over(o, now)
                 for d in (o.day + timedelta(days=n) for n in range((o.last_day - o.day).days + 1))}
        return found or {view.next.day.strftime("%Y-%m")}

    expected = sorted(set().union(*map(still_on, views)))
    assert sorted({month for view in views for month in view.months}) == expected
    assert [day.strftime("%Y-%m") for day in month_options(views)] == expected
    assert "2026-11" in expected and "2028-01" in expected and "2026-10" in expected  # the cases ran
    assert all(day.day == 1 for day in month_options(views))
    assert month_options([]) == []


def test_the_pagefind_binary_is_the_packages_own_choice_without_importing_asyncio(monkeypatch, tmp_path):
    from pagefind.service import get_executable

    assert search._binary() == str(get_executable())
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "pagefind"))
    assert search._binary() == str(get_executable()) == str(tmp_path / "pagefind")
    # pagefind.service imports asyncio: 20 ms of every build's start, not needed to find a file.
    # (Nor segno, 8 ms, while every QR code is remembered: posters.py imports it when drawing one.)
    check = ("import sys; from sitegen import build; from sitegen.outputs import search; search._binary(); "
             "assert not {'asyncio', 'segno'} & set(sys.modules), 'asyncio or segno imported'")
    subprocess.run([sys.executable, "-c", check], check=True)

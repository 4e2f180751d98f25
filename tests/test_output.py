"""Safe output: a failed build changes nothing; the same content gives the same bytes."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

import pytest

from conftest import SiteFolder

from sitegen import BuildFailed

from sitegen.outputs import search
from sitegen.engine import CACHE_DIR
from sitegen.write import scan, write_site

TASK = "title: Soep koken\nplace: t-hof\ncategory: koken\nstart: '2026-12-05 09:30'\n"


def snapshot(folder) -> dict[str, tuple[bytes, int]]:
    """Every file's bytes and modification time, to prove nothing was touched."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_failed_build_leaves_previous_output_byte_identical(site):
    site.task("soep", TASK)
    site.task("tuin", TASK.replace("Soep koken", "Tuin").replace("koken\n", "tuinwerk\n"))
    site.build()
    before = snapshot(site.out)
    assert "tasks/soep/index.html" in before

    site.task("soep", TASK.replace("Soep koken", "Andere titel"))  # a good change…
    (site.root / "content/tasks/tuin.md").unlink()  # …a removal…
    site.task("kapot", TASK + "spots: 0")  # …and one broken file
    with pytest.raises(BuildFailed):
        site.build()
    assert snapshot(site.out) == before


def test_failed_render_in_a_site_template_leaves_output_untouched(site):
    site.task("soep", TASK)
    site.build()
    before = snapshot(site.out)
    site.write("theme/templates/task.html", '{% extends "default/task.html" %}\n'
               '{% block main %}{{ task.titel }}{% endblock %}\n')
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert [str(p) for p in failure.value.problems] == [
        "theme/templates/task.html:2: template error: 'sitegen.model.Task object' has no 'titel': check its "
        "spelling in the default template it overrides"]
    assert snapshot(site.out) == before


def test_a_mistake_in_a_site_card_template_is_a_path_line_problem(site):
    # Cards are rendered on their own (the `card` filter, and ahead in the task stage),
    # outside any page: their template mistakes are still the site's, shown as path:line.
    site.task("soep", TASK)
    site.build()
    before = snapshot(site.out)
    site.write("theme/templates/_card.html", '<article>\n{{ view.task.titel }}\n</article>\n')
    with pytest.raises(BuildFailed) as failure:
        site.build()
    assert [str(p) for p in failure.value.problems] == [
        "theme/templates/_card.html:2: template error: 'sitegen.model.Task object' has no 'titel': check its "
        "spelling in the default template it overrides"]
    assert snapshot(site.out) == before


@pytest.mark.parametrize("line, begins, ends", [
    ("{{ titel }}{% endblock %}", "'titel' is not known in this template: check its spelling, or whether this "
     "template is given it (the default template it overrides shows what it has)", ""),
    ("{% if task.title %}zonder einde{% endblock %}", "this line is not written as Jinja2 reads a template (",
     "); check that each {% … %} and {{ … }} is closed and each block has its end tag"),
])
def test_a_template_mistake_says_what_to_look_at(site, line, begins, ends):
    site.task("soep", TASK)
    site.write("theme/templates/task.html", '{% extends "default/task.html" %}\n{% block main %}' + line + "\n")
    with pytest.raises(BuildFailed) as failure:
        site.build()
    [problem] = [str(p) for p in failure.value.problems]
    assert problem.startswith(f"theme/templates/task.html:2: template error: {begins}") and problem.endswith(ends)


def tree(folder) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def differing(one: dict, two: dict, *, search: bool) -> list[str]:
    assert one.keys() == two.keys() or not search
    paths = [p for p in sorted(one.keys() | two.keys()) if search or not p.startswith("pagefind/")]
    return [p for p in paths if one.get(p) != two.get(p)]


@pytest.fixture
def builds(site, tmp_path):
    """The same small site built three times, `now` from SOURCE_DATE_EPOCH (set by conftest):
    without the build cache, with a cold cache, and with the cache the second build left."""
    site.task("soep", TASK + "end: 12:00\nspots: 5\ntaken: 2\nreward: 3")
    site.task("koffie", TASK.replace("Soep koken", "Koffie") + "repeat:\n  freq: weekly\n  count: 4")
    site.task("voorbij", TASK.replace("2026-12-05", "2025-12-05")
              + "result:\n  participants: 4\n  hours: 8")
    trees = {}
    for name, cache in (("clean", False), ("cold", True), ("warm", True)):
        site.build(out=tmp_path / name, now=None, cache=cache)
        trees[name] = tree(tmp_path / name)
        os.utime(site.root / "content/tasks/soep.md", (0, 0))  # file times must not matter
    return trees


def test_same_content_same_bytes(builds):
    """Builds of the same content at the same SOURCE_DATE_EPOCH are byte-identical, cache or not,
    the Pagefind search index included (search.py puts it in a stable order)."""
    assert "tasks/soep/index.html" in builds["clean"] and "index.html" in builds["clean"]
    assert any(path.startswith("pagefind/") for path in builds["clean"])
    assert differing(builds["clean"], builds["cold"], search=True) == []
    assert differing(builds["clean"], builds["warm"], search=True) == []


def test_demo_builds_reproducibly(demo_site, tmp_path):
    first, second = tmp_path / "one", tmp_path / "two"
    demo_site.build(out=first, now=None)
    shutil.copytree(demo_site.root / "content", tmp_path / "copy/content")  # same content elsewhere
    SiteFolder(tmp_path / "copy").build(out=second, now=None)
    assert differing(tree(first), tree(second), search=True) == []


def test_cold_builds_of_a_sharded_index_are_byte_identical(tmp_path, monkeypatch):
    """Two cold builds (the cache folder deleted in between) give the same bytes, every
    Pagefind shard included: Pagefind numbers pages in the order it walks its input,
    so search.py stages them in a fixed order and stabilises the rest."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate

    monkeypatch.setattr(search, "PAGES_PER_SHARD", 15)
    generate(120, tmp_path / "site")
    folder = SiteFolder(tmp_path / "site")
    folder.build(out=tmp_path / "one", now=None)
    shutil.rmtree(tmp_path / "site" / CACHE_DIR)
    folder.build(out=tmp_path / "two", now=None)
    one, two = tree(tmp_path / "one"), tree(tmp_path / "two")
    assert json.loads(one["pagefind/sitegen-urls.json"])["merge"]  # more than one shard
    assert differing(one, two, search=True) == []


def test_rebuild_writes_only_what_changed(site):
    site.task("soep", TASK.replace("2026-12-05", "2025-12-05"))  # past: no search index
    site.build()
    site.write("public/oud/index.html", "stale")
    report = site.build().report
    assert report.written == 0 and report.removed == 1
    assert not (site.out / "oud").exists()  # empty folders go too


def _write(out: Path, files: dict[str, bytes]):
    return write_site(out, files, set(), out.parent / "staging", {}, scan(out))


def test_write_site_replaces_a_folder_by_a_file_and_back(tmp_path):
    out = tmp_path / "public"
    _write(out, {"a/b.html": b"1"})
    _write(out, {"a": b"2"})
    assert (out / "a").read_bytes() == b"2"
    _write(out, {"a/c.html": b"3"})
    assert (out / "a/c.html").read_bytes() == b"3"
    assert sorted(scan(out)) == ["a/c.html"]
    assert not list(out.rglob("*.sitegen-tmp")) and not list(tmp_path.glob(".public.*"))

"""Golden folder: a small site's pages compared byte for byte with tests/goldens/.

    python -m pytest tests/test_golden.py --update-goldens   # after an intended change

Only the pages this test owns are compared (board, task, place, category and
404 pages, and the stylesheet), so new outputs of other stages don't touch it;
a template change does, on purpose: review the diff of tests/goldens/ and commit it.
"""

from __future__ import annotations

import difflib
import shutil

from conftest import REPO, SiteFolder

from sitegen import urls

GOLDENS = REPO / "tests" / "goldens"


def chosen_pages(model) -> list[str]:
    """The output paths the golden covers, named through urls.py like the build does."""
    pages = [urls.route("board").path, urls.route("404").path, urls.static("css/site.css").path]
    pages += [urls.route(view).path for view in model.tasks]
    pages += [urls.route(place).path for place in model.places.values()]
    pages += [urls.route(category).path for category in model.site.categories]
    return sorted(pages)


def test_small_site_matches_golden(tmp_path, update_goldens):
    golden = GOLDENS / "small"
    site = SiteFolder(tmp_path / "small")
    shutil.copytree(golden / "content", site.root / "content")
    result = site.build()
    pages = chosen_pages(result.model)
    assert len(pages) == 12  # 5 tasks, 2 places, 2 categories, board, 404, css
    expected = golden / "public"

    if update_goldens:
        shutil.rmtree(expected, ignore_errors=True)
        for page in pages:
            (expected / page).parent.mkdir(parents=True, exist_ok=True)
            (expected / page).write_bytes(result.files[page])

    stored = sorted(p.relative_to(expected).as_posix() for p in expected.rglob("*") if p.is_file())
    assert stored == pages, "the golden pages changed; run: python -m pytest --update-goldens"
    for page in pages:
        want, got = (expected / page).read_bytes(), (site.out / page).read_bytes()
        if want != got:
            diff = "\n".join(difflib.unified_diff(
                want.decode().splitlines(), got.decode().splitlines(),
                f"goldens/small/public/{page}", f"built/{page}", lineterm="", n=2))
            raise AssertionError(
                f"{page} differs from the golden; if intended, run "
                f"'python -m pytest tests/test_golden.py --update-goldens' and commit:\n{diff[:4000]}")

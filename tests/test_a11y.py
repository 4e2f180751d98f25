"""axe-core finds no serious or critical WCAG problem on the main page types, wide and narrow."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PLACE_MD, SITE_YML, SiteFolder, require
from search_fixture import serve, write_board

AXE = Path(__file__).parent / "node/node_modules/axe-core/axe.min.js"
PAGES = ["/", "/?q=pompoenen&place=t-hof", "/?month=1999-01&q=niets-gevonden", "/tasks/soep-koken/",
         "/tasks/kerstkaartjes/", "/places/t-hof/", "/categories/koken/"]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    folder = SiteFolder(tmp_path_factory.mktemp("a11y") / "site")
    folder.write("content/site.yml", SITE_YML)
    folder.write("content/places/t-hof.md", PLACE_MD)
    write_board(folder)
    folder.build()
    with serve(folder.out) as url:
        yield url


@pytest.fixture(scope="module")
def context(browser):
    require(AXE.is_file(), "axe-core is not installed (npm ci --prefix tests/node)")
    # The CSP forbids injected scripts, so only this context bypasses it to load axe.
    context = browser.new_context(bypass_csp=True, timezone_id="Europe/Brussels", locale="nl-BE")
    yield context
    context.close()


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_nothing_serious(context, base_url, path, width):
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(base_url + path)
    page.wait_for_load_state("networkidle")
    if path.startswith("/?"):  # wait for the board's script to have filtered
        page.locator("#search-count:not(:empty)").wait_for(timeout=3000)
    if path == "/admin/":  # wait for Decap to have drawn its login screen
        page.get_by_role("button").first.wait_for(timeout=30000)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    page.close()
    serious = [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
               for v in results["violations"] if v["impact"] in ("serious", "critical")]
    assert serious == []


# The other page types, on the demo board (it has past tasks with results for /impact/).
DEMO_PAGES = ["/impact/", "/suggest/", "/subscribe/", "/404.html", "/places/t-hof/embed/",
              "/tasks/zwerfvuil-rapen-loppem/poster/", "/places/t-hof/poster/",
              "/tasks/etalage-nieuwjaar-bakkerij/", "/tasks/bladeren-harken-gemeentepark/",
              # issue 17: a page per access tag, a sign-up sheet, a poster with a picture,
              # a repeating task (its sheets per date), a full task
              "/access/zittend/", "/tasks/soep-koken-oranje/signup-sheet/", "/tasks/soep-koken-oranje/poster/",
              "/tasks/soep-koken-oranje/", "/tasks/broodzakjes-stempelen/",
              "/admin/"]  # the web editor's login screen (Decap's, with the colours we mend)


@pytest.fixture(scope="module")
def demo_url(tmp_path_factory):
    import shutil

    from conftest import DEMO
    folder = SiteFolder(tmp_path_factory.mktemp("a11y-demo") / "demo")
    shutil.copytree(DEMO, folder.root / "content")
    folder.build()
    with serve(folder.out) as url:
        yield url


@pytest.mark.parametrize("width", [1280, 360])
@pytest.mark.parametrize("path", DEMO_PAGES)
def test_axe_finds_nothing_serious_on_the_other_pages(context, demo_url, path, width):
    test_axe_finds_nothing_serious(context, demo_url, path, width)

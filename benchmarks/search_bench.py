"""Measure the search: index build time, and in Chromium the time from the last key to the results.

    python benchmarks/search_bench.py 1000 10000

For each N: generate N synthetic tasks (benchmarks/generate.py) on /dev/shm, build them,
time the Pagefind stage alone, serve the site on 127.0.0.1 and, in headless Chromium,
time from the input event of the last typed character (or a filter change) until the
board shows its results. The typing time includes the board's 150 ms typing pause.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE), str(HERE.parent / "tests")]

from generate import FIXED_NOW, generate  # noqa: E402
from search_fixture import serve  # noqa: E402
from sitegen.build import BuildOptions, load, render_pages, render_task_outputs  # noqa: E402
from sitegen.build import render as render_all  # noqa: E402
from sitegen.write import write_site  # noqa: E402
from sitegen.outputs.search import build_search_index  # noqa: E402

WORDS = ["soep", "hagen", "koffie", "bibliotheek", "4242", "fietsen herstellen"]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]

# Installed in the page by Playwright (not part of the site): when did the last input event
# happen, and when did the board last change what it shows?
PROBE = """() => {
  window.__input = 0; window.__shown = 0;
  document.getElementById('search').addEventListener('input', () => { window.__input = performance.now(); }, true);
  document.getElementById('search').addEventListener('change', () => { window.__input = performance.now(); }, true);
  new MutationObserver(() => { window.__shown = performance.now(); }).observe(
    document.getElementById('tasks'), {attributes: true, attributeFilter: ['hidden'], subtree: true});
  new MutationObserver(() => { window.__shown = performance.now(); }).observe(
    document.getElementById('search-count'), {childList: true, characterData: true, subtree: true});
}"""


def measure(count: int) -> dict:
    root = Path(tempfile.mkdtemp(prefix=f"search-bench-{count}-", dir="/dev/shm"))
    generate(count, root)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(FIXED_NOW.timestamp()))
    options = BuildOptions(root=root, now=FIXED_NOW)
    model, _ = load(options)
    from sitegen.theme import Theme
    theme = Theme.for_site(root)
    pages = {**render_pages(model, theme), **render_task_outputs(model, theme, None, model.tasks)}
    started = time.perf_counter()
    index = build_search_index(model, pages)
    index_seconds = time.perf_counter() - started
    started = time.perf_counter()
    files = render_all(model, options)
    render_seconds = time.perf_counter() - started
    write_site(files, options.out_dir)
    searchable = sum(1 for v in model.tasks if v.state in ("open", "full"))
    result = {"tasks": count, "upcoming": len(model.upcoming), "indexed": searchable,
              "index_s": index_seconds, "render_with_index_s": render_seconds,
              "index_bytes": sum(len(b) for b in index.values()), "index_files": len(index)}
    result.update(browse(options.out_dir))
    return result


def browse(folder: Path) -> dict:
    from playwright.sync_api import sync_playwright
    typing, filtering, first = [], [], None
    with serve(folder) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        # wait_for_function evaluates strings, which the site's CSP forbids; the probe is ours.
        page = browser.new_page(bypass_csp=True)
        page.clock.set_fixed_time(FIXED_NOW)
        started = time.perf_counter()
        page.goto(base + "/")
        page.wait_for_selector("#search:not([hidden])")
        load_seconds = time.perf_counter() - started
        page.evaluate(PROBE)
        for n, word in enumerate(WORDS):
            page.fill("#search-q", "")
            page.wait_for_timeout(400)
            page.evaluate("window.__shown = 0")
            page.type("#search-q", word, delay=40)
            page.wait_for_function("window.__shown > window.__input", timeout=20000)
            page.wait_for_timeout(600)  # let late updates land, then read the last one
            elapsed = page.evaluate("window.__shown - window.__input")
            if n == 0:
                first = elapsed  # includes loading Pagefind and its filter index
            else:
                typing.append(elapsed)
        page.fill("#search-q", "")
        page.wait_for_timeout(400)
        for place in page.eval_on_selector_all("#search-place option", "os => os.map(o => o.value)")[1:6]:
            page.evaluate("window.__shown = 0")
            page.select_option("#search-place", place)
            page.wait_for_function("window.__shown > window.__input", timeout=20000)
            filtering.append(page.evaluate("window.__shown - window.__input"))
        browser.close()
    return {"board_load_s": load_seconds, "first_search_ms": first,
            "search_ms_median": statistics.median(typing), "search_ms_max": max(typing),
            "filter_ms_median": statistics.median(filtering), "filter_ms_max": max(filtering)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", type=int, nargs="+", help="numbers of tasks, e.g. 1000 10000")
    for count in parser.parse_args().counts:
        result = measure(count)
        print(" ".join(f"{k}={v:.3f}" if isinstance(v, float) else f"{k}={v}" for k, v in result.items()),
              flush=True)


if __name__ == "__main__":
    main()

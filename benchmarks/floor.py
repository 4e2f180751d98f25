"""How fast could a cold build be with our libraries? Each library's per-task work, timed alone.

    python benchmarks/floor.py                 # 10 000 tasks in /dev/shm
    python benchmarks/floor.py --count 1000 --work /tmp/floor

A cold build must, for every task, parse its front matter (PyYAML), render and
sanitise its Markdown (Python-Markdown, nh3), serialise its calendar event
(icalendar) and make its poster's QR code (segno), besides rendering its page
and poster (Jinja2) and indexing the pages (Pagefind). This times those library
calls on the generated content, one after the other in one process, with our
settings and nothing of ours around them, and divides by the cores: a lower
bound for the build, to set against the issue's target (1.25 × Hugo + Pagefind).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import markdown
import nh3
import segno
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import FIXED_NOW, generate  # noqa: E402  (a script next to this one)

from sitegen.outputs.calendar import event  # noqa: E402
from sitegen.load.content import LoadOptions, load_site  # noqa: E402
from sitegen.outputs.posters import QR_ERROR, QR_MASK, _dark_runs_path  # noqa: E402
from sitegen.urls import absolute, route  # noqa: E402


def timed(label: str, calls, results: list) -> None:
    started = time.process_time()
    count = 0
    for call in calls:
        call()
        count += 1
    seconds = time.process_time() - started
    results.append((label, seconds, count))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/sitegen-floor"))
    args = parser.parse_args(argv)
    site = args.work / f"site-{args.count}"
    if not (site / "content/tasks").is_dir() or \
            len(list((site / "content/tasks").glob("*.md"))) != args.count:
        generate(args.count, site)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(FIXED_NOW.timestamp()))

    files = sorted((site / "content/tasks").glob("*.md"))
    texts = [file.read_text(encoding="utf-8") for file in files]
    fronts = [text.split("\n---\n", 1) for text in texts]
    model, problems = load_site(LoadOptions(site, ()))
    assert model is not None, problems
    views = model.tasks
    md = markdown.Markdown(extensions=["tables", "sane_lists", "smarty"],
                           extension_configs={"smarty": {"smart_quotes": False}}, output_format="html")
    converted = [md.reset().convert(body) for _, body in fronts]
    urls = [absolute(model.site.base_url, route(view.task).url) for view in views]
    codes = [segno.make_qr(url, error=QR_ERROR, boost_error=False, mask=QR_MASK) for url in urls[:50]]

    results: list = []
    timed("PyYAML: front matter (CSafeLoader)",
          (lambda head=head: yaml.load(head[4:], Loader=yaml.CSafeLoader) for head, _ in fronts), results)
    timed("Python-Markdown: body to HTML",
          (lambda body=body: md.reset().convert(body) for _, body in fronts), results)
    timed("nh3: sanitise the body HTML", (lambda html=html: nh3.clean(html) for html in converted), results)
    timed("icalendar: build and serialise the event",
          (lambda view=view: event(model.site, model.places[view.task.place], view, None,
                                   model.now).to_ical() for view in views), results)
    timed("segno: encode the URL as a QR code (fixed mask)",
          (lambda url=url: segno.make_qr(url, error=QR_ERROR, boost_error=False, mask=QR_MASK)
           for url in urls), results)
    per_svg = []
    # segno's own svg_inline took 0.27 ms; posters.py writes the same bytes in one pass.
    timed("the QR code's SVG path from segno's matrix (posters.py)",
          (lambda code=code: _dark_runs_path(code.matrix)
           for code in codes * (len(urls) // len(codes))), per_svg)
    results += per_svg

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    total = sum(seconds for _, seconds, _ in results)
    print(f"{args.count:,} tasks, {cores} cores: CPU seconds of each library's own per-task work")
    print()
    print("| library call | per task | all tasks |")
    print("|---|---:|---:|")
    for label, seconds, count in results:
        print(f"| {label} | {seconds / count * 1000:.2f} ms | {seconds:.1f} s |")
    print(f"| **sum** | {total / args.count * 1000:.2f} ms | {total:.1f} s |")
    print()
    print(f"Over {cores} cores, with nothing else (no page, poster or feed rendered, no file "
          f"written, no search index): at least {total / cores:.1f} s.")


if __name__ == "__main__":
    main()

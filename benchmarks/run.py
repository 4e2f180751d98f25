"""Measure sitegen at N = 1 000 and 10 000 tasks, next to Hugo + Pagefind on the same content.

    python benchmarks/run.py                  # N = 1000 and 10000 in /dev/shm
    python benchmarks/run.py --sizes 200 --no-hugo --work /tmp/bench

For each N: a cold build (no public/, no .sitegen-cache/), a one-shot `sitegen
build` after editing one task, and `sitegen serve`'s time from saving an edit to
serving the updated page. Memory is the peak of the summed proportional resident memory
(PSS) of our build processes, sampled from /proc every 20 ms; Pagefind's process is
reported on its own. Work on a tmpfs: the disk here adds seconds of noise.
"""

from __future__ import annotations

import argparse
import compileall
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import FIXED_NOW, generate  # noqa: E402  (a script next to this one)

EPOCH = str(int(FIXED_NOW.timestamp()))
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@dataclass
class Run:
    """One measured command: wall time and peak memory (MiB) of ours and of Pagefind."""

    seconds: float
    ours_mib: float
    pagefind_mib: float = 0.0


class TreeMemory:
    """Samples the resident memory of a process and all its descendants."""

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid, self.interval = pid, interval
        self.ours = self.pagefind = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            ours = pagefind = 0
            for pid in _tree(self.pid):
                name, rss = _status(pid)
                if name.startswith("pagefind"):
                    pagefind += rss
                else:
                    ours += rss
            self.ours = max(self.ours, ours / 1024)
            self.pagefind = max(self.pagefind, pagefind / 1024)
            self._stop.wait(self.interval)


def _tree(pid: int) -> list[int]:
    found, stack = [], [pid]
    while stack:
        current = stack.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as handle:
                    stack.extend(int(child) for child in handle.read().split())
        except OSError:
            pass
    return found


def _status(pid: int) -> tuple[str, int]:
    """Process name and proportional resident memory (PSS) in KiB.

    PSS, not RSS: forked workers share most of the parent's pages, and summing
    their RSS would count that memory once per worker.
    """
    name, rss = "", 0
    try:
        with open(f"/proc/{pid}/comm") as handle:
            name = handle.read().strip()
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    rss = int(line.split()[1])
                    break
    except OSError:
        pass
    return name, rss


def measure(command: list[str], cwd: Path | None = None, memory: bool = True, epoch: str = EPOCH) -> Run:
    """Run a command to completion; its wall time and (`memory`) the peak memory of its process tree."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=epoch)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True)
    sampler = TreeMemory(process.pid) if memory else None
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    if sampler is not None:
        sampler.stop()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err}")
    return Run(seconds, sampler.ours if sampler else 0.0, sampler.pagefind if sampler else 0.0)


def measure_apart(command: list[str], prepare=lambda: None, cwd: Path | None = None) -> Run:
    """The wall time of a run without the memory sampler, the peak memory of a sampled run.

    The sampler reads /proc/<pid>/smaps_rollup every 20 ms, which walks the process's page
    tables: measured here, it made a one-edit build at 10 000 tasks ≈ 0.1 s (10 %) slower.
    `prepare()` runs before each of the two (e.g. emptying the output for a cold build).
    """
    prepare()
    sampled = measure(command, cwd)
    prepare()
    timed = measure(command, cwd, memory=False)
    return Run(timed.seconds, sampled.ours_mib, sampled.pagefind_mib)


def sitegen(*args: str) -> list[str]:
    return [sys.executable, "-m", "sitegen", *args]


def edit_task(site: Path, number: int, upcoming: bool = False) -> tuple[str, str]:
    """Change one task's body in place; return its slug and the marker word its page will show.

    The task in the middle of the folder (past at the benchmark's moment: its page, feed
    and poster change, and its place's list of past tasks), or with `upcoming` the first
    one starting at least a week later (then the board, the search index and the feeds
    that carry it change too: what a coordinator's edit usually touches).
    """
    tasks = sorted((site / "content/tasks").glob("*.md"))
    path = tasks[len(tasks) // 2]
    if upcoming:
        soon = (FIXED_NOW + timedelta(days=7)).date().isoformat()
        path = next(task for task in tasks if _start(task) >= soon)
    marker = f"bewerking{number}x{time.time_ns() % 10**6}"
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"\n\nBewerking: \w+\.\n$", "\n", text)
    path.write_text(text.rstrip("\n") + f"\n\nBewerking: {marker}.\n", encoding="utf-8")
    return path.stem, marker


def _start(task: Path) -> str:
    found = re.search(r'^start: "?(\d{4}-\d\d-\d\d)', task.read_text(encoding="utf-8"), re.MULTILINE)
    return found.group(1) if found else ""


def serve_edit_times(site: Path, rounds: int = 5) -> tuple[list[float], float]:
    """Seconds from saving an edit to `sitegen serve` serving the changed page, per round."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(os.environ, SOURCE_DATE_EPOCH=EPOCH)
    process = subprocess.Popen(sitegen("serve", "--root", str(site), "--port", str(port)), env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    memory = TreeMemory(process.pid)
    base = f"http://127.0.0.1:{port}"
    times = []
    try:
        _wait_for(lambda: _fetch(base + "/") is not None, 600)
        for number in range(rounds):
            _wait_for(lambda: '"building": false' in (_fetch(base + "/__sitegen/status") or ""), 600)
            slug, marker = edit_task(site, number)
            saved = time.perf_counter()
            _wait_for(lambda: marker in (_fetch(f"{base}/tasks/{slug}/") or ""), 120, 0.005)
            times.append(time.perf_counter() - saved)
            time.sleep(0.5)  # the watcher and the search refresh start
    finally:
        process.terminate()
        process.wait()
        memory.stop()
    return times, memory.ours


def _fetch(url: str) -> str | None:
    try:
        with _DIRECT.open(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return None


def _wait_for(check, timeout: float, pause: float = 0.05) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if check():
            return
        time.sleep(pause)
    raise SystemExit("timed out waiting for the dev server")


# -- Hugo, the stack a user would pick instead ------------------------------------
HUGO_CONFIG = """\
baseURL = "https://doeplekken.example.be/"
languageCode = "nl"
title = "Doe-plekken Benchmark"
buildFuture = true
buildExpired = true
disableKinds = ["RSS", "sitemap", "robotsTXT", "404"]  # terms stay: place pages list tasks through them
[taxonomies]
plek = "plekken"
"""
HUGO_LAYOUTS = {
    "_default/baseof.html": """<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>{{ .Title }} · {{ .Site.Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
""",
    "tasks/single.html": """{{ define "main" }}<main data-pagefind-body><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04" }}">{{ .Date.Format "Monday 2 January 2006, 15.04" }}</time></p>
{{ with .Site.GetPage (printf "/places/%s" .Params.place) }}<p><a href="{{ .RelPermalink }}">{{ .Title }}</a>, {{ .Params.address }}</p>{{ end }}
<p>{{ .Params.category }} · {{ .Params.spots }} plaatsen</p>
{{ .Content }}</main>{{ end }}
""",
    "places/single.html": """{{ define "main" }}<main><h1>{{ .Title }}</h1><p>{{ .Params.address }}</p>{{ .Content }}
<ul>{{ range (index .Site.Taxonomies.plekken .File.ContentBaseName).Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Date.Format "2006-01-02" }}</li>{{ end }}</ul></main>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<main><h1>{{ .Title }}</h1></main>{{ end }}
""",
    "index.html": """{{ define "main" }}<main><h1>{{ .Site.Title }}</h1><ol>
{{ range (where .Site.RegularPages "Section" "tasks").ByDate }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>
<time>{{ .Date.Format "2006-01-02 15.04" }}</time> {{ .Params.category }}</li>{{ end }}</ol></main>{{ end }}
""",
}


def hugo_site(site: Path, target: Path) -> None:
    """The same tasks and places as a Hugo site (dates with seconds, as Hugo 0.111 needs)."""
    if target.exists():
        shutil.rmtree(target)
    (target / "content/tasks").mkdir(parents=True)
    (target / "content/places").mkdir(parents=True)
    (target / "config.toml").write_text(HUGO_CONFIG, encoding="utf-8")
    for name, text in HUGO_LAYOUTS.items():
        (target / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (target / "layouts" / name).write_text(text, encoding="utf-8")
    for kind in ("tasks", "places"):
        for path in (site / "content" / kind).glob("*.md"):
            _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
            meta = yaml.safe_load(front)
            if kind == "tasks":
                start = str(meta["start"])
                meta["date"] = start.replace(" ", "T") + ":00" if " " in start else start
                meta = {k: meta[k] for k in ("title", "date", "place", "category", "spots") if k in meta}
                meta["plekken"] = [meta["place"]]
            else:
                meta = {"title": meta["name"], "address": meta["address"]}
            (target / "content" / kind / path.name).write_text(
                "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\n" + body, encoding="utf-8")


def bench(count: int, work: Path, with_hugo: bool, rounds: int) -> dict:
    site = work / f"site-{count}"
    generate(count, site)
    def empty() -> None:
        for leftover in ("public", ".sitegen-cache"):
            shutil.rmtree(site / leftover, ignore_errors=True)

    row: dict = {"N": count}
    build = sitegen("build", "--root", str(site), "--quiet")
    cold = measure_apart(build, prepare=empty)
    pages = sum(1 for p in (site / "public").rglob("*.html"))
    row.update(cold=cold, pages=pages)
    for name, upcoming in (("edit", False), ("edit_upcoming", True)):
        edit_task(site, 99, upcoming)  # the first edit of a kind drops what only earlier builds used
        measure(build, memory=False)
        edits = []
        for number in range(rounds):
            edit_task(site, 100 + number, upcoming)
            edits.append(measure(build, memory=False))
        sampled = []
        for number in range(2):  # peak memory: two more edits, sampled
            edit_task(site, 200 + number, upcoming)
            sampled.append(measure(build))
        row[name] = Run(statistics.median(run.seconds for run in edits), max(run.ours_mib for run in sampled),
                        max(run.pagefind_mib for run in sampled))
        row[name + "_all"] = [run.seconds for run in edits]
    times, serve_mib = serve_edit_times(site, rounds)
    row["serve"] = Run(statistics.median(times), serve_mib)
    row["serve_all"] = times
    if shutil.which("git") is not None:
        later = edits_hours_apart(site, build, rounds)
        row["edit_later"] = Run(statistics.median(later), 0.0)
        row["edit_later_all"] = later
    if with_hugo:
        target = work / f"hugo-{count}"
        hugo_site(site, target)
        row["hugo"] = measure_apart(["hugo", "--quiet", "-s", str(target), "-d", str(target / "public")])
        row["pagefind"] = measure_apart([sys.executable, "-m", "pagefind", "--site", str(target / "public")])
    return row


def edits_hours_apart(site: Path, build: list[str], rounds: int) -> list[float]:
    """A coordinator's build: the content in git, one upcoming task edited, an hour after the last build.

    The other rows build at one fixed moment; here each build is an hour later than the
    one before (tasks that ended in between are made again), as when editing during a day.
    """
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.be",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.be")
    for args in (["init", "-q"], ["add", "content"], ["commit", "-q", "-m", "content"]):
        subprocess.run(["git", *args], cwd=site, env=env, check=True, capture_output=True)
    measure(build, memory=False)  # the tasks now have a history: their keys change once
    times = []
    for number in range(rounds):
        edit_task(site, 300 + number, upcoming=True)
        times.append(measure(build, memory=False, epoch=str(int(EPOCH) + 3600 * (number + 1))).seconds)
    return times


def table(rows: list[dict]) -> str:
    lines = ["| N | run | wall | pages/s | peak memory (ours, PSS) | Pagefind (PSS) | vs Hugo + Pagefind |",
             "|---:|---|---:|---:|---:|---:|---:|"]
    for row in rows:
        pages = row["pages"]
        peer = (row["hugo"].seconds + row["pagefind"].seconds) if "hugo" in row else None

        def line(name, run: Run, ratio=True):
            rate = f"{pages / run.seconds:,.0f}" if run.seconds else "–"
            versus = f"{run.seconds / peer:.2f} ×" if peer and ratio else ""
            pagefind = f"{run.pagefind_mib:.0f} MiB" if run.pagefind_mib else ""
            ours = f"{run.ours_mib:.0f} MiB" if run.ours_mib else ""  # not sampled
            lines.append(f"| {row['N']:,} | {name} | {run.seconds:.2f} s | {rate} | {ours} "
                         f"| {pagefind} | {versus} |")
        line("sitegen cold build", row["cold"])
        line("sitegen build after editing one past task", row["edit"])
        line("sitegen build after editing one upcoming task", row["edit_upcoming"])
        if "edit_later" in row:
            line("the same, an hour after the last build (content in git)", row["edit_later"])
        lines.append(f"| {row['N']:,} | sitegen serve: edit saved → page served | "
                     f"{row['serve'].seconds:.2f} s | | {row['serve'].ours_mib:.0f} MiB | | |")
        if "hugo" in row:
            hugo, pagefind = row["hugo"], row["pagefind"]
            lines.append(f"| {row['N']:,} | Hugo | {hugo.seconds:.2f} s | {pages / hugo.seconds:,.0f} "
                         f"| {hugo.ours_mib:.0f} MiB | | |")
            lines.append(f"| {row['N']:,} | Pagefind CLI over Hugo's site | {pagefind.seconds:.2f} s | | "
                         f"| {max(pagefind.ours_mib, pagefind.pagefind_mib):.0f} MiB | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--work", type=Path, default=Path("/dev/shm/sitegen-bench"),
                        help="where to generate and build (default: a tmpfs)")
    parser.add_argument("--rounds", type=int, default=3, help="edits measured per size")
    parser.add_argument("--no-hugo", action="store_true", help="skip Hugo even when installed")
    args = parser.parse_args(argv)
    with_hugo = not args.no_hugo and shutil.which("hugo") is not None
    args.work.mkdir(parents=True, exist_ok=True)
    # Bytecode for our own modules, as an installed package has: under PYTHONDONTWRITEBYTECODE
    # (set on some machines) an editable install would compile them again in every run (≈ 50 ms).
    compileall.compile_dir(Path(__file__).resolve().parent.parent / "sitegen", quiet=1)
    rows = []
    for count in args.sizes:
        rows.append(bench(count, args.work, with_hugo, args.rounds))
        print(f"N={count}: done", file=sys.stderr, flush=True)
    print(table(rows))
    print(f"\n{os.cpu_count()} cores. Wall times come from runs without the memory sampler (see measure_apart);"
          f" edits and serve: the median of {args.rounds} rounds, after one unmeasured edit of the kind;"
          " an edit's peak memory: the largest of two more, sampled.")
    for name, key in (("past task edit", "edit_all"), ("upcoming task edit", "edit_upcoming_all"),
                      ("serve", "serve_all"), ("upcoming task edit an hour later, in git", "edit_later_all")):
        print(f"{name} rounds: " + "; ".join(f"N={r['N']}: " + ", ".join(f"{t:.2f}" for t in r[key])
                                             for r in rows if key in r))


if __name__ == "__main__":
    main()

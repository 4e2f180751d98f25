"""run_beside: work that waits on another program overlaps the render stages."""

from __future__ import annotations

import os
import threading
import time
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from sitegen.load.content import build_moment
from sitegen.engine.cache import BuildCache, activate, current, deactivate, remember
from sitegen.engine.parallel import Background, run_beside, run_split


def _wait_for(path: str) -> bool:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        time.sleep(0.01)
    return False


def test_in_one_process_beside_runs_while_the_calls_run():
    started = threading.Event()
    # The call waits for beside to have started: run one after the other, it would time out.
    results, value = run_beside([lambda: started.wait(10)], jobs=1,
                                beside=lambda: started.set() or "index")
    assert results == [True] and value == "index"


def test_with_workers_beside_runs_in_this_process_while_they_work(tmp_path):
    signal = str(tmp_path / "beside-started")
    parent = os.getpid()
    results, value = run_beside([lambda: _wait_for(signal), lambda: os.getpid()], jobs=2,
                                beside=lambda: open(signal, "w").close() or os.getpid())
    assert results[0] is True and results[1] != parent  # the calls ran in workers…
    assert value == parent  # …and beside here, at the same time


def test_a_failure_beside_is_raised_after_the_calls_end():
    finished = []

    def fail():
        raise ValueError("pagefind broke")

    with pytest.raises(ValueError, match="pagefind broke"):
        run_beside([lambda: time.sleep(0.05) or finished.append(1)], jobs=1, beside=fail)
    assert finished == [1]


def test_background_runs_the_call_in_another_process_while_this_one_goes_on(tmp_path, forking):
    signal = tmp_path / "parent-went-on"
    running = Background(lambda: _wait_for(str(signal)) and os.getpid())
    signal.touch()  # after Background() returned: the call was already waiting for it
    assert running.result() not in (os.getpid(), False)


def test_background_runs_the_call_here_when_other_threads_run():
    # A fork copies only the calling thread: a lock another one holds could never be released.
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert Background(os.getpid).result() == os.getpid()
    finally:
        stop.set()
        other.join()


def test_background_runs_the_call_here_when_the_child_dies(forking):
    parent = os.getpid()

    def call():
        if os.getpid() != parent:
            os._exit(3)  # killed before it could answer
        return "made here"

    assert Background(call).result() == "made here"


def test_background_interrupted_raises_rather_than_doing_the_work_again(forking):
    parent = os.getpid()

    def call():
        if os.getpid() != parent:
            raise KeyboardInterrupt  # Ctrl-C reaches the child too
        return "made again"

    with pytest.raises(KeyboardInterrupt):
        Background(call).result()


def test_background_cancel_stops_and_reaps_the_child(forking):
    running = Background(lambda: time.sleep(30))
    pid = running._pid
    assert pid is not None
    started = time.monotonic()
    running.cancel()
    assert time.monotonic() - started < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left


def test_background_forks_beside_the_progress_bar_thread(monkeypatch):
    from sitegen.engine import parallel
    from sitegen.dev.progress import ProgressBar

    class Terminal:
        def isatty(self):
            return True

        def write(self, text):
            pass

        def flush(self):
            pass

    with ProgressBar(Terminal()) as bar:
        # The threads of the sitegen command: this one and the bar's (not Playwright's,
        # which earlier browser tests leave in this process).
        monkeypatch.setattr(parallel.threading, "enumerate", lambda: [threading.current_thread(), bar._thread])
        assert Background(os.getpid).result() != os.getpid()
        other = threading.Thread(target=lambda: None, name="someone-else")
        monkeypatch.setattr(parallel.threading, "enumerate", lambda: [threading.current_thread(), other])
        assert Background(os.getpid).result() == os.getpid()


def test_run_split_runs_away_in_another_process_beside_here_and_brings_its_cache_entries_back(tmp_path, forking):
    signal = str(tmp_path / "here-started")
    parent = os.getpid()
    cache = BuildCache.disabled()
    cache.put("events", b"old", "remembered")
    token = activate(cache)
    try:
        results, value = run_split(
            here=[lambda: open(signal, "w").close() or os.getpid()],
            away=[lambda: _wait_for(signal) and os.getpid(),  # waits for here: they overlap
                  lambda: remember("events", "new", lambda: "made away"),
                  lambda: current().get("events", b"old")],
            beside=lambda: os.getpid())
    finally:
        deactivate(token)
    assert results[0] == parent and results[1] not in (parent, False)
    assert results[2:] == ["made away", "remembered"] and value == parent
    # What the other process made is this build's now, without computing it again.
    token = activate(cache)
    try:
        assert remember("events", "new", lambda: "made again") == "made away"
    finally:
        deactivate(token)


def test_run_split_raises_a_failure_away_here():
    def fail():
        raise ValueError("feeds broke")

    with pytest.raises(ValueError, match="feeds broke"):
        run_split(here=[lambda: 1], away=[fail])


def test_run_split_gives_the_same_results_when_it_cannot_fork():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)  # another thread: no fork
    other.start()
    try:
        results, _ = run_split(here=[lambda: "here"], away=[os.getpid])
    finally:
        stop.set()
        other.join()
    assert results == ["here", os.getpid()]


def test_without_source_date_epoch_the_build_moment_is_the_start_of_the_hour():
    zone = ZoneInfo("Europe/Brussels")
    moment = build_moment(zone, environ={}, clock=datetime(2026, 11, 27, 12, 34, 56, tzinfo=timezone.utc))
    assert moment == datetime(2026, 11, 27, 13, 0, tzinfo=zone)
    assert build_moment(zone, environ={"SOURCE_DATE_EPOCH": "1795000000"}) == \
        datetime.fromtimestamp(1795000000, tz=timezone.utc)


def test_a_cold_build_renders_the_markdown_on_every_core(tmp_path, monkeypatch):
    import sys
    from pathlib import Path

    from sitegen import BuildOptions, build
    from sitegen.load.markup import MarkdownRenderer

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate

    generate(320, tmp_path / "site")  # at least PARALLEL_FROM tasks
    log = tmp_path / "renders.log"
    original = MarkdownRenderer.render

    def render(self, text):
        with open(log, "a") as handle:  # forked workers append their own pid
            handle.write(f"{os.getpid()}\n")
        return original(self, text)

    monkeypatch.setattr(MarkdownRenderer, "render", render)
    build(BuildOptions(root=tmp_path / "site", jobs=2))
    pids = log.read_text().split()
    assert len(pids) >= 320 + 16  # every task and place body, once
    assert pids.count(str(os.getpid())) < 20  # loading found them rendered by the workers


def test_workers_reuse_the_environment_fingerprint_made_before_the_fork(tmp_path, monkeypatch):
    # Reading and hashing every theme file costs ≈ 20 ms: made once by reuse.plan, it is
    # inherited by every worker chunk instead of being made again by each one.
    import sys
    from pathlib import Path

    from sitegen import BuildOptions, build

    from sitegen.engine import memo

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate

    generate(320, tmp_path / "site")  # at least PARALLEL_FROM tasks: task outputs in workers
    log = tmp_path / "fingerprints.log"
    original = memo._environment_fingerprint

    def fingerprint(theme, model):
        with open(log, "a") as handle:
            handle.write(f"{os.getpid()}\n")
        return original(theme, model)

    monkeypatch.setattr(memo, "_environment_fingerprint", fingerprint)
    build(BuildOptions(root=tmp_path / "site", jobs=2))
    assert log.read_text().split() == [str(os.getpid())]


def test_when_both_fail_the_calls_failure_is_the_one_reported():
    def fail_beside():
        raise RuntimeError("pagefind broke")

    def fail_call():
        raise ValueError("template mistake")

    with pytest.raises(ValueError, match="template mistake"):
        run_beside([fail_call], jobs=1, beside=fail_beside)


def test_what_a_forked_call_keeps_unread_survives_the_parents_save(forking):
    """keep() in a process run_split forked travels back: the parent's save keeps the entry."""
    cache = BuildCache.disabled()  # in memory: save() prunes as on disk
    cache.put("cards", b"k-kept", "kept over there")
    cache.put("cards", b"k-unused", "used by nobody")  # the same shard (first byte)
    cache.save()
    token = activate(cache)
    try:
        run_split(here=[lambda: current().put("cards", b"k-new", "made here")],  # that shard is saved
                  away=[lambda: current().keep("cards", b"k-kept")])
        current().save()
        assert current().get("cards", b"k-kept") == "kept over there"
        assert current().has("cards", b"k-unused") is False
    finally:
        deactivate(token)

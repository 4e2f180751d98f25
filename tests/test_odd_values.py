"""Any value a coordinator can type for any key gives a build or path:line problems, never a crash."""

from __future__ import annotations

import pytest

from sitegen import BuildFailed

# YAML spellings of every kind of value: text, numbers, booleans, dates, times, lists, mappings.
ODD_VALUES = [
    "", "~", "0", "-1", "3", "2.5", "1e3", ".nan", "yes", "true", "'text'", "10:00", "12:00:00",
    "2027-01-16", "2027-01-16 09:30", "2027-01-16 09:30:00", "2027-02-30", "[]", "[a, b]",
    "[2027-01-16, nope]", "2027-01-23", "{}", "{a: 1}", "{freq: weekly}", "{name: x, url: 'javascript:x'}",
    "[[1, 2]]", "!!binary aGVsbG8=", "&a [1]", "javascript:alert(1)", "'{title}'",
]
TASK_KEYS = ["title", "place", "start", "end", "repeat", "client", "partners", "category", "talents",
             "access", "spots", "taken", "status", "signup", "reward", "contact", "image", "result",
             "draft"]
NESTED = {"repeat": ["freq", "interval", "until", "count", "except"],
          "client": ["name", "url"], "result": ["participants", "hours", "note"]}
BASE = {"title": "Soep", "place": "t-hof", "category": "koken", "start": "'2027-01-16 09:30'"}


def _build_or_problems(site) -> None:
    try:
        site.build()
    except BuildFailed as failure:
        assert failure.problems  # every failure names its problems
        for problem in failure.problems:
            assert problem.path.startswith("content/") and problem.line >= 1


@pytest.mark.parametrize("key", TASK_KEYS)
def test_any_value_for_a_task_key(site, key):
    for value in ODD_VALUES:
        front = {**BASE, key: value}
        site.task("soep", "\n".join(f"{k}: {v}" for k, v in front.items()))
        _build_or_problems(site)


@pytest.mark.parametrize("key", [f"{outer}.{inner}" for outer, inners in NESTED.items() for inner in inners])
def test_any_value_for_a_nested_key(site, key):
    outer, inner = key.split(".")
    base = {"repeat": "  freq: weekly\n  count: 3", "client": "  name: Gezinsbond",
            "result": "  participants: 3"}[outer]
    for value in ODD_VALUES:
        lines = [line for line in base.split("\n") if not line.strip().startswith(inner + ":")]
        block = "\n".join([*lines, f"  {inner}: {value}"])
        site.task("soep", "\n".join(f"{k}: {v}" for k, v in BASE.items()) + f"\n{outer}:\n{block}")
        _build_or_problems(site)


@pytest.mark.parametrize("key", ["name", "address", "geo", "partners", "access", "hours", "contact", "image"])
def test_any_value_for_a_place_key(site, key):
    for value in ODD_VALUES:
        front = {"name": "'t Hof", "address": "Straat 1, 8210 Zedelgem", key: value}
        site.place("t-hof", "\n".join(f"{k}: {v}" for k, v in front.items()))
        _build_or_problems(site)


@pytest.mark.parametrize("key", ["title", "tagline", "base_url", "language", "timezone", "currency",
                                 "signup", "suggest", "contact", "categories", "access"])
def test_any_value_for_a_site_key(site, key):
    original = (site.root / "content/site.yml").read_text(encoding="utf-8")
    kept = [line for line in original.split("\n")
            if not line.startswith(f"{key}:") and not (key in ("categories", "access") and line.startswith("  "))]
    for value in ODD_VALUES:
        site.write("content/site.yml", "\n".join([*kept, f"{key}: {value}"]) + "\n")
        _build_or_problems(site)

"""The lock: the tests run against exactly the versions Netlify installs from requirements.txt."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Callable
from importlib import metadata
from typing import NamedTuple

from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from conftest import REPO

RUNTIME_LOCK = REPO / "requirements.txt"
TEST_LOCK = REPO / "requirements-test.txt"
# `name==version [; marker] \` as uv pip compile writes each pin (its hashes follow).
PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)==(?P<version>[^\s;\\]+)"
                 r"\s*(?:;\s*(?P<marker>[^\\]+?))?\s*\\?$")


PROJECT = "doeplek-sitegen (pyproject.toml)"  # how uv names our pyproject.toml in `# via`


class Pin(NamedTuple):
    version: str
    marker: str | None
    hashes: int = 0
    via: tuple[str, ...] = ()  # what asks for it: PROJECT, other pins' names, `-c requirements.txt`


def read_lock(text: str) -> dict[str, Pin]:
    """Every pin of a compiled requirements file, by canonical name."""
    pins: dict[str, Pin] = {}
    name = None
    for line in text.splitlines():
        found, stripped = PIN.match(line), line.strip()
        if found:
            name = canonicalize_name(found["name"])
            pins[name] = Pin(found["version"], found["marker"])
        elif name is None:
            continue
        elif stripped.startswith("--hash=sha256:"):
            pins[name] = pins[name]._replace(hashes=pins[name].hashes + 1)
        elif stripped.startswith("#"):  # `# via a` or `# via` then `#   a` lines
            words = stripped.lstrip("#").strip().removeprefix("via").strip()
            if words:
                pins[name] = pins[name]._replace(via=pins[name].via + (words,))
    return pins


def installed_version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def lock_differences(pins: dict[str, Pin], installed: Callable[[str], str | None]) -> list[str]:
    """How the installed packages differ from the lock's pins that apply to this interpreter."""
    differences = []
    for name, pin in sorted(pins.items()):
        if pin.marker is not None and not Marker(pin.marker).evaluate():
            continue
        version = installed(name)
        if version is None:
            differences.append(f"{name}: not installed, locked {pin.version}")
        elif Version(version) != Version(pin.version):
            differences.append(f"{name}: installed {version}, locked {pin.version}")
    return differences


def project() -> dict:
    return tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def runtime_pins() -> dict[str, Pin]:
    return read_lock(RUNTIME_LOCK.read_text(encoding="utf-8"))


def test_lock_differences_names_each_package_that_differs():
    pins = read_lock("# a comment\n"
                     "jinja2==3.1.6 \\\n    --hash=sha256:aa \\\n    --hash=sha256:bb\n    # via x\n"
                     "python-dateutil==4.0.0 \\\n    --hash=sha256:cc\n"
                     "colorama==0.4.6 ; sys_platform == 'nowhere' \\\n    --hash=sha256:dd\n"
                     "segno==1.6.6 \\\n    --hash=sha256:ee\n")
    assert pins["jinja2"] == Pin("3.1.6", None, 2, ("x",))
    assert pins["colorama"].marker == "sys_platform == 'nowhere'"
    installed = {"jinja2": "3.1.6", "python-dateutil": "2.9.0.post0", "colorama": "0.1"}.get
    assert lock_differences(pins, installed) == [
        "python-dateutil: installed 2.9.0.post0, locked 4.0.0",
        "segno: not installed, locked 1.6.6",
    ]


def test_the_test_environment_has_exactly_the_locked_runtime_packages():
    # What Netlify deploys with is what the suite ran against: install the test environment
    # from requirements-test.txt (README, first lines), not with `pip install -e '.[test]'`.
    assert lock_differences(runtime_pins(), installed_version) == []


def test_the_test_environment_has_exactly_the_locked_test_packages():
    assert lock_differences(read_lock(TEST_LOCK.read_text(encoding="utf-8")), installed_version) == []


def test_the_test_lock_pins_every_runtime_package_as_the_runtime_lock_does():
    tests = read_lock(TEST_LOCK.read_text(encoding="utf-8"))
    assert {name: tests[name].version if name in tests else None for name in runtime_pins()} == {
        name: pin.version for name, pin in runtime_pins().items()}


def test_the_locks_hold_what_pyproject_asks_for():
    runtime, tests = runtime_pins(), read_lock(TEST_LOCK.read_text(encoding="utf-8"))
    wanted = [(runtime, Requirement(line)) for line in project()["dependencies"]]
    wanted += [(tests, Requirement(line)) for line in project()["optional-dependencies"]["test"]]
    unmet = [str(requirement) for pins, requirement in wanted
             if canonicalize_name(requirement.name) not in pins
             or not requirement.specifier.contains(pins[canonicalize_name(requirement.name)].version,
                                                   prereleases=True)]
    assert unmet == [], "run the two `uv pip compile` commands of the README's section Dependencies"


def test_every_pin_has_hashes_and_is_asked_for():
    # pip's --require-hashes (Netlify's install) refuses a pin without one; a pin that nothing
    # asks for any more (a dependency removed from pyproject.toml) is a stale lock.
    direct = {canonicalize_name(Requirement(line).name) for line in project()["dependencies"]}
    for lock in (RUNTIME_LOCK, TEST_LOCK):
        pins = read_lock(lock.read_text(encoding="utf-8"))
        assert pins and [name for name, pin in pins.items() if pin.hashes == 0] == [], lock.name
        orphans = [name for name, pin in pins.items()
                   if not pin.via or any(by != PROJECT and not by.startswith("-c ")
                                         and canonicalize_name(by) not in pins for by in pin.via)]
        assert orphans == [], lock.name
    runtime = runtime_pins()
    assert {name for name, pin in runtime.items() if PROJECT in pin.via} == direct

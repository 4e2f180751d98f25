"""docs/take_screenshots.py still takes every screenshot the coordinator's guide shows."""

from __future__ import annotations

import importlib.util
import re
import struct
from pathlib import Path

from conftest import CHROMIUM, REPO, require


def test_the_guides_screenshots_can_be_taken_again(tmp_path):
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    spec = importlib.util.spec_from_file_location("take_screenshots", REPO / "docs/take_screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    taken = script.take(tmp_path)
    names = [path.name for path in taken]
    assert names == sorted(path.name for path in (REPO / "docs/screenshots").glob("*.png"))
    for path in taken:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (1100, 760), path.name
    # Every screenshot is shown in the guide, and the guide shows no other.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"docs/screenshots/([\w-]+\.png)", readme))) == names

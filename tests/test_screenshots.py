"""docs/take_screenshots.py still takes every screenshot the coordinator's guide shows."""

from __future__ import annotations

import re
import struct
import subprocess
import sys
from pathlib import Path

from conftest import CHROMIUM, REPO, require


def test_the_guides_screenshots_can_be_taken_again(tmp_path):
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} is not installed (apt-get install chromium)")
    # Its own process: Playwright's sync API cannot start beside the browser tests' running one.
    subprocess.run([sys.executable, str(REPO / "docs/take_screenshots.py"), str(tmp_path)],
                   check=True, timeout=600)
    taken = sorted(tmp_path.glob("*.png"))
    names = [path.name for path in taken]
    # The editor's screenshots are numbered (01-…); the posters' are made by docs/screenshots/make.py.
    assert names == sorted(path.name for path in (REPO / "docs/screenshots").glob("[0-9][0-9]-*.png"))
    for path in taken:
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", data[16:24]) == (1100, 760), path.name
    # Every screenshot is shown in the guide, and the guide shows no other.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert sorted(set(re.findall(r"docs/screenshots/(\d\d-[\w-]+\.png)", readme))) == names

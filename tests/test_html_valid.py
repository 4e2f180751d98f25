"""Every page of the demo build validates with the Nu HTML checker (vnu.jar, needs java).

One java invocation checks all pages (the JVM start costs more than the checks).
Skips on a laptop without java or `npm ci --prefix tests/node`; fails in CI.
"""

from __future__ import annotations

import json
import shutil
import subprocess

from conftest import REPO, require

VNU = REPO / "tests/node/node_modules/vnu-jar/build/dist/vnu.jar"


def test_demo_pages_are_valid_html(demo_site):
    java = shutil.which("java")
    require(java is not None, "java is not installed (apt-get install default-jre-headless)")
    require(VNU.is_file(), f"{VNU} is missing (npm ci --prefix tests/node)")
    demo_site.build(drafts=True)  # drafts too: every template path a coordinator can reach
    pages = sorted(str(p) for p in demo_site.out.rglob("*.html"))
    assets = sorted(str(p) for p in demo_site.out.glob("static/**/*") if p.suffix in (".css", ".svg"))
    assert len(pages) > 30
    checked = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--errors-only", "--also-check-css",
         "--also-check-svg", *pages, *assets],
        capture_output=True, text=True, timeout=300)
    report = json.loads(checked.stderr or checked.stdout)  # vnu writes its report to stderr
    errors = [f"{m.get('url', '').split(str(demo_site.out))[-1]}:{m.get('lastLine', '?')}: "
              f"{m.get('message')} [{m.get('extract', '').strip()[:80]}]"
              for m in report["messages"] if m.get("type") in ("error", "non-document-error")]
    assert errors == []

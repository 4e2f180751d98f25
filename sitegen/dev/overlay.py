"""What `sitegen serve` adds to the pages it serves: the reload script and the problems banner."""

from __future__ import annotations

import html
import re

from .. import messages
from ..i18n import say

RELOAD_JS = b"""\
// sitegen serve only: reload this page when a rebuild changed it.
(function () {
  "use strict";
  // The server says which generation of the site this page is, and each message
  // which pages changed since then (null: every page, e.g. after a failed build).
  var script = document.currentScript;
  var known = script && script.dataset.generation ? Number(script.dataset.generation) : null;
  var here = window.location.pathname.replace(/index\\.html$/, "");
  try { here = decodeURIComponent(here); } catch (error) { /* keep it as it is */ }
  var source = new EventSource("/__sitegen/events" + (known === null ? "" : "?since=" + known));
  source.addEventListener("message", function (event) {
    var data = JSON.parse(event.data);
    if (known !== null && data.generation !== known &&
        (data.paths === null || data.paths.indexOf(here) >= 0)) {
      source.close();
      window.location.reload();
      return;
    }
    known = data.generation;
  });
}());
"""

BANNER_CSS = b"""\
/* sitegen serve only: the build problems banner. */
.sitegen-problems { position: relative; z-index: 2147483647; margin: 0; padding: 1rem;
  background: #fff3f3; color: #5a0000; border-bottom: 4px solid #b00020;
  font: 1rem/1.4 system-ui, sans-serif; }
.sitegen-problems h2 { margin: 0 0 .5rem; font-size: 1.1rem; }
.sitegen-problems pre { margin: 0; white-space: pre-wrap; font: .95rem/1.4 ui-monospace, monospace; }
"""


def decorate(body: bytes, generation: int, problems: list[str], language: str) -> bytes:
    """Add the reload script (and the problems banner, in `language`) to one HTML response."""
    head = (b'<script src="/__sitegen/reload.js" data-generation="%d" defer></script>'
            b'<link rel="stylesheet" href="/__sitegen/serve.css">' % generation)
    body = insert_after_tag(body, b"<head", head)
    if problems:
        banner = ('<div class="sitegen-problems" role="alert"><h2>'
                  + html.escape(say(messages.showing_last_good_build(len(problems)), language))
                  + "</h2><pre>" + html.escape("\n".join(problems), quote=False) + "</pre></div>")
        body = insert_after_tag(body, b"<body", banner.encode("utf-8"))
    return body


def insert_after_tag(body: bytes, tag: bytes, addition: bytes) -> bytes:
    """Insert right after the opening `tag` (e.g. b"<head"), or at the start if there is none."""
    match = re.search(re.escape(tag) + rb"(?:\s[^>]*)?>", body)
    if match is None:
        return addition + body
    return body[:match.end()] + addition + body[match.end():]

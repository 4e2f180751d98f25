"""netlify.toml: serve the built site with its headers and check the pages respect the CSP."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from conftest import REPO, QuietHandler, serve_folder

CONFIG = tomllib.loads((REPO / "netlify.toml").read_text(encoding="utf-8"))


def rule_regex(path: str) -> re.Pattern:
    """Netlify's `for` pattern as a regex (as netlify/build's headers-parser does it)."""
    parts = []
    for part in (p.rstrip() for p in path.split("/") if p.strip()):
        if part.startswith(":"):
            parts.append("([^/]+)")
        elif part == "*":
            parts.append("?(.*)")
        elif "*" in part:
            parts.append(re.escape(part).replace(r"\*", "(.*)"))
        else:
            parts.append(re.escape(part))
    return re.compile("^/" + "/".join(parts) + "/?$", re.I)


def headers_for(path: str) -> dict[str, str]:
    """Every matching rule in order; for the same header a later rule wins (like `netlify dev`)."""
    found: dict[str, str] = {}
    for rule in CONFIG.get("headers", []):
        if rule_regex(rule["for"]).match(path):
            found.update(rule["values"])
    return found


def csp(path: str) -> dict[str, str]:
    policy = headers_for(path)["Content-Security-Policy"]
    return {d.split()[0]: " ".join(d.split()[1:]) for d in policy.split(";") if d.strip()}


class _Netlify(QuietHandler):
    """Static files with netlify.toml's headers, and 404.html for what is missing."""

    def end_headers(self):
        for name, value in headers_for(self.path.split("?", 1)[0]).items():
            if name.lower() != "content-type":
                self.send_header(name, value)
        super().end_headers()

    def send_error(self, code, message=None, explain=None):
        if code != 404:
            return super().send_error(code, message, explain)
        body = (Path(self.directory) / "404.html").read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def served(folder: Path, handler=_Netlify):
    return serve_folder(folder, handler)


def test_netlify_build_settings():
    build = CONFIG["build"]
    assert build["publish"] == "public"
    assert "pip install" in build["command"] and "build" in build["command"]
    assert CONFIG["build"]["environment"]["PYTHON_VERSION"].startswith("3.")


def test_headers_per_kind_of_path():
    page = csp("/tasks/soep/")
    assert page["default-src"] == "'self'"
    assert page["script-src"] == "'self' 'wasm-unsafe-eval'"
    assert page["worker-src"] == "'self' blob:"
    assert page["img-src"] == "'self' data:"
    assert page["style-src"] == "'self'"
    assert page["frame-ancestors"] == "'none'"
    for path in ("/", "/places/oranje/", "/places/oranje/poster/", "/impact/", "/404.html", "/feed.xml"):
        assert csp(path)["frame-ancestors"] == "'none'", path
    for path in ("/places/oranje/embed/", "/places/oranje/embed/index.html"):
        assert csp(path)["frame-ancestors"] == "*", path
        assert csp(path)["default-src"] == "'self'"
    common = headers_for("/tasks/soep/")
    assert common["X-Content-Type-Options"] == "nosniff"
    assert common["Referrer-Policy"] and common["Permissions-Policy"]
    assert headers_for("/calendar.ics")["Content-Type"].startswith("text/calendar")
    assert headers_for("/places/oranje.ics")["Content-Type"].startswith("text/calendar")
    assert headers_for("/feed.xml")["Content-Type"].startswith("application/atom+xml")
    assert "immutable" in headers_for("/pagefind/fragment/nl_1a2b3c.pf_fragment")["Cache-Control"]
    assert "immutable" in headers_for("/pagefind/shard-03/fragment/nl_1a2b3c.pf_fragment")["Cache-Control"]
    assert "Cache-Control" not in headers_for("/pagefind/shard-03/pagefind-entry.json")
    assert "Cache-Control" not in headers_for("/pagefind/pagefind.js")  # not fingerprinted


@pytest.fixture(scope="module")
def demo_public(tmp_path_factory):
    import shutil

    from conftest import BUILD_EPOCH, DEMO, SiteFolder
    folder = SiteFolder(tmp_path_factory.mktemp("csp") / "demo")
    shutil.copytree(DEMO, folder.root / "content")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        folder.build()
    return folder


def test_no_page_breaks_the_csp_or_leaves_the_site(browser, demo_public):
    files = demo_public.files()
    paths = ["/", "/tasks/brieven-plooien-gezinsbond/", "/tasks/soep-buurtmaaltijd/",
             "/places/oranje/", "/categories/koken/", "/impact/", "/suggest/",
             "/tasks/brieven-plooien-gezinsbond/poster/", "/places/oranje/poster/",
             "/places/oranje/embed/", "/no/such/page/"]
    paths += [p for p in ("/subscribe/",) if p.lstrip("/") + "index.html" in files]
    context = browser.new_context()
    outside: list[str] = []
    context.route("**/*", lambda route: (
        route.continue_() if route.request.url.startswith("http://127.0.0.1:")
        else (outside.append(route.request.url), route.abort())))
    context.add_init_script("""
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e => window.__violations.push(
            e.violatedDirective + ' ' + e.blockedURI));
    """)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    with served(demo_public.out) as origin:
        for path in paths:
            page.goto(origin + path, wait_until="networkidle")
            if path == "/":
                page.fill("input[type=search], input[name=q]", "soep")  # wake Pagefind up
                page.wait_for_timeout(500)
            violations = page.evaluate("window.__violations")
            assert violations == [], f"{path}: {violations}"
        assert not [m for m in console if "Content Security Policy" in m], console
        assert outside == []
    context.close()


def test_only_the_embed_can_be_framed_by_a_partner(browser, demo_public, tmp_path):
    with served(demo_public.out) as origin:
        # A partner site on another origin (localhost, not 127.0.0.1) framing two of our pages.
        partner = tmp_path / "partner"
        partner.mkdir()
        (partner / "index.html").write_text(
            '<!doctype html><title>partner</title>'
            f'<iframe id="embed" src="{origin}/places/oranje/embed/"></iframe>'
            f'<iframe id="task" src="{origin}/tasks/soep-buurtmaaltijd/"></iframe>', encoding="utf-8")
        with served(partner, QuietHandler) as partner_origin:
            page = browser.new_page()
            page.goto(partner_origin.replace("127.0.0.1", "localhost") + "/", wait_until="networkidle")
            by_url = {frame.url: frame for frame in page.frames}
            embed = by_url.get(f"{origin}/places/oranje/embed/")
            assert embed is not None, list(by_url)
            assert "Taken bij" in embed.content()
            task = [f for u, f in by_url.items() if "/tasks/" in u]
            assert not task or "Soep" not in task[0].content()
            page.close()


def test_the_editor_alone_has_a_looser_policy():
    editor = csp("/admin/")
    assert csp("/admin/config.yml") == editor == csp("/admin")
    assert editor["script-src"] == "'self' 'unsafe-eval'"  # Decap compiles its config schema
    assert editor["style-src"] == "'self' 'unsafe-inline'"  # and styles itself inline
    assert editor["connect-src"] == "'self' https://api.github.com https://api.netlify.com"
    assert editor["frame-ancestors"] == "'none'" and editor["object-src"] == "'none'"
    # (Netlify's "/admin/*" also matches "/adminxyz": no page of ours starts with "/admin".)
    for path in ("/", "/tasks/soep/", "/static/vendor/decap-cms/decap-cms.js", "/categories/administratie/",
                 "/places/oranje/embed/"):
        assert "unsafe" not in headers_for(path)["Content-Security-Policy"].replace("wasm-unsafe-eval", ""), path


def test_the_editor_loads_under_its_policy_from_this_site_only(browser, demo_public):
    context = browser.new_context()
    outside: list[str] = []
    context.route("**/*", lambda route: (
        route.continue_() if route.request.url.startswith("http://127.0.0.1:")
        else (outside.append(route.request.url), route.abort())))
    context.add_init_script("""
        window.__violations = [];
        document.addEventListener('securitypolicyviolation', e => window.__violations.push(
            e.violatedDirective + ' ' + e.blockedURI));
    """)
    page = context.new_page()
    with served(demo_public.out) as origin:
        page.goto(origin + "/admin/", wait_until="networkidle")
        # The deployed editor: the GitHub back end's login, in Dutch; nothing asked of GitHub yet.
        page.get_by_role("button", name="Inloggen met GitHub").wait_for()
        assert page.evaluate("window.__violations") == []
    assert outside == []
    context.close()

"""Hostile content and faults (issue 13): nothing leaks, nothing hangs, never a traceback.

One section per class of failure the security review found; each class is tested with
several variants written from the class, not from the review's one example.
"""

from __future__ import annotations

import builtins
import errno
import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest

from sitegen import BuildFailed
from sitegen.build import BuildOptions, build, load
from sitegen.cli import main
from sitegen.offsite import loads_in_html
from sitegen.problems import WriteFailed

from conftest import BUILD_NOW, SITE_YML, serve_folder

SECRET = "sitegen-secret-8f3a"  # what must never reach public/
TRACKER = "tracker.example"
TASK = """\
title: Soep koken
place: t-hof
category: koken
start: "2027-01-16 09:30"
"""


def problems(site, **options) -> list[str]:
    """The problems a build reports, as the lines the command prints."""
    with pytest.raises(BuildFailed) as failure:
        site.build(**options)
    return [str(p) for p in failure.value.problems]


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file and folder under `folder` (folders as None), to compare before and after."""
    if not folder.exists():
        return {}
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder).as_posix()
        found[relative] = None if path.is_dir() else path.read_bytes()
    return found


def published(site) -> bytes:
    """Everything the build wrote, as one blob to search for leaked bytes."""
    return b"".join(p.read_bytes() for p in site.out.rglob("*") if p.is_file())


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the site, with a file the build must never read."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / "secret.jpg").write_text(f"{SECRET}\n", encoding="utf-8")
    (folder / "secret.md").write_text(f"---\ntitle: {SECRET}\n---\n{SECRET}\n", encoding="utf-8")
    (folder / "site.yml").write_text(f"title: {SECRET}\n", encoding="utf-8")
    (folder / "base.html").write_text(SECRET, encoding="utf-8")
    (folder / "x.css").write_text(f"/* {SECRET} */", encoding="utf-8")
    return folder


def picture(site, relative: str, data: bytes = b"\x89PNG\r\n\x1a\n fake picture") -> Path:
    path = site.root / "content" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


# -- 1. files outside the site ------------------------------------------------------------------
@pytest.mark.parametrize("target", ["/etc/passwd", "/proc/self/environ", "{outside}/secret.jpg"])
def test_an_image_key_linking_outside_is_refused(site, outside, target):
    images = site.root / "content/images"
    images.mkdir(parents=True)
    (images / "x.jpg").symlink_to(target.format(outside=outside))
    site.task("soep", TASK + "image: images/x.jpg\n")
    assert problems(site) == [
        "content/tasks/soep.md:6: image 'images/x.jpg' is a symbolic link to a file outside "
        "content/ (or theme/), which is never published; put the picture itself there instead of a link"]
    assert not site.out.exists()


def test_a_body_picture_linking_outside_is_refused_at_its_line(site, outside):
    picture(site, "images/ok.jpg")
    (site.root / "content/images/x.jpg").symlink_to(outside / "secret.jpg")
    site.task("soep", TASK, "Eerst dit.\n\n![ok](images/ok.jpg)\n\n![soep](images/x.jpg)\n")
    assert problems(site) == [
        "content/tasks/soep.md:11: in the text: image 'images/x.jpg' is a symbolic link to a file "
        "outside content/ (or theme/), which is never published; put the picture itself there "
        "instead of a link"]


def test_a_folder_link_publishes_nothing_of_the_outside_tree(site, outside):
    (site.root / "content/images").symlink_to(outside, target_is_directory=True)
    site.task("soep", TASK + "image: images/secret.jpg\n")
    assert problems(site) == [
        "content/tasks/soep.md:6: image 'images/secret.jpg' is a symbolic link to a file outside "
        "content/ (or theme/), which is never published; put the picture itself there instead of a link"]


@pytest.mark.parametrize("link, target, expected", [
    ("content/tasks/geheim.md", "secret.md", "content/tasks/geheim.md:1: 'content/tasks/geheim.md'"),
    ("content/places/geheim.md", "secret.md", "content/places/geheim.md:1: 'content/places/geheim.md'"),
    ("content/site.yml", "site.yml", "content/site.yml:1: 'content/site.yml'"),
])
def test_content_files_linking_outside_are_refused(site, outside, link, target, expected):
    path = site.root / link
    path.unlink(missing_ok=True)
    path.symlink_to(outside / target)
    found = problems(site)
    assert found == [f"{expected} is a symbolic link to a file or folder outside content/, which is "
                     "never read or published; put the file itself in content/ instead of a link"]
    assert not any(SECRET in line for line in found)


def test_a_content_folder_linking_outside_is_refused(site, outside):
    shutil.rmtree(site.root / "content/tasks")
    (site.root / "content/tasks").symlink_to(outside, target_is_directory=True)
    assert problems(site) == [
        "content/tasks:1: 'content/tasks' is a symbolic link to a file or folder outside content/, "
        "which is never read or published; put the file itself in content/ instead of a link"]


@pytest.mark.parametrize("kind", ["fifo", "folder"])
@pytest.mark.parametrize("where", ["text", "image key"])
def test_a_picture_that_is_a_pipe_or_folder_is_told_so_not_missing(site, kind, where):
    images = site.root / "content/images"
    images.mkdir(parents=True)
    if kind == "fifo":
        os.mkfifo(images / "f.png")
    else:
        (images / "f.png").mkdir()
    if where == "text":
        site.task("soep", TASK, "Eerst.\n\n![soep](images/f.png)\n")
        expected = "content/tasks/soep.md:9: in the text: image 'images/f.png'"
    else:
        site.task("soep", TASK + "image: images/f.png\n")
        expected = "content/tasks/soep.md:6: image 'images/f.png'"
    found = _bounded(lambda: problems(site), seconds=30, megabytes=None)  # a pipe is never opened
    assert found == [f"{expected} is a folder, a pipe or a device, not a normal file; replace it with "
                     "the picture itself"]


def test_links_that_stay_inside_the_site_are_followed(site):
    """Decided: a symlink whose target stays inside content/ is fine (one picture, two names)."""
    picture(site, "images/soep.jpg", b"soep-picture")
    (site.root / "content/images/ook-soep.jpg").symlink_to("soep.jpg")
    (site.root / "content/shared").mkdir()
    (site.root / "content/shared/bord.md").write_text("---\n" + TASK + "---\nSamen.\n", encoding="utf-8")
    (site.root / "content/tasks/bord.md").symlink_to("../shared/bord.md")
    site.task("soep", TASK + "image: images/ook-soep.jpg\n")
    site.build()
    assert (site.out / "media/images/ook-soep.jpg").read_bytes() == b"soep-picture"
    assert (site.out / "tasks/bord/index.html").is_file()


@pytest.mark.parametrize("kind", ["template", "static file", "static folder", "theme folder"])
def test_theme_links_out_of_the_theme_are_refused(site, outside, kind):
    theme = site.root / "theme"
    if kind == "theme folder":
        theme.symlink_to(outside, target_is_directory=True)
        shown, area = "theme", "the site's folder"
    elif kind == "template":
        (theme / "templates").mkdir(parents=True)
        (theme / "templates/base.html").symlink_to(outside / "base.html")
        shown, area = "theme/templates/base.html", "templates/"
    elif kind == "static file":
        (theme / "static/css").mkdir(parents=True)
        (theme / "static/css/extra.css").symlink_to(outside / "x.css")
        shown, area = "theme/static/css/extra.css", "static/"
    else:
        (theme / "static").mkdir(parents=True)
        (theme / "static/fonts").symlink_to(outside, target_is_directory=True)
        shown, area = "theme/static/fonts", "static/"
    site.task("soep", TASK)
    assert problems(site) == [
        f"{shown}:1: '{shown}' is a symbolic link to a file or folder outside {area}, which is "
        f"never read or published; put the file itself in {area} instead of a link"]
    assert not site.out.exists()


# -- 2. requests to other hosts ---------------------------------------------------------------
def _refused_image(url: str) -> str:
    return (f"in the text: the image '{url}' comes from another website, which the site never "
            "contacts; put the picture in content/ (e.g. content/images/foto.jpg) and name it "
            "with 'image: images/foto.jpg' or, in the text, '![what it shows](images/foto.jpg)'")


@pytest.mark.parametrize("body, url", [
    ("![x](/\\tracker.example/p.gif)", "/\\tracker.example/p.gif"),
    ("<img src=\"/\\tracker.example/p.gif\">", "/\\tracker.example/p.gif"),
    ("<img src=\"\\\\tracker.example\\p.gif\">", "\\\\tracker.example\\p.gif"),
    ("<img src=\"/&#9;/tracker.example/p.gif\">", "/\t/tracker.example/p.gif"),
    ("<img src=\" //tracker.example/p.gif\">", " //tracker.example/p.gif"),
    ("<img src=\"&#47;&#47;tracker.example/p.gif\">", "//tracker.example/p.gif"),
])
def test_images_from_other_hosts_are_refused_as_browsers_read_them(site, body, url):
    site.task("soep", TASK, f"Kijk:\n\n{body}\n")
    assert problems(site) == ["content/tasks/soep.md:9: " + _refused_image(url).replace("\t", "\\x09")]


@pytest.mark.parametrize("url", ["https:/\\tracker.example/p.gif", "http:tracker.example/p.gif",
                                 "https:\\\\tracker.example/p.gif"])
def test_a_web_scheme_without_slashes_is_refused_as_a_link_without_host(site, url):
    site.task("soep", TASK, f"<img src=\"{url}\">\n")
    assert problems(site) == [f"content/tasks/soep.md:7: in the text: the link '{url}' has no web "
                              "address after the scheme; write e.g. https://www.example.be"]


PARSER_DIFFERENTIALS = [
    '<noscript><p title="</noscript><img src=https://tracker.example/n.gif>"></p></noscript>',
    '<textarea><p title="</textarea><img src=https://tracker.example/t.gif>"></p></textarea>',
    '<xmp><p title="</xmp><img src=https://tracker.example/x.gif>"></p></xmp>',
    '<noembed><p title="</noembed><img src=https://tracker.example/e.gif>"></p></noembed>',
    '<iframe><p title="</iframe><img src=https://tracker.example/i.gif>"></p></iframe>',
    '<title><p title="</title><img src=https://tracker.example/l.gif>"></p></title>',
    '<svg><style><img src=https://tracker.example/s.gif></style></svg>',
    '<math><mtext><table><mglyph><style><img src=https://tracker.example/m.gif>',
]


@pytest.mark.parametrize("body", PARSER_DIFFERENTIALS)
def test_sanitised_bodies_never_hold_an_element_loading_from_another_host(site, body):
    site.task("soep", TASK, f"Tekst.\n\n{body}\n")
    try:
        site.build()
    except BuildFailed as failure:  # refused is fine too; published with a tracker is not
        assert all("another website" in p.message for p in failure.problems)
        return
    page = site.read("tasks/soep/index.html")
    assert TRACKER not in page or loads_in_html(page) == []


TRICKY_BUT_SAFE = [
    '<abbr title="</noscript><img src=//tracker.example/a.gif>">afkorting</abbr>',
    "&lt;img src=//tracker.example/b.gif&gt; als tekst",
    '<a href="//tracker.example/c">een link volgen mag</a>',
    '<p title="<noscript><img src=https://tracker.example/d.gif></noscript>">alinea</p>',
    "`<img src=//tracker.example/e.gif>` als code",
    "![soep](images/ok.jpg)",
]


def test_chromium_requests_nothing_from_another_host_for_tricky_bodies(site, browser):
    """The real client: bodies that build, loaded with JavaScript on and off."""
    picture(site, "images/ok.jpg")
    site.task("soep", TASK, "Tekst.\n\n" + "\n\n".join(TRICKY_BUT_SAFE) + "\n")
    site.build()
    assert TRACKER in site.read("tasks/soep/index.html")  # the payloads are there, inert
    with serve_folder(site.out) as base:
        for javascript in (True, False):
            context = browser.new_context(java_script_enabled=javascript)
            page = context.new_page()
            requested = []
            page.on("request", lambda request: requested.append(request.url))
            page.route(f"**/*{TRACKER}*/**", lambda route: route.abort())
            page.goto(base + "/tasks/soep/", wait_until="load")
            context.close()
            assert requested and all(url.startswith(base) for url in requested), requested


@pytest.mark.parametrize("value", ["//tracker.example/p.jpg", "\\\\tracker.example\\p.jpg",
                                   "https://tracker.example/p.jpg", "/\\tracker.example/p.jpg"])
def test_image_keys_are_paths_inside_the_site(site, value):
    site.task("soep", TASK + f"image: '{value}'\n")
    assert problems(site) == [f"content/tasks/soep.md:6: image '{value}' must be a path inside "
                              "content/ or theme/, like images/soep.jpg"]


@pytest.mark.parametrize("markup, url", [
    ('<img src="//tracker.example/p.gif" alt="">', "//tracker.example/p.gif"),
    ('<link rel="stylesheet" href="https://cdn.example/x.css">', "https://cdn.example/x.css"),
    ('<script src="https://cdn.example/x.js"></script>', "https://cdn.example/x.js"),
    (r"""<div style="background: url('/\\tracker.example/b.png')"></div>""", "/\\tracker.example/b.png"),
    ('<div style="background: url(/\\tracker.example/b.png)"></div>', None),  # CSS reads \t as t: local
    ('<link rel="preconnect" href="https://fonts.example">', "https://fonts.example"),
    ('{% set u = "https:" ~ "//tracker.example/d.gif" %}<img src="{{ u }}" alt="">',
     "https://tracker.example/d.gif"),
])
def test_a_theme_template_cannot_make_a_page_load_from_another_host(site, markup, url):
    site.write("theme/templates/404.html",
               '{% extends "default/404.html" %}{% block main %}' + markup + "{% endblock %}")
    site.task("soep", TASK)
    if url is None:
        site.build()
        return
    shown = url if len(url) <= 60 else url[:57] + "…"
    assert problems(site) == [
        f"theme/templates/404.html:1: template error: the page 404.html would make visitors' "
        f"browsers load '{shown}' from another website, which the site never does; put the file "
        "in theme/static/ and link it with the 'static' filter"]


# URLs that are documents of their own (data:, javascript:) load whatever they hold, and
# image-set() takes a URL as a plain string: each makes Chromium fetch from the tracker.
DOCUMENT_LOADS = [
    '<iframe src="data:text/html,%3Cimg%20src=https://tracker.example/d1.gif%3E"></iframe>',
    '<link rel="stylesheet" href="data:text/css,@import url(https://tracker.example/d2.css);">',
    '<object data="data:text/html,%3Cimg%20src=https://tracker.example/d3.gif%3E"></object>',
    '<embed type="image/svg+xml" src="data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22%3E'
    '%3Cimage href=%22https://tracker.example/d7.png%22 width=%229%22 height=%229%22/%3E%3C/svg%3E">',
    """<iframe src="javascript:'%3Cimg%20src=https://tracker.example/d6.gif%3E'"></iframe>""",
    '<iframe src=" java&#9;script:\'%3Cimg%20src=https://tracker.example/d8.gif%3E\'"></iframe>',
    '<img srcset="data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22/%3E 1x" alt="">',
    '<div style="background-image:image-set(\'https://tracker.example/d4.png\' 1x);height:9px"></div>',
    '<style>body { background: -webkit-image-set("https://tracker.example/d5.png" 1x) }</style>',
    '<style>body { background: image-set("//tracker.example/d9.png" 1x, url(/a.png) 2x) }</style>',
]
_DOCUMENT_URLS = [
    "data:text/html,%3Cimg%20src=https://tracker.example/d1.gif%3E",
    "data:text/css,@import url(https://tracker.example/d2.css);",
    "data:text/html,%3Cimg%20src=https://tracker.example/d3.gif%3E",
    "data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22%3E%3Cimage href=%22https://tracker.example/d7.png%22 width=%229%22 height=%229%22/%3E%3C/svg%3E",
    "javascript:'%3Cimg%20src=https://tracker.example/d6.gif%3E'",
    " java\tscript:'%3Cimg%20src=https://tracker.example/d8.gif%3E'",
    "data:image/svg+xml,%3Csvg%20xmlns=%22http://www.w3.org/2000/svg%22/%3E",
]


def _shown(url: str) -> str:
    url = url.replace("\t", "\\x09")
    return url if len(url) <= 60 else url[:57] + "…"


@pytest.mark.parametrize("markup, url", list(zip(DOCUMENT_LOADS, _DOCUMENT_URLS + [
    "https://tracker.example/d4.png", "https://tracker.example/d5.png", "//tracker.example/d9.png"])))
def test_a_theme_template_cannot_load_a_document_written_into_a_url(site, markup, url):
    site.write("theme/templates/404.html",
               '{% extends "default/404.html" %}{% block main %}' + markup + "{% endblock %}")
    site.task("soep", TASK)
    if url in _DOCUMENT_URLS:
        told = (f"'{_shown(url)}': a data: or javascript: address is a document or style sheet of its "
                "own, which can load from any website")
    else:
        told = f"'{_shown(url)}' from another website, which the site never does"
    assert problems(site) == [
        f"theme/templates/404.html:1: template error: the page 404.html would make visitors' browsers "
        f"load {told}; put the file in theme/static/ and link it with the 'static' filter"]
    assert not site.out.exists()


def _requests_elsewhere(browser, folder: Path, page_path: str) -> list[str]:
    """What Chromium asks of other hosts showing `page_path` (every such request aborted)."""
    with serve_folder(folder) as base:
        context = browser.new_context()
        requested = []
        context.on("request", lambda request: requested.append(request.url))
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                      else route.abort())
        page = context.new_page()
        page.goto(base + page_path, wait_until="load")
        page.wait_for_timeout(200)  # frames and style sheets written into URLs load after the page
        context.close()
    return [url for url in requested if not url.startswith((base, "data:"))]


@pytest.mark.parametrize("markup", DOCUMENT_LOADS[:6] + DOCUMENT_LOADS[7:])  # (an SVG in <img> is inert)
def test_chromium_does_fetch_from_the_tracker_for_each_refused_load(tmp_path, browser, markup):
    """The refusals are real: as a page, each of these markups makes a request to another host."""
    (tmp_path / "index.html").write_text(f"<!doctype html><title>t</title>{markup}", encoding="utf-8")
    assert any(TRACKER in url for url in _requests_elsewhere(browser, tmp_path, "/")), markup


def test_a_raster_picture_written_into_an_img_builds_and_fetches_nothing(site, browser):
    pixel = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    site.write("theme/templates/404.html", '{% extends "default/404.html" %}{% block main %}'
               f'<img src="{pixel}" alt=""><img srcset="{pixel} 1x" alt="">'
               f'<div style="background: url({pixel})"></div>{{% endblock %}}')
    site.task("soep", TASK)
    site.build()
    assert pixel in site.read("404.html")
    assert _requests_elsewhere(browser, site.out, "/404.html") == []


@pytest.mark.parametrize("name, text, url", [
    ("css/site.css", "@import url('https://fonts.example/f.css');", "https://fonts.example/f.css"),
    ("css/extra.css", "body { background: u\\72l(//tracker.example/b.png) }", "//tracker.example/b.png"),
    ("css/font.css", "@font-face { src: url(https://fonts.example/a.woff2) }", "https://fonts.example/a.woff2"),
    ("hello.html", '<img src="https://tracker.example/h.gif">', "https://tracker.example/h.gif"),
])
def test_theme_static_files_cannot_load_from_another_host(site, name, text, url):
    site.write(f"theme/static/{name}", text)
    site.task("soep", TASK)
    assert problems(site) == [
        f"theme/static/{name}:1: 'theme/static/{name}' would make visitors' browsers load '{url}' "
        "from another website, which the site never does; put that file in theme/static/ and refer to it there"]


def test_every_load_from_another_host_in_a_static_file_is_named_at_its_line(site):
    site.write("theme/static/css/fonts.css", "/* fonts */\n@import url('https://fonts.example/a.css');\n"
               "body { color: black }\n\n@font-face { src: url(https://fonts.example/b.woff2) }\n"
               "h1 { background: url(https://fonts.example/a.css) }\n")
    site.write("theme/static/many.css", "".join(f"p{n} {{ background: url(//t.example/{n}.png) }}\n"
                                                 for n in range(5000)))
    site.task("soep", TASK)
    found = problems(site)
    assert found[:2] == [
        "theme/static/css/fonts.css:2: 'theme/static/css/fonts.css' would make visitors' browsers load "
        "'https://fonts.example/a.css' from another website, which the site never does; put that file "
        "in theme/static/ and refer to it there",
        "theme/static/css/fonts.css:5: 'theme/static/css/fonts.css' would make visitors' browsers load "
        "'https://fonts.example/b.woff2' from another website, which the site never does; put that "
        "file in theme/static/ and refer to it there"]
    many = [line for line in found if line.startswith("theme/static/many.css:")]
    assert [line.split(":")[1] for line in many] == [str(n) for n in range(1, 21)]


@pytest.mark.parametrize("file, text, url", [
    ("theme/templates/404.html", '<img src="https://tracker.example/pixel.gif" alt="">',
     "https://tracker.example/pixel.gif"),
    ("theme/templates/404.html", '<link rel="stylesheet" href="//tracker.example/s.css">', "//tracker.example/s.css"),
    ("theme/templates/404.html", '<img src="http:tracker.example/p.gif" alt="">', "http:tracker.example/p.gif"),
    ("theme/static/css/x.css", "body { background: url(https://tracker.example/b.png) }",
     "https://tracker.example/b.png"),
], ids=["img", "stylesheet", "http-without-slashes", "static-css"])
def test_base_url_does_not_make_its_host_the_sites_own(site, file, text, url):
    """site.yml comes with the pull request: its base_url's host is as much elsewhere as any."""
    site.write("content/site.yml", SITE_YML.replace("https://doeplekken.example.be", "https://tracker.example"))
    if file.endswith(".html"):
        text = '{% extends "default/404.html" %}{% block main %}' + text + "{% endblock %}"
    site.write(file, text)
    site.task("soep", TASK)
    found = problems(site)
    assert len(found) == 1 and f"load '{url}'" in found[0] and found[0].startswith(file + ":1: "), found
    assert not site.out.exists()


def test_a_site_theme_like_the_default_builds_with_its_absolute_links(site):
    """The default theme's canonical, feed and share links name base_url: they load nothing."""
    shutil.copytree(Path(__file__).resolve().parent.parent / "theme", site.root / "theme")
    site.task("soep", TASK)
    site.build()
    assert "https://doeplekken.example.be/" in site.read("tasks/soep/index.html")


_KINDS = (".css, .html, .htm, .svg, .js, .mjs, .png, .jpg, .jpeg, .gif, .webp, .avif, .ico, .woff, "
          ".woff2, .ttf, .otf, .json, .map, .webmanifest, .wasm, .txt")
_XHTML = '<html xmlns="http://www.w3.org/1999/xhtml"><body><img src="https://tracker.example/x.gif"/></body></html>'
_XML_STYLED = '<?xml version="1.0"?><?xml-stylesheet href="https://tracker.example/s.css"?><a/>'


@pytest.mark.parametrize("name, text", [
    ("page.xhtml", _XHTML), ("page.xht", _XHTML), ("page.shtml", '<img src="https://tracker.example/s.gif">'),
    ("feed.xml", _XML_STYLED), ("style.xsl", '<xsl:stylesheet xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>'),
    ("page.mhtml", "MIME-Version: 1.0"), ("PAGE.XHTML", _XHTML), ("feed", _XML_STYLED),
])
def test_theme_static_files_a_browser_opens_as_pages_of_their_own_are_refused(site, name, text):
    site.write(f"theme/static/{name}", text)
    site.task("soep", TASK)
    assert problems(site) == [
        f"theme/static/{name}:1: 'theme/static/{name}' is refused: theme/static/ holds only {_KINDS} "
        "files and files without a suffix, since a browser can open other kinds (such as .xhtml, .xml "
        "or .xsl) as a page that loads from other websites"]
    assert not site.out.exists()


def test_chromium_does_fetch_from_the_tracker_opening_a_static_xhtml_page(tmp_path, browser):
    (tmp_path / "page.xhtml").write_text(_XHTML, encoding="utf-8")
    assert any(TRACKER in url for url in _requests_elsewhere(browser, tmp_path, "/page.xhtml"))


def test_a_static_file_without_a_suffix_is_checked_as_a_page(site):
    site.write("theme/static/LICENSE", "Copyright (c) 2016 Netlify <decap@p-m.si>\n")
    site.write("theme/static/NOTICE", '<img src="https://tracker.example/n.gif">')
    site.task("soep", TASK)
    assert problems(site) == [
        "theme/static/NOTICE:1: 'theme/static/NOTICE' would make visitors' browsers load "
        "'https://tracker.example/n.gif' from another website, which the site never does; put that "
        "file in theme/static/ and refer to it there"]


def test_static_files_are_refused_in_the_same_build_as_the_contents_problems(site):
    """Every problem at once: a theme's static file is not told only after the content is fixed."""
    picture(site, "images/bad.svg", (_SVG + '><script>1</script></svg>').encode())
    site.task("soep", TASK, "![x](images/bad.svg)\n")
    site.write("theme/static/css/x.css", '@import url("https://tracker.example/a.css");')
    assert problems(site) == [
        "content/tasks/soep.md:7: in the text: image 'images/bad.svg' is refused: an SVG is published "
        "only as a still picture, and it contains <script>; export it again as a plain SVG, or as .png or .jpg",
        "theme/static/css/x.css:1: 'theme/static/css/x.css' would make visitors' browsers load "
        "'https://tracker.example/a.css' from another website, which the site never does; put that "
        "file in theme/static/ and refer to it there"]
    assert not site.out.exists()


# -- 3. SVG pictures --------------------------------------------------------------------------
SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">'


@pytest.mark.parametrize("inside, reason", [
    ("<script>alert(document.cookie)</script>", "it contains <script>"),
    ('<rect width="10" height="10" onload="alert(1)"/>', "it has an event attribute (onload)"),
    ('<a href="javascript:alert(1)"><rect width="5" height="5"/></a>',
     'it links to another file (href="javascript:alert(1)")'),
    ('<image href="https://tracker.example/p.png" width="5" height="5"/>',
     'it links to another file (href="https://tracker.example/p.png")'),
    ('<use xlink:href="https://tracker.example/s.svg#a"/>',
     'it links to another file (href="https://tracker.example/s.svg#a")'),
    ('<rect width="5" height="5" style="fill: url(https://tracker.example/f)"/>',
     "its style attribute loads from elsewhere"),
    ("<style>rect { fill: url(//tracker.example/g) }</style>", "its <style> loads from elsewhere"),
    ('<animate attributeName="href" values="javascript:alert(1)"/>', "it contains <animate>"),
    ('<set attributeName="onmouseover" to="alert(1)"/>', "it contains <set>"),
    ("<foreignObject><div>hi</div></foreignObject>", "it contains <foreignobject>"),
])
def test_svg_pictures_that_are_more_than_a_still_image_are_refused(site, inside, reason):
    picture(site, "images/logo.svg", (SVG_HEAD + inside + "</svg>").encode())
    site.task("soep", TASK + "image: images/logo.svg\n")
    assert problems(site) == [
        f"content/tasks/soep.md:6: image 'images/logo.svg' is refused: an SVG is published only as "
        f"a still picture, and {reason}; export it again as a plain SVG, or as .png or .jpg"]


def test_an_svg_with_entities_is_refused_before_it_is_parsed(site):
    bomb = ('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa">'
            + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
            + ']><svg xmlns="http://www.w3.org/2000/svg"><text>&i;</text></svg>')
    picture(site, "images/bom.svg", bomb.encode())
    site.task("soep", TASK, "![bom](images/bom.svg)\n")
    assert problems(site) == [
        "content/tasks/soep.md:7: in the text: image 'images/bom.svg' is refused: an SVG is published "
        "only as a still picture, and it declares a DOCTYPE or entities; export it again as a plain "
        "SVG, or as .png or .jpg"]


_SVG = '<svg xmlns="http://www.w3.org/2000/svg"'
# SVGs that pass as still pictures to a reader of UTF-8 or of SVG's own elements, and that load
# from another host when the published file is opened: (name, bytes, reason, loads when opened).
SVG_LOADS_WHEN_OPENED = [
    ("utf16-stylesheet", ('<?xml version="1.0" encoding="UTF-16"?>\n<?xml-stylesheet '
                          'href="https://tracker.example/s16.css"?>\n' + _SVG + "/>").encode("utf-16"),
     "it is written in UTF-16, not UTF-8", True),
    ("utf16-without-bom", ('<?xml version="1.0" encoding="UTF-16"?><?xml-stylesheet '
                           'href="https://tracker.example/s16.css"?>' + _SVG + "/>").encode("utf-16-le"),
     "it is written in UTF-16, not UTF-8", False),
    ("utf16-doctype", ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE svg [<!ENTITY a "aaaa">'
                       '<!ENTITY b "&a;&a;&a;&a;">]>' + _SVG + "><text>&b;</text></svg>").encode("utf-16"),
     "it is written in UTF-16, not UTF-8", False),
    ("latin1-stylesheet", ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<?xml-stylesheet '
                           'href="https://tracker.example/l1.css"?>\n' + _SVG + "/>").encode("latin-1"),
     "it is written in ISO-8859-1, not UTF-8", True),
    ("xhtml-srcset", (_SVG + '><img xmlns="http://www.w3.org/1999/xhtml" '
                      'srcset="https://tracker.example/srcset.png 1x"/></svg>').encode(),
     "it contains the HTML element <img>", True),
    ("xhtml-poster", (_SVG + '><video xmlns="http://www.w3.org/1999/xhtml" '
                      'poster="https://tracker.example/poster.png"/></svg>').encode(),
     "it contains the HTML element <video>", True),
    ("xhtml-prefixed", (_SVG + ' xmlns:h="http://www.w3.org/1999/xhtml"><h:img '
                        'src="https://tracker.example/h.png"/></svg>').encode(),
     "it contains the HTML element <img>", True),
    ("poster-attribute", (_SVG + '><rect width="5" height="5" poster="https://tracker.example/p.png"/></svg>').encode(),
     'it links to another file (poster="https://tracker.example/p.png")', False),
]


@pytest.mark.parametrize("name, data, reason, loads", SVG_LOADS_WHEN_OPENED,
                         ids=[case[0] for case in SVG_LOADS_WHEN_OPENED])
def test_svgs_loading_from_another_host_when_opened_are_refused(site, name, data, reason, loads):
    site.task("soep", TASK)
    site.build()
    before = snapshot(site.out)
    picture(site, f"images/{name}.svg", data)
    site.task("soep", TASK, f"![x](images/{name}.svg)\n")
    assert problems(site) == [
        f"content/tasks/soep.md:7: in the text: image 'images/{name}.svg' is refused: an SVG is published "
        f"only as a still picture, and {reason}; export it again as a plain SVG, or as .png or .jpg"]
    assert snapshot(site.out) == before


@pytest.mark.parametrize("name, data, reason", [case[:3] for case in SVG_LOADS_WHEN_OPENED[:3]],
                         ids=[case[0] for case in SVG_LOADS_WHEN_OPENED[:3]])
def test_a_theme_svg_not_in_utf8_is_refused(site, name, data, reason):
    path = site.root / f"theme/static/img/{name}.svg"
    path.parent.mkdir(parents=True)
    path.write_bytes(data)
    site.task("soep", TASK)
    assert problems(site) == [
        f"theme/static/img/{name}.svg:1: image 'theme/static/img/{name}.svg' is refused: an SVG is "
        f"published only as a still picture, and {reason}; export it again as a plain SVG, or as .png or .jpg"]
    assert not site.out.exists()


@pytest.mark.parametrize("name, data", [case[:2] for case in SVG_LOADS_WHEN_OPENED if case[3]],
                         ids=[case[0] for case in SVG_LOADS_WHEN_OPENED if case[3]])
def test_chromium_does_fetch_from_the_tracker_opening_each_refused_svg(tmp_path, browser, name, data):
    """The refusals are real: opened on its own, each of these SVGs makes a request to another host."""
    (tmp_path / f"{name}.svg").write_bytes(data)
    assert any(TRACKER in url for url in _requests_elsewhere(browser, tmp_path, f"/{name}.svg"))


def test_an_svg_in_utf8_with_a_byte_order_mark_and_editor_namespaces_is_still_published(site):
    still = ('\ufeff<?xml version="1.0" encoding="UTF-8"?>\n' + _SVG + ' xmlns:inkscape='
             '"http://www.inkscape.org/namespaces/inkscape"><inkscape:page/><title>Café</title>'
             '<rect width="5" height="5"/></svg>').encode()
    picture(site, "images/logo.svg", still)
    site.task("soep", TASK, "![logo](images/logo.svg)\n")
    site.build()
    assert (site.out / "media/images/logo.svg").read_bytes() == still


def test_a_still_svg_is_published_as_it_is_and_shown_as_an_image(site):
    still = (SVG_HEAD + '<defs><linearGradient id="g"><stop offset="0"/></linearGradient></defs>'
             '<rect width="10" height="10" fill="url(#g)" style="stroke: url(#g)"/>'
             '<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/></svg>').encode()
    picture(site, "images/logo.svg", still)
    site.task("soep", TASK + "image: images/logo.svg\n")
    site.build()
    assert (site.out / "media/images/logo.svg").read_bytes() == still
    assert '<img class="task-image" src="/media/images/logo.svg"' in site.read("tasks/soep/index.html")


def test_netlify_serves_pictures_under_a_policy_that_runs_nothing(site, browser):
    from test_csp import _Netlify, csp
    policy = csp("/media/images/logo.svg")
    assert policy["default-src"] == "'none'" and "sandbox" in policy and "script-src" not in policy
    still = (SVG_HEAD + '<rect width="10" height="10" fill="green"/></svg>').encode()
    picture(site, "images/logo.svg", still)
    site.task("soep", TASK + "image: images/logo.svg\n")
    site.build()
    with serve_folder(site.out, _Netlify) as base:
        page = browser.new_page()
        response = page.goto(base + "/media/images/logo.svg")
        assert "sandbox" in response.headers["content-security-policy"]
        page.close()


def test_a_card_template_of_the_site_is_checked_too(site):
    site.write("theme/templates/_card.html", '<img src="//tracker.example/c.gif" alt="">{{ view.task.title }}')
    site.task("soep", TASK)
    assert problems(site) == [
        "theme/templates/_card.html:1: template error: the page _card.html would make visitors' "
        "browsers load '//tracker.example/c.gif' from another website, which the site never does; "
        "put the file in theme/static/ and link it with the 'static' filter"]


# -- 4. names that cannot be written, and faults while writing ----------------------------------
def test_a_slug_too_long_for_common_disks_is_refused_at_load_time(site):
    site.task("kort", TASK)
    site.build()
    before = snapshot(site.out)
    slug = "-".join(["brieven-plooien"] * 17)[:250].strip("-")
    site.task(slug, TASK)
    assert problems(site) == [
        f"content/tasks/{slug}.md:1: the file name is {len(slug)} characters long; at most 100 fit in "
        "a web address and a folder on every computer (Windows limits a whole path to 260); shorten "
        "it, e.g. to 'brieven-plooien-brieven-plooien-brieven-plooien-brieven'"]
    assert snapshot(site.out) == before


def test_a_category_too_long_for_common_disks_is_refused_at_its_line(site):
    path = site.root / "content/site.yml"
    long = "-".join(["tuinwerk"] * 30)
    path.write_text(path.read_text(encoding="utf-8").replace("  koken: koken\n", f"  {long}: lang\n"),
                    encoding="utf-8")
    assert problems(site) == [
        f"content/site.yml:13: '{long[:40]}…' in 'categories' is {len(long)} characters long; at most "
        "100 fit in a web address and a folder on every computer; use a shorter name"]


def _device(stem: str, suggestion: str) -> str:
    return (f"'{stem}' is a name Windows keeps for a device (like CON, PRN, AUX, NUL, COM1 or LPT1): its "
            f"pages could not be made, nor the site checked out, on Windows; rename the file, e.g. to '{suggestion}.md'")


@pytest.mark.parametrize("stem", ["con", "aux", "nul", "prn", "com1", "com9", "lpt1", "lpt9"])
@pytest.mark.parametrize("kind", ["tasks", "places"])
def test_file_names_windows_keeps_for_devices_are_refused(site, stem, kind):
    if kind == "tasks":
        site.task(stem, TASK)
    else:
        site.place(stem, "name: Apparaat\naddress: Kerkstraat 1, 9000 Gent")
    assert problems(site) == [f"content/{kind}/{stem}.md:1: {_device(stem, stem + '-1')}"]
    assert not site.out.exists()


@pytest.mark.parametrize("stem, message", [
    ("CON", "the file name 'CON' cannot be used in a web address; use lowercase letters, digits and "
            "hyphens, e.g. 'con-1'"),
    ("con.foo", "the file name 'con.foo' cannot be used in a web address; use lowercase letters, digits "
                "and hyphens, e.g. 'con-foo'"),
    ("Lpt3", "the file name 'Lpt3' cannot be used in a web address; use lowercase letters, digits and "
             "hyphens, e.g. 'lpt3-1'"),
])
def test_device_names_in_other_cases_are_told_a_name_that_works_on_windows(site, stem, message):
    site.task(stem, TASK)
    assert problems(site) == [f"content/tasks/{stem}.md:1: {message}"]


def test_names_that_only_start_like_a_device_build(site):
    for stem in ("con-1", "console", "com10", "auxilium", "nul-uur"):
        site.task(stem, TASK)
    site.build()
    assert (site.out / "tasks/console/index.html").exists()


@pytest.mark.parametrize("key, slug", [("categories", "aux"), ("access", "nul"), ("categories", "com3")])
def test_category_and_access_slugs_windows_keeps_for_devices_are_refused(site, key, slug):
    path = site.root / "content/site.yml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  koken: koken\n", f"  koken: koken\n  {slug}: iets\n") if key == "categories" \
        else text.replace("  kinderen: ook voor kinderen\n", f"  kinderen: ook voor kinderen\n  {slug}: iets\n")
    path.write_text(text, encoding="utf-8")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row == f"  {slug}: iets")
    assert problems(site) == [
        f"content/site.yml:{line}: '{slug}' in '{key}' is a name Windows keeps for a device (like CON, PRN, AUX, "
        f"NUL, COM1 or LPT1): its folder could not be made, nor the site checked out, on Windows; use another "
        f"name, e.g. '{slug}-1'"]


def test_a_slug_of_100_characters_builds(site):
    slug = ("a" * 49) + "-" + ("b" * 50)
    site.task(slug, TASK)
    site.build()
    assert (site.out / f"tasks/{slug}/poster/index.html").is_file()


@pytest.mark.parametrize("name, message", [
    ("x" * 252 + ".jpg", "a name in 'images/{name}' is longer than 255 bytes, which no common disk "
                         "can store; give the file a shorter name"),
    ("é" * 126 + ".jpg", "a name in 'images/{name}' is longer than 255 bytes, which no common disk "
                         "can store; give the file a shorter name"),
    ("/".join(["map"] * 40) + "/x.jpg", "the path 'images/{name}' is 172 characters long; at most 150 "
                                         "fit on every computer (Windows limits a whole path to 260); use "
                                         "shorter folder or file names"),
])
def test_picture_paths_too_long_for_common_disks_are_refused(site, name, message):
    site.task("soep", TASK + f"image: images/{name}\n")
    assert problems(site) == [f"content/tasks/soep.md:6: {message.format(name=name)}"]


class Fault:
    """Make the n-th OS-level write under `folder` fail, as a full or read-only disk would.

    The count is shared with forked workers (they write the staging folder beside it), so
    exactly one call fails in the whole build. `fail_at=None` only counts.
    """

    # Calls that write (removing is not: a full disk still removes, and undoing needs it).
    CALLS = ("open", "replace", "rename", "mkdir", "link")

    def __init__(self, monkeypatch, folder: Path, fail_at: int | None, code=errno.ENOSPC,
                 always: bool = False):
        self.folder, self.fail_at, self.code, self.always = str(folder), fail_at, code, always
        self.counter = multiprocessing.Value("q", 0)
        real_open, real_os = builtins.open, {name: getattr(os, name) for name in self.CALLS}

        def guarded(name, real):
            def call(*args, **kwargs):
                mode = str(args[1] if len(args) > 1 else kwargs.get("mode", "r"))
                writes = name != "open" or any(c in mode for c in "wax+")
                if writes and any(isinstance(a, (str, os.PathLike)) and self._hits(a) for a in args[:2]):
                    with self.counter.get_lock():
                        self.counter.value += 1
                        failing = self.always or self.counter.value == self.fail_at
                    if failing:
                        raise OSError(self.code, os.strerror(self.code), str(args[0]))
                return real(*args, **kwargs)
            return call

        monkeypatch.setattr(builtins, "open", guarded("open", real_open))
        for name in self.CALLS[1:]:
            monkeypatch.setattr(os, name, guarded(name, real_os[name]))

    @property
    def count(self) -> int:
        return self.counter.value

    def _hits(self, path) -> bool:
        path = os.path.abspath(os.fspath(path))
        staging = os.path.join(os.path.dirname(self.folder), f".{os.path.basename(self.folder)}.staging-")
        return path == self.folder or path.startswith((self.folder + os.sep, staging))


def _an_update(site):
    """The site changed in every way a write can: files added, changed and removed."""
    site.task("soep", TASK.replace("Soep koken", "Soep koken, nieuw"))
    site.task("nieuw", TASK)
    (site.root / "content/tasks/oud.md").unlink()


def _saved(site):
    """Copies of public/ and the cache (times kept to the nanosecond), to put back after a dry run."""
    saved = site.root.parent / "saved"
    for name in ("public", ".sitegen-cache"):
        if (site.root / name).exists():
            shutil.copytree(site.root / name, saved / name, symlinks=True)

    def restore():
        for name in ("public", ".sitegen-cache"):
            shutil.rmtree(site.root / name, ignore_errors=True)
            if (saved / name).exists():
                shutil.copytree(saved / name, site.root / name, symlinks=True)
    return restore


def _leftovers(site) -> list[Path]:
    return [p for p in site.root.parent.rglob("*") if ".sitegen-tmp" in p.name or ".sitegen-old" in p.name
            or ".staging-" in p.name]


@pytest.mark.parametrize("first", [True, False], ids=["first build", "update"])
def test_a_write_failing_at_any_point_leaves_public_as_it_was(site, first):
    site.task("soep", TASK)
    site.task("oud", TASK.replace("Soep koken", "Oud"))
    if not first:
        site.build()
        _an_update(site)
    restore = _saved(site)
    with pytest.MonkeyPatch.context() as patch:  # a dry run counts the writes, then is undone
        counting = Fault(patch, site.out, None)
        site.build()
    writes = counting.count
    restore()
    assert writes > 10
    before = snapshot(site.out)
    for point in sorted({1, 2, 3, writes // 4, writes // 2, writes - 2, writes - 1, writes}):
        with pytest.MonkeyPatch.context() as patch:
            Fault(patch, site.out, point)
            with pytest.raises(WriteFailed) as failure:
                site.build()
        assert str(failure.value).startswith(f"cannot write {site.out}/ (no space left on device); "
                                             "it was left as it was."), point
        assert snapshot(site.out) == before, point
        assert _leftovers(site) == [], point
    site.build()  # and the next good build finishes the job
    assert (site.out / "tasks/soep/index.html").is_file()
    assert (site.out / "tasks/oud/index.html").is_file() == first


def test_a_big_first_build_failing_in_the_staging_folder_leaves_nothing(tmp_path, monkeypatch):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    from generate import generate
    generate(320, tmp_path)  # enough tasks for workers, which stage beside the output
    out = tmp_path / "public"
    with pytest.MonkeyPatch.context() as patch:
        counting = Fault(patch, out, None)
        build(BuildOptions(root=tmp_path, jobs=2))
    writes = counting.count
    shutil.rmtree(out)
    shutil.rmtree(tmp_path / ".sitegen-cache")
    for point in (1, writes // 2, writes):
        with pytest.MonkeyPatch.context() as patch:
            Fault(patch, out, point)
            try:
                build(BuildOptions(root=tmp_path, jobs=2))
            except WriteFailed:
                assert not out.exists(), point
            else:  # the staging folder's one rename refused: written file by file instead
                assert point == writes and (out / "tasks/taak-00007/index.html").is_file()
                shutil.rmtree(out)
        assert not list(tmp_path.glob(".public.staging-*")), point


@pytest.mark.parametrize("code, reason, reden", [(errno.EROFS, "read-only file system", "de schijf is alleen-lezen"),
                                                 (errno.EACCES, "permission denied", "geen toestemming"),
                                                 (errno.ENOSPC, "no space left on device", "de schijf is vol")])
def test_the_command_says_in_one_line_which_folder_it_cannot_write(site, monkeypatch, capsys, code, reason, reden):
    site.task("soep", TASK)
    monkeypatch.chdir(site.root)
    Fault(monkeypatch, site.root / "public", 1, code)
    assert main(["build", "--quiet"]) == 1
    err = capsys.readouterr().err
    assert err == (f"fout: kan public/ niet schrijven ({reden}); de map is gebleven zoals ze was. Maak de "
                   "map beschrijfbaar of maak wat plaats vrij, en bouw dan opnieuw\n")
    Fault(monkeypatch, site.root / "public", 1, code)
    assert main(["build", "--quiet", "--lang", "en"]) == 1
    assert capsys.readouterr().err == (f"error: cannot write public/ ({reason}); it was left as it was. Make "
                                       "the folder writable or free some space, then build again\n")
    assert not (site.root / "public").exists()


# -- 5. unbounded cost ------------------------------------------------------------------------
def _bounded(call, seconds=1.0, megabytes: float | None = 8):
    """Run call(); assert it took under `seconds` and allocated under `megabytes` at its peak.

    (tracemalloc slows Python down several times: `megabytes=None` measures time only.)
    """
    if megabytes is None:
        started = time.perf_counter()
        result = call()
        assert time.perf_counter() - started < seconds
        return result
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = call()
    finally:
        elapsed = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    assert elapsed < seconds, f"{elapsed:.2f} s"
    assert peak < megabytes * 1024 * 1024, f"{peak / 1024 / 1024:.1f} MB"
    return result


def _load_problems(site) -> list[str]:
    def run():
        with pytest.raises(BuildFailed) as failure:
            load(BuildOptions(root=site.root, now=BUILD_NOW, cache=False))
        return [str(p) for p in failure.value.problems]
    return run


ALIAS_BOMB = "".join(f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 9)}]\n"
                     for i in range(8))


@pytest.mark.parametrize("key", ["start", "access", "partners", "title"])
def test_a_yaml_alias_bomb_in_a_task_is_refused_at_once(site, key):
    lines = "x: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + ALIAS_BOMB
    body = TASK.replace(f"{key}: ", f"{key}-was: ") + lines.replace("x: &a", "a: &a") + f"{key}: *i\n"
    (site.root / "content/tasks/bom.md").write_text(f"---\n{body}---\nTekst.\n", encoding="utf-8")
    found = _bounded(_load_problems(site))
    assert "content/tasks/bom.md:" in found[0]
    assert found[0].endswith("the keys hold more than 10000 values once YAML aliases (*name) are "
                             "expanded; write the values out instead of repeating aliases")


def test_a_yaml_alias_bomb_in_site_yml_categories_is_refused_at_once(site):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + ALIAS_BOMB
    path = site.root / "content/site.yml"
    text = path.read_text(encoding="utf-8").replace("categories:\n  plooien: plooien en inpakken\n  "
                                                   "tuinwerk: tuinwerk\n  koken: koken\n", "")
    path.write_text(text + "\n".join("x" + line for line in bomb.splitlines()) + "\ncategories: *xi\n",
                    encoding="utf-8")
    path.write_text(text + bomb.replace("\n", "\n").replace("a: &a", "xa: &a") + "categories: *i\n",
                    encoding="utf-8")
    found = _bounded(_load_problems(site))
    assert found[0].startswith("content/site.yml:")
    assert "once YAML aliases (*name) are expanded" in found[0]


@pytest.mark.parametrize("tag, value", [("!!set", "{a: null}"), ("!!omap", "[a: 1]"), ("!!pairs", "[a: 1]"),
                                        ("!!binary", "aGVsbG8="), ("!!python/tuple", "[a]"), ("!mine", "x")])
def test_yaml_tags_making_other_python_values_are_refused_at_their_line(site, tag, value):
    # A set became the title "{'a'}" on the page; an !!omap as site.yml's categories crashed.
    message = (f"the YAML tag '{tag}' is not used in these files; remove it and write the value "
               "as text, a list or 'key: value' lines")
    site.task("soep", TASK + f"partners: {tag} {value}")
    assert problems(site) == [f"content/tasks/soep.md:6: {message}"]
    site.write("content/site.yml", SITE_YML.replace("categories:\n", f"categories: {tag} {value}\nold:\n"))
    assert problems(site) == [f"content/site.yml:10: {message}"]


@pytest.mark.parametrize("key", ["? [a]\n: b", "? {a: 1}\n: b", "[a, b]: c"])
def test_a_key_that_is_a_list_or_mapping_is_refused_at_its_line(site, key):
    # It was named in the message as PyYAML's node objects: "unknown key '[ScalarNode(tag=…'".
    site.task("soep", TASK + key)
    assert problems(site) == ["content/tasks/soep.md:6: a key here is a list or a group of keys; "
                              "a key is one word followed by a colon ('title: …')"]


def test_a_merge_key_bomb_is_refused_at_once(site):
    levels = "a: &a {x: 1, y: 2}\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} {{<<: [{', '.join(['*' + chr(97 + i)] * 9)}]}}\n" for i in range(8))
    (site.root / "content/tasks/bom.md").write_text(f"---\n{TASK}{levels}---\nTekst.\n", encoding="utf-8")
    found = _bounded(_load_problems(site))
    assert "once YAML aliases (*name) are expanded" in found[0]


@pytest.mark.parametrize("nested", ["[" * 500 + "]" * 500, "[" * 30 + "]" * 30,
                                    "".join(f"\n{'  ' * i}k:" for i in range(30)) + " 1"])
def test_deeply_nested_yaml_is_refused(site, nested):
    (site.root / "content/tasks/diep.md").write_text(f"---\n{TASK}partners: {nested}\n---\n",
                                                     encoding="utf-8")
    found = _bounded(_load_problems(site))
    assert len(found) == 1 and found[0].startswith("content/tasks/diep.md:")
    assert "nested more than 20 levels deep" in found[0] or "maximum nesting depth" in found[0]


def test_a_huge_file_is_refused_without_reading_it_whole(site):
    (site.root / "content/tasks/groot.md").write_bytes(b"---\n" + TASK.encode() + b"---\n" + b"x" * (3 << 20))
    assert _bounded(_load_problems(site), megabytes=4) == [
        "content/tasks/groot.md:1: the file is larger than 1 MB, far more than a task or place needs; "
        "shorten the text or move big things (pictures) into their own files"]


def test_a_file_is_read_whole_up_to_the_limit_and_refused_one_byte_over(tmp_path, monkeypatch):
    import os
    import stat
    from types import SimpleNamespace

    from sitegen.load.yamlfile import NotAFile, TooBig, read_at_most
    for size in (0, 1, 999, 1000):
        (tmp_path / "f").write_bytes(b"x" * size)
        assert read_at_most(tmp_path / "f", 1000) == b"x" * size
    (tmp_path / "f").write_bytes(b"x" * 1001)
    with pytest.raises(TooBig):
        read_at_most(tmp_path / "f", 1000)
    with pytest.raises(NotAFile):  # a device is refused before anything is read
        read_at_most("/dev/zero", 1000)
    (tmp_path / "f").write_bytes(b"x" * 1000)
    monkeypatch.setattr(os, "fstat", lambda fd: SimpleNamespace(st_size=10, st_mode=stat.S_IFREG))  # it grew after the stat
    assert read_at_most(tmp_path / "f", 1000) == b"x" * 1000


def test_huge_front_matter_is_refused(site):
    site.task("lang", TASK + "partners: [" + ", ".join(["vzw Oranje"] * 7000) + "]\n")
    assert _bounded(_load_problems(site)) == [
        "content/tasks/lang.md:1: the keys between the '---' lines are more than 64 KB, far more than "
        "any task, place or site needs; move long text below the second '---'"]


@pytest.mark.parametrize("repeat", ["{freq: daily, count: 1000000}", "{freq: daily, count: 501}",
                                    "{freq: daily, until: 2199-12-31}", "{freq: weekly, until: 2040-01-01}"])
def test_a_repeat_with_too_many_occurrences_is_refused_quickly(site, repeat):
    site.task("vaak", TASK + f"repeat: {repeat}\n")
    assert _bounded(_load_problems(site)) == [
        "content/tasks/vaak.md:6: this repeat happens more than 500 times; at most 500 fit on the board "
        "and in calendars: use a smaller 'count' or an earlier 'until', or a new task for later"]


def test_an_absurd_count_is_refused_at_once(site):
    site.task("vaak", TASK + "repeat: {freq: daily, count: 100000000000000000000}\n")
    assert _bounded(_load_problems(site)) == [
        "content/tasks/vaak.md:6: 'count' is '100000000000000000000': more than 1,000,000, which no "
        "task needs; check the number"]


def test_500_occurrences_build_and_an_endless_repeat_is_cut_at_500(site):
    site.task("vaak", TASK + "repeat: {freq: daily, count: 500}\n")
    site.task("altijd", TASK + "repeat: {freq: daily}\n")
    model, _ = load(BuildOptions(root=site.root, now=BUILD_NOW, cache=False))
    counts = {view.task.slug: len(view.occurrences) for view in model.tasks}
    assert counts == {"vaak": 500, "altijd": 500}


def test_a_far_end_or_repeat_no_longer_makes_a_huge_board(site):
    site.task("lang", TASK + 'end: "2200-12-31 12:00"\n')
    site.task("ver", TASK + "repeat: {freq: monthly, until: 9999-12-31}\n")
    assert problems(site) == [
        "content/tasks/lang.md:6: end (2200-12-31 12:00) is more than 92 days after start "
        "(2027-01-16 09:30); one task lasts at most that long: for a task that comes back, use 'repeat'",
        "content/tasks/ver.md:6: '9999-12-31' is outside the years 1900–2200 this board can show; "
        "check the year (e.g. 2027-01-16)"]


# -- 6. dates at the edges --------------------------------------------------------------------
@pytest.mark.parametrize("line, shown", [
    ('start: "0001-01-01 00:05"', "'0001-01-01 00:05'"),
    ('start: "9999-12-31 23:30"', "'9999-12-31 23:30'"),
    ("start: 9999-12-31", "'9999-12-31'"),
    ("start: 0001-01-01", "'0001-01-01'"),
    ("start: 9999-12-31 23:30:00", "'9999-12-31 23:30:00'"),
    ('start: "0001-01-01T00:05+14:00"', "'0001-01-01T00:05+14:00'"),
    ('start: "9999-12-31 23:30-12:00"', "'9999-12-31 23:30-12:00'"),
    ("start: 1899-12-31", "'1899-12-31'"),
    ("start: 2201-01-01", "'2201-01-01'"),
])
def test_dates_outside_the_years_the_board_shows_are_refused(site, line, shown):
    site.task("rand", TASK.replace('start: "2027-01-16 09:30"', line))
    assert problems(site) == [
        f"content/tasks/rand.md:5: {shown} is outside the years 1900–2200 this board can show; "
        "check the year (e.g. 2027-01-16)"]


@pytest.mark.parametrize("extra, line", [
    ("repeat: {freq: weekly, until: 9999-12-31}", 6),
    ("repeat:\n  freq: weekly\n  count: 3\n  except: [0001-01-01]", 9),
    ('end: "9999-12-31 23:59"', 6),
])
def test_other_dates_at_the_edges_are_refused_too(site, extra, line):
    site.task("rand", TASK + extra + "\n")
    found = problems(site)
    assert len(found) == 1 and found[0].startswith(f"content/tasks/rand.md:{line}: ")
    assert "is outside the years 1900–2200 this board can show" in found[0]


def test_the_first_and_last_years_build_with_feeds(site):
    import icalendar
    site.task("oud", TASK.replace('"2027-01-16 09:30"', "1900-01-01") + "result: {participants: 3}\n")
    site.task("ver", TASK.replace('"2027-01-16 09:30"', '"2200-12-31 23:30"'))
    site.build()
    for slug in ("oud", "ver"):
        calendar = icalendar.Calendar.from_ical((site.out / f"tasks/{slug}.ics").read_bytes())
        assert [str(e["UID"]) for e in calendar.walk("VEVENT")]


# -- 7. characters that break outputs ------------------------------------------------------------
@pytest.mark.parametrize("key, value, char, name", [
    ("title", '"Soep\\0 koken"', "0000", "NUL"),
    ("title", '"Soep\\b koken"', "0008", "backspace"),
    ("title", '"Soep \\e[2J koken"', "001B", "escape"),
    ("contact", '"Bel 050 \\u202e65 43 21 05"', "202E", "right-to-left override"),
    ("client", '"Bakker \\u2067ij\\u2069"', "2067", "right-to-left isolate"),
    ("partners", '["vzw \\x7fOranje"]', "007F", "delete"),
])
def test_control_and_direction_characters_in_fields_are_refused(site, key, value, char, name):
    site.task("teken", TASK.replace("title: Soep koken\n", "title: Soep\n") + f"{key}: {value}\n"
              if key != "title" else TASK.replace("title: Soep koken", f"title: {value}"))
    line = 2 if key == "title" else 6
    assert problems(site) == [
        f"content/tasks/teken.md:{line}: '{key}' holds the invisible character U+{char} ({name}), "
        "which breaks calendars and feeds or shows text in another order; retype the value"]


# YAML refuses these raw in a file; PyYAML said so in English, at line 1.
@pytest.mark.parametrize("front, line, message", [
    (TASK.replace("title: Soep koken", "title: Soep\x00 koken"), 2, "'title' holds the invisible character "
     "U+0000 (NUL), which breaks calendars and feeds or shows text in another order; retype the value"),
    (TASK + "contact: Griet\x1b[2J\n", 6, "'contact' holds the invisible character U+001B (escape), which "
     "breaks calendars and feeds or shows text in another order; retype the value"),
    (TASK + "partners:\n  - vzw \ufffeOranje\n", 7, "this line holds the invisible character U+FFFE "
     "(a noncharacter, a code that stands for no sign), which YAML cannot read; retype the line"),
    (TASK + "con\x00tact: Griet\n", 6, "this line holds the invisible character U+0000 (NUL), which YAML "
     "cannot read; retype the line"),
], ids=["NUL in a value", "ESC in a value", "FFFE in a list", "NUL in a key"])
def test_raw_characters_yaml_cannot_read_are_told_at_their_line(site, front, line, message):
    site.task("teken", front)
    assert problems(site) == [f"content/tasks/teken.md:{line}: {message}"]


def test_a_raw_nul_in_site_yml_is_told_at_its_line(site):
    path = site.root / "content/site.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("currency: Doe-munten", "currency: Doe\x00munten"),
                    encoding="utf-8")
    assert problems(site) == [
        "content/site.yml:6: 'currency' holds the invisible character U+0000 (NUL), which breaks "
        "calendars and feeds or shows text in another order; retype the value"]


def test_control_characters_in_site_and_place_fields_are_refused(site):
    path = site.root / "content/site.yml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "title: Doe-plekken Testdorp", 'title: "Doe-plekken\\x1b]0;pwned\\x07"'), encoding="utf-8")
    assert problems(site) == [
        "content/site.yml:1: 'title' holds the invisible character U+001B (escape), which breaks "
        "calendars and feeds or shows text in another order; retype the value"]


def test_control_characters_in_a_category_label_are_refused_at_its_line(site):
    path = site.root / "content/site.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("  koken: koken\n", '  koken: "ko\\0ken"\n'),
                    encoding="utf-8")
    assert problems(site) == [
        "content/site.yml:13: 'categories' holds the invisible character U+0000 (NUL), which breaks "
        "calendars and feeds or shows text in another order; retype the value"]


def test_control_characters_in_a_body_are_refused_at_their_line_tabs_are_fine(site):
    site.task("tekst", TASK, "Eerste regel.\n\tmet een tab\n\nDan \x1b[31mrood\x1b[0m.\n")
    assert problems(site) == [
        "content/tasks/tekst.md:10: the text holds the invisible character U+001B (escape) on this "
        "line; retype the line"]


# A reference such as &#x1b; is decoded by the sanitiser: the raw text looked clean, the output
# held the character, and one such character makes all of feed.xml unreadable. XML 1.0 forbids
# U+FFFE and U+FFFF too; the other noncharacters are refused with them.
@pytest.mark.parametrize("body, line, char, name", [
    ("Soep &#x1b; koken.\n", 7, "001B", "escape"),
    ("Soep koken.\n\nEn &#27; nog.\n", 9, "001B", "escape"),
    ("Soep &#xFFFF; koken.\n", 7, "FFFF", "a noncharacter, a code that stands for no sign"),
    ("Eerst.\n\nSoep &#xFFFE; koken.\n", 9, "FFFE", "a noncharacter, a code that stands for no sign"),
    ("Soep \ufffe koken.\n", 7, "FFFE", "a noncharacter, a code that stands for no sign"),
    ("Soep &#xfdd0; koken.\n", 7, "FDD0", "a noncharacter, a code that stands for no sign"),
    ("Soep &#x10FFFF; koken.\n", 7, "10FFFF", "a noncharacter, a code that stands for no sign"),
    ("Soep &#x81 koken.\n", 7, "0081", "a control character"),
    ('Soep <abbr title="vet&#x1b;[2J">koken</abbr>.\n', 7, "001B", "escape"),
], ids=["hex", "decimal", "FFFF", "FFFE", "raw FFFE", "FDD0", "10FFFF", "C1 without ;", "attribute"])
def test_characters_xml_forbids_in_a_body_are_refused_written_as_references_too(site, body, line, char, name):
    site.task("teken", TASK, body)
    assert problems(site) == [
        f"content/tasks/teken.md:{line}: the text holds the invisible character U+{char} ({name}) on "
        "this line; retype the line"]
    assert not site.out.exists()


@pytest.mark.parametrize("key, value, char", [
    ("title", '"So\\uFFFEep"', "FFFE"), ("title", '"So\\uFFFFep"', "FFFF"),
    ("title", "So\ufdefep", "FDEF"), ("contact", '"050 12 34 56 \\U0001FFFE"', "1FFFE"),
    ("partners", '["vzw Oranje\\uFFFF"]', "FFFF"),
])
def test_noncharacters_in_fields_are_refused(site, key, value, char):
    site.task("teken", TASK.replace("title: Soep koken\n", "title: Soep\n") + f"{key}: {value}\n"
              if key != "title" else TASK.replace("title: Soep koken", f"title: {value}"))
    line = 2 if key == "title" else 6
    assert problems(site) == [
        f"content/tasks/teken.md:{line}: '{key}' holds the invisible character U+{char} (a noncharacter, "
        "a code that stands for no sign), which breaks calendars and feeds or shows text in another "
        "order; retype the value"]


def test_every_xml_and_calendar_output_parses_with_unusual_but_allowed_characters(demo_site):
    import xml.etree.ElementTree as ElementTree
    import icalendar
    demo_site.task("teken", TASK.replace("t-hof", "oranje") + 'contact: "Griet 😀 · \\uFFFD"\n',
                   "Tab\tin de tekst, `&#x1b;` als code, &#x85; &#xFFFD; &#128512; &amp;#xFFFF; é ’.\n")
    demo_site.build()
    xml_files = [p for p in demo_site.out.rglob("*") if p.suffix in (".xml", ".atom", ".rss", ".svg")]
    assert {"feed.xml", "sitemap.xml"} <= {p.relative_to(demo_site.out).as_posix() for p in xml_files}
    for path in xml_files:
        ElementTree.parse(path)
    calendars = list(demo_site.out.rglob("*.ics"))
    assert calendars
    for path in calendars:
        icalendar.Calendar.from_ical(path.read_bytes())
    texts = [p for p in demo_site.out.rglob("*") if p.suffix in (".html", ".xml", ".ics", ".json", ".txt")]
    assert not [p for p in texts if b"\x1b" in p.read_bytes()]


# Python-Markdown is quadratic on these; without a time limit each keeps a build busy for a
# minute or more: in a paragraph (an inline pattern scans on for each `[`) and in a block
# (each heading makes the tables extension look at the rest of the block again).
@pytest.mark.parametrize("body", ["[" * 30_000, "# kop\n" * 25_000], ids=["brackets", "headings"])
@pytest.mark.parametrize("kind", ["task", "place"])
def test_markdown_that_takes_too_long_is_stopped_at_the_body_line(site, body, kind):
    if kind == "task":
        site.task("traag", TASK, body)
        path, line = "content/tasks/traag.md", 7
    else:
        site.place("traag", "name: Traag\naddress: Kerkstraat 1, 9000 Gent", body)
        path, line = "content/places/traag.md", 5
    started = time.monotonic()
    found = problems(site)
    assert time.monotonic() - started < 30  # the limit for these sizes is a few seconds
    assert len(found) == 1 and found[0].startswith(f"{path}:{line}: laying out this text took longer than "), found
    assert "split long paragraphs, lists and tables with blank lines" in found[0]


# Python-Markdown lays out each level of a list by calling itself: 300 levels went past
# Python's recursion limit, and the build ended in a RecursionError traceback.
_DEEP = {
    "list": "".join("    " * i + "- x\n" for i in range(300)),
    "numbered list": "".join("    " * i + "1. x\n" for i in range(300)),
    "quoted list": "".join("    " * i + "- > x\n" for i in range(300)),
}


@pytest.mark.parametrize("kind, body", [("task", _DEEP["list"]), ("place", _DEEP["list"]),
                                        ("task", _DEEP["numbered list"]), ("task", _DEEP["quoted list"])],
                         ids=["task list", "place list", "numbered list", "quoted list"])
def test_markdown_nested_too_deeply_is_refused_at_the_body_line(site, kind, body):
    if kind == "task":
        site.task("diep", TASK, body)
        path, line = "content/tasks/diep.md", 7
    else:
        site.place("diep", "name: Diep\naddress: Kerkstraat 1, 9000 Gent", body)
        path, line = "content/places/diep.md", 5
    assert problems(site) == [
        f"{path}:{line}: this text nests lists or quotes hundreds of levels deep, too deep to lay out; "
        "nest lists and quotes less deeply (a few levels are plenty)"]


def test_a_list_nested_150_deep_still_builds(site):
    site.task("diep", TASK, "".join("    " * i + "- x\n" for i in range(150)))
    site.build()
    assert site.read("tasks/diep/index.html").count("<ul>") == 150


# The sanitiser (nh3, native code the timer cannot stop) is quadratic in tags left open and in
# the attributes of one tag: `<div>` × 199 000 (under the 1 MB limit) took 259 s, and was then
# told it "took longer than 31 s". They are counted before anything runs.
_TOO_MUCH_HTML = ("the text holds more than 5,000 HTML tags (such as '<div>'), or a tag with more than 100 "
                  "attributes, far more than a task needs and too slow to check; write the text in Markdown "
                  "(a blank line between paragraphs, '- ' before list items) instead of HTML")


@pytest.mark.parametrize("body, line", [
    ("<div>" * 199_000, 7), ("<div>" * 50_000, 7), ("Eerst.\n\n" + "<b>" * 100_000, 9),
    ("<p>ok</p>\n" * 2_000 + "</div>" * 2_000, 2007), ("<blockquote>" * 5_001, 7),
    ("Eerst.\n<div" + "".join(f" a{i}" for i in range(100_000)) + ">", 8),
    ("<img" + "".join(f' title{i}="x"' for i in range(101)) + ">", 7),
], ids=["div 199000", "div 50000", "b 100000", "closing tags", "blockquote 5001", "100000 attributes",
        "101 attributes"])
def test_too_much_raw_html_is_refused_before_the_sanitiser_runs(site, body, line):
    site.task("html", TASK, body)
    started = time.monotonic()
    found = problems(site)
    assert time.monotonic() - started < 10  # the build, not the body: counting takes milliseconds
    assert found == [f"content/tasks/html.md:{line}: from this line on {_TOO_MUCH_HTML}"]


@pytest.mark.parametrize("tag", ["<div>", "<ul>", "<blockquote>", "<b><div>"])
def test_raw_html_up_to_the_limit_is_sanitised_quickly(tag):
    from sitegen.load.markup import HTML_TAGS, render_markdown
    text = tag * (HTML_TAGS // tag.count("<"))
    body = _bounded(lambda: render_markdown(text), seconds=2.0, megabytes=None)  # ≈ 0.2 s here
    assert body.too_much_html is None and body.too_slow is None


def test_a_pasted_html_table_of_a_hundred_rows_builds(site):
    rows = "".join(f'<tr><td align="left">rij {i}</td><td>Jan &amp; Piet</td><td>9u</td></tr>\n' for i in range(100))
    site.task("tabel", TASK, f"<table><thead><tr><th scope=\"col\">wat</th></tr></thead><tbody>\n{rows}</tbody></table>\n")
    site.build()
    assert site.read("tasks/tabel/index.html").count("<tr>") == 101


def test_a_long_ordinary_body_is_laid_out_within_the_limit(site):
    paragraph = ("We plooien samen **brieven** voor de [buurtkrant](https://example.org/krant) en drinken "
                 "koffie; breng je *schaar* mee.\n") * 4
    items = "".join(f"- punt {i} met een [link](https://example.org/{i})\n" for i in range(8))
    table = "| wat | wie |\n|---|---|\n" + "| plooien | Jan & Piet |\n" * 20
    section = f"## Kop\n\n{paragraph}\n{items}\n{table}\n"
    site.task("lang", TASK, section * (100_000 // len(section)))  # ≈ 15 000 words
    site.build()
    assert site.read("tasks/lang/index.html").count("<table>") == 100_000 // len(section)


def test_the_time_limit_stops_python_and_regular_expressions_and_nothing_after():
    import re
    import signal
    from sitegen.deadline import TimeUp, at_most
    before = signal.getsignal(signal.SIGALRM)
    with pytest.raises(TimeUp), at_most(0.2):
        while True:
            pass
    with pytest.raises(TimeUp), at_most(0.2):
        re.match(r"(a+)+$", "a" * 40 + "b")  # backtracks for hours
    with at_most(0.05):
        pass
    time.sleep(0.2)  # a timer left running would raise here
    assert signal.getsignal(signal.SIGALRM) == before


def test_a_file_name_with_escapes_and_newlines_prints_as_one_harmless_line(site, capsys):
    site.task("goed", TASK)
    name = "kwaad\x1b[2J\nfake.md:1: ok"
    (site.root / f"content/tasks/{name}.md").write_text("---\n" + TASK + "---\n", encoding="utf-8")
    assert main(["check", "--root", str(site.root)]) == 1
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[2J\\x0afake.md:1: ok" in err
    assert err.splitlines()[0].startswith("content/tasks/kwaad\\x1b[2J\\x0afake.md:1: ok.md:1: ")


def test_feeds_stay_well_formed_xml_and_tel_links_dial_what_is_shown(site):
    import xml.etree.ElementTree as ElementTree
    site.task("soep", TASK + 'contact: "Griet · 050 12 34 56 · ٠٥٠١٢٣٤٥٦٧"\n', "Tab\tin de tekst.\n")
    site.build()
    ElementTree.fromstring((site.out / "feed.xml").read_bytes())
    page = site.read("tasks/soep/index.html")
    assert '<a href="tel:050123456">050 12 34 56</a>' in page
    assert 'tel:٠' not in page  # digits that are not 0–9 are shown, never dialled


# -- 8. numbers and names that should be refused or told ---------------------------------------
_TOO_BIG = "'{key}' is '{shown}…': more than 1,000,000, which no task needs; check the number"


@pytest.mark.parametrize("extra, line, message", [
    ("reward: .inf", 6, "'reward' must be a number of 0 or more (e.g. 3 or 2.5), not '.inf'"),
    ("reward: -.inf", 6, "'reward' must be a number of 0 or more (e.g. 3 or 2.5), not '-.inf'"),
    ("reward: .nan", 6, "'reward' must be a number of 0 or more (e.g. 3 or 2.5), not '.nan'"),
    ("result: {hours: .inf}", 6, "'hours' must be a number of 0 or more (e.g. 3 or 2.5), not '.inf'"),
    ("reward: 1.0e+300", 6, "'reward' is '1.0e+300': more than 1,000,000, which no task needs; check the number"),
    ("spots: 99999999999", 6,
     "'spots' is '99999999999': more than 1,000,000, which no task needs; check the number"),
    ("result: {participants: 10000000}", 6,
     "'participants' is '10000000': more than 1,000,000, which no task needs; check the number"),
    ("repeat: {freq: daily, interval: 100000000, count: 2}", 6,
     "'interval' is '100000000': more than 1,000,000, which no task needs; check the number"),
    # Too large for a float (OverflowError) or for Python to read at all (4300 digits): told
    # at the number's own line, as too big, with its first digits.
    ("reward: 1" + "0" * 400, 6, _TOO_BIG.format(key="reward", shown="1" + "0" * 19)),
    ("result: {hours: 1" + "0" * 400 + "}", 6, _TOO_BIG.format(key="hours", shown="1" + "0" * 19)),
    ("reward: 0x" + "f" * 5000, 6, _TOO_BIG.format(key="reward", shown="0x" + "f" * 18)),
    ("reward: 1.0e+400", 6, "'reward' is '1.0e+400': more than 1,000,000, which no task needs; check the number"),
    ("reward: '1" + "0" * 5000 + "'", 6, _TOO_BIG.format(key="reward", shown="1" + "0" * 19)),
    ("spots: 1" + "0" * 5000, 6, _TOO_BIG.format(key="spots", shown="1" + "0" * 19)),
    ("spots: '1" + "0" * 5000 + "'", 6, _TOO_BIG.format(key="spots", shown="1" + "0" * 19)),
    ("result: {participants: 1" + "0" * 5000 + "}", 6, _TOO_BIG.format(key="participants", shown="1" + "0" * 19)),
    ("repeat: {freq: daily, count: 1" + "0" * 5000 + "}", 6, _TOO_BIG.format(key="count", shown="1" + "0" * 19)),
    ("spots: 1" + "0" * 38, 6, _TOO_BIG.format(key="spots", shown="1" + "0" * 19)),
], ids=lambda value: value[:40] if isinstance(value, str) else None)
def test_infinite_and_absurd_numbers_are_refused(site, extra, line, message):
    site.task("getal", TASK + extra + "\n")
    assert problems(site) == [f"content/tasks/getal.md:{line}: {message}"]


def test_files_that_will_not_be_read_are_named_in_a_warning(site):
    site.task("soep", TASK)
    for name in ("..md", ".verborgen.md"):
        (site.root / f"content/tasks/{name}").write_text("---\n" + TASK + "---\n", encoding="utf-8")
    (site.root / "content/tasks/.soep.md.swp").write_bytes(b"editor swap file")
    (site.root / "content/places/archief").mkdir()
    warnings = [str(w) for w in site.build().warnings]
    assert warnings == [
        "content/places/archief:1: warning: the folder 'content/places/archief' is not read: only the "
        "files directly in content/places/ are; move its .md files up one level",
        "content/tasks/..md:1: warning: '..md' is not read: a name starting with a dot is a hidden "
        "file; rename it to 'md.md'",
        "content/tasks/.verborgen.md:1: warning: '.verborgen.md' is not read: a name starting with a "
        "dot is a hidden file; rename it to 'verborgen-md.md'",
    ]


def _case_problem(path: str, twin: str) -> str:
    return (f"'{path}' and '{twin}' differ only in capitals (or accents written two ways): on Windows "
            "and Mac computers they are one and the same file; rename or remove one")


def test_task_and_place_files_differing_only_by_case_are_an_error(site):
    site.task("soep", TASK)
    site.task("Soep", TASK)
    found = problems(site)
    assert f"content/tasks/Soep.md:1: {_case_problem('content/tasks/Soep.md', 'content/tasks/soep.md')}" in found
    assert f"content/tasks/soep.md:1: {_case_problem('content/tasks/soep.md', 'content/tasks/Soep.md')}" in found


@pytest.mark.parametrize("one, other", [("Foto.jpg", "foto.jpg"), ("FOTO.JPG", "foto.JPG"),
                                        (unicodedata.normalize("NFD", "café.jpg"), "café.jpg"),
                                        ("Fotos/a.jpg", "fotos/b.jpg")])
def test_pictures_differing_only_by_case_are_an_error(site, one, other):
    picture(site, f"images/{one}")
    picture(site, f"images/{other}")
    site.task("soep", TASK + f"image: images/{one}\n")
    found = problems(site)
    assert len(found) == 1 and found[0].startswith("content/tasks/soep.md:6: 'images/")
    assert "differ only in capitals (or accents written two ways)" in found[0]


# -- 9. disk and permission faults --------------------------------------------------------------
def test_a_cache_that_is_a_plain_file_gives_a_warning_and_the_build_succeeds(site, capsys, monkeypatch):
    site.task("soep", TASK)
    (site.root / ".sitegen-cache").write_text("not a folder", encoding="utf-8")
    monkeypatch.chdir(site.root)
    assert main(["build", "--quiet"]) == 0
    assert capsys.readouterr().err == (
        "let op: kan de bouwcache .sitegen-cache/ niet gebruiken (geen map); er wordt zonder gebouwd "
        "(de site is volledig, alleen trager gebouwd). Verwijder de map of maak ze beschrijfbaar\n")
    assert main(["build", "--quiet", "--lang", "en"]) == 0
    assert capsys.readouterr().err == (
        "warning: cannot use the build cache .sitegen-cache/ (not a directory); building without it "
        "(the site is complete, only slower to build). Delete the folder or make it writable\n")
    assert (site.root / "public/tasks/soep/index.html").is_file()


@pytest.mark.parametrize("code, reason", [(errno.EACCES, "permission denied"),
                                          (errno.ENOSPC, "no space left on device"),
                                          (errno.EROFS, "read-only file system")])
def test_a_cache_that_cannot_be_written_gives_a_warning_and_the_build_succeeds(site, code, reason):
    site.task("soep", TASK)
    cache = site.root / ".sitegen-cache"
    with pytest.MonkeyPatch.context() as patch:
        Fault(patch, cache, None, code, always=True)
        result = site.build()
    assert list(result.notes) == [
        f"warning: cannot use the build cache .sitegen-cache/ ({reason}); building without it (the "
        "site is complete, only slower to build). Delete the folder or make it writable"]
    assert (site.out / "tasks/soep/index.html").is_file()
    assert not list(cache.rglob("*.tmp"))
    assert site.build().notes == ()  # the disk is fine again: no warning


def test_a_cache_full_half_way_leaves_no_temporary_files_and_the_next_build_is_right(site):
    site.task("soep", TASK)
    cache = site.root / ".sitegen-cache"
    with pytest.MonkeyPatch.context() as patch:
        Fault(patch, cache, 6, errno.ENOSPC)
        result = site.build()
    assert "no space left on device" in result.notes[0]
    assert not list(cache.rglob("*.tmp"))
    site.task("soep", TASK.replace("Soep koken", "Soep koken, nu echt"))
    site.build()
    assert "Soep koken, nu echt" in site.read("tasks/soep/index.html")


# -- 10. the dev server --------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _raw_get(port: int, host: str | None, path: str = "/") -> tuple[int, bytes]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        head = f"GET {path} HTTP/1.1\r\n" + (f"Host: {host}\r\n" if host is not None else "")
        connection.sendall((head + "Connection: close\r\n\r\n").encode())
        data = b""
        while chunk := connection.recv(65536):
            data += chunk
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


@pytest.fixture
def served(site):
    site.task("soep", TASK)
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--root", str(site.root),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, env=dict(os.environ, PYTHONUNBUFFERED="1"))
    deadline = time.monotonic() + 30
    while True:
        try:
            if _raw_get(port, f"127.0.0.1:{port}")[0] == 200:
                break
        except OSError:
            pass
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.1)
    yield port
    process.terminate()
    process.communicate(timeout=20)


def test_serve_refuses_requests_for_other_host_names(served):
    port = served
    for host in ("tracker.example", f"tracker.example:{port}", "127.0.0.1.nip.example", "localhost.example",
                 "", None):
        status, body = _raw_get(port, host)
        assert status == 403, host
    assert body == ("deze voorvertoning antwoordt alleen op vragen voor deze computer (localhost, 127.0.0.1 of "
                    "het adres dat met --host gegeven is), niet voor de naam van een andere site: open ze als "
                    "http://localhost:POORT/\n").encode("utf-8")
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost", f"LOCALHOST:{port}",
                 f"preview.localhost:{port}", f"[::1]:{port}", "10.0.0.7:8000"):
        assert _raw_get(port, host)[0] == 200, host


def test_serve_stays_responsive_under_200_concurrent_requests(served):
    port = served
    results: list[float] = []
    errors: list[BaseException] = []
    start = threading.Barrier(200)

    def one():
        try:
            start.wait(timeout=20)
            began = time.perf_counter()
            status, _ = _raw_get(port, f"127.0.0.1:{port}", "/tasks/soep/")
            assert status == 200
            results.append(time.perf_counter() - began)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
    threads = [threading.Thread(target=one) for _ in range(200)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors and len(results) == 200
    # With the default listen backlog of 5, the slowest took up to 16 s (SYN retries).
    assert max(results) < 3.0, f"slowest {max(results):.2f} s"


@pytest.mark.parametrize("message", [
    '_("{x.__func__.__globals__[gettext].os.environ}", x=t.gettext)',
    'ngettext("{n}", "{x.__func__.__globals__[gettext].os.environ[HOME]}", 2, x=t.day)',
    '_("{x[0]}", x=[1])',
    '_("{n:>999999999}", n=1)',
    '_("{n!r}", n=1)',
    '_("{gone}", n=1)',
    '_("{n", n=1)',
])
def test_a_message_in_a_theme_template_fills_in_only_the_values_it_is_given(site, monkeypatch, message):
    # str.format would read past the sandbox: the build's environment holds a deploy's secrets.
    monkeypatch.setenv("DOEPLEK_DEPLOY_SECRET", "secret-8f3a")
    site.write("theme/templates/404.html",
               '{% extends "default/404.html" %}{% block main %}{{ ' + message + " }}{% endblock %}")
    site.task("soep", TASK)
    found = problems(site)
    assert len(found) == 1 and found[0].startswith("theme/templates/404.html:1: template error: '{"), found
    assert "secret-8f3a" not in found[0] and (not site.out.exists() or b"secret-8f3a" not in published(site))


def test_a_message_in_a_theme_template_still_fills_in_its_values(site):
    site.write("theme/templates/404.html", '{% extends "default/404.html" %}{% block main %}<p>'
               '{{ _("{n} left, {{ and }} kept", n=3) }} · {{ ngettext("{n} spot", "{n} spots at {p}", 2, p="<b>") }}'
               "</p>{% endblock %}")
    site.task("soep", TASK)
    site.build()
    assert "<p>3 left, { and } kept · 2 spots at &lt;b&gt;</p>" in site.read("404.html")


# -- the theme is code: sandboxed ------------------------------------------------------------------
_TOO_BIG = "the template makes a value of more than 1,000,000 characters or items, which no page needs"
_PAGE_TOO_BIG = ("the template writes more than 50,000,000 characters for one page, far more than any page "
                 "needs; look for a loop that writes a big value again and again")
_TENFOLD = "'x', 'xxxxxxxxxx'"
# Values that grow tenfold or twofold a step, without an operator that says so.
_GROWING = [
    "{% set s = 'xxxxxxxxxx' %}" + f"{{% set s = s | replace({_TENFOLD}) %}}" * 9 + "{{ s | length }}",
    "{% set s = 'xxxxxxxxxx' %}" + f"{{% set s = s.replace({_TENFOLD}) %}}" * 9 + "{{ s | length }}",
    "{% set s = range(10000) | join('xxxxxxxxxx') %}{{ range(10000) | join(s) | length }}",
    "{% set s = range(10000) | join('xxxxxxxxxx') %}{{ s.join(range(10000) | map('string')) | length }}",
    "{% set s = 'x' * 600000 %}{% set s = s ~ s %}" + "{% set s = s ~ s %}" * 30 + "{{ s | length }}",
    "{% set s = 'x' * 600000 %}{{ [s, s] + [s] }}",
    "{% set s = 'x' * 600000 %}{{ [s] * 1000 }}",
]
# Pages that write a big value over and over, also into a variable.
_WRITING = [
    "{% set s = 'x' * 600000 %}{% for i in range(10000) %}{{ s }}{% endfor %}",
    "{% set s = 'x' * 600000 %}{% set t %}{% for i in range(10000) %}{{ s }}{% endfor %}{% endset %}{{ t | length }}",
    "{% for i in range(9000) %}{% for j in range(500) %}" + "0123456789" * 100 + "{% endfor %}{% endfor %}",
    "{% set s = 'x' * 900000 %}{% for i in range(10000) %}{{ [s, s, s, s] }}{% endfor %}",
]


# Many values, each under the limit of one: the page's operations are counted together.
_MANY = [
    "{{ range(1000) | map('string') | map('center', 999999) | list | length }}",
    "{% set s = 'x' * 999999 %}{{ range(1000) | map('string') | map('replace', '1', s) | list | length }}",
    "{% set s = 'x' * 999999 %}{% set n = namespace(all=[]) %}{% for i in range(1000) %}"
    "{% set n.all = n.all + [s ~ i] %}{% endfor %}{{ n.all | length }}",
]


@pytest.mark.parametrize("template", _MANY)
def test_a_template_making_many_big_values_is_stopped_before_it_fills_the_memory(site, template):
    site.write("theme/templates/404.html", "{# a stranger's pull request #}\n" + template + "\n")
    site.task("soep", TASK)
    found = _bounded(lambda: problems(site), seconds=60, megabytes=400)
    assert len(found) == 1 and found[0].startswith("theme/templates/404.html:2: template error: "), found


@pytest.mark.parametrize("template", _GROWING[:1] + _WRITING[:2])
def test_a_template_growing_a_value_is_stopped_before_it_fills_the_memory(site, template):
    # Without the checks, each of these holds a gigabyte or more before it is written.
    site.write("theme/templates/404.html", "{# a stranger's pull request #}\n" + template + "\n")
    site.task("soep", TASK)
    found = _bounded(lambda: problems(site), seconds=60, megabytes=300)
    assert len(found) == 1 and found[0].startswith("theme/templates/404.html:2: template error: "), found


@pytest.mark.parametrize("template, message", [
    ("{{ cycler.__init__.__globals__.os.environ }}", "access to attribute '__init__' of 'type' object is unsafe."),
    ("{{ lipsum.__globals__['os'].popen('id').read() }}", "access to attribute '__globals__' of 'function' object is unsafe."),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "access to attribute '__class__' of 'str' object is unsafe."),
    ("{{ self._TemplateReference__context }}", "access to attribute '_TemplateReference__context' of 'TemplateReference' object is unsafe."),
    ("{% set x = [] %}{{ x.append(1) }}", "access to attribute 'append' of 'list' object is unsafe."),
    ("{{ range(10 ** 9) | list }}", "range() of 1,000,000,000 items; at most 10,000 are allowed in a template"),
    ("{{ [0] * 10 ** 8 }}", "the template makes a value of more than 1,000,000 characters or items, which no page needs"),
    ("{{ 'x' * 10 ** 9 }}", "the template makes a value of more than 1,000,000 characters or items, which no page needs"),
    ("{{ 9 ** (9 ** 9) }}", "the template makes a number of more than 1,233 digits, which no page needs"),
    ("{{ '%0999999999d' % 1 }}", "the template makes a value of more than 1,000,000 characters or items, which no page needs"),
    ("{{ 'x'.center(10 ** 9) }}", "the template makes a value of more than 1,000,000 characters or items, which no page needs"),
    ("{{ 'x' | center(10 ** 9) }}", "the template makes a value of more than 1,000,000 characters or items, which no page needs"),
    ("{{ '%0999999999d' | format(1) }}", "the template makes a value of more than 1,000,000 characters or items, which no page needs"),
    ("{{ '{:>999999999}'.format(1) }}", "the template makes a value of more than 1,000,000 characters or items, which no page needs"),
    ("{{ 'x' | indent(10 ** 9, true) }}", "the template makes a value of more than 1,000,000 characters or items, which no page needs"),
    ("{% for i in range(9000) %}{% for j in range(9000) %}{% endfor %}{% endfor %}",
     "the template does more than 5,000,000 steps (loops and calls) for one page, far more than any "
     "page needs; look for loops inside loops or a macro that calls itself"),
    ("{% macro f(n) %}{{ f(n) }}{{ f(n) }}{% endmacro %}{{ f(1) }}", None),
] + [(template, _TOO_BIG) for template in _GROWING] + [(template, _PAGE_TOO_BIG) for template in _WRITING])
def test_a_hostile_theme_template_is_stopped_with_its_path_and_line(site, template, message):
    site.write("theme/templates/404.html", "{# a stranger's pull request #}\n" + template + "\n")
    site.task("soep", TASK)
    found = _bounded(lambda: problems(site), seconds=10, megabytes=None)
    assert len(found) == 1 and found[0].startswith("theme/templates/404.html:2: template error: "), found
    if message:
        assert found[0] == f"theme/templates/404.html:2: template error: {message}"
    assert "uid=" not in found[0] and "PATH" not in found[0]


def test_a_theme_template_may_still_show_big_numbers_and_use_filters(site):
    site.write("theme/templates/404.html", '{% extends "default/404.html" %}{% block main %}'
               "<p>{{ '{:,}'.format(1500000) }} · {{ 'x' | center(9) }} · {{ '%05d' | format(42) }}"
               " · {{ range(3) | list }} · {{ 'aaa bbb' | wordwrap(4) }} · {{ 'a-b' | replace('-', '+') }}"
               " · {{ 'a-b'.replace('-', '+') }} · {{ ['p', 'q'] | join('/') }} · {{ '/'.join(['r', 's']) }}"
               " · {{ [{'n': 'u'}, {'n': 'v'}] | join('/', attribute='n') }} · {{ 'w' ~ 1 ~ 'x' }}"
               "</p>{% endblock %}")
    site.task("soep", TASK)
    site.build()
    assert ("<p>1,500,000 ·     x     · 00042 · [0, 1, 2] · aaa\nbbb · a+b · a+b · p/q · r/s · u/v · w1x</p>"
            in site.read("404.html"))


def test_the_sandbox_still_builds_the_demo_site_unchanged(demo_site):
    result = demo_site.build()
    assert result.report.written > 100
    page = demo_site.read("index.html")
    assert loads_in_html(page) == []


# A stranger's 404.html, built by the command in a process of its own: bounded in time (a
# timeout) and in memory (an address space of 2 GB), and every mistake a Dutch path:line.
_AS_LIMIT = 2 * 1024 ** 3
_EXTENDS = '{# a stranger\'s pull request #}\n{% extends "default/404.html" %}{% block main %}'
# Operations whose result is the product of their arguments (each took 1-7 GB or ran on).
_PRODUCTS = [
    "{{ range(2000)|list|tojson(indent=999999)|length }}",
    "{{ '{:{w}}'.format(1, w=999999999)|length }}",
    "{{ ('{0}' * 1000).format('x' * 999999)|length }}",
    "{{ ('{a}' * 1000).format_map({'a': 'x' * 999999})|length }}",
    "{{ '{:.999999999f}'.format(1.5)|length }}",
    "{{ (('%(a)s' * 1000)|format(a='x' * 999999))|length }}",
    "{{ ('%s' * 1000) % (('x' * 999999,) * 1000) }}",
    "{{ '%*d' % (999999999, 1) }}",
    "{{ '%.*f' % (999999999, 1.5) }}",
    "{{ (('\\t' * 1000).expandtabs(999999))|length }}",
    "{{ ('x' * 999999).translate({120: 'y' * 1000})|length }}",
    "{{ ('\\n' * 1000)|indent(width='x' * 999999, blank=True)|length }}",
    "{{ ('\\n' * 1000)|indent(999999, blank=True)|length }}",
    "{{ 'x'.ljust(999999999)|length }}",
    "{{ 'x'.zfill(999999999)|length }}",
    "{{ ('a ' * 400000)|wordwrap(1, wrapstring='y' * 1000)|length }}",
    "{{ ('x' * 900000)|replace('x', 'yy')|length }}",
    "{{ range(1)|batch(999999999, 'x')|list|length }}",
    "{{ [1]|slice(100000000)|list|length }}",
    "{{ range(1)|batch(1000, range(1000)|list)|sum(start=[])|length }}",
    "{{ lipsum(n=100000, min=100, max=100)|length }}",
    "{% set a = 2 ** 4000 %}" + "{% set a = a * a %}" * 23 + "{{ a }}",
    "{% set a = 2 ** 4000 %}" + "{% set a = a * a + a %}" * 23 + "{{ a }}",
]
_MAKES_TOO_MUCH = ("het sjabloon maakt een waarde van meer dan 1.000.000 tekens of items, wat geen enkele "
                   "pagina nodig heeft")
_TOO_MANY_DIGITS = "het sjabloon maakt een getal van meer dan 1.233 cijfers, wat geen enkele pagina nodig heeft"
_ITSELF = ("het sjabloon gebruikt zichzelf zonder einde (met include, extends, import of een macro); zoek naar "
           "een 'include', 'extends' of 'import' van dit sjabloon of van een sjabloon dat ernaar terugkomt, "
           "of naar een macro die zichzelf altijd oproept")
_FAILS = "deze uitdrukking in het sjabloon mislukt: "


def _limited():
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (_AS_LIMIT, _AS_LIMIT))


def _hostile_build(site, files: dict[str, str]) -> list[str]:
    """The Dutch problems `sitegen build` prints for a site given these theme files, checked to
    leave public/ as the last good build left it, within 60 s and 2 GB."""
    site.task("soep", TASK)
    site.build()
    before = snapshot(site.out)
    for name, text in files.items():
        site.write(f"theme/templates/{name}", text)
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--root", str(site.root)],
                          capture_output=True, text=True, timeout=60, preexec_fn=_limited,
                          env={**os.environ, "SOURCE_DATE_EPOCH": str(int(BUILD_NOW.timestamp()))})
    assert done.returncode == 1, done.stderr[-2000:]
    assert snapshot(site.out) == before
    lines = [line for line in done.stderr.splitlines() if line.startswith("theme/")]
    assert lines and "Traceback" not in done.stderr, done.stderr[-2000:]
    assert done.stderr.splitlines()[-1] == "bouwen mislukt: 1 probleem gevonden; er is niets geschreven"
    return lines


@pytest.mark.parametrize("template", _PRODUCTS)
def test_a_value_the_product_of_its_arguments_is_refused_before_it_is_made(site, template):
    found = _hostile_build(site, {"404.html": _EXTENDS + template + "{% endblock %}\n"})
    message = _TOO_MANY_DIGITS if "a * a" in template else _MAKES_TOO_MUCH
    assert found == [f"theme/templates/404.html:2: fout in sjabloon: {message}"]


@pytest.mark.parametrize("files", [
    {"404.html": _EXTENDS + "{% include '404.html' %}{% endblock %}\n"},
    {"404.html": "{# a stranger's pull request #}\n{% extends '404.html' %}\n"},
    {"404.html": _EXTENDS + "{% import '404.html' as again with context %}{% endblock %}\n"},
    {"404.html": _EXTENDS + "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}{% endblock %}\n"},
    {"404.html": _EXTENDS + "{% endblock %}\n", "base.html": "{% extends '404.html' %}\n"},
], ids=["include", "extends", "import", "macro", "extends-cycle"])
def test_a_template_using_itself_without_end_is_named_in_dutch(site, files):
    found = _hostile_build(site, files)
    assert len(found) == 1 and found[0].startswith("theme/templates/"), found
    path_line, message = found[0].split(": fout in sjabloon: ")
    assert path_line in ("theme/templates/404.html:2", "theme/templates/base.html:1")
    assert message == _ITSELF


@pytest.mark.parametrize("template, problem", [
    ("{% with view = 1 %}{% include 'default/_card.html' %}{% endwith %}",
     "AttributeError: 'int' object has no attribute 'task' (in het standaardsjabloon 'default/_card.html', "
     "regel 7, met wat dit sjabloon eraan gaf)"),
    ("{{ '{0.__init__.__globals__}'.format_map({'0': t}) }}", "IndexError: tuple index out of range"),
    ("{{ lipsum(n=10, min=100, max=100) }}", "ValueError: empty range for randrange() (100, 100, 0)"),
])
def test_a_python_error_in_a_site_template_is_a_dutch_problem_at_its_line(site, template, problem):
    found = _hostile_build(site, {"404.html": _EXTENDS + template + "{% endblock %}\n"})
    assert found == [f"theme/templates/404.html:2: fout in sjabloon: {_FAILS}{problem}"]

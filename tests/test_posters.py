"""Posters print to exactly one A4 page in Chromium, and their QR codes scan to the right URL."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import segno

from conftest import require, serve_folder
from sitegen.outputs import posters

BASE = "https://doeplekken.example.be"
NASTY_TITLE = 'Zwerfvuilopruimactiviteiten "groot & klein" </script> {{ niets }} in het Gemeentepark van Sint-Andries-Loppem'
LONG_BODY = "\n\n".join(
    f"Alinea {i}: we werken samen in kleine groepjes, met handschoenen en grijpers, en "
    "drinken daarna koffie. Iedereen is welkom, jong en oud, met of zonder ervaring." for i in range(14)
) + "\n\n" + "\n".join(f"- ding {i} om mee te brengen" for i in range(12)) + "\n"


def _tools():
    for tool in ("pdfinfo", "pdftoppm", "zbarimg"):
        require(shutil.which(tool) is not None,
                f"{tool} is not installed (apt-get install poppler-utils zbar-tools)")


def print_pdf(page, url: str, path: Path) -> Path:
    page.goto(url)
    page.pdf(path=str(path), format="A4", prefer_css_page_size=True, print_background=True)
    return path


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return {key.strip(): value.strip() for key, _, value in
            (line.partition(":") for line in out.splitlines())}


def qr_codes_in(pdf: Path) -> list[str]:
    """Render the page at 150 dpi and decode every QR code on it."""
    png = pdf.with_suffix("")
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(png)], check=True)
    done = subprocess.run(["zbarimg", "--raw", "-q", str(png) + ".png"], capture_output=True, text=True)
    return [line for line in done.stdout.splitlines() if line]


def assert_one_a4_page(pdf: Path) -> None:
    info = pdf_info(pdf)
    assert info["Pages"] == "1", f"{pdf.name}: {info['Pages']} pages"
    width, height = (float(n) for n in re.findall(r"[\d.]+", info["Page size"])[:2])
    assert abs(width - 595.3) < 1.5 and abs(height - 841.9) < 1.5, info["Page size"]  # A4 portrait


@pytest.fixture(scope="module")
def stress_site(tmp_path_factory):
    """Content made to overflow: a huge title, a long body, repeats, every state, a busy place."""
    from conftest import BUILD_EPOCH, PLACE_MD, SITE_YML, SiteFolder

    folder = SiteFolder(tmp_path_factory.mktemp("posters") / "site")
    folder.write("content/site.yml", SITE_YML)
    folder.write("content/places/t-hof.md", PLACE_MD)
    folder.place("park", """\
        name: "Gemeentepark Sint-Andries-Loppem, ingang aan de kant van de Heidelbergstraat"
        address: Heidelbergstraat 102 (achter de oude pastorie, naast de speeltuin), 8210 Loppem
        hours: elke dag van zonsopgang tot zonsondergang, behalve tijdens evenementen en stormweer
        contact: parkwachter 050 98 76 54 of park@example.be
        """)
    folder.task("lang", f"""\
        title: '{NASTY_TITLE}'
        place: park
        start: "2026-12-05 09:30"
        repeat: {{freq: weekly, until: 2027-03-27, except: [2026-12-26]}}
        category: tuinwerk
        access: [zittend, rolstoel, kinderen]
        spots: 12
        taken: 3
        reward: 2.5
        """, LONG_BODY)
    folder.task("afgelast", """\
        title: Brieven plooien
        place: t-hof
        start: 2026-12-10
        category: plooien
        status: cancelled
        """)
    folder.task("voorbij", """\
        title: Soep koken
        place: t-hof
        start: "2026-11-02 10:00"
        category: koken
        """)
    for i in range(9):
        folder.task(f"park-{i}", f"""\
            title: Taak {i} in het park met een titel die net iets te lang is om op één regel te passen
            place: park
            start: "2026-12-{10 + i} 14:00"
            category: tuinwerk
            """)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", BUILD_EPOCH)
        folder.build()
    return folder


def test_every_poster_prints_one_a4_page_with_a_qr_code_to_its_page(browser, stress_site, tmp_path):
    _tools()
    page = browser.new_page()
    wanted = {
        "tasks/lang/poster/": f"{BASE}/tasks/lang/",
        "tasks/afgelast/poster/": f"{BASE}/tasks/afgelast/",
        "tasks/voorbij/poster/": f"{BASE}/tasks/voorbij/",
        "tasks/park-0/poster/": f"{BASE}/tasks/park-0/",
        "places/park/poster/": f"{BASE}/places/park/",
        "places/t-hof/poster/": f"{BASE}/places/t-hof/",
    }
    with serve_folder(stress_site.out) as origin:
        for i, (path, url) in enumerate(wanted.items()):
            pdf = print_pdf(page, f"{origin}/{path}", tmp_path / f"poster{i}.pdf")
            assert_one_a4_page(pdf)
            assert qr_codes_in(pdf) == [url], path
    page.close()


def test_the_qr_code_is_at_least_3_cm_wide_on_paper(browser, stress_site):
    page = browser.new_page()
    page.emulate_media(media="print")
    with serve_folder(stress_site.out) as origin:
        page.goto(f"{origin}/tasks/lang/poster/")
        width_px = page.eval_on_selector("svg.qr", "e => e.getBoundingClientRect().width")
    page.close()
    assert width_px / 96 * 2.54 >= 3.0  # CSS px are 1/96 inch in print


def test_the_demo_posters_all_fit_one_page(browser, demo_site, tmp_path):
    _tools()
    demo_site.build()
    paths = sorted(p for p in demo_site.files() if p.endswith("/poster/index.html"))
    assert len(paths) >= 20
    page = browser.new_page()
    with serve_folder(demo_site.out) as origin:
        for i, path in enumerate(paths):
            assert_one_a4_page(print_pdf(page, f"{origin}/{path}", tmp_path / f"demo{i}.pdf"))
    page.close()


def test_task_poster_content(stress_site):
    html = stress_site.read("tasks/lang/poster/index.html")
    assert 'class="poster-title title-s"' in html
    assert "&lt;/script&gt; {{ niets }}" in html  # escaped, not evaluated
    assert "zaterdag 5 december 2026, 9.30–11.30 uur" in html
    assert "elke zaterdag" in html
    assert "Heidelbergstraat 102" in html
    assert "kan zittend" in html and "/static/access/zittend.svg" in html
    assert "2,5 Doe-munten per persoon" in html
    assert "12 mensen gezocht" in html
    assert html.count('<li class="strip">') == posters.STRIPS
    strip = re.search(r'<li class="strip">(.*?)</li>', html, re.S).group(1)
    assert "doeplekken.example.be/tasks/lang/" in strip and "050 12 34 56" in strip
    assert "zaterdag 5 december 2026" in strip
    assert "<script>" not in html  # no inline JavaScript
    assert not re.search(r"<[^>]+\son\w+=", html) and "style=" not in html
    assert '<script src="/static/js/poster.js" defer></script>' in html
    assert 'data-print hidden' in html  # the Print button appears only with JavaScript


def test_cancelled_and_past_posters_say_so_in_large_type(stress_site):
    cancelled = stress_site.read("tasks/afgelast/poster/index.html")
    past = stress_site.read("tasks/voorbij/poster/index.html")
    assert '<p class="poster-state">gaat niet door</p>' in cancelled
    assert '<p class="poster-state">voorbij</p>' in past
    assert 'class="strip"' not in cancelled and 'class="strip"' not in past
    assert "poster-state" not in stress_site.read("tasks/lang/poster/index.html")


def test_place_poster_lists_the_next_tasks_and_opening_hours(stress_site):
    html = stress_site.read("places/park/poster/index.html")
    assert "Wat kan je hier doen?" in html
    assert html.count("<li><strong>") == posters.PLACE_TASKS
    assert html.index("Taak 0 in") < html.index("Taak 1 in")
    assert "En nog meer taken op de website." in html
    assert "elke dag van zonsopgang" in html and "parkwachter 050 98 76 54" in html
    assert "doeplekken.example.be/places/park/" in html


def test_pages_link_to_their_poster(stress_site):
    assert 'href="/tasks/lang/poster/">Affiche afdrukken</a>' in stress_site.read("tasks/lang/index.html")
    assert 'href="/places/park/poster/">Affiche afdrukken</a>' in stress_site.read("places/park/index.html")


def test_fixed_mask_codes_decode_for_many_urls(tmp_path):
    """The fixed mask (posters.QR_MASK) reads for every kind of URL, not just the demo's."""
    require(shutil.which("zbarimg") is not None, "zbarimg is not installed (apt-get install zbar-tools)")
    wanted = [f"{BASE}/tasks/{'-'.join(['taak'] * (i % 9 + 1))}-{i}/" for i in range(40)]
    wanted += [f"https://www.doe-plekken-{i}.be/places/plek-{i}/" for i in range(10)]
    files = []
    for i, url in enumerate(wanted):
        svg_code = segno.make_qr(url, error=posters.QR_ERROR, boost_error=False, mask=posters.QR_MASK)
        files.append(tmp_path / f"{i:03}.png")
        svg_code.save(str(files[-1]), scale=4, border=posters.QR_BORDER)
    done = subprocess.run(["zbarimg", "--raw", "-q", *map(str, files)], capture_output=True, text=True)
    assert done.stdout.splitlines() == wanted


def test_qr_svg_is_byte_for_byte_what_segno_writes():
    """Our one-pass path writer (posters._dark_runs_path) draws exactly segno's own SVG."""
    urls = [f"{BASE}/tasks/{'-'.join(['taak'] * (i % 13 + 1))}-{i}/" for i in range(300)]
    urls += ["https://x.be/", f"https://www.doe-plekken.be/places/{'lange-naam-' * 12}/", "mailto:a@b.be"]
    for url in urls:
        code = segno.make_qr(url, error=posters.QR_ERROR, boost_error=False, mask=posters.QR_MASK)
        title = f"Affiche <{url}> & meer"
        assert posters.qr_svg(url, title) == code.svg_inline(
            scale=1, border=posters.QR_BORDER, omitsize=True, svgclass="qr", lineclass="qr-line", title=title)


def test_qr_svg_has_a_quiet_zone_and_scales():
    svg = posters.qr_svg(f"{BASE}/tasks/x/", "x")
    size = segno.make_qr(f"{BASE}/tasks/x/", error="m", boost_error=False).symbol_size(scale=1, border=0)[0]
    assert f'viewBox="0 0 {size + 8} {size + 8}"' in svg  # 4 modules of quiet zone on each side
    assert "width=" not in svg.split(">")[0]  # sized by CSS


def test_body_is_cut_to_its_budget():
    html = "".join(f"<p>{'woord ' * 60}</p>" for _ in range(5))
    blocks = posters.body_blocks(html)
    assert sum(len(b) for b in blocks) <= posters.BODY_CHARS
    assert blocks[-1].endswith("…")
    assert posters.body_blocks("<ul><li>een</li><li>twee</li></ul>") == ["• een", "• twee"]


def test_short_url_and_phone():
    assert posters.short_url("https://www.doeplekken.be", "/tasks/a/") == "doeplekken.be/tasks/a/"
    assert posters.phone_of("050 12 34 56 · info@example.be") == "050 12 34 56"
    assert posters.phone_of("info@example.be") == ""  # a strip says "Bel …": only a phone fits


def test_a_cut_body_keeps_the_last_word_of_its_last_paragraph():
    assert posters.body_blocks(
        "<p>We koken soep samen met de buurt.</p><p>Tweede alinea hier.</p>", 70) == [
        "We koken soep samen met de buurt…"]

"""A dated board for the search tests: every filter has a task that matches and one that does not.

Built at conftest's BUILD_NOW (2026-11-26 12:00, Brussels).
"""

from __future__ import annotations

from conftest import QuietHandler, serve_folder

PLACES = {
    "bib": """\
        name: Bibliotheek Zedelgem
        address: Stationsstraat 2, 8210 Zedelgem
        access: [rolstoel]
    """,
    "park": """\
        name: Gemeentepark Loppem
        address: Gemeenteplein 1, 8210 Loppem
    """,
}

# slug → (front matter, body). Titles are what the browser tests look for.
TASKS = {
    "soep-koken": ("""\
        title: Soep koken voor de buurtmaaltijd
        place: t-hof
        category: koken
        start: "2026-12-05 09:30"
        end: "2026-12-05 12:00"
        access: [zittend]
        spots: 4
        taken: 1
    """, "We schillen pompoenen en wortelen en koken samen een grote pot soep.\n"),
    "brieven-plooien": ("""\
        title: Brieven plooien voor de Gezinsbond
        place: t-hof
        category: plooien
        start: "2026-12-10 14:00"
        access: [zittend, rolstoel]
    """, "Vijfhonderd ledenbrieven plooien en in enveloppen steken.\n"),
    "kerstkaartjes": ("""\
        title: Kerstkaartjes schrijven
        place: bib
        category: plooien
        start: "2026-12-16 14:00"
        access: [zittend, rolstoel, kinderen]
        spots: 3
        taken: 3
    """, "Kaartjes voor ouderen die alleen wonen.\n"),
    "koekjes-bakken": ("""\
        title: Koekjes bakken voor de kerstmarkt
        place: t-hof
        category: koken
        start: "2026-12-12 10:00"
        status: cancelled
    """, "Speculaas en kerstkoekjes bakken.\n"),
    "koffie-schenken": ("""\
        title: Koffie schenken in de namiddag
        place: t-hof
        category: koken
        start: "2026-11-26 13:00"
        end: "2026-11-26 15:00"
        access: [zittend]
    """, "Koffie en thee voor de bezoekers.\n"),
    "zwerfvuil-rapen": ("""\
        title: Zwerfvuil rapen langs de vaart
        place: park
        category: tuinwerk
        start: 2026-11-20
    """, "Met grijpers en vuilniszakken.\n"),
    "tuinploeg": ("""\
        title: Tuinploeg in het park
        place: park
        category: tuinwerk
        start: "2026-12-02 09:00"
        end: "2026-12-02 11:00"
        repeat:
          freq: weekly
          until: 2027-02-24
        access: [kinderen]
    """, "Hagen snoeien, bladeren harken en plantvakken wieden.\n"),
    "boeken-kaften": ("""\
        title: Boeken kaften in de bib
        place: bib
        category: plooien
        start: 2027-01-20
        access: [zittend]
    """, "Kinderboeken en strips netjes kaften.\n"),
}

# What the board lists at build time, and what stays once the browser clock is past 15:00.
UPCOMING = {"soep-koken", "brieven-plooien", "kerstkaartjes", "koekjes-bakken",
            "koffie-schenken", "tuinploeg", "boeken-kaften"}
SEARCHABLE = UPCOMING - {"koekjes-bakken"}  # cancelled tasks are not search results
TITLES = {slug: front.split("title: ", 1)[1].split("\n", 1)[0] for slug, (front, _) in TASKS.items()}


def write_board(site) -> None:
    """Write the places and tasks into a conftest SiteFolder (which already has 't-hof')."""
    for slug, front in PLACES.items():
        site.place(slug, front)
    for slug, (front, body) in TASKS.items():
        site.task(slug, front, body)


# The Content-Security-Policy the site is deployed with (netlify.toml); the browser tests serve
# every page with it, to prove the board's script and Pagefind run without inline code.
CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self' blob:; "
       "img-src 'self' data:; style-src 'self'")


def serve(folder):
    """Serve a built folder on 127.0.0.1 (a free port) with the CSP header; yield the base URL."""
    return serve_folder(folder, _WithCsp)


class _WithCsp(QuietHandler):
    def end_headers(self):
        self.send_header("Content-Security-Policy", CSP)
        super().end_headers()

"""Write a synthetic doe-plek site: N tasks and N/20 places in our content contract.

    python benchmarks/generate.py 10000 /dev/shm/bench-10000

Seeded, so the same N gives the same files. Dates lie around FIXED_NOW (build
with SOURCE_DATE_EPOCH set to it, as benchmarks/run.py does).
"""

from __future__ import annotations

import argparse
import random
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

FIXED_NOW = datetime(2026, 11, 26, 12, 0, tzinfo=ZoneInfo("Europe/Brussels"))
CATEGORIES = ["plooien", "zwerfvuil", "tuinwerk", "koken", "klussen", "administratie", "gezelschap"]
ACCESS = ["zittend", "rolstoel", "kinderen", "geen-nederlands-nodig", "binnen", "buiten"]
VERBS = ["plooien", "rapen", "harken", "koken", "schilderen", "sorteren", "tellen", "inpakken",
         "stempelen", "versieren", "opruimen", "herstellen", "schenken", "zaaien", "snoeien"]
THINGS = ["brieven", "zwerfvuil", "bladeren", "soep", "banken", "boeken", "enquêtes", "pakjes",
          "broodzakjes", "etalages", "fietsen", "koffie", "bloembakken", "hagen", "kerstkaarten"]
TOWNS = ["Zedelgem", "Loppem", "Aartrijke", "Veldegem", "Snellegem", "Jabbeke", "Torhout", "Brugge"]
WORDS = ("we samen de het een en van op voor met in buurt mensen taak helpen koffie na afloop "
         "iedereen welkom geduld handen werk kinderen ouderen jongeren vereniging winkel gemeente "
         "materiaal handschoenen zakken binnen buiten zittend rustig tempo praten ontmoeten leren "
         "nieuwe gezichten doe-munten beloning vrijwilligers organisatie straat plein park school "
         "kerk bibliotheek bakkerij zaal tafel stoelen dozen papier enveloppen schaar lijm verf "
         "borstels emmers kruiwagen hark bezem ladder soepkom lepels borden afwas").split()


def generate(count: int, out: Path, seed: int = 20261126) -> None:
    """Write content/site.yml, count/20 places and count tasks under `out`."""
    rng = random.Random(seed)
    if (out / "content").exists():
        shutil.rmtree(out / "content")
    (out / "content/tasks").mkdir(parents=True)
    (out / "content/places").mkdir(parents=True)
    (out / "content/site.yml").write_text(SITE_YML, encoding="utf-8")
    places = [f"plek-{i:04d}" for i in range(max(count // 20, 1))]
    for i, slug in enumerate(places):
        town = rng.choice(TOWNS)
        (out / f"content/places/{slug}.md").write_text(
            "---\n"
            f'name: "Doe-plek {town} {i}"\n'
            f'address: "Dorpsstraat {i + 1}, 8210 {town}"\n'
            f"geo: [{51.0 + rng.random() * 0.3:.4f}, {3.0 + rng.random() * 0.3:.4f}]\n"
            f"access: [{', '.join(rng.sample(ACCESS, 2))}]\n"
            'hours: "maandag tot vrijdag, 9–17 uur"\n'
            'contact: "050 12 34 56"\n'
            "---\n" + _body(rng, 40, 80), encoding="utf-8")
    for i in range(count):
        (out / f"content/tasks/taak-{i:05d}.md").write_text(_task(rng, i, places), encoding="utf-8")


def _task(rng: random.Random, i: int, places: list[str]) -> str:
    day = FIXED_NOW.date() + timedelta(days=rng.randint(-180, 240))
    lines = [f'title: "{rng.choice(THINGS).capitalize()} {rng.choice(VERBS)} #{i}"',
             f"place: {rng.choice(places)}",
             f"category: {rng.choice(CATEGORIES)}"]
    if rng.random() < 0.15:
        lines.append(f"start: {day.isoformat()}")  # all day
    else:
        hour = rng.choice([9, 10, 13, 14, 18])
        lines += [f'start: "{day.isoformat()} {hour:02d}:30"', f'end: "{hour + 2:02d}:00"']
    if i % 10 == 3:  # one task in ten repeats
        until = day + timedelta(weeks=rng.randint(2, 12))
        lines += ["repeat:", "  freq: weekly", f"  until: {until.isoformat()}"]
    spots = rng.randint(2, 12)
    lines += [f"spots: {spots}", f"taken: {rng.randint(0, spots)}", f"reward: {rng.randint(1, 4)}",
              f"access: [{', '.join(rng.sample(ACCESS, rng.randint(0, 3)))}]",
              f"talents: [{rng.choice(['geduld', 'fiets', 'kookkunst', 'handigheid'])}]",
              "client:", f'  name: "Vereniging {rng.randint(1, 300)}"',
              f"partners: [OCMW {rng.choice(TOWNS)}]"]
    if i % 20 == 7:  # one in twenty is cancelled
        lines.append("status: cancelled")
    return "---\n" + "\n".join(lines) + "\n---\n" + _body(rng, 150, 300)


def _body(rng: random.Random, low: int, high: int) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(low, high))]
    paragraphs, at = [], 0
    while at < len(words):
        size = rng.randint(30, 70)
        chunk = words[at:at + size]
        paragraphs.append(" ".join(chunk).capitalize() + ".")
        at += size
    if rng.random() < 0.3:
        paragraphs.insert(1, "- handschoenen\n- een **goed humeur**\n- [meer info](https://www.example.be)")
    return "\n\n".join(paragraphs) + "\n"


SITE_YML = """\
title: Doe-plekken Benchmark
tagline: Kleine taken, samen gedaan
base_url: https://doeplekken.example.be
language: nl
timezone: Europe/Brussels
currency: Doe-munten
signup: "https://forms.example.be/inschrijven?taak={title}&datum={date}&plek={place}"
suggest: https://forms.example.be/voorstel
contact: "050 12 34 56 · info@example.be"
categories:
""" + "".join(f"  - {c}\n" for c in CATEGORIES) + "access:\n" + "".join(f"  - {a}\n" for a in ACCESS)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, help="number of tasks (places: count / 20)")
    parser.add_argument("out", type=Path, help="site folder to (re)create content/ in")
    parser.add_argument("--seed", type=int, default=20261126)
    args = parser.parse_args(argv)
    generate(args.count, args.out, args.seed)


if __name__ == "__main__":
    main()

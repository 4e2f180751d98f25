"""`sitegen check --format github`: workflow annotations, read back as the Actions runner reads them."""

from __future__ import annotations

import re
import subprocess
import sys

from sitegen.annotations import annotation
from sitegen.problems import Problem

_COMMAND = re.compile(r"^::(?P<kind>[a-z]+)(?: (?P<props>[^:]*))?::(?P<data>.*)$")


def _unescape(text: str) -> str:
    # The runner (actions/runner, ActionCommand.cs) undoes %0D, %0A, %3A, %2C, then %25 last.
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        text = text.replace(escaped, plain)
    return text


def parse(line: str) -> dict | None:
    """One workflow command as the runner sees it: kind, properties and message, unescaped."""
    match = _COMMAND.match(line)
    if match is None:
        return None
    props = {}
    for pair in (match["props"] or "").split(","):
        if pair:
            key, _, value = pair.partition("=")
            props[key] = _unescape(value)
    return {"kind": match["kind"], **props, "message": _unescape(match["data"])}


def _check(site, *extra, lang="en") -> subprocess.CompletedProcess:
    # English unless a test is about the language: these tests are about the annotations.
    return subprocess.run([sys.executable, "-m", "sitegen", "check", "--root", str(site.root), *extra,
                           *(("--lang", lang) if lang else ())],
                          capture_output=True, text=True, timeout=120)


def test_each_problem_is_an_annotation_on_its_line(site):
    site.task("soep", """
        title: Soep
        place: t-hof
        start: "2027-01-16 09:30"
        category: kokn
        signup: "javascript:alert(%27x%27)"
    """)
    site.write("content/tasks/a,b: c.md", "---\ntitle: x\n---\n")
    text = _check(site)
    github = _check(site, "--format", "github")
    assert github.returncode == text.returncode == 1
    lines = github.stdout.splitlines()
    found = [parse(line) for line in lines if parse(line)]
    # The same problems as the text format, as file, line and message.
    expected = [m.groups() for line in text.stderr.splitlines() if (m := re.match(r"^(content/.*?:\d+): (.*)$", line))]
    assert [(f"{a['file']}:{a['line']}", a["message"]) for a in found] == expected
    assert {a["kind"] for a in found} == {"error"}
    soep = [a for a in found if a["file"] == "content/tasks/soep.md"]
    assert [a["line"] for a in soep] == ["5", "6"]
    assert soep[1]["message"] == ("the link 'javascript:alert(%27x%27)' uses 'javascript:', which is not "
                                  "allowed; use a link starting with https: or mailto: or tel:")
    assert "::error file=content/tasks/soep.md,line=6::the link 'javascript:alert(%2527x%2527)'" in lines[
        [a["file"] for a in found].index("content/tasks/soep.md") + 1]
    odd = [a for a in found if a["file"] == "content/tasks/a,b: c.md"]
    assert odd and all(a["line"] for a in odd)
    assert any(line.startswith("::error file=content/tasks/a%2Cb%3A c.md,line=1::") for line in lines)
    assert lines[-1] == f"{len(found)} problems found"
    assert github.stderr == ""


def test_warnings_pass_and_show(site):
    site.task("soep", """
        title: Soep
        place: t-hof
        start: "2027-01-16 09:30"
        category: koken
        repeat:
          freq: weekly
          count: 3
          except: [2027-01-17]
    """)
    site.write("content/tasks/oud.markdown", "---\ntitle: x\n---\n")
    github = _check(site, "--format", "github")
    assert github.returncode == 0, github.stdout
    found = [parse(line) for line in github.stdout.splitlines() if parse(line)]
    assert [(a["kind"], a["file"], a["line"]) for a in found] == [
        ("warning", "content/tasks/oud.markdown", "1"), ("warning", "content/tasks/soep.md", "6")]
    assert found[0]["message"] == "'oud.markdown' is not read: only files ending in .md are; rename it to 'oud.md'"
    assert found[1]["message"] == "except date 2027-01-17 is not one of the repeat's days, so it changes nothing"
    assert github.stdout.splitlines()[-1] == "ok: 1 tasks and 1 places, no problems"


def test_escaping_follows_the_runner():
    line = annotation(Problem("content/tasks/x,y:z.md", 3, "100% sure\r\nnext: a,b", warning=True))
    assert line == "::warning file=content/tasks/x%2Cy%3Az.md,line=3::100%25 sure%0D%0Anext: a,b"
    assert parse(line) == {"kind": "warning", "file": "content/tasks/x,y:z.md", "line": "3",
                           "message": "100% sure\r\nnext: a,b"}
    # The kind is the problem's: a warning says so by its kind, not by words in its message.
    assert annotation(Problem("content/site.yml", 1, "x")) == "::error file=content/site.yml,line=1::x"
    assert annotation(Problem("content/site.yml", 1, "x", warning=True)) == "::warning file=content/site.yml,line=1::x"


def test_annotations_are_in_the_sites_language_with_file_and_line_intact(site):
    site.task("soep", """
        title: Soep
        place: t-hof
        start: "2027-01-16 09:30"
        category: koken
    """)
    site.write("content/tasks/oud.markdown", "---\ntitle: x\n---\n")
    github = _check(site, "--format", "github", lang=None)  # site.yml says language: nl
    assert github.returncode == 0
    assert github.stdout.splitlines() == [
        "::warning file=content/tasks/oud.markdown,line=1::'oud.markdown' wordt niet gelezen: alleen bestanden "
        "die op .md eindigen, worden gelezen; hernoem het naar 'oud.md'",
        "ok: 1 taken en 1 plekken, geen problemen"]
    site.task("soep", "title: Soep\nplace: t-hof\nstart: 2027-01-16\ncategory: kokn\n")
    github = _check(site, "--format", "github", lang=None)
    assert github.returncode == 1
    assert github.stdout.splitlines() == [
        "::error file=content/tasks/soep.md,line=5::categorie 'kokn' staat niet in content/site.yml — bedoel je "
        "'koken'? Gekend: plooien, tuinwerk, koken",
        "1 probleem gevonden"]


def test_check_help_names_the_format(capsys):
    from sitegen.cli import main
    try:
        main(["check", "--help"])
    except SystemExit:
        pass
    assert "--format {text,github}" in capsys.readouterr().out


def test_the_workflow_runs_the_check_on_every_push_and_pull_request():
    import yaml

    from conftest import REPO
    workflow = yaml.safe_load((REPO / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    triggers = workflow[True]  # YAML 1.1 reads the key `on` as True
    assert "push" in triggers and "pull_request" in triggers
    steps = [step.get("run", "") for step in workflow["jobs"]["check"]["steps"]]
    # The lock Netlify installs (tests/test_lock.py checks it), with its hashes.
    assert "python -m pip install --require-hashes -r requirements.txt && python -m pip install --no-deps ." in steps
    assert "sitegen check --format github" in steps
    assert workflow["permissions"] == {"contents": "read"}

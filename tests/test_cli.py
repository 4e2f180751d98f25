"""The command line: help texts, exit codes, and problems on stderr without tracebacks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, require

from sitegen.cli import main

TASK = "title: Soep koken\nplace: t-hof\ncategory: koken\nstart: '2027-01-16 09:30'\n"


def run(*args, cwd, command=(sys.executable, "-m", "sitegen"), **env_changes):
    """Run the real command in a fresh process, as a coordinator would."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **env_changes}  # works installed or not
    env = {name: value for name, value in env.items() if value is not None}
    return subprocess.run([*command, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)


def help_text(capsys, *argv) -> str:
    with pytest.raises(SystemExit) as leaving:
        main([*argv, "--help"])
    assert leaving.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_help(capsys):
    text = help_text(capsys)
    assert text.startswith("usage: sitegen")
    assert "Build the doe-plek task board: Markdown tasks and places in, a static site out." in text
    assert "build build content/ into public/" in text
    assert "check validate the content without writing anything" in text


def test_build_help(capsys):
    text = help_text(capsys, "build")
    assert text.startswith("usage: sitegen build")
    assert "Build the site. Nothing is written unless every file is valid." in text
    for option in ("--root ROOT site folder holding content/ (default: current folder)",
                   "--drafts include tasks with draft: true",
                   "--base-url BASE_URL absolute site URL, overriding site.yml's base_url",
                   "--out OUT output folder (default: <root>/public)",
                   "--quiet print only problems"):
        assert option in text


def test_check_help(capsys):
    text = help_text(capsys, "check")
    assert text.startswith("usage: sitegen check")
    assert "Check every content file; exit 1 listing each problem as path:line: message." in text
    assert "--out" not in text


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "usage: sitegen" in capsys.readouterr().out


def test_unknown_option_exits_2(capsys):
    with pytest.raises(SystemExit) as leaving:
        main(["build", "--bogus"])
    assert leaving.value.code == 2
    assert "unrecognized arguments: --bogus" in capsys.readouterr().err


def test_build_ok_exit_0(site, capsys):
    site.task("soep", TASK)
    assert main(["build", "--root", str(site.root)]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("built 1 tasks, 1 places, ")
    assert err == ""
    assert (site.out / "tasks/soep/index.html").exists()


def test_build_quiet_and_out(site, tmp_path, capsys):
    site.task("soep", TASK)
    assert main(["build", "--root", str(site.root), "--out", str(tmp_path / "www"), "--quiet"]) == 0
    assert capsys.readouterr() == ("", "")
    assert (tmp_path / "www/tasks/soep/index.html").exists()


def test_base_url_option(site, capsys):
    site.task("soep", TASK)
    assert main(["build", "--root", str(site.root), "--base-url", "https://preview.example.net/"]) == 0
    assert '<link rel="canonical" href="https://preview.example.net/tasks/soep/">' in site.read(
        "tasks/soep/index.html")


def test_check_ok_writes_nothing(site, capsys):
    site.task("soep", TASK)
    assert main(["check", "--root", str(site.root)]) == 0
    assert capsys.readouterr().out == "ok: 1 tasks and 1 places, no problems\n"
    assert not site.out.exists()


def test_check_problems_exit_1(site, capsys):
    site.task("soep", TASK + "spost: 3")
    site.task("tuin", TASK.replace("koken\n", "tuin\n"))
    assert main(["check", "--root", str(site.root)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "content/tasks/soep.md:6: unknown key 'spost' — did you mean 'spots'?\n"
        "content/tasks/tuin.md:4: category 'tuin' is not in content/site.yml — did you mean "
        "'tuinwerk'? Known: plooien, tuinwerk, koken\n"
        "2 problems found\n")


def test_no_content_folder(tmp_path, capsys):
    assert main(["build", "--root", str(tmp_path)]) == 1
    assert capsys.readouterr().err == (
        f"no content/ folder in {tmp_path.resolve()}; run sitegen in a site folder or pass --root\n")


@pytest.mark.parametrize("out", [".", "content", "theme/x"])
def test_refuses_an_out_folder_holding_the_sources(site, capsys, out):
    site.task("soep", TASK)
    assert main(["build", "--root", str(site.root), "--out", str(site.root / out)]) == 1
    assert "holds the site's own files" in capsys.readouterr().err
    assert (site.root / "content/tasks/soep.md").exists()


def test_python_m_sitegen_reports_problems_on_stderr(site):
    site.task("soep", TASK + "end: '2027-01-16 08:00'")
    result = run("build", cwd=site.root)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "content/tasks/soep.md:6: end (2027-01-16 08:00) is before start (2027-01-16 09:30); "
        "the end must be at or after the start\n"
        "build failed: 1 problem found; nothing was written\n")
    assert not site.out.exists()


def test_python_m_sitegen_flushes_its_summary_before_its_quick_exit(site):
    # cli.run leaves with os._exit (no slow teardown): what it printed must still arrive.
    site.task("soep", TASK)
    result = run("build", cwd=site.root, PYTHONUNBUFFERED=None)  # buffered, as in a pipe
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 1 tasks")
    assert result.stdout.endswith("\n")


def test_template_mistake_in_a_site_override_has_no_traceback(site):
    site.task("soep", TASK)
    site.write("theme/templates/task.html",
               '{% extends "default/task.html" %}\n{% block main %}\n{{ task.title | upper( }}\n'
               '{% endblock %}\n')
    result = run("build", cwd=site.root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("theme/templates/task.html:3: template error: ")


def test_python_build_py(site):
    site.task("soep", TASK)
    result = run(cwd=site.root, command=(sys.executable, str(REPO / "build.py")))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("built 1 tasks")
    assert (site.out / "tasks/soep/index.html").exists()


def test_installed_console_script(site):
    # The script installed beside this Python (its venv need not be activated), else on the PATH.
    executable = shutil.which("sitegen", path=str(Path(sys.executable).parent)) or shutil.which("sitegen")
    require(executable is not None, "the sitegen command is not installed (the README's first command installs it)")
    site.task("soep", TASK + "spots: 0")
    result = run("check", cwd=site.root, command=(executable,))
    assert result.returncode == 1
    assert result.stderr.startswith(
        "content/tasks/soep.md:6: 'spots' must be a whole number of 1 or more, not '0'\n")

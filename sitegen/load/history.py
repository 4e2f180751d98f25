"""How often and when each content file was committed, read from git in one call.

Calendar feeds need numbers that only grow when a task changes (SEQUENCE) and
times that do not move between builds (LAST-MODIFIED, DTSTAMP). Git already
knows both: the number of commits that touched a file and the time of the last
one. Outside git (a downloaded zip, no git installed, a fresh repository
without commits) every file simply has no history and callers fall back to the
build moment. In a shallow clone git only knows the fetched commits; counts are
then too low, so deploy from a full clone (see README "Agenda-feeds").
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

_COMMIT = "\x1e"  # record separator before each commit in our --format


@dataclass(frozen=True)
class Revision:
    """The git history of one file: how many commits touched it, and the last one's time."""

    commits: int
    last: datetime  # committer time of the newest commit, in UTC


@dataclass(frozen=True)
class History:
    """Revisions of the files under a site's content folder, by site-relative path."""

    files: dict[str, Revision]

    def of(self, path: str) -> Revision | None:
        return self.files.get(path)


def read_history(root: Path, folder: str = "content") -> History:
    """Read every commit touching `folder` under the site root with ONE `git log` call."""
    try:
        completed = subprocess.run(
            ["git", "-c", "core.quotepath=off", "log", "-z", "--no-renames", "--name-only",
             "--relative", f"--format={_COMMIT}%ct", "--", folder],
            cwd=root, capture_output=True, check=False, timeout=120,
        )
    except (OSError, subprocess.TimeoutExpired):
        return History({})  # no git binary, or a folder we cannot enter
    if completed.returncode != 0:
        return History({})  # not a repository, or one without commits yet
    return History(parse_log(completed.stdout.decode("utf-8", "surrogateescape")))


def parse_log(output: str) -> dict[str, Revision]:
    """Fold `git log -z --name-only --format=<RS>%ct` output into revisions, newest first."""
    counts: dict[str, int] = {}
    newest: dict[str, int] = {}
    for record in output.split(_COMMIT)[1:]:
        head, _, names = record.partition("\n")
        stamp = int(head.strip("\0"))
        for name in names.split("\0"):
            name = name.strip("\n")
            if not name:
                continue
            counts[name] = counts.get(name, 0) + 1
            newest.setdefault(name, stamp)  # git log lists the newest commit first
    return {name: Revision(counts[name], datetime.fromtimestamp(newest[name], timezone.utc))
            for name in counts}

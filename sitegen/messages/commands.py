"""What the commands say at the terminal and in the browser: results, progress, serve, the local editor."""

from __future__ import annotations

import errno
import os

from ..i18n import N_, _

# The disk's reasons a coordinator can act on, in the words of os.strerror (lowercased): the
# reason a file cannot be read or written is said in the coordinator's language, like the rest.
_DISK_REASONS = {
    errno.EACCES: _("permission denied"),
    errno.EPERM: _("operation not permitted"),
    errno.ENOSPC: _("no space left on device"),
    errno.EROFS: _("read-only file system"),
    errno.ENOTDIR: _("not a directory"),
    errno.EISDIR: _("is a directory"),
    errno.ENOENT: _("no such file or directory"),
    errno.ELOOP: _("too many levels of symbolic links"),
    errno.ENAMETOOLONG: _("file name too long"),
    errno.EIO: _("input/output error"),
}


def warning(message: str) -> str:
    """A warning said as one: the build goes on, but the coordinator should look."""
    return _("warning: {message}", message=message)


def error(message: str) -> str:
    """A tool or the disk failed, not the content."""
    return _("error: {message}", message=message)


def internal_error(kind: str, detail: str) -> str:
    return _("internal error: {kind}: {detail}", kind=kind, detail=detail)


# -- build and check --------------------------------------------------------
def build_failed(count: int) -> str:
    return N_("build failed: {n} problem found; nothing was written",
              "build failed: {n} problems found; nothing was written", count)


def check_failed(count: int) -> str:
    return N_("{n} problem found", "{n} problems found", count)


def disk_reason(error: OSError) -> str:
    """Why the disk refused, in the coordinator's language when it is a common reason."""
    if not error.errno:
        return str(error)
    return _DISK_REASONS.get(error.errno) or os.strerror(error.errno).lower()


def cannot_write(folder: str, reason: str) -> str:
    return _("cannot write {folder} ({reason}); it was left as it was. Make the folder writable "
             "or free some space, then build again", folder=folder, reason=reason)


def cannot_cache(folder: str, reason: str) -> str:
    return warning(_("cannot use the build cache {folder} ({reason}); building without it "
                     "(the site is complete, only slower to build). Delete the folder or make it writable",
                     folder=folder, reason=reason))


def no_content(root) -> str:
    return _("no content/ folder in {root}; run sitegen in a site folder or pass --root", root=str(root))


def unsafe_out(out) -> str:
    return _("--out {out} holds the site's own files (content/, theme/ or .git), and a build "
             "removes every file it did not make there; pick a separate folder such as public", out=str(out))


def build_summary(*, tasks, places, pages, feeds, records, written, removed, out, seconds) -> str:
    return _("built {tasks} tasks, {places} places, {pages} pages, {feeds} feeds, "
             "{records} search records in {seconds:.2f} s ({written} files written, {removed} removed, in {out})",
             tasks=tasks, places=places, pages=pages, feeds=feeds, records=records, seconds=seconds,
             written=written, removed=removed, out=str(out))


def check_ok(tasks: int, places: int) -> str:
    return _("ok: {tasks} tasks and {places} places, no problems", tasks=tasks, places=places)


def new_file(path: str) -> str:
    return _("wrote {path}; edit it, then run 'sitegen check'", path=path)


NEW_REFUSED = _("nothing was written: change the values above and run 'sitegen new' again")

# The progress bar's stages (dev/progress.py).
READING = _("reading content")
RENDERING_TASKS = _("rendering task pages, feeds and posters")
RENDERING_SITE = _("rendering lists and feeds, indexing for search")
WRITING = _("writing files")


# -- serve ------------------------------------------------------------------
def port_not_allowed(host: str, port: int) -> str:
    return _("cannot serve on {host}:{port}: this user may not use that port (below 1024 needs "
             "root); pick another with --port 8000", host=host, port=port)


def port_in_use(host: str, port: int) -> str:
    return _("cannot serve on {host}:{port}: the port is in use (another 'sitegen serve'?); "
             "stop that one or pick another port with --port {next}", host=host, port=port, next=port + 1)


def serving(url: str) -> str:
    return _("serving {url} — watching content/ and theme/; press Ctrl-C to stop", url=url)


def rebuilt(written: int, seconds: float) -> str:
    return N_("rebuilt: {n} file changed in {seconds:.2f} s", "rebuilt: {n} files changed in {seconds:.2f} s",
              written, seconds=seconds)


def showing_last_good_build(count: int) -> str:
    return _("{failed} — showing the last good build", failed=build_failed(count))


SERVE_STOPPED = _("stopped")


def serving_editor(url: str) -> str:
    return _("web editor: {url} — saves go straight into content/; commit them as usual", url=url)


HOST_REFUSED = _("this preview answers only requests for this computer (localhost, 127.0.0.1 or the "
                 "address given with --host), not for another site's name: open it as http://localhost:PORT/")

# -- the local web editor (local_editor.py; Decap shows these in the browser) ------------
EDITOR_BAD_REQUEST = _("the web editor sent a request this version of sitegen does not understand")
EDITOR_FORBIDDEN = _("the local web editor answers only this computer's browser, on "
                     "http://127.0.0.1 or http://localhost with the port sitegen serve printed")
EDITOR_NO_MEDIA = _("the local web editor does not upload photos: copy the photo into "
                    "content/images/ yourself and type its name, e.g. images/soep.jpg")


def editor_refused_path(path: str) -> str:
    return _("the local web editor only reads and writes .md files in content/tasks/ and "
             "content/places/ (named with lowercase letters, digits and hyphens), not '{path}'", path=path)


def editor_too_big(path: str) -> str:
    return _("'{path}' is larger than 1 MB; a task or place file is only a few kB", path=path)


def editor_unknown_action(action: str) -> str:
    return _("the local web editor cannot do '{action}'", action=action[:40])


def editor_wrote(path: str) -> str:
    return _("web editor saved {path}", path=path)


def editor_deleted(path: str) -> str:
    return _("web editor deleted {path}", path=path)

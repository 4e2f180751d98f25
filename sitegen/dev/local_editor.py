"""The web editor on a laptop: Decap's local back end (its `local_fs` API) inside `sitegen serve`.

Decap CMS, opened at http://127.0.0.1:PORT/admin/, finds this API through the
`local_backend` that serve adds to /admin/config.yml, and then reads and writes
files straight in content/ (no login, no git: the coordinator commits as usual).
It does what the `decap-server` npm package does for `local_fs`, without Node,
and less: only Markdown files directly in content/tasks/ and content/places/
can be read, written or deleted; a symlink, `..`, an absolute path or any other
file is refused, and pictures are not uploaded (see the README). serve answers
it only on a loopback address, for a loopback Host, from its own origin.
"""

from __future__ import annotations

import hashlib
import ipaddress
import os
from pathlib import Path, PurePosixPath

from .. import messages
from ..load.fields import SLUG_RE

API_PATH = "/__sitegen/editor/api/v1"
FOLDERS = ("content/tasks", "content/places")
MAX_REQUEST = 4 * 1024 * 1024  # bytes of one request: a task file is a few kB
MAX_FILE = 1024 * 1024  # bytes of one content file written through the editor


class Refused(Exception):
    """A request the local editor does not do; the message says why."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status


def local_backend_yaml(origin: str) -> bytes:
    """The lines serve adds to /admin/config.yml: where Decap finds this API."""
    return (f"\n# Added by sitegen serve: the editor saves straight into content/ on this computer.\n"
            f"local_backend:\n  url: {origin}{API_PATH}\n").encode("utf-8")


def allowed_request(client: str, host: str | None, origin: str | None, port: int,
                    post: bool = False) -> bool:
    """Whether a request comes from this computer's browser, on a page of this server.

    The client address must be loopback (serve may listen on every address with --host),
    the Host one of this server's loopback names (no DNS rebinding), and for a POST the
    Origin this server (no other website's page can post to it).
    """
    try:
        if not ipaddress.ip_address(client.split("%", 1)[0]).is_loopback:
            return False
    except ValueError:
        return False
    hosts = {f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}"}
    if host not in hosts:
        return False
    if post:
        return origin == f"http://{host}"
    return origin is None or origin == f"http://{host}"


def handle(root: Path, request: object, log=None) -> object:
    """Answer one API request (Decap's JSON body); raise Refused for what is not allowed."""
    if not isinstance(request, dict) or not isinstance(request.get("action"), str):
        raise Refused(messages.EDITOR_BAD_REQUEST, 400)
    action, params = request["action"], request.get("params") or {}
    if not isinstance(params, dict):
        raise Refused(messages.EDITOR_BAD_REQUEST, 400)
    if action == "info":
        return {"repo": root.resolve().name, "publish_modes": ["simple"], "type": "local_fs"}
    if action == "entriesByFolder":
        return _entries_in(root, params.get("folder"), params.get("extension"))
    if action == "entriesByFiles":
        files = params.get("files")
        if not isinstance(files, list):
            raise Refused(messages.EDITOR_BAD_REQUEST, 400)
        return [_entry(root, f.get("path") if isinstance(f, dict) else f) for f in files]
    if action == "getEntry":
        return _entry(root, params.get("path"))
    if action == "persistEntry":
        return _persist(root, params, log)
    if action in ("deleteFile", "deleteFiles"):
        paths = params.get("paths") if action == "deleteFiles" else [params.get("path")]
        if not isinstance(paths, list):
            raise Refused(messages.EDITOR_BAD_REQUEST, 400)
        targets = [confined(root, path, write=True) for path in paths]  # all checked, then deleted
        for path, target in zip(paths, targets):
            if target.exists():
                target.unlink()
                if log:
                    log(messages.editor_deleted(path))
        return {"message": "deleted"}
    if action == "getMedia":
        return []  # pictures are not read or written here: see the module's docstring
    if action in ("getMediaFile", "persistMedia"):
        raise Refused(messages.EDITOR_NO_MEDIA)
    if action == "getDeployPreview":
        return None
    raise Refused(messages.editor_unknown_action(action), 422)


def confined(root: Path, path: object, write: bool = False) -> Path:
    """The file a request names, if it is a Markdown file directly in content/tasks or content/places.

    Refused: anything not text, absolute paths, `..`, backslashes, other folders and
    suffixes, hidden files, symlinks (of the file or its folders), and for writing a
    file name that is not a slug (the loader would refuse it).
    """
    if not isinstance(path, str) or not path or len(path) > 300 or any(c in path for c in "\\\x00"):
        raise Refused(messages.editor_refused_path(str(path)[:80]))
    pure = PurePosixPath(path)
    if (pure.is_absolute() or ".." in pure.parts or pure.as_posix() != path
            or str(pure.parent) not in FOLDERS or pure.suffix != ".md" or pure.name.startswith(".")
            or (write and not SLUG_RE.fullmatch(pure.stem))):
        raise Refused(messages.editor_refused_path(path))
    content, folder = root / "content", root / pure.parent
    if content.is_symlink() or folder.is_symlink() or not folder.is_dir():
        raise Refused(messages.editor_refused_path(path))
    if folder.resolve() != root.resolve() / pure.parent:
        raise Refused(messages.editor_refused_path(path))
    target = folder / pure.name
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise Refused(messages.editor_refused_path(path))
    return target


def _entries_in(root: Path, folder: object, extension: object) -> list[dict]:
    if folder not in FOLDERS or extension not in ("md", ".md", None):
        raise Refused(messages.editor_refused_path(str(folder)))
    directory = root / str(folder)
    if not directory.is_dir() or directory.is_symlink():
        return []
    names = sorted(entry.name for entry in os.scandir(directory)
                   if entry.name.endswith(".md") and not entry.name.startswith(".")
                   and entry.is_file(follow_symlinks=False))
    return [_entry(root, f"{folder}/{name}") for name in names]


def _entry(root: Path, path: object) -> dict:
    target = confined(root, path)
    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
    except FileNotFoundError:
        return {"data": None, "file": {"path": path, "id": None}}
    except OSError:
        raise Refused(messages.editor_refused_path(str(path))) from None
    with os.fdopen(fd, "rb") as file:
        data = file.read(MAX_FILE + 1)
    if len(data) > MAX_FILE:
        raise Refused(messages.editor_too_big(str(path)), 413)
    return {"data": data.decode("utf-8", errors="replace"),
            "file": {"path": path, "id": hashlib.sha256(data).hexdigest()}}


def _persist(root: Path, params: dict, log) -> dict:
    entry = params.get("entry")
    files = params.get("dataFiles") or ([entry] if entry else [])
    if params.get("assets"):
        raise Refused(messages.EDITOR_NO_MEDIA)
    if not files or not all(isinstance(f, dict) and isinstance(f.get("raw"), str) for f in files):
        raise Refused(messages.EDITOR_BAD_REQUEST, 400)
    # Every path checked before anything is written.
    plans = []
    for data_file in files:
        target = confined(root, data_file.get("path"), write=True)
        moved = confined(root, data_file["newPath"], write=True) if data_file.get("newPath") else None
        raw = data_file["raw"].encode("utf-8")
        if len(raw) > MAX_FILE:
            raise Refused(messages.editor_too_big(data_file["path"]), 413)
        plans.append((data_file, target, moved, raw))
    for data_file, target, moved, raw in plans:
        _write(target, raw)
        if moved is not None:
            os.replace(target, moved)
        if log:
            log(messages.editor_wrote(data_file.get("newPath") or data_file["path"]))
    return {"message": "entry persisted"}


def _write(target: Path, data: bytes) -> None:
    """Write beside the file, then rename: the watcher never reads half a file."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.sitegen-tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o644)
    try:
        with os.fdopen(fd, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise

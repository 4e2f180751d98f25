"""`sitegen serve`: build, serve, rebuild on change, reload open tabs.

The built files stay exactly as `build` writes them: the reload script and the
error banner are added to HTML responses by this server only. A failed rebuild
leaves public/ as it was (the build promise), so the last good site keeps being
served, with the problems shown on top of every page until they are fixed.

An edit to a task or two is shown first: its own page is rendered from the last
good model and served from memory while the full build runs (like Hugo's fast
render); each reload message names the pages that changed, so a tab reloads
only when its own page did.
"""

from __future__ import annotations

import errno
import json
import queue
import signal
import sys
import threading
import time
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .. import messages, urls
from ..arguments import site_language
from ..build import BuildOptions, BuildResult, build
from ..engine import CACHE_DIR, Engine
from ..i18n import DEFAULT_LANGUAGE, say
from ..load.content import LoadOptions, load_task_file
from ..problems import BuildError, BuildFailed
from ..render.pages import task_page
from ..render.templates import Templates
from ..shortlinks import redirects
from ..theme import Theme
from . import local_editor
from .hosts import allowed_hosts, host_allowed
from .overlay import BANNER_CSS, RELOAD_JS, decorate
from .state import ServeState, changed_pages, url_of
from .watch import Watcher, next_burst

__all__ = ["serve", "ServeState", "changed_pages", "url_of", "allowed_hosts", "host_allowed",
           "RELOAD_JS", "BANNER_CSS"]

PREFIX = "/__sitegen/"
_HEARTBEAT_SECONDS = 15
PREVIEW_AT_MOST = 3  # edited tasks shown before the full build; more is a bulk change



def serve(options: BuildOptions, host: str = "127.0.0.1", port: int = 8000, log=print,
          language: str = DEFAULT_LANGUAGE, follow_site: bool = False) -> int:
    """Build, serve and watch until Ctrl-C; return the exit status.

    Everything it says (to `log`, in the banner and to the browser) is in `language`;
    with `follow_site` (no `--lang`), in site.yml's language as each rebuild finds it.
    """
    state = ServeState(options.out_dir, options.root, log=log, language=language)
    log = state.tell
    options.out_dir.mkdir(parents=True, exist_ok=True)
    try:
        server = _Server((host, port), partial(_Handler, state, hosts=allowed_hosts(host)))
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            log(messages.port_in_use(host, port), file=sys.stderr)
            return 1
        if error.errno == errno.EACCES:
            log(messages.port_not_allowed(host, port), file=sys.stderr)
            return 1
        raise
    server.daemon_threads = True  # open event streams must not keep Ctrl-C waiting
    rebuild = _Rebuilder(options, state, follow_site)
    # Builds run in this (the main) thread, one at a time: only there can a body's time limit
    # stop Markdown that takes too long (deadline.py). The watcher hands over each burst of saves.
    saved: queue.SimpleQueue[list[str]] = queue.SimpleQueue()
    # Watching starts first: a save during the first build (long for a big site) is rebuilt after it.
    watcher = Watcher([options.root / "content", options.root / "theme"], saved.put,
                      ignore=[options.out_dir, options.root / CACHE_DIR])
    watcher.start()
    rebuild([])
    log(messages.serving(f"http://{host}:{server.server_address[1]}/"))
    log(messages.serving_editor(f"http://127.0.0.1:{server.server_address[1]}{urls.route('admin').url}"))
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops it like Ctrl-C: cache saved, exit 0
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2},
                     name="sitegen-server", daemon=True).start()
    try:
        while True:
            rebuild(next_burst(saved))
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        server.shutdown()
        server.server_close()
    log(messages.SERVE_STOPPED)
    return 0


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


class _Rebuilder:
    """Builds each burst of saves serve's main thread hands it, one at a time; problems kept for the banner.

    The engine's store stays in memory between rebuilds (each build also saves it to
    disk). A rebuild shows the edited task's page first, then builds the whole site.
    """

    def __init__(self, options: BuildOptions, state: ServeState, follow_site: bool = False):
        self.options, self.state, self.log = options, state, state.tell
        self.follow_site = follow_site  # say things in site.yml's language as it is now
        self.lock = threading.Lock()
        self.store = Engine(options.root, cache=options.cache).store
        self.good = None  # the last build's SiteModel when it succeeded: previews start from it
        self.templates: Templates | None = None  # the good model's, made after it for the next preview
        self.manifest: dict | None = None  # the output files the last good build left

    def __call__(self, changed: list[str]) -> None:
        self.state.busy(True)
        try:
            self._preview(changed)
            self._build()
        finally:
            self.state.busy(False)

    def _preview(self, changed: list[str]) -> None:
        """Serve the edited tasks' own pages at once, rendered from the last good model.

        Only for an edit of a few existing task files after a good build; on any
        doubt (a problem, a draft, a deleted file, an error) nothing is previewed
        and the full build right after reports what it finds, as always.
        """
        model = self.good
        if model is None or not changed or len(changed) > PREVIEW_AT_MOST:
            return
        try:
            tasks = (self.options.root / "content/tasks").resolve()
            files = [Path(path).resolve() for path in changed]
            if any(f.parent != tasks or f.suffix != ".md" or f.name.startswith(".") or not f.is_file()
                   for f in files):
                return
            theme = Theme.for_site(self.options.root)
            load_options = LoadOptions(self.options.root, theme.dirs, self.options.drafts,
                                       self.options.base_url)
            views = []
            for file in files:
                view, problems = load_task_file(load_options, model, str(file))
                if view is None or problems:
                    return
                views.append(view)
            templates = self.templates or self._templates(model)
            if templates is None:
                return
            # A task's page shows that task only: the other tasks' order does not change it.
            rendered = {urls.route(view).path: task_page(templates, view) for view in views}
        except Exception:
            return  # the full build runs next and says what is wrong
        self.state.previewed(rendered)

    def _build(self) -> None:
        with self.lock:
            started = time.perf_counter()
            if self.follow_site:
                self.state.language = site_language(self.options.root) or DEFAULT_LANGUAGE
            try:
                engine = Engine(self.options.root, cache=self.options.cache, store=self.store)
                result: BuildResult = build(self.options, engine)
            except BuildFailed as failure:
                lines = [p.said(self.state.language) for p in failure.problems]
                for line in lines:
                    self.log(line, file=sys.stderr)
                self.log(messages.build_failed(len(lines)), file=sys.stderr)
                self._failed(lines)
                return
            except BuildError as error:  # e.g. public/ not writable: said in one line, like a problem
                lines = [say(messages.error(error.said(self.state.language)), self.state.language)]
                self.log(lines[0], file=sys.stderr)
                self._failed(lines)
                return
            except Exception as error:  # a bug must not kill the server; show it like a problem
                lines = [say(messages.internal_error(type(error).__name__, str(error)), self.state.language)]
                self.log(lines[0], file=sys.stderr)
                self._failed(lines)
                return
            for note in result.notes:
                self.log(note, file=sys.stderr)
            before, self.good, self.templates = self.manifest, result.model, None
            self.manifest = dict(result.report.files) if result.report else None
            with self.state.changed:
                previewed, recovered = dict(self.state.overlay), bool(self.state.problems)
            paths = None
            if before is not None and self.manifest is not None and not recovered:
                paths = changed_pages(before, self.manifest, previewed)
            self.state.finished([], paths)
            self.log(messages.rebuilt(result.report.written if result.report else 0,
                                      time.perf_counter() - started))
            # Made now, between edits, for the next edit's preview (from compiled templates).
            self.templates = self._templates(result.model, engine.bytecode)

    def _templates(self, model, bytecode=None) -> Templates | None:
        try:
            templates = Templates(Theme.for_site(self.options.root), model.site, model.places, bytecode)
            templates.env.get_template("task.html")  # compiled (or read compiled) before it is needed
        except Exception:
            return None  # a theme mistake: the preview is skipped, the build reports it
        return templates

    def _failed(self, lines: list[str]) -> None:
        """After a failed build: no previews until a good one; every tab reloads to show the banner."""
        self.good = None
        self.state.finished(lines)


class _Server(ThreadingHTTPServer):
    # A browser opening a page fetches its CSS, scripts, pictograms and search files at
    # once; the socket module's default backlog of 5 refused connections under 200 at a
    # time (retried a second or more later). The kernel caps it at net.core.somaxconn.
    request_queue_size = 1024


class _Handler(SimpleHTTPRequestHandler):
    """Serves public/, adding the reload script and the problems banner to HTML."""

    def __init__(self, state: ServeState, *args, hosts: frozenset[str] = frozenset(), **kwargs):
        self.state = state
        self.hosts = hosts or allowed_hosts("127.0.0.1")
        super().__init__(*args, directory=str(state.out), **kwargs)

    def parse_request(self) -> bool:
        if not super().parse_request():
            return False
        if not host_allowed(self.headers.get("Host"), self.hosts):
            editor = self.command == "POST" and self.path == local_editor.API_PATH  # Decap reads JSON
            body = (json.dumps({"error": self._said(messages.EDITOR_FORBIDDEN)}).encode() if editor
                    else (self._said(messages.HOST_REFUSED) + "\n").encode("utf-8"))
            self.send_response(HTTPStatus.FORBIDDEN)
            self.send_header("Content-Type", "application/json" if editor else "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            return False
        return True

    def log_message(self, format, *args) -> None:
        pass  # one line per request would drown the build messages

    def end_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == PREFIX + "reload.js":
            return self._send(RELOAD_JS, "text/javascript; charset=utf-8")
        if path == PREFIX + "serve.css":
            return self._send(BANNER_CSS, "text/css; charset=utf-8")
        if path == PREFIX + "events":
            return self._events()
        if path == PREFIX + "status":
            with self.state.changed:
                status = {"generation": self.state.generation, "building": self.state.building,
                          "problems": len(self.state.problems)}
            return self._send(json.dumps(status).encode(), "application/json")
        # The generation before the file is read: a page at most newer than it says (one reload more).
        if path == urls.route("admin-config").url:
            return self._editor_config()
        with self.state.changed:
            generation, problems = self.state.generation, list(self.state.problems)
            previewed = self.state.overlay.get(_output_path(path))
        if previewed is not None:
            return self._send(self._decorate(previewed, generation, problems), "text/html; charset=utf-8")
        file = self._file_for(path)
        if file is None and (target := self._redirect(path)) is not None:
            return self._send_redirect(*target)
        if file is None:
            missing = self.state.out / "404.html"
            body = missing.read_bytes() if missing.is_file() else b"<!doctype html><title>404</title>"
            return self._send(self._decorate(body, generation, problems), "text/html; charset=utf-8",
                              HTTPStatus.NOT_FOUND)
        if file.suffix == ".html":
            return self._send(self._decorate(file.read_bytes(), generation, problems),
                              "text/html; charset=utf-8")
        return super().do_GET()

    def _from_this_computer(self, post: bool = False) -> bool:
        return local_editor.allowed_request(self.client_address[0], self.headers.get("Host"),
                                            self.headers.get("Origin"), self.server.server_address[1],
                                            post=post)

    def _editor_config(self) -> None:
        """The built config.yml; for this computer's browser, with serve's local back end added."""
        file = self.state.out / urls.route("admin-config").path
        if not file.is_file():
            return self._send(b"not found", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
        body = file.read_bytes()
        if self._from_this_computer():
            body += local_editor.local_backend_yaml(f"http://{self.headers['Host']}")
        return self._send(body, "text/yaml; charset=utf-8")

    def do_POST(self) -> None:
        """The local web editor's API (local_editor.py); nothing else accepts a POST."""
        if self.path != local_editor.API_PATH:
            return self._send(b"not found", "text/plain; charset=utf-8", HTTPStatus.NOT_FOUND)
        if not self._from_this_computer(post=True):
            return self._json({"error": self._said(messages.EDITOR_FORBIDDEN)}, HTTPStatus.FORBIDDEN)
        length = self.headers.get("Content-Length", "")
        kind = self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()
        if kind != "application/json" or not length.isdigit():
            return self._json({"error": self._said(messages.EDITOR_BAD_REQUEST)}, HTTPStatus.BAD_REQUEST)
        if int(length) > local_editor.MAX_REQUEST:
            return self._json({"error": self._said(messages.EDITOR_BAD_REQUEST)}, HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        try:
            request = json.loads(self.rfile.read(int(length)))
            answer = local_editor.handle(self.state.root, request, log=self.state.tell)
        except local_editor.Refused as refused:
            return self._json({"error": self._said(refused.args[0])}, refused.status)
        except ValueError:  # not JSON, or not UTF-8
            return self._json({"error": self._said(messages.EDITOR_BAD_REQUEST)}, HTTPStatus.BAD_REQUEST)
        except OSError as error:
            return self._json({"error": self._said(messages.unreadable(error.strerror or str(error)))},
                              HTTPStatus.INTERNAL_SERVER_ERROR)
        return self._json(answer)

    def _json(self, value, status=HTTPStatus.OK) -> None:
        self._send(json.dumps(value).encode("utf-8"), "application/json; charset=utf-8", status)

    def _said(self, text: str) -> str:
        return say(text, self.state.language)

    def _decorate(self, body: bytes, generation: int, problems: list[str]) -> bytes:
        return decorate(body, generation, problems, self.state.language)
    def _redirect(self, url_path: str) -> tuple[str, int] | None:
        """A rule of the built `_redirects` (the short links /t/<code>), as Netlify applies it:
        only where no file is (its rules do not shadow files)."""
        try:
            text = (self.state.out / urls.route("redirects").path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return redirects(text).get(unquote(url_path))

    def _send_redirect(self, location: str, status: int) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _file_for(self, url_path: str) -> Path | None:
        translated = Path(self.translate_path(url_path))
        if translated.is_dir():
            if not url_path.endswith("/"):
                return translated  # SimpleHTTPRequestHandler redirects to the slash form
            translated = translated / "index.html"
        return translated if translated.is_file() else None

    def _send(self, body: bytes, content_type: str, status=HTTPStatus.OK) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: after every change, the generation and the pages changed since `since`."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        since = parse_qs(urlsplit(self.path).query).get("since", [""])[0]
        sent = int(since) if since.isdigit() else None  # None: the first message only says where we are
        try:
            while True:
                with self.state.changed:
                    if sent == self.state.generation:
                        self.state.changed.wait(_HEARTBEAT_SECONDS)
                    generation = self.state.generation
                    paths = self.state.changed_since(sent)
                if generation != sent:
                    message = json.dumps({"generation": generation, "paths": paths})
                    self.wfile.write(f"data: {message}\n\n".encode())
                    sent = generation
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def _output_path(url_path: str) -> str:
    """The output file a URL path names: `/x/` → `x/index.html`."""
    relative = unquote(url_path).lstrip("/")
    return relative + "index.html" if relative == "" or relative.endswith("/") else relative

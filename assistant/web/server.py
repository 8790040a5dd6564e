"""A small web server for the demonstration pages and the widget's files.

The pages point the widget at the Rasa server on the host the browser used for the
page (localhost or 127.0.0.1), so that the page's origin is one the Rasa server's
CORS settings allow.
"""

from __future__ import annotations

import argparse
import html
import re
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

WEB_DIR = Path(__file__).resolve().parent
STATIC_DIR = WEB_DIR / "static"
PAGES_DIR = WEB_DIR / "pages"
DEMO_PAGES = ("paris-cite", "lille")
HEALTH_PATH = "/health"
HOSTNAME = re.compile(r"^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])$")
CONTENT_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}


def demo_page_urls(base_url: str) -> dict[str, str]:
    """The demonstration page of each school under `base_url` ("http://localhost:8080")."""
    return {school: f"{base_url.rstrip('/')}/{school}/" for school in DEMO_PAGES}


def request_hostname(host_header: str | None) -> str:
    """The host name the browser used for the page, or "localhost" when the Host header is missing or odd."""
    if not host_header:
        return "localhost"
    hostname = host_header.rsplit(":", 1)[0] if not host_header.endswith("]") else host_header
    return hostname if HOSTNAME.match(hostname) else "localhost"


def render_page(name: str, rasa_server: str) -> bytes:
    """A demonstration page with the widget pointed at `rasa_server`."""
    template = Template((PAGES_DIR / f"{name}.html").read_text(encoding="utf-8"))
    return template.substitute(server=html.escape(rasa_server, quote=True)).encode("utf-8")


class DemoHandler(BaseHTTPRequestHandler):
    """Serves /, /paris-cite/, /lille/, /widget/widget.js, /widget/widget.css, /pages/demo.css and /health."""

    rasa_port: int = 5005
    server_version = "DemoPages"

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == HEALTH_PATH:
            self.reply(HTTPStatus.OK, b"ok\n", "text/plain; charset=utf-8")
        elif path == "/":
            self.reply(HTTPStatus.OK, (PAGES_DIR / "index.html").read_bytes(), "text/html; charset=utf-8")
        elif path.strip("/") in DEMO_PAGES:
            if not path.endswith("/"):
                self.redirect(path + "/")
                return
            rasa_server = f"http://{request_hostname(self.headers.get('Host'))}:{self.rasa_port}"
            self.reply(HTTPStatus.OK, render_page(path.strip("/"), rasa_server), "text/html; charset=utf-8")
        elif path in ("/widget/widget.js", "/widget/widget.css"):
            file = STATIC_DIR / path.rsplit("/", 1)[1]
            self.reply(HTTPStatus.OK, file.read_bytes(), CONTENT_TYPES[file.suffix])
        elif path == "/pages/demo.css":
            self.reply(HTTPStatus.OK, (PAGES_DIR / "demo.css").read_bytes(), CONTENT_TYPES[".css"])
        else:
            self.reply(
                HTTPStatus.NOT_FOUND,
                b"Not found. The demonstration pages are /paris-cite/ and /lille/.\n",
                "text/plain; charset=utf-8",
            )

    def reply(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.MOVED_PERMANENTLY)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()


def serve(port: int, rasa_port: int) -> None:
    """Serve the demonstration pages on `port` until interrupted."""
    handler = type("ConfiguredDemoHandler", (DemoHandler,), {"rasa_port": rasa_port})
    with ThreadingHTTPServer(("0.0.0.0", port), handler) as server:
        print(f"Demonstration pages on http://localhost:{port}/ (widget talks to port {rasa_port})", flush=True)
        server.serve_forever()


def main(argv: list[str] | None = None) -> None:
    """Command line: python -m assistant.web --port 8080 --rasa-port 5005."""
    parser = argparse.ArgumentParser(prog="python -m assistant.web", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True, help="port of the demonstration pages")
    parser.add_argument("--rasa-port", type=int, required=True, help="port of the Rasa server the widget talks to")
    arguments = parser.parse_args(argv)
    try:
        serve(arguments.port, arguments.rasa_port)
    except KeyboardInterrupt:
        pass
    except OSError as error:
        parser.exit(1, f"Cannot serve the demonstration pages on port {arguments.port}: {error.strerror or error}\n")

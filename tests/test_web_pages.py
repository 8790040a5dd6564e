"""The demo pages server: each school's page points the widget at the Rasa server, and odd requests get plain answers."""
from __future__ import annotations

import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest

from assistant.web.server import DemoHandler, demo_page_urls, request_hostname
from tests.conftest import free_port

RASA_PORT = 5999


@pytest.fixture(scope="module")
def pages_url() -> Iterator[str]:
    handler = type("TestDemoHandler", (DemoHandler,), {"rasa_port": RASA_PORT, "log_message": lambda *_: None})
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def get(url: str, host: str | None = None) -> tuple[int, str, str]:
    request = urllib.request.Request(url, headers={"Host": host} if host else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.mark.parametrize(
    ("page_name", "school", "language"), [("paris-cite", "upc-medicine", "fr"), ("lille", "lille-medicine", "en")]
)
def test_each_school_page_embeds_the_widget_in_its_language(
    pages_url: str, page_name: str, school: str, language: str
) -> None:
    """The widget is given the database's id of the page's school, the one the server keeps."""
    status, content_type, page = get(demo_page_urls(pages_url)[page_name])
    assert status == 200 and content_type.startswith("text/html")
    assert f'<html lang="{language}">' in page
    assert page.count("<script") == 1
    assert f'data-server="http://127.0.0.1:{RASA_PORT}"' in page
    assert f'data-school="{school}"' in page and f'data-language="{language}"' in page


def test_the_widget_files_and_health_are_served(pages_url: str) -> None:
    assert get(f"{pages_url}/widget/widget.js")[:2] == (200, "text/javascript; charset=utf-8")
    assert get(f"{pages_url}/widget/widget.css")[:2] == (200, "text/css; charset=utf-8")
    assert get(f"{pages_url}/health")[0] == 200


def test_an_unknown_path_gets_a_plain_not_found(pages_url: str) -> None:
    status, _, body = get(f"{pages_url}/../../etc/passwd")
    assert status == 404
    assert "/paris-cite/" in body


def test_a_forged_host_header_cannot_inject_markup(pages_url: str) -> None:
    _, _, page = get(f"{pages_url}/lille/", host='evil"><script>alert(1)</script>')
    assert "alert(1)" not in page
    assert f'data-server="http://localhost:{RASA_PORT}"' in page


@pytest.mark.parametrize(
    ("host", "expected"),
    [("127.0.0.1:8080", "127.0.0.1"), ("localhost", "localhost"), ("[::1]:8080", "[::1]"), ("a b", "localhost"), (None, "localhost")],
)
def test_the_widget_talks_to_the_host_the_page_came_from(host: str | None, expected: str) -> None:
    assert request_hostname(host) == expected

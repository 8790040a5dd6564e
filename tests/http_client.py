"""Raw HTTP requests to the real servers from a chosen loopback address (127.0.0.0/8 is all this machine's).

A test plays several clients at once: each address is another client for the server's per-address limit.
"""
from __future__ import annotations

import http.client
import json
import socket
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    headers: dict[str, str]
    seconds: float

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    base_url: str,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    source: str = "127.0.0.1",
    timeout: float = 60.0,
) -> Reply:
    """One request on a new connection from `source`, which the server closes after its answer (so that the
    client's port is not held in TIME_WAIT); a dropped connection raises (http.client's errors)."""
    url = urlsplit(base_url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout, source_address=(source, 0))
    started = time.monotonic()
    try:
        connection.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
        response = connection.getresponse()
        data = response.read()
        return Reply(response.status, data, {k.lower(): v for k, v in response.getheaders()}, time.monotonic() - started)
    finally:
        connection.close()


def post_json(base_url: str, path: str, body: Any, source: str = "127.0.0.1", timeout: float = 60.0) -> Reply:
    return request(base_url, "POST", path, json.dumps(body).encode(), {"Content-Type": "application/json"}, source,
                   timeout)


def ask(base_url: str, sender: str, message: str, source: str, metadata: dict | None = None) -> Reply:
    body: dict[str, Any] = {"sender": sender, "message": message}
    if metadata is not None:
        body["metadata"] = metadata
    return post_json(base_url, "/webhooks/rest/webhook", body, source)


def announce_oversized_body(base_url: str, path: str, announced: int, sent: bytes, source: str = "127.0.0.1") -> bytes:
    """Announce a body of `announced` bytes, send only `sent`, and read what the server answers at once."""
    url = urlsplit(base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10, source_address=(source, 0)) as connection:
        head = (f"POST {path} HTTP/1.1\r\nHost: {url.hostname}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {announced}\r\n\r\n").encode()
        connection.sendall(head + sent)
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(4096)
            if not chunk:
                break
            received += chunk
        return received

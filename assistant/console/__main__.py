"""`python -m assistant.console --port PORT`: serve the staff console (what `assistant run` starts)."""

from __future__ import annotations

import argparse

from werkzeug.serving import make_server

from assistant.config import get_settings
from assistant.console.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description="The staff console.")
    parser.add_argument("--port", type=int, default=get_settings().staff_port)
    parser.add_argument("--host", default="127.0.0.1")
    arguments = parser.parse_args()
    server = make_server(arguments.host, arguments.port, create_app(get_settings()), threaded=True)
    server.serve_forever()


if __name__ == "__main__":
    main()

"""The Rasa SDK action server (`python -m assistant.server.action_server --actions actions --port 5055`, the
arguments of `python -m rasa_sdk`), which reads the knowledge before it answers its health check, so that a new
replica's first students do not wait for it. When the database is down, it starts all the same and reads the
knowledge at its first answer.
"""

from __future__ import annotations

from rasa_sdk.__main__ import main_from_args
from rasa_sdk.endpoint import create_argument_parser


def main() -> None:
    """Read the knowledge the actions use, then run the Rasa SDK action server."""
    args = create_argument_parser().parse_args()
    from actions.base import read_knowledge

    read_knowledge()
    main_from_args(args)


if __name__ == "__main__":
    main()

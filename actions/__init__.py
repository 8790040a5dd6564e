"""The assistant's custom actions, run by the Rasa SDK action server (assistant/server/action_server.py).

Importing them reads the wording files: the action server refuses to start, saying which file and line,
when they have an error, rather than failing in the middle of a conversation.
"""

import logging

from actions.base import wording
from assistant.wording import WordingError

try:
    wording.current()
except WordingError as error:
    logging.getLogger(__name__).error(
        "The wording files (%s) have %d error(s); the action server does not start until they are fixed:\n%s",
        wording.folder,
        len(error.problems),
        "\n".join(f"  {problem}" for problem in error.problems),
    )
    raise SystemExit(1) from None

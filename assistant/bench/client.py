"""One message to the running assistant's REST channel, as a web page sends it."""

from __future__ import annotations

import json
import urllib.request
import uuid


def ask_text(rasa_url: str, message: str, metadata: dict[str, str], sender: str | None = None) -> str:
    """The texts of the bot's replies, one per line (a new conversation unless `sender` is given)."""
    body = {"sender": sender or f"bench-{uuid.uuid4().hex}", "message": message, "metadata": metadata}
    request = urllib.request.Request(
        f"{rasa_url}/webhooks/rest/webhook",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        replies = json.loads(response.read())
    return "\n".join(str(reply.get("text") or "") for reply in replies if isinstance(reply, dict))

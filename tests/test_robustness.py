"""Bad input through the real servers: always a sensible reply or a clear error, never a 500 or silence."""
from __future__ import annotations

import json
import os
import signal
import time
import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.servers

CONTACTS = ("mobilite.international.medecine@u-paris.fr", "ri-sante@univ-lille.fr")


@pytest.mark.parametrize(
    "message",
    [
        "",
        "   \n\t ",
        "partners in Spain? " * 263,  # about 5,000 characters
        "🎓🇪🇸❓",
        "<script>alert('x')</script><img src=x onerror=alert(1)>",
        "'; DROP TABLE partners; --",
        "' OR 1=1 --",
        "/restart",
        "/session_start",
        '/ask_partners{"country": "zz"}',
        '/ask_partners{"country": "\' OR 1=1 --"}',
        "/nonexistent_intent{}",
        "\u202e\u200b\ufeffZ̸̢͓a̷l̴g̵o̶",
    ],
)
def test_every_message_gets_a_reply(assistant_servers, message: str) -> None:
    replies = assistant_servers.ask(message)
    assert replies, "the student must never be left without a reply"
    assert all(reply.get("text") or reply.get("buttons") for reply in replies)


def test_injected_entities_never_list_unrelated_partners(assistant_servers) -> None:
    answer = assistant_servers.ask_text('/ask_partners{"country": "zz"}')
    assert "Universidad" not in answer


def post(assistant_servers, body: bytes) -> int:
    request = urllib.request.Request(
        f"{assistant_servers.rasa_url}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[]", json.dumps({"message": "hi"}).encode(), json.dumps({"sender": "", "message": "hi"}).encode()],
)
def test_malformed_requests_get_a_clear_400(assistant_servers, body: bytes) -> None:
    assert post(assistant_servers, body) == 400


def test_action_server_down_gives_an_apology_with_contacts_then_recovers(assistant_servers) -> None:
    action_server = assistant_servers.services.services[0]
    action_server.stop()
    try:
        answer = assistant_servers.ask_text("Which partner universities do you have in Spain?")
        assert "Sorry" in answer
        for contact in CONTACTS:
            assert contact in answer
        answer = assistant_servers.ask_text("Quelles universités partenaires en Espagne ?", metadata={"language": "fr"})
        assert "Désolé" in answer
    finally:
        assistant_servers.services.restart(action_server)
    assert "Universidad de Cádiz" in assistant_servers.ask_text("Which partner universities do you have in Spain?")


def test_a_hung_action_server_gives_the_apology_within_5_seconds_then_recovers(assistant_servers) -> None:
    """Stopped, not dead (SIGSTOP): the connection is accepted and nothing answers; Rasa waited 5 minutes."""
    action_server = assistant_servers.services.services[0]
    os.killpg(action_server.process.pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        answer = assistant_servers.ask_text("Which partner universities do you have in Spain?")
        waited = time.monotonic() - started
    finally:
        os.killpg(action_server.process.pid, signal.SIGCONT)
    assert "Sorry" in answer and all(contact in answer for contact in CONTACTS)
    assert waited < 5, f"the apology came after {waited:.1f} s"
    assert "Universidad de Cádiz" in assistant_servers.ask_text("Which partner universities do you have in Spain?")

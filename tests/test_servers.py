"""The real servers: start-up health and one question answered end to end from the database."""
from __future__ import annotations

import urllib.error
import urllib.request

import pytest

pytestmark = pytest.mark.servers


def test_both_servers_answer_their_health_checks(assistant_servers) -> None:
    for service in assistant_servers.services.services:
        assert service.exited() is None, service.log_tail()
        assert service.healthy(), f"{service.name} is not healthy"


def test_rasa_http_api_is_not_exposed(assistant_servers) -> None:
    """Without --enable-api, the model and tracker endpoints do not exist."""
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{assistant_servers.rasa_url}/status", timeout=10)
    assert refused.value.code in (403, 404)


def test_spanish_partners_are_listed_from_the_database(assistant_servers) -> None:
    answer = assistant_servers.ask_text("Which partner universities do you have in Spain?")
    for partner in ("Universidad de Cádiz", "Universidad Francisco de Vitoria", "Universidad Complutense de Madrid"):
        assert partner in answer
    assert "Spain" in answer
    assert "2025-2026" in answer, "the answer cites its source and period"


def test_the_same_question_in_french_is_answered_in_french(assistant_servers) -> None:
    answer = assistant_servers.ask_text("Quelles sont vos universités partenaires en Espagne ?")
    assert "Universidad de Cádiz" in answer
    assert "Espagne" in answer
    assert "partenaire" in answer


def test_school_named_by_the_page_limits_the_answer_to_that_school(assistant_servers) -> None:
    answer = assistant_servers.ask_text(
        "Which partner universities do you have in Spain?", metadata={"school": "lille-medicine", "language": "en"}
    )
    assert "Lille" in answer
    assert "Cádiz" not in answer, "Paris Cité's partners must not be given for Lille"


def test_socketio_channel_answers_its_handshake(assistant_servers) -> None:
    with urllib.request.urlopen(f"{assistant_servers.rasa_url}/socket.io/?EIO=4&transport=polling", timeout=10) as response:
        assert response.status == 200
        assert b'"sid"' in response.read()


@pytest.mark.parametrize("route", ["webhook", "feedback"])
@pytest.mark.parametrize(
    ("origin", "allowed"), [("site", True), ("https://evil.example", False), ("http://localhost:8080", False)]
)
def test_cors_only_for_the_configured_site(assistant_servers, origin: str, allowed: bool, route: str) -> None:
    """The fixture configures the demo pages' origin only (CORS_ORIGINS); no other origin is granted."""
    origin = assistant_servers.web_url if origin == "site" else origin
    request = urllib.request.Request(
        f"{assistant_servers.rasa_url}/webhooks/rest/{route}",
        method="OPTIONS",
        headers={"Origin": origin, "Access-Control-Request-Method": "POST"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            granted = response.headers.get("Access-Control-Allow-Origin")
    except urllib.error.HTTPError as error:
        granted = error.headers.get("Access-Control-Allow-Origin")
    assert (granted == origin) is allowed
    assert granted != "*"

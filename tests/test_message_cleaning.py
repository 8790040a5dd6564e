"""Messages are cleaned before they are understood: what the student meant, not how the page or keyboard wrote it."""

from __future__ import annotations

import pytest

from assistant.server.channels import neutralised
from assistant.text import clean_message


@pytest.mark.parametrize(
    ("typed", "understood"),
    [
        ("<b>fees</b> for the summer school?", "fees for the summer school?"),
        ("ｓｕｍｍｅｒ ｓｃｈｏｏｌ fees", "summer school fees"),
        ("partenaires en <i>Italie</i>&nbsp;?", "partenaires en Italie ?"),
        ("R&amp;D at Lille", "R&D at Lille"),
        ("is 3 < 5 years ok?", "is 3 < 5 years ok?"),
        ("caf\ud800é\x00 ok", "café ok"),
    ],
)
def test_a_message_is_read_as_the_student_meant_it(typed: str, understood: str) -> None:
    assert clean_message(typed) == understood


def test_an_intent_hidden_in_html_is_still_refused() -> None:
    assert not neutralised("<p>/restart</p>").startswith("/")
    assert neutralised('<b>/ask_fees{"programme": "x"}</b>') == '/ask_fees{"programme": "x"}'

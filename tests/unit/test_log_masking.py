"""Personal data never reaches the logs in clear."""

from __future__ import annotations

import io
import json

from merchantops.log import configure_logging, get_logger


def test_classified_keys_are_redacted_in_json_logs_wherever_they_sit() -> None:
    stream = io.StringIO()
    configure_logging(json=True, stream=stream)

    get_logger("test").info(
        "member.invited",
        email="ana@example.com",
        tenant="acme",
        invitee={"phone": "+1 555 0100", "full_name": "Ana Lima"},
    )

    line = json.loads(stream.getvalue())
    assert line["email"] == "[redacted]"
    assert line["invitee"] == {"phone": "[redacted]", "full_name": "[redacted]"}
    assert line["tenant"] == "acme"
    assert "ana@example.com" not in stream.getvalue()

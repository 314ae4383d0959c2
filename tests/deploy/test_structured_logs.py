"""Logs are JSON lines that never carry an identity (issue 14, item 6): a hotline intake with a
NIK, a name and a phone number goes through the real page, and the configured handler's output
(captured from the handler itself, with its filters and formatter) holds none of them."""

import io
import json
import logging

import pytest

from simpul.accounts.models import User
from simpul.intake.models import Intake

NIK = "6101094101900002"
NAME = "Yuliana Kanarisari"
PHONE = "0812 7777 1111"


@pytest.fixture
def log_lines():
    handler = next(h for h in logging.getLogger().handlers if h.get_name() == "console")
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        handler.setStream(previous)


@pytest.mark.django_db
def test_an_intake_with_a_nik_and_a_name_logs_neither(signed_in, log_lines):
    client = signed_in("operator.sambas")
    form = {
        "narrative": f"{NAME} dibawa ke Malaysia.",
        "channel": "hotline",
        "place_region": "61.01.09",
        "concerned_name": NAME,
        "concerned_nik": NIK,
        "concerned_phone": PHONE,
    }
    saved = client.post("/intake/new/", form, HTTP_X_REQUEST_ID="proxy-abc.123")
    assert saved.status_code == 302 and Intake.objects.count() == 1
    refused = client.post("/intake/new/", {**form, "concerned_nik": "123"})
    assert refused.status_code == 200
    # A hostile or old link with identities in the address; an error that quotes them.
    client.get(f"/intake/?q={NIK}&name={NAME.replace(' ', '+')}")
    logger = logging.getLogger("simpul.test")
    logger.warning("lookup for %s at %s", NIK, PHONE, extra={"full_name": NAME, "nik": NIK})
    try:
        raise ValueError(f"duplicate key (nik_index)=({NIK}) for {NAME}")
    except ValueError:
        logger.exception("import failed")

    lines = log_lines()
    text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines)
    for secret in (NIK, NIK[:6], "Yuliana", "Kanarisari", "7777", "81277771111"):
        assert secret not in text
    for line in lines:
        assert {"time", "level", "logger", "message", "request_id", "user_id"} <= set(line)
    operator = User.objects.get(username="operator.sambas")
    requests = [
        line
        for line in lines
        if line["logger"] == "simpul.request" and line["path"].startswith("/intake/")
    ]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("POST", "/intake/new/", 302),
        ("POST", "/intake/new/", 200),
        ("GET", "/intake/", 200),
    ]
    assert {r["user_id"] for r in requests} == {operator.pk}
    assert requests[0]["request_id"] == "proxy-abc.123" == saved["X-Request-ID"]
    assert requests[1]["request_id"] == refused["X-Request-ID"] != requests[0]["request_id"]
    warning = next(line for line in lines if line["logger"] == "simpul.test")
    assert warning["message"] == "lookup for [nik] at [phone]"
    failure = next(line for line in lines if line["message"] == "import failed")
    assert failure["exception"]["type"] == "builtins.ValueError"
    assert failure["exception"]["frames"]  # where it happened, never what it said

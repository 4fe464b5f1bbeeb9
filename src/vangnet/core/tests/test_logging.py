import logging

from conftest import _LOG_LINES, bsns_in_log_lines
from tests.factories import make_bsn
from vangnet.core.logging import RedactNumbersFilter, redact_bsn


def test_log_scanner_finds_a_bsn_and_ignores_other_numbers():
    bsn = make_bsn()
    assert bsns_in_log_lines([f"lookup {bsn} done"]) != []
    assert bsns_in_log_lines(["order 123456789 and 1234567890"]) == []


def test_suite_log_output_is_captured():
    logging.getLogger("vangnet.test").warning("capture check")
    assert any("capture check" in line for line in _LOG_LINES)


def test_filter_masks_bsn_in_log_records():
    bsn = make_bsn()
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "youth %s", (bsn,), None)
    RedactNumbersFilter().filter(record)
    assert bsn not in record.getMessage()
    assert redact_bsn("ticket 123456789") == "ticket 123456789"


def test_filter_masks_a_bsn_written_with_spaces_dots_or_dashes():
    bsn = "123456782"
    for written in ("1234 56782", "123.456.782", "123-45-6782", "12 34 56 78 2"):
        record = logging.LogRecord("x", logging.INFO, __file__, 1, "GET /?q=%s", (written,), None)
        RedactNumbersFilter().filter(record)
        message = record.getMessage()
        assert written not in message
        assert bsn not in message.replace(" ", "").replace(".", "").replace("-", "")
    assert redact_bsn("youth 123456782 2 rows") == "youth ********* 2 rows"
    assert redact_bsn("at 2026-12-04 23:10:05 from 127.0.0.1") == (
        "at 2026-12-04 23:10:05 from 127.0.0.1"
    )
    assert redact_bsn("order 1234 56789") == "order 1234 56789"  # fails the elfproef


def test_a_refused_page_logs_one_line_without_a_traceback(client, world, caplog):
    from django.urls import reverse

    from conftest import login_verified

    login_verified(client, world.users["ketenpartner"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        response = client.get(reverse("organisations:manage"))
    assert response.status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    assert records[0].exc_info is None
    assert "Traceback" not in caplog.text

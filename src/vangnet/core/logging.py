"""Log filter that masks anything that looks like a BSN before it reaches a log."""

from __future__ import annotations

import logging
import re

from vangnet.youth.domain.identifiers import is_valid_bsn

_NINE_DIGITS = re.compile(r"(?<!\d)\d{9}(?!\d)")


def redact_bsn(text: str) -> str:
    return _NINE_DIGITS.sub(lambda m: "*********" if is_valid_bsn(m.group(0)) else m.group(0), text)


class RedactNumbersFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        redacted = redact_bsn(message)
        if redacted != message:
            record.msg = redacted
            record.args = None
        return True


class QuietForbiddenFilter(logging.Filter):
    """A refused request (403) is logged as one line, without the traceback Django attaches.

    A 403 is the access rules doing their work, not a fault: the traceback only buried the real
    errors. Set VANGNET_LOG_403_TRACEBACKS=1 to keep it while debugging a permission.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
        return True

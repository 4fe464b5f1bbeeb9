"""Log filter that masks anything that looks like a BSN before it reaches a log."""

from __future__ import annotations

import logging
import re

from vangnet.youth.domain.identifiers import is_valid_bsn

# Runs of digit groups joined by one space, dot or dash ("1234 56782", "123.456.782"). Within a
# run, any neighbouring groups that together hold nine digits and pass the elfproef are masked; a
# group of more than nine digits (an order number, a timestamp) is left as it is.
_RUN = re.compile(r"\d+(?:[ .\-]\d+)*")
_SEPARATOR = re.compile(r"([ .\-])")


def _mask(match: re.Match[str]) -> str:
    parts = _SEPARATOR.split(match.group(0))
    groups = parts[0::2]
    masked = [False] * len(groups)
    for first in range(len(groups)):
        digits = 0
        for last in range(first, len(groups)):
            digits += len(groups[last])
            if digits == 9 and is_valid_bsn("".join(groups[first : last + 1])):
                masked[first : last + 1] = [True] * (last + 1 - first)
            if digits >= 9:
                break
    for index, hide in enumerate(masked):
        if hide:
            parts[index * 2] = "*" * len(groups[index])
    return "".join(parts)


def redact_bsn(text: str) -> str:
    return _RUN.sub(_mask, text)


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

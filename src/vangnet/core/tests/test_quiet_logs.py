"""Seeds and PDFs are quiet by default: WeasyPrint's step-by-step log, fontTools' subsetting and
Celery's per-task success lines stay below the default level (INFO); their warnings still show."""

from __future__ import annotations

import logging

import pytest


def _chatty(records):
    return [
        f"{r.name}: {r.getMessage()[:80]}"
        for r in records
        if r.levelno < logging.WARNING
        and r.name.split(".")[0] in {"weasyprint", "fontTools", "celery"}
    ]


def test_a_pdf_logs_nothing_below_warning(caplog):
    from weasyprint import HTML

    with caplog.at_level(logging.INFO):
        HTML(string="<h1>Doorstroomdossier</h1><p>Een korte tekst.</p>").write_pdf()
    assert _chatty(caplog.records) == []


@pytest.mark.django_db
def test_a_task_logs_no_success_line(caplog):
    from vangnet.notifications.tasks import deliver_pending

    with caplog.at_level(logging.INFO):
        deliver_pending.delay()
    assert _chatty(caplog.records) == []


def test_their_warnings_still_show():
    for name in ("weasyprint", "fontTools", "celery.app.trace"):
        assert logging.getLogger(name).isEnabledFor(logging.WARNING), name

"""The Dutch catalogue is complete: every source string has a Dutch translation, none fuzzy."""

import re
from pathlib import Path

import polib
import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "vangnet"
CATALOGUES = sorted(SRC.glob("*/locale/nl/LC_MESSAGES/django.po"))


def test_there_are_catalogues():
    assert len(CATALOGUES) >= 4


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_has_no_untranslated_or_fuzzy_entries(po_path):
    po = polib.pofile(str(po_path))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_matches_source(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"run compilemessages for {po_path}"
    po = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0)
        for e in polib.pofile(str(po_path))
        if e.translated()
    }
    mo = {
        (e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural.get(0) for e in polib.mofile(str(mo_path))
    }
    assert {k: v for k, v in po.items() if k[1]} == {k: v for k, v in mo.items() if k[1]}


# Staff screens (and the student portal) address the reader with "je", never with "u"/"uw".
FORMAL = re.compile(r"\b(u|uw)\b", re.IGNORECASE)


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_catalogue_uses_je_not_u(po_path):
    formal = [
        text
        for entry in polib.pofile(str(po_path))
        for text in [entry.msgstr, *entry.msgstr_plural.values()]
        if FORMAL.search(text)
    ]
    assert formal == []

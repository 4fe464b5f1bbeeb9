"""Headers and small leaks: a Content-Security-Policy without inline scripts, no caching of what a
signed-in user sees, BSN inputs without autocomplete, no youth's name in <title>, and the DAD
encrypted at rest."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import login_verified
from tests.factories import EnrolmentFactory
from tests.test_access_matrix import MATRIX, STUDENT, user_for
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.jikp import selectors as jikp_selectors
from vangnet.jikp import services as jikp_services
from vangnet.youth.models import Youth

pytestmark = pytest.mark.django_db

SRC = Path(__file__).resolve().parent.parent / "src" / "vangnet"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
JS_URL = re.compile(r"""(?:href|src|action)\s*=\s*["']?\s*javascript:""", re.IGNORECASE)
TITLE = re.compile(r"<title>(.*?)</title>", re.IGNORECASE | re.DOTALL)
INPUT = re.compile(r"<input\b[^>]*>", re.IGNORECASE)


def _inline_code(html: str) -> list[str]:
    return INLINE_SCRIPT.findall(html) + EVENT_HANDLER.findall(html) + JS_URL.findall(html)


def test_no_template_has_an_inline_script_or_event_handler():
    found = []
    for template in sorted(SRC.glob("*/templates/**/*.html")):
        if "/pdf/" in template.as_posix():  # rendered by WeasyPrint, never by a browser
            continue
        for hit in _inline_code(template.read_text()):
            found.append(f"{template.relative_to(SRC)}: {hit[:80]}")
    assert found == []


def test_the_inline_code_check_finds_what_it_looks_for():
    assert _inline_code('<script>alert(1)</script><button onclick="x()">') != []
    assert _inline_code('<a href="javascript:void(0)">') != []
    assert _inline_code('<script src="/static/x.js" defer></script>') == []


def test_pages_carry_a_content_security_policy_without_inline_scripts(client, world):
    for response in (
        client.get(reverse("two_factor:login")),
        login_verified(client, world.users["school_gebruiker"]).get(reverse("youth:list")),
    ):
        policy = response["Content-Security-Policy"]
        directives = dict(
            [*part.split(" ", 1), ""][:2] for part in policy.replace("; ", ";").split(";")
        )
        assert directives["script-src"] == "'self'"
        assert directives["default-src"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"
        assert directives["object-src"] == "'none'"


def test_signed_in_pages_are_not_stored(client, world):
    youth = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a).youth
    login_verified(client, world.users["school_gebruiker"])
    for url in (reverse("youth:list"), reverse("youth:detail", args=[youth.pk])):
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control
        assert "private" in cache_control


def test_every_page_is_free_of_inline_scripts_names_in_title_and_remembered_bsns(client, world):
    """A sweep over every URL (the access matrix lists them), as a role that may open it."""
    problems = []
    for url_name, row in sorted(MATRIX.items()):
        url = reverse(url_name, kwargs=row.kwargs(world) if row.kwargs else None)
        allowed = sorted(row.allowed - {STUDENT}) or sorted(row.allowed)
        names = {n for pair in Youth.objects.values_list("first_name", "last_name") for n in pair}
        for who in [None, *allowed[:1]]:
            client.logout()
            if who is not None:
                login_verified(client, user_for(world, who))
            response = client.get(url)
            if not response.get("Content-Type", "").startswith("text/html"):
                continue
            html = response.content.decode()
            label = f"{url_name} as {who}"
            if "Content-Security-Policy" not in response:
                problems.append(f"{label}: no Content-Security-Policy")
            if who is not None and "no-store" not in response.get("Cache-Control", ""):
                problems.append(f"{label}: {response.status_code} without Cache-Control: no-store")
            problems += [f"{label}: inline code {hit[:60]}" for hit in _inline_code(html)]
            title = TITLE.search(html)
            # Whole words only: a generated surname such as "Aan" is not "aanvragen".
            if title and any(
                re.search(rf"(?<!\w){re.escape(n)}(?!\w)", title.group(1)) for n in names if n
            ):
                problems.append(f"{label}: a youth's name in <title>: {title.group(1).strip()}")
            for tag in INPUT.findall(html):
                if re.search(r'name="[^"]*(bsn|onderwijsnummer)', tag, re.IGNORECASE) and (
                    'autocomplete="off"' not in tag
                ):
                    problems.append(f"{label}: {tag}")
    assert problems == []


def test_the_youth_pages_do_not_put_the_name_in_the_title(client, world):
    youth = EnrolmentFactory(
        organisation=world.pro,
        youth__municipality=world.gem_a,
        youth__first_name="Fenna",
        youth__last_name="Oosterbroek",
    ).youth
    login_verified(client, world.users["school_gebruiker"])
    for name in ("youth:detail", "youth:edit"):
        html = client.get(reverse(name, args=[youth.pk])).content.decode()
        title = TITLE.search(html).group(1)
        assert "Oosterbroek" not in title and "Fenna" not in title
        assert "Oosterbroek" in html  # on the page itself, just not in the tab or history


def test_the_bsn_inputs_of_the_add_form_are_not_remembered(client, world):
    login_verified(client, world.users["school_gebruiker"])
    html = client.get(reverse("youth:add")).content.decode()
    for field in ("bsn", "onderwijsnummer"):
        tag = next(t for t in INPUT.findall(html) if f'name="{field}"' in t)
        assert 'autocomplete="off"' in tag


@pytest.fixture
def _media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def test_a_dad_upload_is_encrypted_in_media_and_downloads_as_uploaded(client, world, _media):
    youth = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a).youth
    user = world.users["school_gebruiker"]
    jikp_services.perspective_set(youth=youth, school=world.pro, kind="arbeid", acting_user=user)
    content = b"%PDF-1.4\n% DAD van de jongere: Kerkstraat 12, Aastad\n%%EOF\n"
    document = jikp_services.perspective_document_add(
        perspective=jikp_selectors.active_perspective(youth=youth),
        uploaded=SimpleUploadedFile("dad.pdf", content, "application/pdf"),
        acting_user=user,
    )
    stored = (_media / document.file.name).read_bytes()
    assert b"Kerkstraat" not in stored
    assert not stored.startswith(b"%PDF")

    login_verified(client, user)
    url = reverse("jikp:detail_document_download", args=[youth.pk, document.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, object_type="jikp.perspectivedocument", youth_id=youth.pk
    ).exists()


def test_a_dad_stored_before_encryption_still_downloads(client, world, _media):
    youth = EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a).youth
    user = world.users["school_gebruiker"]
    jikp_services.perspective_set(youth=youth, school=world.pro, kind="arbeid", acting_user=user)
    content = b"%PDF-1.4\n%%EOF\n"
    document = jikp_services.perspective_document_add(
        perspective=jikp_selectors.active_perspective(youth=youth),
        uploaded=SimpleUploadedFile("dad.pdf", content, "application/pdf"),
        acting_user=user,
    )
    (_media / document.file.name).write_bytes(content)  # as an old, unencrypted file lies there
    login_verified(client, user)
    response = client.get(reverse("jikp:detail_document_download", args=[youth.pk, document.pk]))
    assert b"".join(response.streaming_content) == content

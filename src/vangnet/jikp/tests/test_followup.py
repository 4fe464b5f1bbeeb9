"""JIKP follow-up gaps of issue 8: details before the final status, the status following an MBO
application, per-row actions and bulk actions in the Schoolgaand list, Entree columns, trajecten
that can be changed, ended and removed, and a pending uitschrijfdatum in the lists."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import login_verified
from tests.factories import AanmeldingFactory, EnrolmentFactory, UserFactory
from vangnet.audit.models import AuditAction, AuditEvent
from vangnet.jikp import selectors, services
from vangnet.jikp.domain import perspectives as rules
from vangnet.jikp.models import (
    AanmeldingStatus,
    ContactPerson,
    PerspectiveChange,
    Traject,
    Uitstroomperspectief,
)
from vangnet.jikp.selectors import SchoolListFilters

pytestmark = pytest.mark.django_db

SCHOOLGAAND = "jikp:schoolgaand"
BULK = "jikp:schoolgaand_bulk"


def _enrol(world, school=None, **kwargs):
    kwargs.setdefault("youth__municipality", world.gem_a)
    return EnrolmentFactory(organisation=school or world.pro, **kwargs)


def _perspective(world, youth, kind="arbeid"):
    return services.perspective_set(
        youth=youth, school=world.pro, kind=kind, acting_user=world.users["school_gebruiker"]
    )


def _token(client, url):
    html = client.get(url).content.decode()
    return re.search(r'name="form_token" value="([^"]+)"', html).group(1)


# --- Details first, then the final status (§4.3-4.4) -------------------------------------------


@pytest.mark.parametrize(
    ("kind", "details"),
    [
        ("onderwijs", {"institution": "ROC Aa", "programme": "Bakker", "level": "2"}),
        ("arbeid", {"employer": "Bakkerij Aa", "job": "Hulp", "contract_type": "vast"}),
        (
            "dagbesteding",
            {"day_care_type": "regulier", "provider": "De Hoeve", "support_need": "X"},
        ),
    ],
)
def test_the_final_status_is_refused_until_the_details_are_filled_in(world, kind, details):
    youth = _enrol(world).youth
    user = world.users["school_gebruiker"]
    perspective = _perspective(world, youth, kind)
    final = str(rules.FINAL_STATUS[rules.Kind(kind)])
    with pytest.raises(ValidationError) as exc:
        services.perspective_status_set(perspective=perspective, status=final, acting_user=user)
    assert "Vul eerst de details" in exc.value.messages[0]
    perspective.refresh_from_db()
    assert perspective.status == str(rules.INITIAL_STATUS[rules.Kind(kind)])
    # A step before final is fine without details.
    second = str(rules.STATUSES[rules.Kind(kind)][1])
    services.perspective_status_set(perspective=perspective, status=second, acting_user=user)
    services.perspective_details_update(perspective=perspective, data=details, acting_user=user)
    services.perspective_status_set(perspective=perspective, status=final, acting_user=user)
    perspective.refresh_from_db()
    assert perspective.status == final


def test_the_status_page_says_in_dutch_that_details_come_first(client, world):
    youth = _enrol(world).youth
    _perspective(world, youth, "arbeid")
    login_verified(client, world.users["school_gebruiker"])
    url = reverse("jikp:detail_perspective_status", args=[youth.pk])
    response = client.post(
        url, {"status": "arbeid_arbeidsovereenkomst", "form_token": _token(client, url)}
    )
    assert response.status_code == 200
    assert "Vul eerst de details van het uitstroomperspectief in" in response.content.decode()
    assert selectors.active_perspective(youth=youth).status == "arbeid_orienterend"


def test_domain_status_after_application_moves_forward_only():
    applied, final = rules.Status.EDU_APPLIED, rules.Status.EDU_FINAL
    orienting = rules.Status.EDU_ORIENTING
    assert rules.status_after_application(orienting, "lopend", has_details=False) == applied
    assert rules.status_after_application(orienting, "geplaatst", has_details=True) == final
    assert rules.status_after_application(orienting, "geplaatst", has_details=False) == applied
    assert rules.status_after_application(final, "lopend", has_details=True) == final
    assert rules.status_after_application(orienting, "afgewezen", has_details=True) == orienting


# --- The status follows the application (§4.3.1) ------------------------------------------------


def test_details_filled_from_a_running_application_set_the_status_to_applied(world):
    youth = _enrol(world).youth
    AanmeldingFactory(youth=youth, institution=world.mbo, level="2")
    perspective = _perspective(world, youth, "onderwijs")
    assert perspective.institution == world.mbo.name
    assert perspective.status == "onderwijs_aangemeld"
    change = PerspectiveChange.objects.filter(youth=youth).get()
    assert change.to_status == "onderwijs_aangemeld"


def test_a_placement_makes_the_education_perspective_final(world):
    youth = _enrol(world).youth
    perspective = _perspective(world, youth, "onderwijs")
    assert perspective.status == "onderwijs_orienterend"
    services.aanmelding_create(
        youth=youth,
        data={
            "institution": world.mbo,
            "programme": "Bakker",
            "level": "2",
            "status": AanmeldingStatus.PLACED,
        },
        acting_user=world.users["school_gebruiker"],
    )
    perspective.refresh_from_db()
    assert perspective.status == "onderwijs_definitief"
    assert PerspectiveChange.objects.filter(youth=youth, to_status="onderwijs_definitief").exists()


def test_the_running_application_signal_is_shown_in_the_lists(client, world):
    signalled = _enrol(world, youth__last_name="Signaal").youth
    _perspective(world, signalled, "arbeid")
    AanmeldingFactory(youth=signalled, institution=world.mbo)
    quiet = _enrol(world, youth__last_name="Stil").youth
    _perspective(world, quiet, "arbeid")
    login_verified(client, world.users["school_gebruiker"])
    html = client.get(reverse(SCHOOLGAAND), {"tab": "alle"}).content.decode()
    rows = {
        m.group(1): m.group(2) for m in re.finditer(r'data-youth="(\d+)">(.*?)</tr>', html, re.S)
    }
    assert 'data-testid="jikp-application-signal"' in rows[str(signalled.pk)]
    assert "Lopende aanmelding" in rows[str(signalled.pk)]
    assert "jikp-application-signal" not in rows[str(quiet.pk)]


# --- Per-row actions and bulk actions ------------------------------------------------------------


def test_each_row_has_the_actions_of_the_manual(client, world):
    youth = _enrol(world).youth
    _perspective(world, youth, "arbeid")
    login_verified(client, world.users["school_gebruiker"])
    html = client.get(reverse(SCHOOLGAAND), {"tab": "alle"}).content.decode()
    for name in (
        "perspective_details",
        "perspective_status",
        "samenwerking_request",
        "traject_add",
    ):
        assert reverse(f"jikp:detail_{name}", args=[youth.pk]) in html, name
    assert "Acties" in html
    assert f'name="ids" value="{youth.pk}"' in html


def _bulk(client, **data):
    return client.post(reverse(BULK), {"next": reverse(SCHOOLGAAND), **data}, follow=True)


def test_bulk_contact_links_a_colleague_to_every_selected_youth_audited_per_youth(client, world):
    user = world.users["school_gebruiker"]
    colleague = UserFactory(organisation=world.pro, first_name="Mila", last_name="Mentor")
    chosen = [_enrol(world).youth for _ in range(3)]
    login_verified(client, user)
    response = _bulk(client, action="contact", contact=colleague.pk, ids=[y.pk for y in chosen])
    assert response.redirect_chain[-1][0] == reverse(SCHOOLGAAND)
    assert "Mila Mentor is nu contactpersoon van 3 jongeren." in response.content.decode()
    assert ContactPerson.objects.filter(user=colleague).count() == 3
    for youth in chosen:
        assert AuditEvent.objects.filter(
            youth_id=youth.pk, action=AuditAction.CREATE, object_type="jikp.contactperson"
        ).exists()


def test_bulk_status_sets_the_status_of_every_selected_youth(client, world):
    chosen = [_enrol(world).youth for _ in range(2)]
    for youth in chosen:
        _perspective(world, youth, "arbeid")
    login_verified(client, world.users["school_gebruiker"])
    response = _bulk(client, action="status", status="arbeid_stage", ids=[y.pk for y in chosen])
    assert "De status van 2 jongeren is nu" in response.content.decode()
    assert set(
        Uitstroomperspectief.objects.filter(is_active=True).values_list("status", flat=True)
    ) == {"arbeid_stage"}
    assert AuditEvent.objects.filter(description="uitstroomperspectief status").count() == len(
        chosen
    )


def test_bulk_with_another_schools_youth_changes_nothing(client, world):
    own = _enrol(world).youth
    _perspective(world, own, "arbeid")
    foreign = _enrol(world, school=world.other_school).youth
    login_verified(client, world.users["school_gebruiker"])
    response = _bulk(client, action="status", status="arbeid_stage", ids=[own.pk, foreign.pk])
    assert "er is niets gewijzigd" in response.content.decode()
    assert selectors.active_perspective(youth=own).status == "arbeid_orienterend"
    response = _bulk(
        client,
        action="contact",
        contact=world.users["school_gebruiker"].pk,
        ids=[own.pk, foreign.pk],
    )
    assert not ContactPerson.objects.exists()
    assert not AuditEvent.objects.filter(
        youth_id=foreign.pk, action__in=[AuditAction.CREATE, AuditAction.UPDATE]
    ).exists()


def test_bulk_status_is_all_or_nothing_when_one_row_cannot_take_it(client, world):
    work = _enrol(world).youth
    _perspective(world, work, "arbeid")
    education = _enrol(world, youth__last_name="Leerling").youth
    _perspective(world, education, "onderwijs")
    login_verified(client, world.users["school_gebruiker"])
    response = _bulk(client, action="status", status="arbeid_stage", ids=[work.pk, education.pk])
    html = response.content.decode()
    assert "Er is niets gewijzigd" in html and "Leerling" in html
    assert selectors.active_perspective(youth=work).status == "arbeid_orienterend"


def test_bulk_without_rows_or_choice_explains_in_dutch(client, world):
    login_verified(client, world.users["school_gebruiker"])
    html = _bulk(client, action="status", status="arbeid_stage").content.decode()
    assert "Selecteer eerst een of meer jongeren" in html
    youth = _enrol(world).youth
    html = _bulk(client, action="contact", ids=[youth.pk]).content.decode()
    assert "Kies een contactpersoon" in html


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("school_gebruiker", 302),
        ("gemeente_consulent", 403),
        ("ketenpartner", 403),
        ("mbo_gebruiker", 403),
        ("platformbeheer", 403),
    ],
)
def test_bulk_post_allowed_for_schools_refused_for_others(client, world, role, expected):
    youth = _enrol(world).youth
    _perspective(world, youth, "arbeid")
    login_verified(client, world.users[role])
    response = client.post(
        reverse(BULK), {"action": "status", "status": "arbeid_stage", "ids": [youth.pk]}
    )
    assert response.status_code == expected
    changed = selectors.active_perspective(youth=youth).status == "arbeid_stage"
    assert changed == (expected == 302)


def test_bulk_services_refuse_other_kinds_of_user(world):
    youth = _enrol(world).youth
    with pytest.raises(PermissionDenied):
        services.bulk_contact_link(
            youth_ids=[youth.pk],
            contact=world.users["gemeente_consulent"],
            acting_user=world.users["gemeente_consulent"],
        )


# --- Entree: institution and programme (§6) -----------------------------------------------------


def test_entree_shows_the_entree_institution_and_programme(client, world):
    enrolment = _enrol(world, youth__last_name="Entreeleerling")
    enrolment.unenrolled_on = dt.date(2025, 7, 1)
    enrolment.unenrolment_processed = True
    enrolment.save()
    EnrolmentFactory(
        youth=enrolment.youth, organisation=world.mbo, enrolled_on=dt.date(2025, 8, 25)
    )
    AanmeldingFactory(
        youth=enrolment.youth,
        institution=world.mbo,
        programme="Entree Assistent logistiek",
        status=AanmeldingStatus.PLACED,
    )
    login_verified(client, world.users["school_gebruiker"])
    html = client.get(reverse("jikp:entree")).content.decode()
    assert "Entreeleerling" in html
    assert "Entree-instelling" in html and world.mbo.name in html
    assert "Entree Assistent logistiek" in html


# --- Trajecten: change, end, remove (§4.6) -------------------------------------------------------


@pytest.fixture
def traject(world):
    youth = _enrol(world).youth
    return services.traject_add(
        youth=youth,
        data={"kind": "taal", "starts_on": dt.date(2025, 1, 6)},
        acting_user=world.users["school_gebruiker"],
    )


def _traject_url(name, traject):
    return reverse(f"jikp:detail_traject_{name}", args=[traject.youth_id, traject.pk])


def test_a_traject_is_changed_ended_and_removed_through_its_pages(client, world, traject):
    login_verified(client, world.users["school_gebruiker"])
    detail = client.get(reverse("youth:detail", args=[traject.youth_id])).content.decode()
    for name in ("edit", "end", "remove"):
        assert _traject_url(name, traject) in detail
    url = _traject_url("edit", traject)
    response = client.post(
        url,
        {
            "kind": "jobcoaching",
            "description": "Via het UWV",
            "starts_on": "2025-02-03",
            "form_token": _token(client, url),
        },
    )
    assert response.status_code == 302
    traject.refresh_from_db()
    assert (traject.kind, traject.description, traject.starts_on) == (
        "jobcoaching",
        "Via het UWV",
        dt.date(2025, 2, 3),
    )
    url = _traject_url("end", traject)
    bad = client.post(url, {"ends_on": "2025-01-01", "form_token": _token(client, url)})
    assert bad.status_code == 200 and "einddatum" in bad.content.decode().lower()
    response = client.post(url, {"ends_on": "2025-06-30", "form_token": _token(client, url)})
    assert response.status_code == 302
    traject.refresh_from_db()
    assert traject.ends_on == dt.date(2025, 6, 30)
    url = _traject_url("remove", traject)
    response = client.post(url, {"form_token": _token(client, url)})
    assert response.status_code == 302
    assert not Traject.objects.exists()
    descriptions = set(
        AuditEvent.objects.filter(object_type="jikp.traject").values_list("description", flat=True)
    )
    assert {"traject changed", "traject ended", "traject removed"} <= descriptions


def test_another_organisations_traject_cannot_be_changed(client, world, traject):
    gemeente = world.users["gemeente_consulent"]
    login_verified(client, gemeente)
    for name in ("edit", "end", "remove"):
        url = _traject_url(name, traject)
        assert client.get(url).status_code == 404
        assert client.post(url, {"ends_on": "2025-06-30"}).status_code == 404
    with pytest.raises(PermissionDenied):
        services.traject_remove(traject=traject, acting_user=gemeente)
    assert Traject.objects.filter(pk=traject.pk, ends_on=None).exists()


# --- A pending uitschrijfdatum in the Schoolgaand lists ----------------------------------------


def test_a_pending_uitschrijfdatum_is_shown_in_the_schoolgaand_list(client, world):
    leaving = _enrol(world, youth__last_name="Vertrekt")
    leaving.unenrolled_on = timezone.localdate() + dt.timedelta(days=20)
    leaving.save()
    login_verified(client, world.users["school_gebruiker"])
    html = client.get(reverse(SCHOOLGAAND), {"tab": "alle"}).content.decode()
    assert f"Uitschrijving op {leaving.unenrolled_on:%d-%m-%Y}" in html
    rows = selectors.school_list_rows(
        user=world.users["school_gebruiker"], filters=SchoolListFilters(tab="alle")
    )
    assert leaving.pk in [r.pk for r in rows]

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError

from tests.factories import ContactDesignationFactory, EnrolmentFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditEvent
from vangnet.jikp import selectors, services
from vangnet.jikp.domain.perspectives import Reason
from vangnet.jikp.models import Aanmelding, PerspectiveChange, Samenwerking
from vangnet.jikp.selectors import SchoolListFilters
from vangnet.youth.selectors import youth_visible_to

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school_youth(world):
    return EnrolmentFactory(organisation=world.pro, youth__municipality=world.gem_a).youth


def _to_handle(world, user):
    return list(
        selectors.school_youth_list(user=user, filters=SchoolListFilters(tab="te-behandelen"))
    )


def test_only_one_perspective_is_active_and_changes_go_to_the_timeline(world, school_youth):
    user = world.users["school_gebruiker"]
    services.perspective_set(youth=school_youth, school=world.pro, kind="arbeid", acting_user=user)
    services.perspective_set(
        youth=school_youth, school=world.pro, kind="dagbesteding", acting_user=user
    )
    assert school_youth.perspectives.filter(is_active=True).count() == 1
    changes = list(PerspectiveChange.objects.filter(youth=school_youth).order_by("at", "id"))
    assert [(c.from_kind, c.to_kind) for c in changes] == [
        ("", "arbeid"),
        ("arbeid", "dagbesteding"),
    ]


def test_youth_leaves_te_behandelen_when_all_four_rules_hold(world, school_youth):
    user = world.users["school_gebruiker"]
    rows = _to_handle(world, user)
    assert [r.youth_id for r in rows] == [school_youth.pk]
    assert selectors.reasons_for_row(rows[0]) == [Reason.NO_CONTACT, Reason.NO_PERSPECTIVE]
    services.contact_person_link(youth=school_youth, contact=user, acting_user=user)
    perspective = services.perspective_set(
        youth=school_youth, school=world.pro, kind="arbeid", acting_user=user
    )
    assert selectors.reasons_for_row(_to_handle(world, user)[0]) == [
        Reason.DETAILS_MISSING,
        Reason.NOT_FINAL,
    ]
    services.perspective_details_update(
        perspective=perspective,
        data={"employer": "Bakkerij", "job": "Hulp", "contract_type": "tijdelijk"},
        acting_user=user,
    )
    assert selectors.reasons_for_row(_to_handle(world, user)[0]) == [Reason.NOT_FINAL]
    services.perspective_status_set(
        perspective=perspective, status="arbeid_arbeidsovereenkomst", acting_user=user
    )
    assert _to_handle(world, user) == []


def test_status_of_other_perspective_is_refused(world, school_youth):
    user = world.users["school_gebruiker"]
    perspective = services.perspective_set(
        youth=school_youth, school=world.pro, kind="arbeid", acting_user=user
    )
    with pytest.raises(ValidationError):
        services.perspective_status_set(
            perspective=perspective, status="onderwijs_definitief", acting_user=user
        )


def test_education_details_are_filled_from_a_running_application(world, school_youth):
    Aanmelding.objects.create(
        youth=school_youth,
        institution=world.mbo,
        programme="Bakker",
        level="2",
        learning_path="BBL",
    )
    perspective = services.perspective_set(
        youth=school_youth,
        school=world.pro,
        kind="onderwijs",
        acting_user=world.users["school_gebruiker"],
    )
    assert perspective.institution == world.mbo.name
    assert perspective.programme == "Bakker"
    assert perspective.details_complete is False or perspective.level == "2"


def _education_perspective(world, youth):
    return services.perspective_set(
        youth=youth, school=world.pro, kind="onderwijs", acting_user=world.users["school_gebruiker"]
    )


def _apply(world, youth, **data):
    return services.aanmelding_create(
        youth=youth,
        data={"institution": world.mbo, "programme": "Bakker", **data},
        acting_user=None,
    )


def test_an_application_after_the_education_perspective_fills_its_empty_details(
    world, school_youth
):
    perspective = _education_perspective(world, school_youth)
    assert (perspective.institution, perspective.details_complete) == ("", False)
    school = world.users["school_gebruiker"]
    assert _to_handle(world, school) and Reason.DETAILS_MISSING in selectors.reasons_for_row(
        _to_handle(world, school)[0]
    )

    aanmelding = _apply(world, school_youth, level="2", learning_path="BBL")

    perspective.refresh_from_db()
    assert (perspective.institution, perspective.programme) == (world.mbo.name, "Bakker")
    assert (perspective.level, perspective.learning_path) == ("2", "BBL")
    assert perspective.details_complete is True
    assert Reason.DETAILS_MISSING not in selectors.reasons_for_row(_to_handle(world, school)[0])
    event = AuditEvent.objects.get(
        youth_id=school_youth.pk, description="uitstroomperspectief from application"
    )
    assert event.detail == {
        "aanmelding": aanmelding.pk,
        "from": "onderwijs_orienterend",
        "to": "onderwijs_aangemeld",
    }
    # The status follows the application (issue 8): no longer "Oriënterend".
    assert perspective.status == "onderwijs_aangemeld"


def test_an_application_never_overwrites_details_the_school_filled_in(world, school_youth):
    perspective = _education_perspective(world, school_youth)
    services.perspective_details_update(
        perspective=perspective,
        data={"institution": "ROC Elders", "programme": "Kok", "level": "1"},
        acting_user=world.users["school_gebruiker"],
    )
    _apply(world, school_youth, level="2")
    perspective.refresh_from_db()
    assert (perspective.institution, perspective.programme, perspective.level) == (
        "ROC Elders",
        "Kok",
        "1",
    )


def test_an_application_level_outside_the_choices_is_left_empty(world, school_youth):
    perspective = _education_perspective(world, school_youth)
    _apply(world, school_youth, level="Niveau 2", learning_path="deeltijd")
    perspective.refresh_from_db()
    assert (perspective.programme, perspective.level, perspective.learning_path) == (
        "Bakker",
        "",
        "",
    )
    assert perspective.details_complete is False


@pytest.mark.parametrize("status", ["afgewezen", "ingetrokken"])
def test_a_closed_application_fills_nothing(world, school_youth, status):
    perspective = _education_perspective(world, school_youth)
    _apply(world, school_youth, level="2", status=status)
    perspective.refresh_from_db()
    assert perspective.institution == "" and perspective.details_complete is False


def test_an_application_leaves_a_work_perspective_alone(world, school_youth):
    perspective = services.perspective_set(
        youth=school_youth,
        school=world.pro,
        kind="arbeid",
        acting_user=world.users["school_gebruiker"],
    )
    _apply(world, school_youth, level="2")
    perspective.refresh_from_db()
    assert perspective.institution == "" and perspective.employer == ""


def test_samenwerking_goes_to_designated_partner_with_signal_mail(world, school_youth):
    partner_contact = UserFactory(
        organisation=world.partner, roles=[Role.GENERALIST], email="werk@example.test"
    )
    ContactDesignationFactory(municipality=world.gem_a, perspective="arbeid", user=partner_contact)
    school_user = world.users["school_gebruiker"]
    ketenpartner = world.users["ketenpartner"]
    assert not youth_visible_to(user=ketenpartner).filter(pk=school_youth.pk).exists()
    services.perspective_set(
        youth=school_youth, school=world.pro, kind="arbeid", acting_user=school_user
    )
    samenwerking = services.samenwerking_request(
        youth=school_youth, school=world.pro, acting_user=school_user
    )
    assert samenwerking.partner == world.partner
    assert [m.to for m in mail.outbox] == [["werk@example.test"]]
    assert school_youth.full_name not in mail.outbox[0].body
    # The mail links to the partner's list of samenwerkingen, where the reader signs in first.
    assert f"{settings.VANGNET_PUBLIC_URL}/jikp/" in mail.outbox[0].body
    # A request alone does not open the record; linking a contact person does.
    assert not youth_visible_to(user=ketenpartner).filter(pk=school_youth.pk).exists()
    services.contact_person_link(youth=school_youth, contact=ketenpartner, acting_user=ketenpartner)
    samenwerking.refresh_from_db()
    assert samenwerking.status == "contact_gekoppeld"
    assert youth_visible_to(user=ketenpartner).filter(pk=school_youth.pk).exists()
    assert {c.organisation for c in selectors.contact_persons(youth=school_youth)} == {
        world.partner
    }
    with pytest.raises(ValidationError):
        services.samenwerking_request(youth=school_youth, school=world.pro, acting_user=school_user)
    assert Samenwerking.objects.count() == 1


def test_samenwerking_needs_work_or_day_care(world, school_youth):
    user = world.users["school_gebruiker"]
    services.perspective_set(
        youth=school_youth, school=world.pro, kind="onderwijs", acting_user=user
    )
    with pytest.raises(ValidationError):
        services.samenwerking_request(youth=school_youth, school=world.pro, acting_user=user)


def test_profile_cannot_change_after_unenrolment_is_processed(world, school_youth):
    school_youth.enrolments.update(unenrolled_on="2024-01-01", unenrolment_processed=True)
    with pytest.raises(ValidationError):
        services.perspective_set(
            youth=school_youth,
            school=world.pro,
            kind="arbeid",
            acting_user=world.users["school_gebruiker"],
        )


def test_contact_must_be_a_colleague(world, school_youth):
    with pytest.raises(ValidationError):
        services.contact_person_link(
            youth=school_youth,
            contact=world.users["ketenpartner"],
            acting_user=world.users["school_gebruiker"],
        )

"""The gemeente's visibility table (YouthRegion) stays exact through every write path."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Exists, OuterRef, Q

from tests.factories import EnrolmentFactory, UserFactory, YouthFactory, make_bsn
from vangnet.accounts.models import Role
from vangnet.core import crypto
from vangnet.transfers import services as transfers
from vangnet.transfers.tests.builders import youth_list, youth_row
from vangnet.youth import selectors, services
from vangnet.youth.models import Enrolment, Youth, YouthRegion

pytestmark = pytest.mark.django_db


def _regions(youth: Youth) -> set[int]:
    return set(YouthRegion.objects.filter(youth=youth).values_list("region_id", flat=True))


def _exact() -> None:
    assert YouthRegion.objects.differences() == (set(), set())


def _old_definition(region_id: int) -> set[int]:
    """The gemeente's set as youth_visible_to computed it before the table existed."""
    schooled = Enrolment.objects.filter(youth_id=OuterRef("pk"), organisation__region_id=region_id)
    return set(
        Youth.objects.filter(Q(municipality__region_id=region_id) | Exists(schooled)).values_list(
            "pk", flat=True
        )
    )


def _enrol(world, school, municipality, bsn=None):
    return services.youth_enrol(
        school=school,
        data={
            "bsn": bsn or make_bsn(),
            "first_name": "Sanne",
            "last_name": "Jansen",
            "birth_date": dt.date(2009, 3, 4),
            "gender": "v",
            "municipality": municipality,
            "enrolled_on": dt.date(2024, 8, 20),
            "confirm_elsewhere": True,
        },
        acting_user=world.users["school_gebruiker"],
    )


def test_enrol_adds_the_region_of_the_school_and_of_the_gemeente(world):
    enrolment = _enrol(world, world.other_school, world.gem_a)
    assert _regions(enrolment.youth) == {world.region.pk, world.other_region.pk}
    _exact()


def test_second_school_adds_its_region(world):
    bsn = make_bsn()
    first = _enrol(world, world.pro, world.gem_a, bsn=bsn)
    assert _regions(first.youth) == {world.region.pk}
    _enrol(world, world.other_school, world.gem_a, bsn=bsn)
    assert _regions(first.youth) == {world.region.pk, world.other_region.pk}
    _exact()


@pytest.mark.parametrize("years_ago", [1, 3])
def test_unenrolment_within_or_after_nazorg_keeps_the_gemeente_seeing_the_youth(world, years_ago):
    enrolment = _enrol(world, world.other_school, world.gem_x)
    left = dt.date.today() - dt.timedelta(days=365 * years_ago)
    services.youth_update(
        youth=enrolment.youth,
        enrolment=enrolment,
        data={"unenrolled_on": max(left, enrolment.enrolled_on)},
        acting_user=world.users["school_gebruiker"],
    )
    services.enrolments_process_unenrolments()
    assert _regions(enrolment.youth) == {world.other_region.pk}
    _exact()
    consulent = UserFactory(organisation=world.other_gemeente, roles=[Role.TRANSITION_CONSULTANT])
    assert selectors.youth_visible_to(user=consulent).filter(pk=enrolment.youth_id).exists()


def test_moving_to_a_gemeente_in_another_region_moves_the_row(world):
    enrolment = _enrol(world, world.pro, world.gem_a)
    youth = Youth.objects.get(pk=enrolment.youth_id)
    Enrolment.objects.get(pk=enrolment.pk).delete()
    assert _regions(youth) == {world.region.pk}
    services.youth_update(
        youth=youth,
        enrolment=None,
        data={"municipality": world.gem_x},
        acting_user=world.users["school_gebruiker"],
    )
    assert _regions(youth) == {world.other_region.pk}
    _exact()
    consulent = world.users["gemeente_consulent"]
    assert not selectors.youth_visible_to(user=consulent).filter(pk=youth.pk).exists()


def test_moving_within_the_region_of_the_school_keeps_one_row(world):
    enrolment = _enrol(world, world.pro, world.gem_x)
    assert _regions(enrolment.youth) == {world.region.pk, world.other_region.pk}
    services.youth_update(
        youth=Youth.objects.get(pk=enrolment.youth_id),
        enrolment=None,
        data={"municipality": world.gem_b},
        acting_user=world.users["school_gebruiker"],
    )
    assert _regions(enrolment.youth) == {world.region.pk}
    _exact()


def test_import_keeps_the_table_exact(world):
    moved_bsn = make_bsn()
    EnrolmentFactory(
        organisation=world.pro,
        youth=YouthFactory(
            bsn=moved_bsn,
            last_name="Jansen",
            birth_date=dt.date(2009, 3, 4),
            municipality=world.gem_x,
        ),
    )
    rows = [youth_row(), youth_row(municipality="Xveen"), youth_row(bsn=moved_bsn)]
    plan = transfers.import_check(kind="jongerenlijst", data=youth_list(rows), school=world.pro)
    assert plan.report.valid, plan.report.errors
    transfers.import_apply(plan=plan, acting_user=world.users["school_gebruiker"])
    assert Youth.objects.count() == 3
    _exact()
    moved = Youth.objects.get(bsn_index=crypto.blind_index(moved_bsn))
    assert moved.municipality == world.gem_a
    assert _regions(moved) == {world.region.pk}
    new_in_xveen = Youth.objects.get(municipality=world.gem_x)
    assert _regions(new_in_xveen) == {world.region.pk, world.other_region.pk}


def test_gemeente_visibility_equals_the_definition(world):
    _enrol(world, world.pro, world.gem_a)
    _enrol(world, world.pro, world.gem_x)
    _enrol(world, world.other_school, world.gem_b)
    _enrol(world, world.other_school, world.gem_x)
    YouthFactory(municipality=world.gem_b)
    YouthFactory(municipality=None)
    consulent = world.users["gemeente_consulent"]
    visible = set(selectors.youth_visible_to(user=consulent).values_list("pk", flat=True))
    assert visible == _old_definition(world.region.pk)
    assert len(visible) == 4
    assert selectors.youth_dashboard_counts(user=consulent) == {"youth": 4}


def test_check_visibility_command_finds_and_fixes_a_difference(world):
    enrolment = _enrol(world, world.other_school, world.gem_a)
    call_command("check_visibility")
    YouthRegion.objects.filter(youth_id=enrolment.youth_id, region=world.region).delete()
    with pytest.raises(CommandError, match="1 missing"):
        call_command("check_visibility")
    call_command("check_visibility", "--fix")
    _exact()


def test_a_new_name_is_copied_for_sorting(world):
    enrolment = _enrol(world, world.pro, world.gem_a)
    services.youth_update(
        youth=Youth.objects.get(pk=enrolment.youth_id),
        enrolment=None,
        data={"last_name": "Bakker", "birth_date": dt.date(2008, 1, 2)},
        acting_user=world.users["school_gebruiker"],
    )
    row = YouthRegion.objects.get(youth_id=enrolment.youth_id)
    assert (row.last_name, row.birth_date) == ("Bakker", dt.date(2008, 1, 2))
    _exact()

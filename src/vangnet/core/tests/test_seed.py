"""`vangnet seed` (demo and national scale) and `vangnet demo_otp`."""

from __future__ import annotations

import datetime as dt
import os
import random
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import EnrolmentFactory, OrganisationFactory, UserFactory, YouthFactory
from vangnet.accounts.models import Role, User, UserRole
from vangnet.core import crypto
from vangnet.core.seeding import demo, identifiers, national, plans
from vangnet.core.seeding.accounts import DEMO_PASSWORD
from vangnet.organisations.models import (
    CHAIN_PARTNER_KINDS,
    SCHOOL_KINDS,
    ContactDesignation,
    Location,
    Municipality,
    Organisation,
    OrganisationKind,
    Perspective,
    Region,
)
from vangnet.youth.domain.identifiers import is_valid_bsn, is_valid_onderwijsnummer
from vangnet.youth.models import Enrolment, Youth
from vangnet.youth.selectors import YouthFilters, enrolment_list_for_user, youth_list_for_user


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def demo_counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "municipalities": Municipality.objects.count(),
        "organisations": Organisation.objects.count(),
        "locations": Location.objects.count(),
        "users": User.objects.count(),
        "roles": UserRole.objects.count(),
        "devices": TOTPDevice.objects.count(),
        "designations": ContactDesignation.objects.count(),
        "youth": Youth.objects.count(),
        "enrolments": Enrolment.objects.count(),
    }


# --- generated identifiers ------------------------------------------------------------------------


def test_generated_numbers_are_valid_and_never_repeat():
    def take(stream, n):
        return [next(stream) for _ in range(n)]

    demo_bsns = take(identifiers.bsns(identifiers.DEMO_BSN_START), 20_000)
    national_bsns = take(identifiers.bsns(identifiers.NATIONAL_BSN_START), 20_000)
    assert all(is_valid_bsn(b) for b in demo_bsns + national_bsns)
    assert len(set(demo_bsns) | set(national_bsns)) == 40_000
    owns = take(identifiers.onderwijsnummers(identifiers.DEMO_OWN_START), 5_000)
    owns += take(identifiers.onderwijsnummers(identifiers.NATIONAL_OWN_START), 5_000)
    assert all(is_valid_onderwijsnummer(o) for o in owns)
    assert len(set(owns)) == 10_000


# --- demo scale -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_seed_builds_every_kind_and_role():
    out = run("seed", "--scale", "demo")

    region = Region.objects.get(code=demo.REGION_CODE)
    assert region.name == "Regio Demo"
    assert region.municipalities.count() == 3
    orgs = Organisation.objects.filter(code__startswith=demo.ORG_PREFIX)
    assert set(orgs.values_list("kind", flat=True)) == set(OrganisationKind.values)
    platform = orgs.get(kind=OrganisationKind.PLATFORM)
    assert platform.region is None and platform.municipality is None
    assert orgs.filter(kind=OrganisationKind.MBO, has_entree=True).exists()
    assert orgs.filter(kind=OrganisationKind.MUNICIPALITY).count() == 3
    for school in orgs.filter(kind__in=SCHOOL_KINDS):
        assert school.locations.count() == 2
        assert all(len(loc.brin_vestiging) == 6 for loc in school.locations.all())
        assert all(loc.brin_vestiging.startswith(school.brin) for loc in school.locations.all())

    users = User.objects.filter(email__endswith="@demo.vangnet.nl")
    held = set(UserRole.objects.filter(user__in=users).values_list("role", flat=True))
    assert held == set(Role.values)
    for email, kind, role in [
        ("pro.gebruiker", OrganisationKind.PRO_SCHOOL, Role.USER),
        ("pro.beheerder", OrganisationKind.PRO_SCHOOL, Role.ADMIN),
        ("vso.gebruiker", OrganisationKind.VSO_SCHOOL, Role.USER),
        ("vo.decaan", OrganisationKind.VO_SCHOOL, Role.DEAN),
        ("vo.mentor", OrganisationKind.VO_SCHOOL, Role.MENTOR),
        ("mbo.gebruiker", OrganisationKind.MBO, Role.USER),
        ("gemeente.consulent", OrganisationKind.MUNICIPALITY, Role.TRANSITION_CONSULTANT),
        ("gemeente.beheerder", OrganisationKind.MUNICIPALITY, Role.ADMIN),
        ("werk.generalist", OrganisationKind.WORK_AND_INCOME, Role.GENERALIST),
        ("platform.beheer", OrganisationKind.PLATFORM, Role.PLATFORM_ADMIN),
    ]:
        user = users.get(email=f"{email}@demo.vangnet.nl")
        assert user.organisation.kind == kind
        assert user.has_role(role)
        assert user.check_password(DEMO_PASSWORD)
        assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 1
        assert user.email in out
    chain_partner_kinds = set(
        users.filter(organisation__kind__in=CHAIN_PARTNER_KINDS).values_list(
            "organisation__kind", flat=True
        )
    )
    assert chain_partner_kinds == set(CHAIN_PARTNER_KINDS)
    assert DEMO_PASSWORD in out and "demo_otp" in out and "demo-pro" in out

    designations = ContactDesignation.objects.filter(municipality__region=region)
    assert designations.count() == 3 * len(Perspective.values)
    assert set(designations.values_list("perspective", flat=True)) == set(Perspective.values)


@pytest.mark.django_db
def test_demo_youth_cover_every_enrolment_state():
    run("seed", "--scale", "demo")
    today = timezone.localdate()
    two_years_ago = today.replace(year=today.year - 2)
    youth = Youth.objects.filter(municipality__region__code=demo.REGION_CODE)
    assert 250 <= youth.count() <= 400
    assert youth.filter(bsn_index__isnull=True, onderwijsnummer__isnull=False).exists()
    assert youth.filter(secret_address=True, street="").exists()
    assert youth.filter(wlz_indication=True).exists()

    school = Enrolment.objects.filter(organisation__kind__in=SCHOOL_KINDS)
    assert school.filter(unenrolled_on__isnull=True, unenrolment_processed=False).exists()
    assert school.filter(unenrolled_on__gt=today, unenrolment_processed=False).exists()
    assert school.filter(unenrolment_processed=True, unenrolled_on__gte=two_years_ago).exists()
    assert school.filter(unenrolment_processed=True, unenrolled_on__lt=two_years_ago).exists()
    assert school.filter(leaving_year__isnull=False).exists()
    # Processed means the unenrolment date has passed, as the nightly job does it.
    assert not school.filter(unenrolment_processed=True, unenrolled_on__gte=today).exists()
    assert not school.filter(unenrolment_processed=True, unenrolled_on__isnull=True).exists()
    assert set(school.values_list("organisation__kind", flat=True)) == set(SCHOOL_KINDS)
    assert not school.filter(location__isnull=True).exists()

    entree = Enrolment.objects.filter(
        organisation__kind=OrganisationKind.MBO, organisation__has_entree=True
    )
    later = [
        e
        for e in entree.select_related("youth")
        if school.filter(youth=e.youth, unenrolled_on__lte=e.enrolled_on).exists()
    ]
    assert later, "some youth went on to Entree after leaving school"
    assert not entree.filter(supplied_bsn=True).exists()
    assert Youth.objects.annotate(n=Count("enrolments")).filter(n=0).count() == 0, (
        "every youth is enrolled somewhere"
    )

    # The school's own lists show them: Schoolgaand, Uitgeschreven and Entree are all filled.
    pro_user = User.objects.get(email="pro.gebruiker@demo.vangnet.nl")
    vo_user = User.objects.get(email="vo.decaan@demo.vangnet.nl")
    for state in ("schoolgaand", "uitgeschreven"):
        assert enrolment_list_for_user(user=pro_user, filters=YouthFilters(state=state)).exists()
    assert any(
        enrolment_list_for_user(user=u, filters=YouthFilters(state="entree")).exists()
        for u in (pro_user, vo_user, User.objects.get(email="vso.gebruiker@demo.vangnet.nl"))
    )
    consulent = User.objects.get(email="gemeente.consulent@demo.vangnet.nl")
    assert youth_list_for_user(user=consulent, filters=YouthFilters()).count() == youth.count()


@pytest.mark.django_db
def test_demo_seed_fills_the_school_dashboards_with_jikp_data():
    from vangnet.jikp.domain.perspectives import FINAL_STATUS, details_complete
    from vangnet.jikp.models import (
        Aanmelding,
        AanmeldingStatus,
        ContactPerson,
        PerspectiveChange,
        Samenwerking,
        SamenwerkingStatus,
        Traject,
        Uitstroomperspectief,
    )
    from vangnet.jikp.selectors import school_dashboard_counts

    run("seed", "--scale", "demo")
    pro_user = User.objects.get(email="pro.gebruiker@demo.vangnet.nl")
    counts = school_dashboard_counts(user=pro_user)
    assert counts["with_perspective"] > 0
    assert counts["to_handle"] > 0
    assert counts["samenwerkingen"] > 0
    assert counts["with_perspective"] < counts["schoolgoing"]

    active = Uitstroomperspectief.objects.filter(is_active=True)
    assert not active.values("youth").annotate(n=Count("pk")).filter(n__gt=1).exists()
    assert set(active.values_list("kind", flat=True)) == set(Perspective.values)
    assert active.filter(status__in=list(FINAL_STATUS.values())).exists()
    for p in active:
        details = {f.name: getattr(p, f.name) for f in Uitstroomperspectief._meta.fields}
        assert p.details_complete == details_complete(p.kind, details)
        last = PerspectiveChange.objects.filter(youth=p.youth).first()
        assert last is not None and (last.to_kind, last.to_status) == (p.kind, p.status)
    assert active.filter(details_complete=True).count() > active.count() // 2

    collaborations = Samenwerking.objects.all()
    assert not collaborations.filter(kind=Perspective.EDUCATION).exists()
    linked = collaborations.filter(status=SamenwerkingStatus.CONTACT_LINKED)
    assert linked.exists()
    for s in linked:
        assert ContactPerson.objects.filter(youth=s.youth, organisation=s.partner).exists()
        assert ContactDesignation.objects.filter(
            municipality=s.youth.municipality, perspective=s.kind, user__organisation=s.partner
        ).exists()
    assert Traject.objects.exists()
    assert Aanmelding.objects.filter(
        status=AanmeldingStatus.RUNNING, institution__code="demo-mbo"
    ).exists()
    staff = User.objects.filter(email__endswith="@demo.vangnet.nl", kind="staff")
    assert not staff.filter(phone="").exists()
    assert not staff.filter(job_title="").exists()

    before = Uitstroomperspectief.objects.count()
    run("seed", "--scale", "demo")
    assert Uitstroomperspectief.objects.count() == before


@pytest.mark.django_db
def test_every_seeded_bsn_passes_the_elfproef_and_is_stored_encrypted():
    run("seed", "--scale", "demo")
    seen = set()
    for y in Youth.objects.all():
        if y.bsn_index:
            bsn = y.bsn
            assert is_valid_bsn(bsn)
            assert bsn not in y.bsn_encrypted
            assert y.bsn_index == crypto.blind_index(bsn)
            assert y.onderwijsnummer is None
            seen.add(bsn)
        else:
            assert y.bsn_encrypted == ""
            assert is_valid_onderwijsnummer(y.onderwijsnummer)
    assert len(seen) > 200
    # No column of the youth table holds a BSN in clear.
    with connection.cursor() as cur:
        cur.execute(f"SELECT * FROM {Youth._meta.db_table}")  # noqa: S608
        cells = {str(c) for row in cur.fetchall() for c in row}
    assert not (seen & cells)


@pytest.mark.django_db
def test_demo_seed_is_rerunnable_and_reset_rebuilds_only_the_demo_region():
    other_school = OrganisationFactory(kind=OrganisationKind.VO_SCHOOL)
    outsider = EnrolmentFactory(organisation=other_school, youth=YouthFactory()).youth

    run("seed", "--scale", "demo")
    first = demo_counts()
    region_pk = Region.objects.get(code=demo.REGION_CODE).pk
    code = TOTPDevice.objects.get(user__email="vo.mentor@demo.vangnet.nl").key

    out = run("seed", "--scale", "demo")
    assert "already exists" in out
    assert "vo.mentor@demo.vangnet.nl" in out  # the logins are printed again
    assert demo_counts() == first

    out = run("seed", "--scale", "demo", "--reset")
    assert "created" in out
    assert demo_counts() == first
    assert Region.objects.get(code=demo.REGION_CODE).pk != region_pk
    # The same TOTP secret again: an authenticator app that scanned it keeps working.
    assert TOTPDevice.objects.get(user__email="vo.mentor@demo.vangnet.nl").key == code
    # Nothing outside the demo region was touched.
    assert Youth.objects.filter(pk=outsider.pk).exists()
    assert Organisation.objects.filter(pk=other_school.pk).exists()


@pytest.mark.django_db
def test_demo_seed_refuses_half_a_demo_region():
    UserFactory(email="achtergebleven@demo.vangnet.nl")
    with pytest.raises(CommandError, match="--reset"):
        run("seed", "--scale", "demo")
    assert not Region.objects.filter(code=demo.REGION_CODE).exists()
    run("seed", "--scale", "demo", "--reset")
    assert Region.objects.filter(code=demo.REGION_CODE).exists()
    assert not User.objects.filter(email="achtergebleven@demo.vangnet.nl").exists()


# --- demo_otp -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_otp_prints_a_code_the_device_accepts():
    run("seed", "--scale", "demo")
    code = run("demo_otp", "Gemeente.Consulent@demo.vangnet.nl").strip()
    assert len(code) == 6 and code.isdigit()
    device = TOTPDevice.objects.get(user__email="gemeente.consulent@demo.vangnet.nl")
    assert device.verify_token(code)


@pytest.mark.django_db
def test_demo_otp_refuses_unknown_and_non_demo_accounts():
    run("seed", "--scale", "demo")
    with pytest.raises(CommandError, match="No demo account"):
        run("demo_otp", "niemand@demo.vangnet.nl")
    with pytest.raises(CommandError, match="not a demo account"):
        run("demo_otp", "someone@example.org")


@pytest.mark.django_db
def test_demo_otp_refuses_outside_demo_mode(settings):
    run("seed", "--scale", "demo")
    settings.DEMO = False
    with pytest.raises(CommandError, match="demo mode"):
        run("demo_otp", "pro.gebruiker@demo.vangnet.nl")


def test_demo_otp_exits_non_zero_outside_demo_mode():
    """As a real process without VANGNET_DEMO: a clear message and a non-zero exit status."""
    env = {k: v for k, v in os.environ.items() if k not in {"VANGNET_DEMO", "VANGNET_TESTING"}}
    env["VANGNET_SECRET_KEY"] = "a-production-like-secret-key-for-this-test-only-0123456789"
    env["VANGNET_FIELD_KEY"] = "a-production-like-field-key-for-this-test-only"
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from vangnet.manage import main; main()",
            "demo_otp",
            "pro.gebruiker@demo.vangnet.nl",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode != 0
    assert "demo mode" in proc.stderr
    assert proc.stdout.strip() == ""


# --- national scale -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_national_seed():
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            run("seed", "--scale", "national", "--youth", "2000")
        assert not Youth.objects.exists()
        return

    out = run("seed", "--scale", "national", "--youth", "2000", "--workers", "1")
    assert "National data loaded: 2,000 youth" in out
    regions = Region.objects.filter(code__startswith="N")
    assert regions.count() == national.REGION_COUNT
    for region in regions:
        assert region.municipalities.count() >= 4
        kinds = set(region.organisations.values_list("kind", flat=True))
        assert kinds == set(OrganisationKind.values) - {OrganisationKind.PLATFORM}
    assert Youth.objects.count() == 2000
    enrolments = Enrolment.objects.all()
    assert enrolments.count() > 2000
    assert not enrolments.filter(unenrolled_on__lt=F("enrolled_on")).exists()
    assert enrolments.filter(organisation__has_entree=True).exists()
    assert Youth.objects.filter(bsn_index__isnull=True, onderwijsnummer__isnull=False).exists()
    for y in Youth.objects.order_by("?")[:300]:
        if y.bsn_index:
            assert is_valid_bsn(y.bsn) and y.bsn_index == crypto.blind_index(y.bsn)
            assert y.bsn not in y.bsn_encrypted
        else:
            assert is_valid_onderwijsnummer(y.onderwijsnummer)

    school_user = User.objects.get(email=national.account_email("pro.gebruiker", 1))
    consulent = User.objects.get(email=national.account_email("gemeente.consulent", 1))
    assert enrolment_list_for_user(user=school_user, filters=YouthFilters()).exists()
    assert youth_list_for_user(user=consulent, filters=YouthFilters()).exists()
    code = run("demo_otp", school_user.email).strip()
    assert TOTPDevice.objects.get(user=school_user).verify_token(code)

    with pytest.raises(CommandError, match="--reset"):
        run("seed", "--scale", "national", "--youth", "2000")
    out = run("seed", "--scale", "national", "--youth", "1000", "--reset")
    assert Youth.objects.count() == 1000
    assert Region.objects.filter(code__startswith="N").count() == national.REGION_COUNT


@pytest.mark.django_db
def test_national_seed_leaves_the_demo_region_alone():
    run("seed", "--scale", "demo")
    demo_youth = Youth.objects.count()
    if connection.vendor != "postgresql":
        with pytest.raises(CommandError, match="needs PostgreSQL"):
            run("seed", "--scale", "national", "--youth", "500")
        return
    run("seed", "--scale", "national", "--youth", "500")
    run("seed", "--scale", "national", "--youth", "500", "--reset")
    assert Youth.objects.count() == demo_youth + 500
    assert Youth.objects.filter(municipality__region__code=demo.REGION_CODE).count() == demo_youth


def test_national_dates_are_sane():
    """The plans never put an unenrolment before the enrolment, and processed means past."""
    rng = random.Random(1)
    today = dt.date(2026, 8, 25)
    for _ in range(5000):
        p = plans.plan(rng, today)
        for stay in (p.school, p.entree):
            if stay is None:
                continue
            assert stay.enrolled_on <= today
            assert stay.unenrolled_on is None or stay.unenrolled_on >= stay.enrolled_on
            assert stay.processed == (stay.unenrolled_on is not None and stay.unenrolled_on < today)
        assert p.person.birth_date < p.school.enrolled_on

"""The MBO's view of completed transfer dossiers: only its own applicants, only when it takes part
in the DDD, with the OPP / contact flags and the PDF, every read audited, never a BSN."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils.html import escape

from conftest import login_verified
from tests.factories import AanmeldingFactory, OrganisationFactory, UserFactory
from vangnet.accounts.models import Role
from vangnet.audit.models import AuditEvent
from vangnet.dossiers.models import Answer, Dossier
from vangnet.jikp.models import AanmeldingStatus
from vangnet.organisations.models import OrganisationKind

from .helpers import make_student, pdf_text, walk_to

pytestmark = pytest.mark.django_db

LIST = reverse("ddd_mbo:list")


def detail_url(dossier: Dossier) -> str:
    return reverse("ddd_mbo:detail", args=[dossier.pk])


def pdf_url(dossier: Dossier) -> str:
    return reverse("ddd_mbo:pdf", args=[dossier.pk])


def set_answer(dossier: Dossier, key: str, value) -> None:
    Answer.objects.filter(dossier=dossier, question__key=key).update(value=value)


@pytest.fixture(autouse=True)
def _quick_completion_mail(monkeypatch):
    """The completion mail's PDF is tested with the services; here only the MBO's own PDF, which
    is rendered for real."""
    monkeypatch.setattr("vangnet.dossiers.services.dossier_pdf", lambda **kwargs: b"%PDF-1.7 test")


@pytest.fixture
def w(world):
    world.mbo.takes_part_in_ddd = True
    world.mbo.save(update_fields=["takes_part_in_ddd"])
    world.mentor = world.users["vo_mentor"]
    world.mbo_user = world.users["mbo_gebruiker"]
    world.other_mbo = OrganisationFactory(
        kind=OrganisationKind.MBO,
        name="ROC Elders",
        municipality=world.gem_a,
        region=world.region,
        takes_part_in_ddd=True,
    )
    world.other_mbo_user = UserFactory(organisation=world.other_mbo, roles=[Role.USER])
    return world


def completed(w, *, institution=None, programme="Verzorgende IG", tie=False, **youth):
    """A completed dossier of a new student who applied to `institution` (default: w.mbo)."""
    student = make_student(w.vo, **youth)
    aanmelding = AanmeldingFactory(
        youth=student.youth, institution=institution or w.mbo, programme=programme
    )
    dossier = walk_to("afgerond", student=student, mentor=w.mentor)
    if tie:
        dossier.aanmelding = aanmelding
        dossier.save(update_fields=["aanmelding"])
    dossier.student = student
    dossier.application = aanmelding
    return dossier


def test_list_shows_completed_dossiers_of_applicants_with_flags(client, w):
    warm = completed(w, programme="Kok", first_name="Anouk")
    cold = completed(w, programme="Timmerman", first_name="Bram")
    set_answer(cold, "warme_overdracht", False)
    Answer.objects.filter(dossier=cold, question__key="contact_mbo_gewenst").delete()
    login_verified(client, w.mbo_user)
    response = client.get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    for dossier in (warm, cold):
        assert escape(dossier.student.youth.full_name) in html
        assert detail_url(dossier) in html
        assert pdf_url(dossier) in html
    assert "Kok" in html and "Timmerman" in html
    assert escape(w.vo.name) in html
    rows = {d.pk: d for d in response.context["rows"]}
    assert (rows[warm.pk].warm_handover, rows[warm.pk].contact_wanted) == (True, True)
    assert (rows[cold.pk].warm_handover, rows[cold.pk].contact_wanted) == (False, None)


def test_list_leaves_out_running_and_foreign_dossiers_but_keeps_archived_ones(client, w):
    shown = completed(w)
    running_student = make_student(w.vo)
    AanmeldingFactory(youth=running_student.youth, institution=w.mbo)
    running = walk_to("akkoordverklaring", student=running_student, mentor=w.mentor)
    # Archived by the school after completion: the MBO keeps it (issue 8).
    archived = completed(w)
    Dossier.objects.filter(pk=archived.pk).update(archived=True, archived_at=archived.completed_at)
    elsewhere = completed(w, institution=w.other_mbo)
    no_application = walk_to("afgerond", student=make_student(w.vo), mentor=w.mentor)
    login_verified(client, w.mbo_user)
    response = client.get(LIST)
    assert sorted(d.pk for d in response.context["rows"]) == sorted([shown.pk, archived.pk])
    assert client.get(detail_url(archived)).status_code == 200
    for hidden in (running, elsewhere, no_application):
        assert client.get(detail_url(hidden)).status_code == 404
        assert client.get(pdf_url(hidden)).status_code == 404


def test_other_mbo_never_sees_these_applicants(client, w):
    dossier = completed(w)
    login_verified(client, w.other_mbo_user)
    assert list(client.get(LIST).context["rows"]) == []
    assert client.get(detail_url(dossier)).status_code == 404
    assert client.get(pdf_url(dossier)).status_code == 404


def test_dossier_tied_to_an_application_elsewhere_stays_there(client, w):
    dossier = completed(w, institution=w.other_mbo, tie=True)
    # The student also applied here, but the dossier goes with the other application.
    AanmeldingFactory(youth=dossier.youth, institution=w.mbo)
    login_verified(client, w.mbo_user)
    assert list(client.get(LIST).context["rows"]) == []
    assert client.get(detail_url(dossier)).status_code == 404
    login_verified(client, w.other_mbo_user)
    assert client.get(detail_url(dossier)).status_code == 200


def test_withdrawn_application_hides_the_dossier(client, w):
    dossier = completed(w)
    dossier.application.status = AanmeldingStatus.WITHDRAWN
    dossier.application.save(update_fields=["status"])
    login_verified(client, w.mbo_user)
    assert list(client.get(LIST).context["rows"]) == []
    assert client.get(detail_url(dossier)).status_code == 404


def test_mbo_not_taking_part_is_refused(client, w):
    dossier = completed(w)
    w.mbo.takes_part_in_ddd = False
    w.mbo.save(update_fields=["takes_part_in_ddd"])
    login_verified(client, w.mbo_user)
    for url in (LIST, detail_url(dossier), pdf_url(dossier)):
        assert client.get(url).status_code == 403


@pytest.mark.parametrize("who", ["vo_mentor", "vo_decaan", "gemeente_consulent", "platformbeheer"])
def test_other_kinds_of_user_are_refused(client, w, who):
    dossier = completed(w)
    login_verified(client, w.users[who])
    for url in (LIST, detail_url(dossier), pdf_url(dossier)):
        assert client.get(url).status_code == 403


def test_student_is_refused(client, w):
    dossier = completed(w)
    client.force_login(dossier.student.user)
    for url in (LIST, detail_url(dossier), pdf_url(dossier)):
        assert client.get(url).status_code in (302, 403)


def test_anonymous_visitor_is_sent_to_sign_in(client, w):
    assert client.get(LIST).status_code == 302


def test_detail_shows_the_whole_dossier_with_contact_answers_on_top(client, w):
    dossier = completed(w, programme="Kok")
    Answer.objects.filter(dossier=dossier, question__key="advies_toelichting").update(
        value="Een unieke toelichting van de mentor."
    )
    login_verified(client, w.mbo_user)
    response = client.get(detail_url(dossier))
    assert response.status_code == 200
    html = response.content.decode()
    assert escape(dossier.student.youth.full_name) in html
    assert "Een unieke toelichting van de mentor." in html
    assert "Is er sprake van een warme overdracht van een zorgdossier?" in html
    keys = [q.key for q in response.context["highlights"]]
    assert keys[:3] == ["opp", "warme_overdracht", "contact_mbo_gewenst"]
    # The highlights come before the dossier itself.
    assert html.index("highlights-heading") < html.index("step-")
    assert "J. de Vries" in html  # the guardian's consent
    assert "Kok" in html
    assert pdf_url(dossier) in html


def test_bsn_is_never_shown(client, w):
    dossier = completed(w)
    bsn = dossier.student.youth.bsn
    assert len(bsn) == 9
    login_verified(client, w.mbo_user)
    for url in (LIST, detail_url(dossier)):
        html = client.get(url).content.decode()
        assert bsn not in html
        assert bsn[-4:] not in html


def test_bsn_search_is_refused_with_a_notice(client, w):
    dossier = completed(w)
    login_verified(client, w.mbo_user)
    response = client.get(LIST, {"q": dossier.student.youth.bsn})
    assert response.status_code == 200
    assert response.context["bsn_refused"]
    assert dossier.student.youth.bsn not in response.content.decode()
    assert [d.pk for d in response.context["rows"]] == [dossier.pk]


def test_filters_on_flags_and_name(client, w):
    warm = completed(w, first_name="Zoë", last_name="Zandvoort")
    cold = completed(w, first_name="Yara", last_name="Yperen")
    set_answer(cold, "warme_overdracht", False)
    set_answer(cold, "contact_mbo_gewenst", False)
    login_verified(client, w.mbo_user)

    def shown(**params):
        return [d.pk for d in client.get(LIST, params).context["rows"]]

    assert shown(warm="ja") == [warm.pk]
    assert shown(warm="nee") == [cold.pk]
    assert shown(contact="nee") == [cold.pk]
    assert shown(q="zandv") == [warm.pk]
    assert shown(q="Yara Yperen") == [cold.pk]
    assert sorted(shown(warm="onzin")) == sorted([warm.pk, cold.pk])  # invalid value ignored
    assert shown(page="abc") != []


def test_list_pages(client, w, settings):
    from vangnet.dossiers import views_mbo

    dossiers = [completed(w) for _ in range(3)]
    login_verified(client, w.mbo_user)
    views_mbo.PAGE_SIZE, old = 2, views_mbo.PAGE_SIZE
    try:
        first = client.get(LIST)
        second = client.get(LIST, {"page": 2})
        beyond = client.get(LIST, {"page": 99})
    finally:
        views_mbo.PAGE_SIZE = old
    assert len(first.context["rows"]) == 2
    assert "page=2" in first.context["next_url"]
    assert len(second.context["rows"]) == 1
    assert [d.pk for d in beyond.context["rows"]] == [d.pk for d in second.context["rows"]]
    seen = {d.pk for d in first.context["rows"]} | {d.pk for d in second.context["rows"]}
    assert seen == {d.pk for d in dossiers}


def test_list_query_count_does_not_grow(client, w, django_assert_max_num_queries):
    completed(w)
    login_verified(client, w.mbo_user)
    client.get(LIST)  # warm up sessions and caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(LIST)
    for _ in range(4):
        completed(w)
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(LIST)
    assert len(response.context["rows"]) == 5


def test_list_and_reads_are_audited(client, w):
    first, second = completed(w), completed(w)
    login_verified(client, w.mbo_user)

    def views_after(mark):
        return AuditEvent.objects.filter(pk__gt=mark, user_id=w.mbo_user.pk, action="view")

    def mark():
        return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    before = mark()
    client.get(LIST)
    assert sorted(e.youth_id for e in views_after(before)) == sorted(
        [first.youth_id, second.youth_id]
    )
    before = mark()
    client.get(detail_url(first))
    assert list(views_after(before).values_list("youth_id", "object_id")) == [
        (first.youth_id, str(first.pk))
    ]
    before = mark()
    response = client.get(pdf_url(first))
    # A PDF leaves the system: audited as an export, like the school's and the student's PDFs.
    exports = AuditEvent.objects.filter(pk__gt=before, user_id=w.mbo_user.pk, action="export")
    assert list(exports.values_list("youth_id", flat=True)) == [first.youth_id]
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)  # the real PDF (it was a stub before)
    assert first.student.youth.full_name in text and first.student.enrolment.student_number in text
    assert "Een langer antwoord over deze vraag." in text and "MBO College Aastad" in text
    assert f"doorstroomdossier-{first.pk}-volledig.pdf" in response["Content-Disposition"]


def test_post_is_not_allowed(client, w):
    login_verified(client, w.mbo_user)
    assert client.post(LIST).status_code == 405


def test_menu_offers_the_dossiers_only_to_an_mbo_taking_part(client, w):
    login_verified(client, w.mbo_user)
    assert LIST in client.get(reverse("core:home")).content.decode()
    w.mbo.takes_part_in_ddd = False
    w.mbo.save(update_fields=["takes_part_in_ddd"])
    assert LIST not in client.get(reverse("core:home")).content.decode()

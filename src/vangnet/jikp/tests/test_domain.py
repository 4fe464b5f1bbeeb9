import pytest

from vangnet.jikp.domain import perspectives as rules
from vangnet.jikp.domain.perspectives import Kind, Reason, Situation, Status
from vangnet.jikp.models import PerspectiveStatus


def test_model_statuses_mirror_the_domain():
    assert set(PerspectiveStatus.values) == {s.value for s in Status}


@pytest.mark.parametrize(
    ("kind", "final"),
    [
        (Kind.EDUCATION, Status.EDU_FINAL),
        (Kind.WORK, Status.WORK_CONTRACT),
        (Kind.DAY_CARE, Status.DAY_FINAL),
    ],
)
def test_final_status_per_perspective(kind, final):
    assert rules.is_final(kind, final)
    assert not rules.is_final(kind, rules.INITIAL_STATUS[kind])
    assert rules.FINAL_STATUS[kind] == final


def test_status_of_another_perspective_is_not_allowed():
    assert rules.status_allowed(Kind.WORK, Status.WORK_TRIAL)
    assert not rules.status_allowed(Kind.WORK, Status.DAY_FINAL)


def test_every_status_starts_with_its_kind():
    for kind, statuses in rules.STATUSES.items():
        assert all(s.value.startswith(kind.value) for s in statuses)


def test_details_complete_needs_every_required_field():
    assert rules.details_complete(
        Kind.EDUCATION, {"institution": "ROC", "programme": "Zorg", "level": "2"}
    )
    assert not rules.details_complete(
        Kind.EDUCATION, {"institution": "ROC", "programme": "", "level": "2"}
    )
    assert not rules.details_complete(
        Kind.WORK, {"employer": "Bakker", "job": None, "contract_type": "x"}
    )


def test_youth_without_anything_has_two_reasons():
    assert rules.reasons_to_handle(Situation(False, None, False, None)) == [
        Reason.NO_CONTACT,
        Reason.NO_PERSPECTIVE,
    ]


def test_youth_with_everything_final_leaves_the_list():
    situation = Situation(True, Kind.DAY_CARE, True, Status.DAY_FINAL)
    assert rules.reasons_to_handle(situation) == []


def test_missing_details_and_non_final_status_are_reported():
    assert rules.reasons_to_handle(Situation(True, Kind.WORK, False, Status.WORK_TRIAL)) == [
        Reason.DETAILS_MISSING,
        Reason.NOT_FINAL,
    ]
    assert rules.reasons_to_handle(Situation(True, Kind.WORK, True, None)) == [Reason.NOT_FINAL]


def test_leaving_year_label_and_range():
    assert rules.leaving_year_label(2022) == "2021/2022"
    assert rules.leaving_year_valid(2027, current_year=2026)
    assert not rules.leaving_year_valid(1990, current_year=2026)
    assert not rules.leaving_year_valid(2050, current_year=2026)

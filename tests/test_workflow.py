"""The one state machine every app uses (danvan.workflow), on a real model."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from danvan.audit.models import AuditEvent
from danvan.workflow import StaleEdit, save_versioned
from models_registry.models import Registration
from models_registry.services import WORKFLOW

Status = Registration.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(org, unit, unit_officer):
    from campaigns.models import Campaign
    from tests.factories import CampaignFactory, RegistrationFactory

    campaign = CampaignFactory(organization=org, status=Campaign.Status.ISSUED)
    return RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)


def _events(registration):
    return list(
        AuditEvent.objects.filter(object_id=str(registration.pk)).values_list("action", flat=True)
    )


def test_a_move_updates_the_status_counts_the_version_and_audits(submitted, office_user):
    version = submitted.version
    with transaction.atomic():
        WORKFLOW.move(actor=office_user, obj=submitted, to=Status.ACCEPTED)
    stored = Registration.objects.get(pk=submitted.pk)
    assert stored.status == Status.ACCEPTED
    assert stored.version == version + 1
    assert submitted.status == Status.ACCEPTED
    assert submitted.version == version + 1  # the caller's copy is current
    assert _events(submitted) == ["registration.accepted"]


def test_a_move_not_in_the_table_is_refused_and_changes_nothing(submitted, unit_officer):
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        WORKFLOW.move(actor=unit_officer, obj=submitted, to=Status.REPLICATED)
    assert refused.value.code == "transition"
    assert "Không thể chuyển mô hình" in refused.value.messages[0]
    assert Registration.objects.get(pk=submitted.pk).status == Status.SUBMITTED
    assert _events(submitted) == []


def test_an_actor_the_rule_refuses_gets_permission_denied(submitted, unit_officer, outsider):
    for actor in (unit_officer, outsider):
        with pytest.raises(PermissionDenied), transaction.atomic():
            WORKFLOW.move(actor=actor, obj=submitted, to=Status.ACCEPTED)
    assert Registration.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_a_move_that_needs_a_reason_refuses_a_blank_one(submitted, office_user):
    with pytest.raises(ValidationError) as refused, transaction.atomic():
        WORKFLOW.move(actor=office_user, obj=submitted, to=Status.RETURNED, reason="  ")
    assert "reason" in refused.value.error_dict
    assert Registration.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_a_move_made_on_a_stale_status_loses_to_the_one_that_won(submitted, office_user):
    stale = Registration.objects.get(pk=submitted.pk)
    with transaction.atomic():
        WORKFLOW.move(actor=office_user, obj=submitted, to=Status.ACCEPTED)
    with pytest.raises(ValidationError) as lost, transaction.atomic():
        WORKFLOW.move(actor=office_user, obj=stale, to=Status.REJECTED, reason="Trùng")
    assert lost.value.code == "conflict"
    assert Registration.objects.get(pk=submitted.pk).status == Status.ACCEPTED
    assert _events(submitted) == ["registration.accepted"]


def test_after_commit_callbacks_run_on_commit_only(
    submitted, office_user, django_capture_on_commit_callbacks
):
    calls = []

    def accept_then_fail():
        with transaction.atomic():
            WORKFLOW.move(
                actor=office_user,
                obj=Registration.objects.get(pk=submitted.pk),
                to=Status.ACCEPTED,
                after_commit=[lambda: calls.append("rolled back")],
            )
            raise RuntimeError

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        accept_then_fail()
    assert calls == []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        WORKFLOW.move(
            actor=office_user,
            obj=Registration.objects.get(pk=submitted.pk),
            to=Status.ACCEPTED,
            after_commit=[lambda: calls.append("committed")],
        )
    assert calls == ["committed"]


@pytest.mark.django_db(transaction=True)
def test_a_move_outside_a_transaction_is_a_programming_error(submitted, office_user):
    from django.db.transaction import TransactionManagementError

    with pytest.raises(TransactionManagementError):
        WORKFLOW.move(actor=office_user, obj=submitted, to=Status.ACCEPTED)


def test_buttons_are_the_labelled_moves_the_user_may_make(submitted, office_user, unit_officer):
    office_buttons = [move.target for move in WORKFLOW.buttons(office_user, submitted)]
    assert office_buttons == [Status.ACCEPTED, Status.RETURNED, Status.REJECTED]
    assert WORKFLOW.buttons(unit_officer, submitted) == []
    submitted.status = Status.RETURNED
    assert [move.target for move in WORKFLOW.buttons(unit_officer, submitted)] == [Status.SUBMITTED]


def test_save_versioned_refuses_a_change_made_on_an_older_version(submitted):
    fresh = Registration.objects.get(pk=submitted.pk)
    fresh.name = "Tên mới"
    save_versioned(fresh, ["name"], expected_version=submitted.version)
    submitted.name = "Tên cũ đè lên"
    with pytest.raises(StaleEdit):
        save_versioned(submitted, ["name"], expected_version=submitted.version)
    assert Registration.objects.get(pk=submitted.pk).name == "Tên mới"

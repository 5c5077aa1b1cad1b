from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from danvan.audit.models import AuditEvent
from danvan.workflow import StaleEdit
from models_registry import services
from models_registry.models import Field, Registration
from tests.factories import CampaignFactory, RegistrationFactory, UnitFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status


def registration_data(campaign, **extra):
    data = {
        "name": "Mô hình hướng dẫn công dân sử dụng dịch vụ công trực tuyến",
        "field": Field.objects.get(organization=campaign.organization, code="political_system"),
        "situation": "Người dân còn ngại làm thủ tục trực tuyến.",
        "objectives": "Tăng tỷ lệ hồ sơ trực tuyến.",
        "success_measures": "70% hồ sơ nộp trực tuyến.",
        "content_methods": "Cử đoàn viên hướng dẫn tại Bộ phận một cửa.",
        "area": "Phường Phổ Minh",
        "beneficiaries": "Người dân đến làm thủ tục",
        "person_in_charge": "Trần Văn Hùng",
        "start_date": date(2025, 4, 1),
        "evaluation_date": date(2025, 11, 30),
        "expected_outputs": "Người dân tự nộp hồ sơ.",
        "sustainability": "Duy trì thường xuyên.",
        "budget_vnd": 5_000_000,
    }
    data.update(extra)
    return data


def test_a_unit_officer_registers_a_model_with_the_campaigns_next_code(
    campaign, unit, unit_officer, other_unit
):
    first = services.registration_create(
        actor=unit_officer, campaign=campaign, unit=unit, data=registration_data(campaign)
    )
    second = services.registration_create(
        actor=unit_officer,
        campaign=campaign,
        unit=unit,
        data=registration_data(campaign, name="Mô hình thứ hai"),
        partners=[{"unit": other_unit, "role": "Tuyên truyền"}],
        milestones=[{"due_on": date(2025, 6, 30), "description": "Sơ kết"}],
    )
    assert (first.code, second.code) == ("DVK-2025-001", "DVK-2025-002")
    assert first.status == Status.DRAFT
    assert second.partners.get().unit == other_unit
    assert second.milestones.get().description == "Sơ kết"
    assert "dich vu cong truc tuyen" in first.search_text


def test_two_campaigns_of_one_year_number_their_models_in_one_series(
    campaign, unit, unit_officer, other_org
):
    thematic = CampaignFactory(
        organization=campaign.organization, year=2025, form="thematic", status="issued"
    )
    next_year = CampaignFactory(organization=campaign.organization, year=2026, status="issued")
    elsewhere = CampaignFactory(organization=other_org, year=2025, status="issued")
    RegistrationFactory(campaign=elsewhere, unit=UnitFactory(organization=other_org))
    codes = [
        services.registration_create(
            actor=unit_officer, campaign=each, unit=unit, data=registration_data(each)
        ).code
        for each in (campaign, thematic, campaign, next_year)
    ]
    assert codes == ["DVK-2025-001", "DVK-2025-002", "DVK-2025-003", "DVK-2026-001"]


def test_an_officer_cannot_register_for_another_unit(campaign, unit_officer, other_unit):
    with pytest.raises(PermissionDenied):
        services.registration_create(
            actor=unit_officer, campaign=campaign, unit=other_unit, data=registration_data(campaign)
        )


def test_a_partner_from_another_organisation_is_refused(campaign, unit, unit_officer, other_org):
    foreign = UnitFactory(organization=other_org)
    with pytest.raises(ValidationError):
        services.registration_create(
            actor=unit_officer,
            campaign=campaign,
            unit=unit,
            data=registration_data(campaign),
            partners=[{"unit": foreign, "role": "x"}],
        )


def test_the_full_workflow_submit_return_resubmit_accept(
    registration, unit_officer, office_user, during_registration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_transition(
            actor=unit_officer, registration=registration, to=Status.SUBMITTED
        )
    assert [m.to for m in mail.outbox] == [[office_user.email]]
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_transition(
            actor=office_user,
            registration=registration,
            to=Status.RETURNED,
            reason="Cần chỉ tiêu đo được.",
        )
    assert mail.outbox[-1].to == [unit_officer.email]
    assert "Cần chỉ tiêu đo được." in mail.outbox[-1].body
    assert "/registrations/" in mail.outbox[-1].body
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    services.registration_transition(
        actor=office_user, registration=registration, to=Status.ACCEPTED
    )
    registration.refresh_from_db()
    assert registration.status == Status.ACCEPTED
    actions = list(
        AuditEvent.objects.filter(object_id=str(registration.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [
        "registration.submitted",
        "registration.returned",
        "registration.submitted",
        "registration.accepted",
    ]


def test_returning_rejecting_and_withdrawing_need_a_reason(
    registration, office_user, during_registration, unit_officer
):
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    with pytest.raises(ValidationError) as caught:
        services.registration_transition(
            actor=office_user, registration=registration, to=Status.RETURNED, reason="  "
        )
    assert caught.value.message_dict["reason"] == ["Hãy ghi lý do."]


def test_who_may_make_each_move(
    registration, unit_officer, other_unit_officer, office_user, chairman, during_registration
):
    for user in (other_unit_officer, office_user, chairman):
        with pytest.raises(PermissionDenied):
            services.registration_transition(
                actor=user, registration=registration, to=Status.SUBMITTED
            )
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    for user in (unit_officer, chairman):
        with pytest.raises(PermissionDenied):
            services.registration_transition(
                actor=user, registration=registration, to=Status.ACCEPTED
            )


def test_moves_not_in_the_table_are_refused(registration, office_user):
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.registration_transition(
            actor=office_user, registration=registration, to=Status.ACCEPTED
        )


def test_submitting_after_the_deadline_needs_a_late_exception(
    registration, campaign, unit, unit_officer, office_user, after_deadline
):
    with pytest.raises(ValidationError, match="hết hạn đăng ký"):
        services.registration_transition(
            actor=unit_officer, registration=registration, to=Status.SUBMITTED
        )
    services.late_exception_grant(
        actor=office_user, campaign=campaign, unit=unit, expires_on=date(2025, 4, 17)
    )
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    assert Registration.objects.get(pk=registration.pk).status == Status.SUBMITTED


def test_a_late_exception_of_another_unit_does_not_help(
    registration, campaign, other_unit, unit_officer, office_user, after_deadline
):
    services.late_exception_grant(
        actor=office_user, campaign=campaign, unit=other_unit, expires_on=date(2025, 4, 17)
    )
    with pytest.raises(ValidationError):
        services.registration_transition(
            actor=unit_officer, registration=registration, to=Status.SUBMITTED
        )


def test_a_returned_model_may_be_resubmitted_after_the_deadline(
    registration, unit_officer, office_user
):
    import time_machine

    with time_machine.travel(date(2025, 3, 30), tick=False):
        services.registration_transition(
            actor=unit_officer, registration=registration, to=Status.SUBMITTED
        )
        services.registration_transition(
            actor=office_user, registration=registration, to=Status.RETURNED, reason="Bổ sung"
        )
    with time_machine.travel(date(2025, 4, 20), tick=False):
        services.registration_transition(
            actor=unit_officer, registration=registration, to=Status.SUBMITTED
        )
    assert Registration.objects.get(pk=registration.pk).status == Status.SUBMITTED


def test_a_move_from_a_stale_status_changes_nothing(
    registration, unit_officer, office_user, during_registration
):
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    stale = Registration.objects.get(pk=registration.pk)
    services.registration_transition(
        actor=office_user, registration=registration, to=Status.ACCEPTED
    )
    with pytest.raises(ValidationError):
        services.registration_transition(
            actor=office_user, registration=stale, to=Status.RETURNED, reason="Muộn"
        )
    assert Registration.objects.get(pk=registration.pk).status == Status.ACCEPTED
    assert AuditEvent.objects.filter(action="registration.returned").count() == 0


def test_only_drafts_and_returned_models_change(registration, unit_officer, during_registration):
    services.registration_update(
        actor=unit_officer, registration=registration, data={"name": "Tên mới"}, expected_version=1
    )
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    with pytest.raises(ValidationError, match="chỉ sửa được"):
        services.registration_update(
            actor=unit_officer,
            registration=registration,
            data={"name": "Khác"},
            expected_version=None,
        )


def test_an_edit_on_an_old_version_is_refused(registration, unit_officer):
    services.registration_update(
        actor=unit_officer, registration=registration, data={"name": "Bản A"}, expected_version=1
    )
    with pytest.raises(StaleEdit):
        services.registration_update(
            actor=unit_officer,
            registration=registration,
            data={"name": "Bản B"},
            expected_version=1,
        )
    assert Registration.objects.get(pk=registration.pk).name == "Bản A"


def test_recognition_and_replication_follow_acceptance(
    registration, unit_officer, office_user, during_registration
):
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    services.registration_transition(
        actor=office_user, registration=registration, to=Status.ACCEPTED
    )
    services.registration_transition(
        actor=office_user, registration=registration, to=Status.RECOGNISED
    )
    services.registration_transition(
        actor=office_user, registration=registration, to=Status.REPLICATED
    )
    assert Registration.objects.get(pk=registration.pk).status == Status.REPLICATED


def test_a_comment_from_the_unit_mails_the_office_and_one_from_the_office_mails_the_unit(
    registration, unit_officer, office_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(
            actor=unit_officer, registration=registration, body="Xin hướng dẫn thêm."
        )
    assert mail.outbox[-1].to == [office_user.email]
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_add(actor=office_user, registration=registration, body="Bổ sung số liệu.")
    assert mail.outbox[-1].to == [unit_officer.email]
    assert "Bổ sung số liệu." in mail.outbox[-1].body


def test_registrations_factory_builds_a_consistent_record(registration):
    assert (
        registration.organization
        == registration.campaign.organization
        == registration.unit.organization
    )
    assert RegistrationFactory.build().code.startswith("DVK-")


def test_a_returned_model_is_a_notification_in_the_portal_mailed_as_the_officer_chose(
    registration, unit_officer, office_user, during_registration, django_capture_on_commit_callbacks
):
    from notifications.messages import message
    from notifications.models import EmailPreference, Frequency, Kind, Notification

    EmailPreference.objects.create(
        user=unit_officer, kind=Kind.REGISTRATION_MOVED, frequency=Frequency.NEVER
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_transition(
            actor=unit_officer, registration=registration, to=Status.SUBMITTED
        )
        services.registration_transition(
            actor=office_user, registration=registration, to=Status.RETURNED, reason="Thiếu ảnh."
        )
    [told] = Notification.objects.filter(recipient=unit_officer)
    # "Mô hình dịch vụ công trực tuyến": named once, not "mô hình “Mô hình …”".
    assert message(told) == (
        f"Văn phòng trả lại mô hình dịch vụ công trực tuyến ({registration.code}) để bổ sung: "
        "Thiếu ảnh. Hãy bổ sung rồi gửi lại."
    )
    with translation.override("en"):
        assert message(told).startswith(
            f"The office returned the model “{registration.name}” ({registration.code})"
        )
    assert told.url == reverse("models_registry:detail", args=[registration.pk])
    assert [m.to for m in mail.outbox] == [[office_user.email]]  # the submission, not the return
    assert "Đổi cách nhận e-mail thông báo" in mail.outbox[0].body
    # Sent again after completing it, then returned again: a second notification.
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_transition(
            actor=unit_officer, registration=registration, to=Status.SUBMITTED
        )
        services.registration_transition(
            actor=office_user,
            registration=registration,
            to=Status.RETURNED,
            reason="Thiếu số liệu.",
        )
    assert Notification.objects.filter(recipient=unit_officer).count() == 2

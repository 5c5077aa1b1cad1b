"""Who owns a model, when it was launched, and how far its recognition went."""

import io
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from danvan.audit.models import AuditEvent
from models_registry import services
from models_registry.models import Registration
from tests.documents.text import docx_lines
from tests.factories import RegistrationFactory
from tests.models_registry.test_views import registration_post

pytestmark = pytest.mark.django_db
Status = Registration.Status
Level = Registration.Level


def test_a_model_of_an_individual_names_the_person_everywhere(
    login, campaign, unit, unit_officer, office_user, during_registration
):
    client = login(unit_officer)
    create = reverse("models_registry:create") + f"?campaign={campaign.pk}"
    refused = client.post(create, registration_post(campaign, owner_kind="individual"))
    assert "Hãy ghi họ và tên của cá nhân chủ thể mô hình." in refused.content.decode()
    assert not Registration.objects.exists()

    client.post(
        create,
        registration_post(
            campaign,
            owner_kind="individual",
            owner_name="Nguyễn Thị Lan",
            owner_position="Tổ trưởng tổ dân phố",
        ),
    )
    registration = Registration.objects.get()
    assert (registration.owner_kind, registration.owner_name) == ("individual", "Nguyễn Thị Lan")
    owner = f"Cá nhân: Nguyễn Thị Lan, Tổ trưởng tổ dân phố ({unit.name})"
    detail = client.get(reverse("models_registry:detail", args=[registration.pk]))
    assert owner in detail.content.decode()
    docx = client.get(reverse("models_registry:document", args=[registration.pk, "docx"]))
    assert f"2. Chủ thể mô hình: {owner}" in docx_lines(docx.content)
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    export = login(office_user).get(reverse("models_registry:export"))
    rows = list(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert dict(zip(rows[0], rows[1], strict=True))["Chủ thể mô hình"] == owner


def test_a_collective_model_keeps_no_person_typed_before_switching(
    login, campaign, unit_officer, during_registration
):
    login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(campaign, owner_kind="collective", owner_name="Ai đó"),
    )
    assert Registration.objects.get().owner_name == ""


@pytest.fixture
def recognised(campaign, unit):
    return RegistrationFactory(
        campaign=campaign, unit=unit, status=Status.RECOGNISED, recognition_level=Level.WARD
    )


def test_recognising_a_model_records_the_ward_level(campaign, unit, office_user):
    accepted = RegistrationFactory(campaign=campaign, unit=unit, status=Status.ACCEPTED)
    services.registration_transition(actor=office_user, registration=accepted, to=Status.RECOGNISED)
    assert Registration.objects.get(pk=accepted.pk).recognition_level == Level.WARD


def test_the_office_records_a_proposal_to_the_province_and_its_outcome(
    login, recognised, office_user, unit_officer
):
    url = reverse("models_registry:level", args=[recognised.pk])
    client = login(office_user)
    client.post(url, {"level": Level.PROPOSED_PROVINCE, "note": "Tờ trình số 12/TTr-UBND"})
    client.post(url, {"level": Level.PROVINCE, "note": "Quyết định số 345/QĐ-UBND của tỉnh"})
    recognised.refresh_from_db()
    assert recognised.recognition_level == Level.PROVINCE
    notes = list(
        AuditEvent.objects.filter(action="registration.level")
        .order_by("pk")
        .values_list("note", flat=True)
    )
    assert notes == [
        "Đề nghị cấp tỉnh công nhận. Tờ trình số 12/TTr-UBND",
        "Được cấp tỉnh công nhận. Quyết định số 345/QĐ-UBND của tỉnh",
    ]
    detail = client.get(reverse("models_registry:detail", args=[recognised.pk]))
    assert "Cấp công nhận:" in detail.content.decode()
    assert any(entry.action == "level" for entry in detail.context["timeline"])
    # The unit cannot set it.
    assert login(unit_officer).post(url, {"level": Level.WARD}).status_code == 404
    recognised.refresh_from_db()
    assert recognised.recognition_level == Level.PROVINCE


def test_a_level_is_refused_for_a_model_not_recognised(campaign, unit, office_user):
    accepted = RegistrationFactory(campaign=campaign, unit=unit, status=Status.ACCEPTED)
    with pytest.raises(ValidationError):
        services.registration_set_level(
            actor=office_user, registration=accepted, level=Level.PROVINCE
        )
    assert Registration.objects.get(pk=accepted.pk).recognition_level == ""


def test_the_unit_records_the_launch_and_a_future_date_is_refused(
    login, campaign, unit, unit_officer
):
    accepted = RegistrationFactory(campaign=campaign, unit=unit, status=Status.ACCEPTED)
    url = reverse("models_registry:launch", args=[accepted.pk])
    client = login(unit_officer)
    with time_machine.travel(date(2025, 5, 20), tick=False):
        refused = client.post(url, {"launched_on": "2025-06-01"}, follow=True)
        assert "Ngày ra mắt không được sau hôm nay." in refused.content.decode()
        assert Registration.objects.get(pk=accepted.pk).launched_on is None
        client.post(url, {"launched_on": "2025-05-15", "note": "Tại nhà văn hóa khu phố"})
    accepted.refresh_from_db()
    assert accepted.launched_on == date(2025, 5, 15)
    event = AuditEvent.objects.get(action="registration.launch")
    assert event.note == "Ra mắt mô hình ngày 15/05/2025. Tại nhà văn hóa khu phố"


def test_a_draft_cannot_be_launched(login, registration, unit_officer):
    url = reverse("models_registry:launch", args=[registration.pk])
    assert login(unit_officer).post(url, {"launched_on": "2025-03-01"}).status_code == 404
    assert Registration.objects.get(pk=registration.pk).launched_on is None


def test_the_campaign_page_counts_models_by_level(
    login, campaign, unit, office_user, recognised, queries_for
):
    RegistrationFactory(
        campaign=campaign,
        unit=unit,
        status=Status.RECOGNISED,
        recognition_level=Level.PROVINCE,
        launched_on=date(2025, 4, 2),
        owner_kind="individual",
        owner_name="Nguyễn Văn A",
    )
    RegistrationFactory(campaign=campaign, unit=unit)  # a draft, not counted
    client = login(office_user)
    url = reverse("campaigns:detail", args=[campaign.pk])
    counts = client.get(url).context["panels"]
    html = "".join(counts)
    assert 'data-testid="campaign-models"' in html
    from models_registry.selectors import campaign_model_counts

    totals = campaign_model_counts(campaign)
    assert (totals["registered"], totals["accepted"], totals["launched"], totals["individual"]) == (
        2,
        2,
        1,
        1,
    )
    assert dict(totals["levels"]) == {
        "Công nhận cấp xã": 1,
        "Đề nghị cấp tỉnh công nhận": 0,
        "Được cấp tỉnh công nhận": 1,
    }
    one = queries_for(client, url)
    RegistrationFactory.create_batch(2, campaign=campaign, unit=unit, status=Status.ACCEPTED)
    assert queries_for(client, url) == one

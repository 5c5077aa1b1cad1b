import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from models_registry import services
from models_registry.models import Evidence, Field, Registration
from tests.documents.text import docx_lines
from tests.factories import CampaignFactory, RegistrationFactory, UnitFactory, member

pytestmark = pytest.mark.django_db
Status = Registration.Status


def png(name="anh.png", size=(20, 20)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def url(name, registration, *args):
    return reverse(f"models_registry:{name}", args=[registration.pk, *args])


@pytest.fixture
def submitted(registration):
    registration.status = Status.SUBMITTED
    registration.save()
    return registration


@pytest.fixture
def accepted(registration):
    registration.status = Status.ACCEPTED
    registration.save()
    return registration


# Who sees what -------------------------------------------------------------------


def test_a_draft_is_seen_by_its_units_officers_only(
    login, registration, unit_officer, other_unit_officer, office_user, evaluator, viewer, chairman
):
    assert login(unit_officer).get(url("detail", registration)).status_code == 200
    for user in (other_unit_officer, office_user, evaluator, viewer, chairman):
        assert login(user).get(url("detail", registration)).status_code == 404


def test_a_submitted_registration_is_seen_by_the_office_too(
    login, submitted, office_user, unit_officer, evaluator
):
    assert login(office_user).get(url("detail", submitted)).status_code == 200
    assert login(unit_officer).get(url("detail", submitted)).status_code == 200
    assert login(evaluator).get(url("detail", submitted)).status_code == 404


def test_an_accepted_model_is_seen_by_every_role_of_the_organisation(
    login, accepted, evaluator, viewer, chairman, other_unit_officer
):
    for user in (evaluator, viewer, chairman):
        assert login(user).get(url("detail", accepted)).status_code == 200
    assert login(other_unit_officer).get(url("detail", accepted)).status_code == 404


@pytest.mark.parametrize("page", ["detail", "edit", "report_create"])
def test_another_organisations_registration_is_404_on_every_page(login, accepted, outsider, page):
    assert login(outsider).get(url(page, accepted)).status_code == 404


def test_another_organisation_cannot_download_evidence_nor_act(
    login, accepted, unit_officer, outsider
):
    services.evidence_add(actor=unit_officer, registration=accepted, files=[png()])
    evidence = Evidence.objects.get()
    client = login(outsider)
    assert client.get(reverse("models_registry:evidence", args=[evidence.pk])).status_code == 404
    assert client.post(url("transition", accepted, "withdrawn"), {"reason": "x"}).status_code == 404
    assert client.post(url("comment", accepted), {"body": "x"}).status_code == 404
    assert client.get(url("document", accepted, "pdf")).status_code == 404
    accepted.refresh_from_db()
    assert accepted.status == Status.ACCEPTED
    assert not accepted.comments.exists()
    # Positive control: the same requests work for the unit's own officer.
    own = login(unit_officer)
    download = own.get(reverse("models_registry:evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    own.post(url("comment", accepted), {"body": "Đơn vị bổ sung ảnh."})
    assert accepted.comments.count() == 1


def test_lists_show_each_role_what_it_may_see(
    login, campaign, unit, other_unit, unit_officer, other_unit_officer, office_user, viewer
):
    # Both units have officers of their own: the office does not enter their papers.
    own_draft = RegistrationFactory(campaign=campaign, unit=unit, name="Bản nháp của MTTQ")
    other_draft = RegistrationFactory(
        campaign=campaign, unit=other_unit, name="Bản nháp của Hội Phụ nữ"
    )
    pending = RegistrationFactory(
        campaign=campaign, unit=other_unit, name="Chờ duyệt", status=Status.SUBMITTED
    )
    established = RegistrationFactory(
        campaign=campaign, unit=other_unit, name="Đã chấp nhận", status=Status.ACCEPTED
    )

    def names(user):
        return {r.name for r in login(user).get(reverse("models_registry:list")).context["page"]}

    assert names(unit_officer) == {own_draft.name}  # a unit sees its own records only
    assert names(office_user) == {pending.name, established.name}
    assert names(viewer) == {established.name}
    assert other_draft.name not in names(office_user)


# Workflow through the pages --------------------------------------------------------


def registration_post(campaign, **extra):
    data = {
        "name": "Mô hình dịch vụ công trực tuyến",
        "field": Field.objects.get(organization=campaign.organization, code="political_system").pk,
        "situation": "Thực trạng",
        "objectives": "Mục tiêu",
        "success_measures": "Đo lường",
        "content_methods": "Nội dung",
        "area": "Phường",
        "beneficiaries": "Người dân",
        "person_in_charge": "Trần Văn Hùng",
        "person_in_charge_position": "",
        "person_in_charge_phone": "",
        "budget_vnd": "5000000",
        "contributions_vnd": "0",
        "workdays": "10",
        "start_date": "2025-04-01",
        "evaluation_date": "2025-11-30",
        "expected_outputs": "Kết quả",
        "sustainability": "Bền vững",
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-0-unit": "",
        "partners-0-outside_name": "Bưu điện phường",
        "partners-0-role": "Trả kết quả tại nhà",
        "partners-1-unit": "",
        "partners-1-outside_name": "",
        "partners-1-role": "",
        "milestones-TOTAL_FORMS": "2",
        "milestones-INITIAL_FORMS": "0",
        "milestones-0-due_on": "2025-06-30",
        "milestones-0-description": "Sơ kết",
        "milestones-1-due_on": "",
        "milestones-1-description": "",
    }
    data.update(extra)
    return data


def test_a_unit_officer_registers_and_lands_on_the_draft(
    login, campaign, unit_officer, during_registration
):
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}", registration_post(campaign)
    )
    registration = Registration.objects.get()
    assert response["Location"] == url("detail", registration)
    assert registration.partners.get().outside_name == "Bưu điện phường"
    assert registration.milestones.get().due_on == date(2025, 6, 30)


def test_bad_input_gets_vietnamese_messages_and_keeps_what_was_typed(
    login, campaign, unit_officer, during_registration
):
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(
            campaign,
            evaluation_date="2025-01-01",
            budget_vnd="-5",
            **{"milestones-1-description": "Mốc thiếu ngày"},
        ),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hãy chọn thời gian của mốc." in content
    assert "Mốc thiếu ngày" in content
    assert 'value="Mô hình dịch vụ công trực tuyến"' in content
    assert response.context["form"].errors["budget_vnd"]
    assert not Registration.objects.exists()


def test_a_draft_is_saved_with_only_its_name_and_sent_only_once_complete(
    login, campaign, unit_officer, during_registration
):
    client = login(unit_officer)
    typed = {
        key: ("" if "TOTAL" not in key and "INITIAL" not in key else value)
        for key, value in registration_post(campaign).items()
    }
    typed.update(name="Mô hình đang viết dở", objectives="Mục tiêu viết trước")
    response = client.post(reverse("models_registry:create") + f"?campaign={campaign.pk}", typed)
    registration = Registration.objects.get()
    assert response["Location"] == url("detail", registration)
    assert registration.objectives == "Mục tiêu viết trước"
    assert (registration.budget_vnd, registration.workdays, registration.start_date) == (0, 0, None)
    # The draft's page says what it lacks; the form still marks what the campaign
    # requires, and sending checks it.
    page = client.get(url("detail", registration)).content.decode()
    assert "Phiếu còn thiếu, cần bổ sung trước khi gửi:" in page
    assert "Thực trạng" in page.split('data-testid="unanswered"')[1].split("</div>")[0]
    edit = client.get(url("edit", registration)).content.decode()
    assert "asteriskField" in edit
    response = client.post(
        reverse("models_registry:transition", args=[registration.pk, "submitted"]), follow=True
    )
    assert "Phiếu đăng ký còn thiếu:" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == Registration.Status.DRAFT


def test_a_draft_without_a_name_is_refused_and_keeps_what_was_typed(
    login, campaign, unit_officer, during_registration
):
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(campaign, name="", situation="Thực trạng đã gõ"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"] == ["Trường này là bắt buộc."]
    assert "Thực trạng đã gõ" in response.content.decode()
    assert not Registration.objects.exists()


def test_a_control_character_is_refused_and_everything_else_typed_is_kept(
    login, campaign, unit_officer, during_registration
):
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(
            campaign, name="Mô hình\x07 dịch vụ công", objectives="Mục tiêu đang viết"
        ),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "ký tự điều khiển không in được (U+0007)" in content
    assert 'value="Mô hình dịch vụ công"' in content  # shown again without the bell
    assert "Mục tiêu đang viết" in content
    assert not Registration.objects.exists()


@pytest.mark.parametrize("phone", ["abc", "0905", "0905 123 456 máy lẻ"])
def test_a_phone_that_is_not_a_number_is_refused_on_its_field(
    login, campaign, unit_officer, during_registration, phone
):
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(campaign, person_in_charge_phone=phone),
    )
    assert response.status_code == 200
    assert (
        response.context["form"]
        .errors["person_in_charge_phone"][0]
        .startswith("Số điện thoại chỉ gồm chữ số")
    )
    assert not Registration.objects.exists()


def test_phones_as_people_write_them_are_kept(login, campaign, unit_officer, during_registration):
    login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(campaign, person_in_charge_phone="(0255) 3.822.111; +84905123456"),
    )
    assert Registration.objects.get().person_in_charge_phone == "(0255) 3.822.111; +84905123456"


def test_line_breaks_from_a_browser_are_stored_as_line_feeds(
    login, campaign, unit_officer, during_registration
):
    login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(campaign, situation="Dòng một\r\nDòng hai\r\n\r\nĐoạn hai"),
    )
    assert Registration.objects.get().situation == "Dòng một\nDòng hai\n\nĐoạn hai"


@pytest.mark.parametrize("typed", ["0001-04-01", "9999-04-01"])
def test_a_start_date_in_an_absurd_year_is_refused_on_its_field(
    login, campaign, unit_officer, during_registration, typed
):
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(campaign, start_date=typed),
    )
    assert response.status_code == 200
    assert "nằm ngoài khoảng hợp lý" in response.context["form"].errors["start_date"][0]
    assert not Registration.objects.exists()


def test_a_start_date_after_the_campaigns_year_is_refused_on_its_field(
    login, campaign, unit_officer, during_registration
):
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(campaign, start_date="01/01/2026", evaluation_date="02/01/2026"),
    )
    assert response.context["form"].errors["start_date"] == [
        "Mô hình của phong trào năm 2025 phải bắt đầu trong năm 2025 hoặc trước đó."
    ]
    assert not Registration.objects.exists()
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(campaign, start_date="15/06/2024"),
    )
    assert Registration.objects.get().start_date.year == 2024


def test_a_milestone_before_the_start_date_is_refused_on_its_line(
    login, campaign, unit_officer, during_registration
):
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(
            campaign, start_date="01/04/2025", **{"milestones-0-due_on": "31/03/2025"}
        ),
    )
    assert response.status_code == 200
    milestone = response.context["milestones"].forms[0]
    assert milestone.errors["due_on"] == ["Mốc này trước ngày bắt đầu (01/04/2025)."]
    assert not Registration.objects.exists()


def test_a_wrong_evaluation_date_is_refused_on_its_field(
    login, campaign, unit_officer, during_registration
):
    response = login(unit_officer).post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        registration_post(campaign, evaluation_date="2025-01-01"),
    )
    assert response.status_code == 200
    assert "Thời điểm đánh giá không được trước ngày bắt đầu." in response.content.decode()


def test_a_save_after_the_model_was_sent_keeps_what_was_typed_and_saves_nothing(
    login, submitted, unit_officer, campaign
):
    response = login(unit_officer).post(
        url("edit", submitted),
        registration_post(campaign, name="Tên sửa ở thẻ cũ", objectives="Mục tiêu gõ dở"),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "Mô hình đã gửi; chỉ sửa được khi còn là bản nháp hoặc bị trả lại." in content
    assert 'value="Tên sửa ở thẻ cũ"' in content
    assert "Mục tiêu gõ dở" in content
    submitted.refresh_from_db()
    assert submitted.name != "Tên sửa ở thẻ cũ"
    assert submitted.status == Status.SUBMITTED


def test_the_office_returns_with_a_reason_from_the_page(login, submitted, office_user):
    response = login(office_user).post(
        url("transition", submitted, "returned"), {"reason": "Bổ sung chỉ tiêu."}, follow=True
    )
    assert "Trả lại để bổ sung" in response.content.decode()
    submitted.refresh_from_db()
    assert (submitted.status, submitted.status_reason) == (Status.RETURNED, "Bổ sung chỉ tiêu.")


def test_returning_without_a_reason_says_so_and_changes_nothing(login, submitted, office_user):
    response = login(office_user).post(
        url("transition", submitted, "returned"), {"reason": ""}, follow=True
    )
    assert "Hãy ghi lý do." in response.content.decode()
    assert Registration.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_a_unit_officer_cannot_accept_their_own_model(login, submitted, unit_officer):
    assert login(unit_officer).post(url("transition", submitted, "accepted")).status_code == 404
    assert Registration.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_the_edit_page_of_a_submitted_model_explains_why_it_is_closed(
    login, submitted, unit_officer
):
    response = login(unit_officer).get(url("edit", submitted), follow=True)
    assert "chỉ sửa được khi còn là bản nháp hoặc bị trả lại" in response.content.decode()


# Evidence ------------------------------------------------------------------------


def test_evidence_is_uploaded_and_served_only_through_the_permission_checking_view(
    login, registration, unit_officer, office_user, settings
):
    client = login(unit_officer)
    response = client.post(
        url("evidence_upload", registration),
        {"files": [png("ảnh hoạt động/../../x.png"), png("b.png")]},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.order_by("pk").first()
    assert evidence.original_name == "x.png"
    assert evidence.content_type == "image/png"
    assert not evidence.file.name.endswith("x.png")  # stored under a random name
    response = client.get(reverse("models_registry:evidence", args=[evidence.pk]) + "?view=1")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert (
        login(office_user).get(reverse("models_registry:evidence", args=[evidence.pk])).status_code
        == 404
    )
    assert (
        str(settings.MEDIA_ROOT) not in evidence.file.url if hasattr(evidence.file, "url") else True
    )


def test_a_wrong_file_is_removed_from_the_drafts_page_and_only_while_it_is_editable(
    login, registration, unit_officer, during_registration
):
    client = login(unit_officer)
    client.post(url("evidence_upload", registration), {"files": [png("sai.png"), png("dung.png")]})
    wrong = Evidence.objects.get(original_name="sai.png")
    delete = reverse("models_registry:evidence_delete", args=[wrong.pk])
    page = client.get(url("detail", registration)).content.decode()
    assert f'action="{delete}"' in page
    response = client.post(delete, follow=True)
    assert "Đã xóa tệp." in response.content.decode()
    assert list(Evidence.objects.values_list("original_name", flat=True)) == ["dung.png"]
    # Once sent, the files stay as they were sent: no button, and the address refuses.
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    kept = Evidence.objects.get()
    kept_delete = reverse("models_registry:evidence_delete", args=[kept.pk])
    assert kept_delete not in client.get(url("detail", registration)).content.decode()
    assert client.post(kept_delete).status_code == 404
    assert Evidence.objects.filter(pk=kept.pk).exists()


def test_a_file_whose_content_is_not_its_type_is_refused_with_a_clear_message(
    login, registration, unit_officer
):
    fake = SimpleUploadedFile(
        "bao-cao.pdf", b"MZ\x90\x00 this is not a pdf", content_type="application/pdf"
    )
    response = login(unit_officer).post(
        url("evidence_upload", registration), {"files": [fake]}, follow=True
    )
    assert "không phải PDF như đuôi tệp cho biết" in response.content.decode()
    assert not Evidence.objects.exists()


def test_files_over_the_limits_are_refused_and_none_of_the_batch_is_kept(
    login, registration, unit_officer, settings
):
    settings.EVIDENCE_MAX_FILE_MB = 1
    big = SimpleUploadedFile(
        "lon.png", png().read() + b"\0" * (1024 * 1024 + 10), content_type="image/png"
    )
    response = login(unit_officer).post(
        url("evidence_upload", registration), {"files": [png("nho.png"), big]}, follow=True
    )
    assert "vượt giới hạn" in response.content.decode()
    assert not Evidence.objects.exists()


def test_a_photo_above_the_pixel_limit_is_refused_and_none_of_the_batch_is_kept(
    login, registration, unit_officer, settings
):
    settings.UPLOAD_MAX_IMAGE_MEGAPIXELS = 1
    response = login(unit_officer).post(
        url("evidence_upload", registration),
        {"files": [png("nho.png"), png("lon.png", size=(1200, 1000))]},
        follow=True,
    )
    assert "“lon.png” bị từ chối: ảnh 1200 × 1000 điểm ảnh" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_registrations_total_evidence_is_limited(login, registration, unit_officer, settings):
    settings.EVIDENCE_MAX_TOTAL_MB = 0
    response = login(unit_officer).post(
        url("evidence_upload", registration), {"files": [png()]}, follow=True
    )
    assert "Tổng dung lượng minh chứng" in response.content.decode()


def test_a_disallowed_extension_is_refused(login, registration, unit_officer):
    script = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    response = login(unit_officer).post(
        url("evidence_upload", registration), {"files": [script]}, follow=True
    )
    assert "không đúng loại cho phép" in response.content.decode()


def test_sending_no_file_asks_for_one(login, registration, unit_officer):
    response = login(unit_officer).post(url("evidence_upload", registration), {}, follow=True)
    assert "Hãy chọn ít nhất một tệp." in response.content.decode()
    assert "Đã đính kèm" not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "symbol"), [("Tổ dân phố số 2", "TDPS2"), ("Tổ dân phố số 12", "TDPS12")]
)
def test_units_numbered_alike_keep_their_numbers_in_the_symbol(
    login, accepted, unit_officer, name, symbol
):
    unit = accepted.unit
    unit.name, unit.short_name = name, "TDP số 2"
    unit.save()
    text = " ".join(docx_lines(login(unit_officer).get(url("document", accepted, "docx")).content))
    assert f"/ĐK-{symbol}" in text


def test_an_empty_file_is_refused_by_its_name(login, registration, unit_officer):
    empty = SimpleUploadedFile("ảnh trống.jpg", b"", content_type="image/jpeg")
    response = login(unit_officer).post(
        url("evidence_upload", registration), {"files": [png(), empty]}, follow=True
    )
    content = response.content.decode()
    assert "Tệp “ảnh trống.jpg” rỗng (0 byte); hãy chọn lại tệp." in content
    assert "Hãy chọn ít nhất một tệp." not in content
    assert not Evidence.objects.filter(registration=registration).exists()


# Progress reports and comments ----------------------------------------------------------


def test_a_unit_reports_progress_with_a_photo_on_an_accepted_model(
    login, accepted, unit_officer, office_user
):
    response = login(unit_officer).post(
        url("report_create", accepted),
        {
            "reported_on": "2025-06-30",
            "text": "Đã hướng dẫn 400 lượt.",
            "people_reached": "400",
            "money_raised_vnd": "0",
            "files": [png()],
        },
    )
    assert response.status_code == 302
    report = accepted.reports.get()
    assert report.evidence.get().report == report
    content = login(office_user).get(url("detail", accepted)).content.decode()
    assert "Đã hướng dẫn 400 lượt." in content


def test_a_report_without_text_is_refused_and_the_figures_are_kept(login, accepted, unit_officer):
    response = login(unit_officer).post(
        url("report_create", accepted),
        {"reported_on": "2025-06-30", "text": "", "people_reached": "321"},
    )
    assert response.status_code == 200
    assert 'value="321"' in response.content.decode()


@pytest.mark.parametrize(("typed", "stored"), [("1.000", 1000), ("1 200", 1200), ("1200", 1200)])
def test_a_count_written_with_a_thousands_dot_is_read_as_written(
    login, accepted, unit_officer, typed, stored
):
    login(unit_officer).post(
        url("report_create", accepted),
        {"reported_on": "2025-06-30", "text": "Đã hướng dẫn.", "people_reached": typed},
    )
    assert accepted.reports.get().people_reached == stored
    content = login(unit_officer).get(url("detail", accepted)).content.decode()
    assert f"Người được hưởng lợi: {stored:,}".replace(",", ".") in content


@pytest.mark.parametrize("typed", ["1.2", "1,5", "mười"])
def test_a_count_not_written_as_a_whole_number_is_refused_and_kept(
    login, accepted, unit_officer, typed
):
    response = login(unit_officer).post(
        url("report_create", accepted),
        {"reported_on": "2025-06-30", "text": "Đã hướng dẫn.", "people_reached": typed},
    )
    content = response.content.decode()
    assert f"“{typed}” không phải là một số đếm" in content
    assert f'value="{typed}"' in content
    assert not accepted.reports.exists()


def test_a_report_dated_after_today_is_refused_and_kept(login, accepted, unit_officer):
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = timezone.localdate() + timedelta(days=1)
    response = login(unit_officer).post(
        url("report_create", accepted),
        {"reported_on": tomorrow.isoformat(), "text": "Đã hướng dẫn 400 lượt."},
    )
    content = response.content.decode()
    assert "Ngày báo cáo không được sau hôm nay" in content
    assert "Đã hướng dẫn 400 lượt." in content
    assert not accepted.reports.exists()


def test_comments_appear_in_the_timeline(login, submitted, unit_officer, office_user):
    login(office_user).post(url("comment", submitted), {"body": "Cần thêm số liệu."})
    content = login(unit_officer).get(url("detail", submitted)).content.decode()
    assert "Cần thêm số liệu." in content


# Search, export, documents -------------------------------------------------------------


@pytest.mark.parametrize("query", ["dich vu cong", "DỊCH VỤ", "truc tuyen", "don vi", "đơn vị"])
def test_search_ignores_accents_and_case(login, campaign, unit, office_user, query):
    wanted = RegistrationFactory(
        campaign=campaign,
        unit=unit,
        status=Status.SUBMITTED,
        name="Dịch vụ công trực tuyến cho đơn vị",
    )
    RegistrationFactory(
        campaign=campaign, unit=unit, status=Status.SUBMITTED, name="Tuyến đường hoa"
    )
    wanted.search_text = services._search_text(wanted)
    wanted.save()
    page = login(office_user).get(reverse("models_registry:list"), {"q": query}).context["page"]
    assert [r.pk for r in page] == [wanted.pk]


def test_d_matches_the_letter_đ(login, campaign, unit, office_user):
    wanted = RegistrationFactory(
        campaign=campaign, unit=unit, status=Status.SUBMITTED, name="Đường hoa"
    )
    wanted.search_text = services._search_text(wanted)
    wanted.save()
    page = login(office_user).get(reverse("models_registry:list"), {"q": "duong"}).context["page"]
    assert [r.pk for r in page] == [wanted.pk]


def _searchable(campaign, unit, name):
    """A submitted registration; the factory folds its name into ``search_text``."""
    return RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED, name=name)


def test_a_search_pages_through_its_matches_latest_change_first(login, campaign, unit, office_user):
    matches = [_searchable(campaign, unit, f"Làng hoa sen số {n}") for n in range(30)]
    _searchable(campaign, unit, "Tuyến đường hoa cúc")
    client = login(office_user)
    first = client.get(reverse("models_registry:list"), {"q": "hoa sen"})
    second = client.get(reverse("models_registry:list"), {"q": "hoa sen", "page": 2})
    assert first.context["page"].paginator.count == 30
    assert "30 mô hình" in first.content.decode()
    latest_first = [r.pk for r in reversed(matches)]
    assert [r.pk for r in first.context["page"]] == latest_first[:25]
    assert [r.pk for r in second.context["page"]] == latest_first[25:]
    assert second.context["page"].number == 2


def test_a_search_takes_as_many_queries_for_three_matches_as_for_one(
    login, campaign, unit, office_user, queries_for
):
    client = login(office_user)
    url = reverse("models_registry:list") + "?q=dich+vu"
    _searchable(campaign, unit, "Dịch vụ công 1")
    one = queries_for(client, url)
    _searchable(campaign, unit, "Dịch vụ công 2")
    _searchable(campaign, unit, "Dịch vụ công 3")
    assert queries_for(client, url) == one


def test_filters_combine_and_paginate(login, campaign, unit, other_unit, office_user):
    economy = Field.objects.get(organization=campaign.organization, code="economy")
    for index in range(30):
        RegistrationFactory(
            campaign=campaign,
            unit=unit if index % 2 else other_unit,
            status=Status.SUBMITTED,
            field=economy,
        )
    client = login(office_user)
    response = client.get(
        reverse("models_registry:list"),
        {"unit": unit.pk, "field": economy.pk, "status": "submitted"},
    )
    assert response.context["page"].paginator.count == 15
    response = client.get(reverse("models_registry:list"), {"page": 2})
    assert len(response.context["page"].object_list) == 5


def test_the_filter_bar_shows_what_was_chosen_and_escapes_what_was_typed(
    login, campaign, unit, other_unit, office_user
):
    html = (
        login(office_user)
        .get(
            reverse("models_registry:list"),
            {"q": '"><b>dịch vụ', "unit": unit.pk, "status": Status.SUBMITTED},
        )
        .content.decode()
    )
    assert '<label for="id_unit" class="form-label">Đơn vị</label>' in html
    assert f'<option value="{unit.pk}" selected>{unit.name}</option>' in html
    assert f'<option value="{other_unit.pk}">{other_unit.name}</option>' in html
    assert '<option value="submitted" selected>' in html
    assert 'value="&quot;&gt;&lt;b&gt;dịch vụ"' in html
    assert "<b>dịch vụ" not in html
    assert "is-invalid" not in html


def test_a_refused_filter_is_marked_with_its_message_tied_to_the_control(
    login, campaign, office_user
):
    html = (
        login(office_user)
        .get(reverse("models_registry:list"), {"q": "a", "campaign": "999999"})
        .content.decode()
    )
    assert 'aria-describedby="id_q_error"' in html
    assert 'aria-invalid="true"' in html
    assert 'class="form-control is-invalid"' in html
    assert "Nhập ít nhất 2 ký tự để tìm." in html
    assert 'aria-describedby="id_campaign_error"' in html
    assert 'class="form-select is-invalid"' in html
    # What was typed stays in the box.
    assert 'name="q" value="a">' in html


def test_each_line_of_the_list_names_its_status_in_the_readers_language(
    login, campaign, office_user, submitted
):
    client = login(office_user)
    html = client.get(reverse("models_registry:list")).content.decode()
    assert '<span class="badge status-submitted">Đã gửi, chờ duyệt</span>' in html
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("models_registry:list")).content.decode()
    assert '<span class="badge status-submitted">Submitted, awaiting review</span>' in html


def test_the_sort_select_lists_the_lists_own_order_first(login, campaign, office_user):
    html = login(office_user).get(reverse("models_registry:list")).content.decode()
    sort = html[html.index('<select class="form-select" id="id_sort"') :]
    assert sort.index("Mới cập nhật") < sort.index("Mã mô hình")


def test_the_export_holds_every_field_of_the_filtered_list(
    login, campaign, unit, other_unit, office_user
):
    kept = RegistrationFactory(
        campaign=campaign, unit=unit, status=Status.ACCEPTED, budget_vnd=5_000_000
    )
    kept.partners.create(outside_name="Bưu điện", role="Trả kết quả")
    RegistrationFactory(campaign=campaign, unit=other_unit, status=Status.ACCEPTED)
    response = login(office_user).get(reverse("models_registry:export"), {"unit": unit.pk})
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.values)
    assert rows[0][0] == "Mã mô hình"
    assert len(rows) == 2
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Mã mô hình"] == kept.code
    assert row["Kinh phí (đồng)"] == 5_000_000
    assert row["Đơn vị phối hợp"] == "Bưu điện: Trả kết quả"
    assert row["Trạng thái"] == "Đã chấp nhận"


def test_the_export_writes_stored_formulas_and_control_characters_as_plain_text(
    login, campaign, unit, office_user
):
    RegistrationFactory(
        campaign=campaign,
        unit=unit,
        status=Status.ACCEPTED,
        name='=HYPERLINK("https://example.com/x","Xem")',
        situation="+1+1",
        objectives="-2+3\nhai dòng",
        area="@SUM(1,2)",
        beneficiaries="\tthụt đầu dòng",
        person_in_charge="Chuông\x07 reo\x1b",
        sustainability="#N/A",
    )
    response = login(office_user).get(reverse("models_registry:export"))
    assert response.status_code == 200
    content = b"".join(response.streaming_content)
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    row = {title: sheet.cell(row=2, column=index + 1) for index, title in enumerate(header)}
    expected = {
        "Tên mô hình": '=HYPERLINK("https://example.com/x","Xem")',
        "Thực trạng, lý do xây dựng mô hình": "+1+1",
        "Mục tiêu": "-2+3\nhai dòng",
        "Địa bàn thực hiện": "@SUM(1,2)",
        "Đối tượng thụ hưởng": "\tthụt đầu dòng",
        "Tính bền vững, khả năng nhân rộng": "#N/A",
    }
    for title, text in expected.items():
        cell = row[title]
        assert (cell.value, cell.data_type, cell.quotePrefix) == (text, "s", True), title
    assert row["Người phụ trách"].value == "Chuông\ufffd reo\ufffd"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_the_registration_form_document_names_the_model_unit_and_partners(
    login, accepted, unit_officer
):
    accepted.partners.create(outside_name="Bưu điện phường", role="Trả kết quả tại nhà")
    response = login(unit_officer).get(url("document", accepted, "docx"))
    text = " ".join(docx_lines(response.content))
    assert "PHIẾU ĐĂNG KÝ" in text
    assert accepted.name in text
    assert accepted.unit.name.upper() in text
    assert "Bưu điện phường" in text
    assert f"Đơn vị đăng ký: {accepted.unit.name}" in text


def test_a_units_spelled_out_short_name_becomes_initials_in_the_forms_symbol(
    login, accepted, unit_officer
):
    unit = accepted.unit
    unit.name, unit.short_name = "Thôn Khê Thuận", "Khê Thuận"
    unit.save()
    text = " ".join(docx_lines(login(unit_officer).get(url("document", accepted, "docx")).content))
    assert "/ĐK-TKT" in text
    assert "Khê Thuận" in text
    assert "ĐK-Khê" not in text


def test_office_staff_grant_a_late_exception_from_the_page(
    login, campaign, unit, office_user, unit_officer, after_deadline
):
    page = reverse("models_registry:late", args=[campaign.pk])
    assert login(unit_officer).get(page).status_code == 404
    response = login(office_user).post(
        page, {"unit": unit.pk, "expires_on": "2025-04-17", "reason": "Đơn vị mới"}
    )
    assert response.status_code == 302
    assert campaign.late_exceptions.get().unit == unit


# Query counts -------------------------------------------------------------------------


def test_the_list_takes_as_many_queries_for_three_registrations_as_for_one(
    login, campaign, unit, office_user, queries_for
):
    client = login(office_user)
    RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)
    one = queries_for(client, reverse("models_registry:list"))
    RegistrationFactory.create_batch(2, campaign=campaign, unit=unit, status=Status.SUBMITTED)
    assert queries_for(client, reverse("models_registry:list")) == one


def test_the_export_takes_as_many_queries_for_three_registrations_as_for_one(
    login, campaign, unit, office_user, queries_for
):
    client = login(office_user)
    RegistrationFactory(campaign=campaign, unit=unit, status=Status.SUBMITTED)
    one = queries_for(client, reverse("models_registry:export"))
    RegistrationFactory.create_batch(2, campaign=campaign, unit=unit, status=Status.SUBMITTED)
    assert queries_for(client, reverse("models_registry:export")) == one


@pytest.mark.parametrize("page", ["detail", "edit", "document"])
def test_registration_pages_take_as_many_queries_for_three_parts_as_for_one(
    login, registration, unit_officer, queries_for, page, during_registration
):
    client = login(unit_officer)
    args = ["pdf"] if page == "document" else []

    def add_parts():
        registration.partners.create(
            unit=UnitFactory(organization=registration.organization), role="Phối hợp"
        )
        registration.milestones.create(due_on=date(2025, 6, 1), description="Mốc")
        services.evidence_add(actor=unit_officer, registration=registration, files=[png()])
        services.comment_add(actor=unit_officer, registration=registration, body="Trao đổi")

    add_parts()
    one = queries_for(client, url(page, registration, *args))
    add_parts()
    add_parts()
    assert queries_for(client, url(page, registration, *args)) == one


def test_the_detail_of_an_accepted_model_with_reports_takes_the_same_queries(
    login, accepted, unit_officer, queries_for
):
    client = login(unit_officer)

    def add_report():
        services.progress_report_add(
            actor=unit_officer,
            registration=accepted,
            data={"reported_on": date(2025, 6, 1), "text": "Tiến độ"},
            files=[png()],
        )

    add_report()
    one = queries_for(client, url("detail", accepted))
    add_report()
    add_report()
    assert queries_for(client, url("detail", accepted)) == one


def test_the_late_exceptions_page_takes_the_same_queries_for_three_units(
    login, campaign, office_user, queries_for, after_deadline
):
    client = login(office_user)
    page = reverse("models_registry:late", args=[campaign.pk])

    def grant():
        services.late_exception_grant(
            actor=office_user,
            campaign=campaign,
            unit=UnitFactory(organization=campaign.organization),
            expires_on=date(2025, 4, 30),
        )

    grant()
    one = queries_for(client, page)
    grant()
    grant()
    assert queries_for(client, page) == one


def test_a_unit_officer_of_two_units_chooses_the_lead_unit(
    login, campaign, unit, other_unit, during_registration
):
    officer = member(campaign.organization, "unit_officer", unit=unit)
    officer.memberships.create(organization=campaign.organization, role="viewer")
    content = login(officer).get(reverse("models_registry:create")).content.decode()
    assert unit.name in content


def test_a_unit_that_is_not_a_number_or_not_ones_own_is_not_found(
    login, campaign, unit_officer, other_unit, during_registration
):
    client = login(unit_officer)
    for unit in ("abc", "1.5", str(other_unit.pk)):
        url = reverse("models_registry:create") + f"?campaign={campaign.pk}&unit={unit}"
        assert client.get(url).status_code == 404, unit
        response = client.post(url, {"unit": unit, "name": "Mô hình thử"})
        assert response.status_code == 404, unit
    assert not Registration.objects.exists()


def test_two_campaigns_open_at_once_are_told_apart_by_name(
    login, campaign, unit_officer, during_registration
):
    thematic = CampaignFactory(
        organization=campaign.organization,
        year=2025,
        form="thematic",
        status="issued",
        name="Phong trào “Dân vận khéo” chuyên đề chuyển đổi số",
    )
    page = login(unit_officer).get(reverse("models_registry:list")).content.decode()
    for each in (campaign, thematic):
        link = f'href="{reverse("models_registry:create")}?campaign={each.pk}"'
        assert link in page
        assert each.name in page.split(link)[1].split("</a>")[0]


def test_a_campaign_that_is_not_a_number_or_not_ones_own_is_not_found(
    login, campaign, unit_officer, outsider, during_registration
):
    client = login(unit_officer)
    other = CampaignFactory(
        organization=outsider.memberships.get().organization, year=2025, status="issued"
    )
    for chosen in ("abc", "1.5", "9" * 30, str(other.pk)):
        url = reverse("models_registry:create") + f"?campaign={chosen}"
        assert client.get(url).status_code == 404, chosen
        assert client.post(url, {"name": "Mô hình thử"}).status_code == 404, chosen
    assert not Registration.objects.exists()


def test_the_registration_form_takes_as_many_queries_for_three_units_as_for_one(
    login, campaign, unit_officer, queries_for, during_registration
):
    client = login(unit_officer)
    url = reverse("models_registry:create") + f"?campaign={campaign.pk}"
    UnitFactory(organization=campaign.organization)
    one = queries_for(client, url)
    UnitFactory.create_batch(2, organization=campaign.organization)
    assert queries_for(client, url) == one


def test_unit_lists_are_in_vietnamese_order_on_the_form_and_the_filter(
    login, org, campaign, unit, unit_officer, office_user, during_registration
):
    """ "Đảng ủy" among the D's and "Ủy ban" among the U's, not after "Z"."""
    for name in ("Văn phòng – Thống kê", "Đảng ủy phường", "Đoàn Thanh niên", "Bộ phận Một cửa"):
        UnitFactory(organization=org, name=name)
    expected = [
        "Bộ phận Một cửa",
        "Đảng ủy phường",
        "Đoàn Thanh niên",
        "Ủy ban MTTQ Việt Nam phường",
        "Văn phòng – Thống kê",
    ]

    def option_order(html, select_id):
        select = html[html.index(f'id="{select_id}"') :]
        select = select[: select.index("</select>")]
        return sorted(expected, key=select.index)

    form = login(unit_officer).get(reverse("models_registry:create") + f"?campaign={campaign.pk}")
    assert option_order(form.content.decode(), "id_partners-0-unit") == expected
    listing = login(office_user).get(reverse("models_registry:list")).content.decode()
    assert option_order(listing, "id_unit") == expected

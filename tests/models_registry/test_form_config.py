"""A campaign's own registration form: the office chooses the questions, and the form
drives the page, the stored record, the detail page, the list, the export, the document
and the search."""

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from campaigns import services as campaign_services
from danvan.workflow import StaleEdit
from models_registry import services
from models_registry.models import FormQuestion, Partner, Registration
from models_registry.questions import questions_for
from tests.documents.text import docx_lines, pdf_text
from tests.factories import CampaignFactory, RegistrationFactory

pytestmark = pytest.mark.django_db
Status = Registration.Status


def configure(office_user, campaign, *rows):
    """Save the campaign's form with ``rows`` ({key or kind+label, …})."""
    services.registration_form_save(
        actor=office_user, campaign=campaign, rows=list(rows), fingerprint=None
    )
    campaign.refresh_from_db()
    return {question.label: question for question in questions_for(campaign)}


def hide(*keys):
    return [{"key": key, "shown": False} for key in keys]


# The nine questions of a ward Front committee's call for registrations.
FRONT_FORM = [
    {"key": "name", "label": "Tên mô hình", "position": 10},
    {"key": "situation", "label": "Thực trạng, lý do", "position": 20, "required": True},
    {"key": "objectives", "label": "Mục đích, tiêu chí", "position": 30, "required": True},
    {"key": "content_methods", "label": "Nội dung, cách làm", "position": 40, "required": True},
    {
        "key": "beneficiaries",
        "label": "Địa bàn, đối tượng thụ hưởng",
        "position": 50,
        "required": True,
    },
    {
        "key": "partners",
        "label": "Lực lượng chủ trì, phối hợp, tham gia",
        "position": 60,
        "partner_parts": True,
    },
    {"kind": "long_text", "label": "Thời gian, nguồn lực", "position": 70, "required": True},
    {"key": "expected_outputs", "label": "Sản phẩm đầu ra", "position": 80, "required": True},
    {
        "key": "sustainability",
        "label": "Khả năng duy trì, nhân rộng",
        "position": 90,
        "required": True,
    },
    {"kind": "number", "label": "Số hộ tham gia", "position": 95},
    *hide(
        "owner",
        "field",
        "success_measures",
        "area",
        "person_in_charge",
        "person_in_charge_position",
        "person_in_charge_phone",
        "budget_vnd",
        "contributions_vnd",
        "workdays",
        "start_date",
        "milestones",
        "evaluation_date",
    ),
]


def front_post(units, **extra):
    lead, cooperate = units
    data = {
        "name": "Dân vận khéo giữ gìn vệ sinh khu phố",
        "situation": "Rác thải còn tồn đọng ở các kiệt hẻm.",
        "objectives": "Khu phố sạch; 90% hộ phân loại rác.",
        "content_methods": "Tổ tự quản ra quân mỗi tháng.",
        "beneficiaries": "Khu dân cư Tân Lộc, 320 hộ.",
        "answer_cau-hoi-1": "Từ tháng 3 đến tháng 11; xã hội hóa 15 triệu đồng.",
        "expected_outputs": "Tuyến đường xanh – sạch – đẹp.",
        "sustainability": "Đưa vào hương ước khu dân cư.",
        "answer_cau-hoi-2": "320",
    }
    for part in ("lead", "cooperate", "take_part"):
        data.update(
            {
                f"partners-{part}-TOTAL_FORMS": "2",
                f"partners-{part}-INITIAL_FORMS": "0",
                f"partners-{part}-MIN_NUM_FORMS": "0",
                f"partners-{part}-MAX_NUM_FORMS": "20",
            }
        )
    data.update(
        {
            "partners-lead-0-unit": str(lead.pk),
            "partners-cooperate-0-unit": str(cooperate.pk),
            "partners-take_part-0-outside_name": "Các hộ gia đình trong khu dân cư",
            "partners-take_part-0-role": "Ra quân dọn vệ sinh",
        }
    )
    data.update(extra)
    return data


def test_a_configured_form_drives_the_page_the_record_the_detail_the_export_and_the_document(
    login, campaign, unit, other_unit, unit_officer, office_user, during_registration
):
    labels = configure(office_user, campaign, *FRONT_FORM)
    assert labels["Thời gian, nguồn lực"].key == "cau-hoi-1"
    officer = login(unit_officer)
    create = reverse("models_registry:create") + f"?campaign={campaign.pk}"

    page = officer.get(create).content.decode()
    for label in ("1. Tên mô hình", "3. Mục đích, tiêu chí", "7. Thời gian, nguồn lực"):
        assert label in page
    assert "Chủ trì" in page
    assert "Phối hợp" in page
    assert "Tham gia" in page
    assert "Cách đo lường kết quả" not in page  # hidden
    assert 'name="start_date"' not in page

    response = officer.post(create, front_post((unit, other_unit)))
    registration = Registration.objects.get()
    assert response["Location"] == reverse("models_registry:detail", args=[registration.pk])
    assert registration.answers == {
        "cau-hoi-1": "Từ tháng 3 đến tháng 11; xã hội hóa 15 triệu đồng.",
        "cau-hoi-2": 320,
    }
    assert registration.field is None
    assert registration.start_date is None
    parts = {(p.part, str(p)) for p in registration.partners.all()}
    assert parts == {
        (Partner.Part.LEAD, unit.name),
        (Partner.Part.COOPERATE, other_unit.name),
        (Partner.Part.TAKE_PART, "Các hộ gia đình trong khu dân cư"),
    }

    detail = officer.get(response["Location"]).content.decode()
    assert "Thời gian, nguồn lực" in detail
    assert "xã hội hóa 15 triệu đồng" in detail
    assert "Số hộ tham gia" in detail

    listing = login(office_user)
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    list_page = listing.get(reverse("models_registry:list")).content.decode()
    assert "Thời gian, nguồn lực:" in list_page
    found = listing.get(reverse("models_registry:list"), {"q": "xa hoi hoa 15"})
    assert [r.pk for r in found.context["page"]] == [registration.pk]

    export = listing.get(reverse("models_registry:export"), {"campaign": campaign.pk})
    sheet = load_workbook(io.BytesIO(b"".join(export.streaming_content))).active
    rows = list(sheet.values)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Mục đích, tiêu chí"] == "Khu phố sạch; 90% hộ phân loại rác."
    assert row["Thời gian, nguồn lực"] == "Từ tháng 3 đến tháng 11; xã hội hóa 15 triệu đồng."
    assert row["Số hộ tham gia"] == 320
    assert row["Lực lượng chủ trì, phối hợp, tham gia"].startswith(f"Chủ trì: {unit.name}")
    assert "Cách đo lường kết quả" not in rows[0]

    docx = officer.get(reverse("models_registry:document", args=[registration.pk, "docx"]))
    lines = docx_lines(docx.content)
    assert "7. Thời gian, nguồn lực: Từ tháng 3 đến tháng 11; xã hội hóa 15 triệu đồng." in lines
    assert "10. Số hộ tham gia: 320" in lines
    assert f"- Chủ trì: {unit.name}." in lines
    assert "- Tham gia: Các hộ gia đình trong khu dân cư: Ra quân dọn vệ sinh." in lines
    assert not any("Cách đo lường kết quả" in line for line in lines)
    pdf = officer.get(reverse("models_registry:document", args=[registration.pk, "pdf"]))
    assert "Thời gian, nguồn lực" in pdf_text(pdf.content)


def test_a_required_added_question_is_marked_and_must_be_answered_before_sending(
    login, campaign, unit_officer, office_user, during_registration
):
    from tests.models_registry.test_views import registration_post

    configure(
        office_user,
        campaign,
        {"kind": "text", "label": "Thời gian, nguồn lực", "required": True, "position": 999},
    )
    officer = login(unit_officer)
    create = reverse("models_registry:create") + f"?campaign={campaign.pk}"
    form = officer.get(create).context["form"]
    assert form.fields["answer_cau-hoi-1"].required
    officer.post(create, registration_post(campaign, name="Tên đã gõ"))
    registration = Registration.objects.get(name="Tên đã gõ")  # the draft is kept unfinished
    response = officer.post(
        reverse("models_registry:transition", args=[registration.pk, "submitted"]), follow=True
    )
    assert "Phiếu đăng ký còn thiếu: Thời gian, nguồn lực" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == Status.DRAFT


def test_changing_the_form_after_registrations_exist_keeps_every_stored_answer(
    login, campaign, unit, unit_officer, office_user, during_registration
):
    from tests.models_registry.test_views import registration_post

    configure(office_user, campaign, {"kind": "text", "label": "Nguồn lực", "position": 999})
    officer = login(unit_officer)
    officer.post(
        reverse("models_registry:create") + f"?campaign={campaign.pk}",
        {
            **registration_post(campaign, success_measures="Đo bằng số hồ sơ."),
            "answer_cau-hoi-1": "Quỹ khu phố",
        },
    )
    registration = Registration.objects.get()
    configure(office_user, campaign, *hide("success_measures", "cau-hoi-1"))

    edit = reverse("models_registry:edit", args=[registration.pk])
    form = officer.get(edit).context["form"]
    assert "success_measures" not in form.fields
    assert "answer_cau-hoi-1" not in form.fields
    officer.post(
        edit,
        {**registration_post(campaign, name="Tên mới"), "version": registration.version},
    )
    registration.refresh_from_db()
    assert registration.name == "Tên mới"
    assert registration.success_measures == "Đo bằng số hồ sơ."
    assert registration.answers == {"cau-hoi-1": "Quỹ khu phố"}
    kept = officer.get(reverse("models_registry:detail", args=[registration.pk])).context[
        "kept_answers"
    ]
    assert {(a.question.key, a.text) for a in kept} == {
        ("success_measures", "Đo bằng số hồ sơ."),
        ("cau-hoi-1", "Quỹ khu phố"),
    }
    services.registration_transition(
        actor=unit_officer, registration=registration, to=Status.SUBMITTED
    )
    export = login(office_user).get(reverse("models_registry:export"), {"campaign": campaign.pk})
    header = next(load_workbook(io.BytesIO(b"".join(export.streaming_content))).active.values)
    assert "Nguồn lực (mục đã ẩn)" in header
    assert "Cách đo lường kết quả (mục đã ẩn)" in header


def test_a_question_made_required_later_stops_an_incomplete_submission(
    campaign, unit, unit_officer, office_user, during_registration
):
    registration = RegistrationFactory(campaign=campaign, unit=unit)
    configure(
        office_user,
        campaign,
        {"kind": "long_text", "label": "Thời gian, nguồn lực", "required": True, "position": 5},
    )
    with pytest.raises(ValidationError) as refused:
        services.registration_transition(
            actor=unit_officer,
            registration=Registration.objects.get(pk=registration.pk),
            to=Status.SUBMITTED,
        )
    assert "Phiếu đăng ký còn thiếu: Thời gian, nguồn lực" in refused.value.messages[0]
    assert Registration.objects.get(pk=registration.pk).status == Status.DRAFT


def test_the_office_edits_the_form_on_its_page(login, campaign, office_user):
    client = login(office_user)
    url = reverse("models_registry:form_config", args=[campaign.pk])
    page = client.get(url)
    formset = page.context["formset"]
    data = {
        "fingerprint": page.context["stamp"].initial["fingerprint"],
        "q-TOTAL_FORMS": str(len(formset.forms)),
        "q-INITIAL_FORMS": str(formset.initial_form_count()),
        "q-MIN_NUM_FORMS": "0",
        "q-MAX_NUM_FORMS": "1000",
    }
    for index, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if isinstance(value, bool):
                if value:
                    data[f"q-{index}-{name}"] = "on"
            elif value is not None:
                data[f"q-{index}-{name}"] = value
    keys = [form.question.key if form.question else None for form in formset.forms]
    objectives = keys.index("objectives")
    data[f"q-{objectives}-label"] = "Mục tiêu, tiêu chí"
    data.pop(f"q-{keys.index('success_measures')}-shown")
    new = keys.index(None)
    data[f"q-{new}-kind"] = "number"
    data[f"q-{new}-label"] = "Số hộ tham gia"
    response = client.post(url, data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    questions = {q.key: q for q in questions_for(campaign)}
    assert questions["objectives"].label == "Mục tiêu, tiêu chí"
    assert questions["success_measures"].shown is False
    assert questions["cau-hoi-1"].label == "Số hộ tham gia"
    assert questions["cau-hoi-1"].kind == "number"
    # The same page sent again (an older form) is refused, not written over the new one.
    again = client.post(url, data, follow=True)
    assert "Mẫu phiếu vừa được người khác sửa" in again.content.decode()
    assert FormQuestion.objects.filter(campaign=campaign, key__startswith="cau-hoi").count() == 1


def test_the_models_name_cannot_be_hidden_or_made_optional(campaign, office_user):
    labels = configure(office_user, campaign, {"key": "name", "shown": False, "required": False})
    assert labels["Tên mô hình"].shown is True
    assert labels["Tên mô hình"].required is True


def test_only_the_wards_office_changes_its_form(
    login, campaign, unit_officer, outsider, office_user, chairman
):
    url = reverse("models_registry:form_config", args=[campaign.pk])
    for user in (unit_officer, outsider, chairman):
        assert login(user).get(url).status_code == 404
        response = login(user).post(url, {"q-TOTAL_FORMS": "0", "q-INITIAL_FORMS": "0"})
        assert response.status_code == 404
    with pytest.raises(PermissionDenied):
        services.registration_form_save(
            actor=outsider, campaign=campaign, rows=hide("objectives"), fingerprint=None
        )
    assert not FormQuestion.objects.exists()
    assert login(office_user).get(url).status_code == 200  # positive control


def test_a_stale_save_through_the_service_is_refused(campaign, office_user):
    fingerprint = services.form_fingerprint(campaign)
    configure(office_user, campaign, *hide("workdays"))
    with pytest.raises(StaleEdit):
        services.registration_form_save(
            actor=office_user, campaign=campaign, rows=hide("budget_vnd"), fingerprint=fingerprint
        )
    assert FormQuestion.objects.get(campaign=campaign, key="budget_vnd").shown is True


def test_questions_added_without_a_place_come_after_every_other_in_the_order_typed(
    campaign, office_user
):
    configure(
        office_user,
        campaign,
        {"kind": "number", "label": "Số hộ dân tham gia"},
        {"kind": "text", "label": "Thời gian, nguồn lực"},
    )
    order = [question.label for question in questions_for(campaign) if question.shown]
    assert order[0] == "Tên mô hình"
    assert order[-2:] == ["Số hộ dân tham gia", "Thời gian, nguồn lực"]
    # One added later, without a place either, goes after them.
    configure(office_user, campaign, {"kind": "text", "label": "Kiến nghị"})
    fresh = type(campaign).objects.get(pk=campaign.pk)  # questions_for keeps what it read
    order = [question.label for question in questions_for(fresh) if question.shown]
    assert order[-3:] == ["Số hộ dân tham gia", "Thời gian, nguồn lực", "Kiến nghị"]


def test_next_years_copy_of_a_campaign_keeps_its_form(campaign, office_user):
    configure(office_user, campaign, *FRONT_FORM)
    clone = campaign_services.campaign_clone(actor=office_user, campaign=campaign)
    original = [(q.key, q.label, q.shown, q.required) for q in questions_for(campaign)]
    assert [(q.key, q.label, q.shown, q.required) for q in questions_for(clone)] == original


def test_one_wards_form_is_not_another_wards(campaign, office_user, other_org):
    configure(office_user, campaign, *FRONT_FORM)
    theirs = CampaignFactory(organization=other_org, year=2025, status="issued")
    assert [q.label for q in questions_for(theirs)][:3] == [
        "Tên mô hình",
        "Chủ thể mô hình",
        "Lĩnh vực",
    ]


def test_the_form_page_takes_as_many_queries_for_three_added_questions_as_for_one(
    login, campaign, office_user, queries_for
):
    url = reverse("models_registry:form_config", args=[campaign.pk])
    configure(office_user, campaign, {"kind": "text", "label": "Câu 1", "position": 900})
    client = login(office_user)
    one = queries_for(client, url)
    configure(
        office_user,
        campaign,
        {"kind": "text", "label": "Câu 2", "position": 901},
        {"kind": "number", "label": "Câu 3", "position": 902},
    )
    assert queries_for(client, url) == one


def test_the_list_with_added_questions_takes_as_many_queries_for_three_rows_as_for_one(
    login, campaign, unit, office_user, queries_for
):
    configure(office_user, campaign, {"kind": "text", "label": "Nguồn lực", "position": 900})

    def add():
        RegistrationFactory(
            campaign=campaign, unit=unit, status=Status.SUBMITTED, answers={"cau-hoi-1": "Quỹ"}
        )

    client = login(office_user)
    add()
    one = queries_for(client, reverse("models_registry:list"))
    add()
    add()
    assert queries_for(client, reverse("models_registry:list")) == one
    assert "Nguồn lực:" in client.get(reverse("models_registry:list")).content.decode()


def test_an_added_question_without_a_name_is_refused_and_keeps_what_was_typed(
    login, campaign, office_user
):
    client = login(office_user)
    url = reverse("models_registry:form_config", args=[campaign.pk])
    page = client.get(url)
    formset, stamp = page.context["formset"], page.context["stamp"]
    data = {
        f"{formset.prefix}-{name}": value for name, value in formset.management_form.initial.items()
    }
    data[f"{stamp.prefix}-fingerprint" if stamp.prefix else "fingerprint"] = stamp.initial[
        "fingerprint"
    ]
    for form in formset.forms:
        for name, field in form.fields.items():
            value = form[name].value()
            if field.widget.input_type == "checkbox":
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = value
    [blank, *_rest] = [form for form in formset.forms if form.question is None]
    data.update(
        {
            blank.add_prefix("kind"): "number",
            blank.add_prefix("help_text"): "Ghi số hộ",
            blank.add_prefix("position"): "15",
        }
    )
    before = FormQuestion.objects.count()
    response = client.post(url, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hãy ghi tên mục của câu hỏi thêm" in content
    assert "Ghi số hộ" in content
    assert FormQuestion.objects.count() == before
    # The untouched blank rows alone save as before.
    for name in ("kind", "help_text", "position"):
        data.pop(blank.add_prefix(name))
    assert client.post(url, data).status_code == 302

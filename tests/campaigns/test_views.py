from datetime import date

import pytest
from django.urls import reverse

from campaigns import services
from campaigns.models import Campaign, Item, Section
from tests.factories import CampaignFactory, ItemFactory, SectionFactory, complete_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(org):
    return complete_plan(CampaignFactory(organization=org, name="Dự thảo phong trào 2025"))


@pytest.fixture
def issued(org, chairman):
    campaign = complete_plan(
        CampaignFactory(
            organization=org, year=2024, name="Phong trào 2024", plan_issue_date=date(2024, 3, 19)
        )
    )
    services.campaign_issue(actor=chairman, campaign=campaign)
    campaign.refresh_from_db()
    return campaign


def url(name, campaign, *args):
    return reverse(f"campaigns:{name}", args=[campaign.pk, *args])


READ_PAGES = ["detail", "plan_print"]


@pytest.mark.parametrize("page", READ_PAGES)
def test_every_member_reads_an_issued_plan(login, issued, unit_officer, viewer, office_user, page):
    for user in (unit_officer, viewer, office_user):
        assert login(user).get(url(page, issued)).status_code == 200


def test_every_member_downloads_the_issued_files_byte_identical(login, issued, viewer):
    client = login(viewer)
    for fmt, field in (("docx", issued.issued_document.docx), ("pdf", issued.issued_document.pdf)):
        response = client.get(url("plan_download", issued, fmt))
        assert response.status_code == 200
        field.open("rb")
        assert b"".join(response.streaming_content) == field.read()
        field.close()


@pytest.mark.parametrize("page", [*READ_PAGES, "plan"])
def test_drafts_are_hidden_from_unit_officers_and_viewers(login, draft, unit_officer, viewer, page):
    for user in (unit_officer, viewer):
        assert login(user).get(url(page, draft)).status_code == 404


def test_drafts_are_visible_to_office_staff_and_the_signers(
    login, draft, office_user, chairman, vice_chairman
):
    for user in (office_user, chairman, vice_chairman):
        assert login(user).get(url("detail", draft)).status_code == 200


def test_the_list_shows_drafts_only_to_those_who_may_see_them(
    login, draft, issued, unit_officer, office_user
):
    content = login(unit_officer).get(reverse("campaigns:list")).content.decode()
    assert issued.name in content
    assert draft.name not in content
    content = login(office_user).get(reverse("campaigns:list")).content.decode()
    assert draft.name in content


@pytest.mark.parametrize(
    ("page", "method"),
    [
        ("detail", "get"),
        ("plan_print", "get"),
        ("edit", "get"),
        ("plan", "get"),
        ("issue", "get"),
        ("clone", "post"),
        ("close", "post"),
    ],
)
def test_another_organisations_campaigns_are_404(login, outsider, issued, draft, page, method):
    client = login(outsider)
    for campaign in (issued, draft):
        assert getattr(client, method)(url(page, campaign)).status_code == 404
    assert client.get(url("plan_download", issued, "docx")).status_code == 404


def test_the_campaign_list_of_another_organisation_stays_apart(login, outsider, issued, viewer):
    assert issued.name not in login(outsider).get(reverse("campaigns:list")).content.decode()
    assert issued.name in login(viewer).get(reverse("campaigns:list")).content.decode()


def test_only_office_staff_reach_the_editing_pages(
    login, draft, chairman, unit_officer, office_user
):
    for page in ("edit", "plan"):
        assert login(office_user).get(url(page, draft)).status_code == 200
        assert login(chairman).get(url(page, draft)).status_code == 404
    assert login(unit_officer).get(reverse("campaigns:create")).status_code == 404
    assert login(office_user).get(reverse("campaigns:create")).status_code == 200


def test_editing_an_issued_plan_sends_the_user_back_with_a_message(login, issued, office_user):
    response = login(office_user).get(url("edit", issued), follow=True)
    assert "Kế hoạch đã ban hành; không sửa được nữa." in response.content.decode()


def form_data(campaign, **changes):
    data = {
        "version": campaign.version,
        "year": campaign.year,
        "name": campaign.name,
        "form": campaign.form,
        "registration_opens": campaign.registration_opens.isoformat(),
        "registration_deadline": campaign.registration_deadline.isoformat(),
        "mid_year_review_starts": campaign.mid_year_review_starts.isoformat(),
        "mid_year_review_ends": campaign.mid_year_review_ends.isoformat(),
        "year_end_review_starts": campaign.year_end_review_starts.isoformat(),
        "year_end_review_ends": campaign.year_end_review_ends.isoformat(),
        "nomination_deadline": campaign.nomination_deadline.isoformat(),
        "plan_number": "",
        "plan_issue_date": "",
        "plan_subject": campaign.plan_subject,
        "plan_introduction": campaign.plan_introduction,
        "plan_closing": campaign.plan_closing,
        "recipients": campaign.recipients,
        "signing_mode": campaign.signing_mode,
    }
    data.update(changes)
    return data


def test_bad_dates_get_vietnamese_field_messages_and_the_typing_is_kept(login, draft, office_user):
    response = login(office_user).post(
        url("edit", draft),
        form_data(
            draft,
            registration_deadline="2025-01-10",
            year_end_review_ends="2026-01-05",
            plan_introduction="Đoạn mở đầu mới đang gõ dở.",
        ),
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["registration_deadline"] == ["Hạn đăng ký không được trước ngày mở đăng ký."]
    assert form.errors["year_end_review_ends"] == ["Ngày này phải thuộc năm 2025 của phong trào."]
    assert "Đoạn mở đầu mới đang gõ dở." in response.content.decode()
    draft.refresh_from_db()
    assert draft.plan_introduction != "Đoạn mở đầu mới đang gõ dở."


@pytest.mark.parametrize(
    ("year", "message"), [("0", "Năm phải từ 2000 trở đi."), ("20251", "Năm phải không quá 2100.")]
)
def test_a_year_that_is_a_typing_slip_is_refused_on_its_field(
    login, draft, office_user, year, message
):
    response = login(office_user).post(url("edit", draft), form_data(draft, year=year))
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == [message]
    draft.refresh_from_db()
    assert draft.year == 2025


def test_a_number_already_used_is_refused_at_issue_with_a_clear_message(
    login, issued, org, chairman
):
    copy = complete_plan(
        CampaignFactory(
            organization=org,
            year=2024,
            plan_number=issued.plan_number,
            plan_issue_date=date(2024, 5, 5),
        )
    )
    response = login(chairman).post(url("issue", copy))
    assert response.status_code == 200
    assert f"Số {issued.plan_number:02d}/KH-UBND năm 2024 đã được dùng" in response.content.decode()
    assert Campaign.objects.get(pk=copy.pk).status == Campaign.Status.DRAFT


def test_a_stale_edit_keeps_what_was_typed_and_says_why(login, draft, office_user):
    client = login(office_user)
    stale = form_data(draft, plan_closing="Bản của tôi.")
    client.post(url("edit", draft), form_data(draft, plan_closing="Bản của người khác."))
    response = client.post(url("edit", draft), stale)
    assert response.status_code == 200
    assert "vừa được người khác sửa" in response.content.decode()
    assert "Bản của tôi." in response.content.decode()
    draft.refresh_from_db()
    assert draft.plan_closing == "Bản của người khác."


def test_office_staff_create_a_campaign_and_land_in_the_plan_editor(login, office_user, org):
    data = form_data(CampaignFactory.build(organization=org, year=2026, name="Phong trào 2026"))
    data.pop("version")
    response = login(office_user).post(reverse("campaigns:create"), data)
    campaign = Campaign.objects.get(name="Phong trào 2026")
    assert response["Location"] == url("plan", campaign)


def test_a_point_is_added_edited_moved_and_deleted_through_the_editor(login, draft, office_user):
    client = login(office_user)
    section = draft.sections.first()
    response = client.post(
        reverse("campaigns:item_new", args=[draft.pk, section.pk]),
        {"lead": "", "text": "Điểm mới.", "role": ""},
    )
    assert response.status_code == 302
    point = Item.objects.get(text="Điểm mới.")
    response = client.post(
        reverse("campaigns:part_edit", args=[draft.pk, "item", point.pk]),
        {"lead": "Tiêu đề:", "text": "Điểm đã sửa.", "role": "", "version": point.version},
    )
    assert response.status_code == 302
    point.refresh_from_db()
    assert (point.lead, point.text) == ("Tiêu đề:", "Điểm đã sửa.")
    client.post(reverse("campaigns:part_move", args=[draft.pk, "item", point.pk, "up"]))
    point.refresh_from_db()
    assert point.position == 2
    client.post(reverse("campaigns:part_delete", args=[draft.pk, "item", point.pk]))
    assert not Item.objects.filter(pk=point.pk).exists()


def test_an_empty_point_is_refused_with_the_field_message(login, draft, office_user):
    section = draft.sections.first()
    response = login(office_user).post(
        reverse("campaigns:item_new", args=[draft.pk, section.pk]),
        {"lead": "Giữ lại tiêu đề", "text": ""},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["text"]
    assert 'value="Giữ lại tiêu đề"' in response.content.decode()


def test_a_point_of_another_campaign_cannot_be_reached_through_this_one(
    login, draft, office_user, org
):
    other = ItemFactory(section=SectionFactory(campaign=CampaignFactory(organization=org)))
    response = login(office_user).get(
        reverse("campaigns:part_edit", args=[draft.pk, "item", other.pk])
    )
    assert response.status_code == 404


def test_the_editor_lists_what_keeps_the_plan_from_being_issued(login, draft, office_user):
    Section.objects.create(campaign=draft, position=9, title="MỤC TRỐNG")
    content = login(office_user).get(url("plan", draft)).content.decode()
    assert "“MỤC TRỐNG” chưa có điểm nào" in content


def test_clone_goes_to_the_new_drafts_edit_page(login, issued, office_user):
    response = login(office_user).post(url("clone", issued))
    clone = Campaign.objects.get(cloned_from=issued)
    assert response["Location"] == url("edit", clone)
    assert clone.year == issued.year + 1


def test_the_issue_page_shows_the_preview_and_the_signer(login, draft, vice_chairman):
    content = login(vice_chairman).get(url("issue", draft)).content.decode()
    assert "KT. CHỦ TỊCH" in content
    assert vice_chairman.full_name in content
    response = login(vice_chairman).post(url("issue", draft))
    assert response.status_code == 302
    assert Campaign.objects.get(pk=draft.pk).status == Campaign.Status.ISSUED


def test_the_home_page_shows_the_campaign_phase_and_days_left(login, org, chairman, unit_officer):
    import time_machine

    campaign = complete_plan(CampaignFactory(organization=org, year=2025))
    services.campaign_issue(actor=chairman, campaign=campaign)
    with time_machine.travel(date(2025, 3, 19), tick=False):
        content = login(unit_officer).get(reverse("home")).content.decode()
    assert "Đang mở đăng ký mô hình" in content
    assert "Đăng ký mô hình — còn 12 ngày" in content


def test_draft_downloads_are_built_on_the_fly_for_office_staff(login, draft, office_user):
    client = login(office_user)
    assert client.get(url("plan_download", draft, "docx"))["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert client.get(url("plan_download", draft, "pdf"))["Content-Type"] == "application/pdf"


# Query counts: one item and three items cost the same.


def _grow(campaign):
    section = SectionFactory(campaign=campaign)
    ItemFactory(section=section)


@pytest.mark.parametrize("page", ["detail", "plan", "plan_print", "issue", "edit"])
def test_campaign_pages_take_as_many_queries_for_three_sections_as_for_one(
    login, org, office_user, chairman, queries_for, page
):
    campaign = CampaignFactory(organization=org)
    user = chairman if page == "issue" else office_user
    client = login(user)
    _grow(campaign)
    one = queries_for(client, url(page, campaign))
    _grow(campaign)
    _grow(campaign)
    assert queries_for(client, url(page, campaign)) == one


def test_the_campaign_list_takes_as_many_queries_for_three_campaigns_as_for_one(
    login, org, office_user, queries_for
):
    client = login(office_user)
    CampaignFactory(organization=org)
    one = queries_for(client, reverse("campaigns:list"))
    CampaignFactory.create_batch(2, organization=org)
    assert queries_for(client, reverse("campaigns:list")) == one


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_downloads_take_as_many_queries_for_three_sections_as_for_one(
    login, org, office_user, queries_for, fmt
):
    campaign = CampaignFactory(organization=org)
    client = login(office_user)
    _grow(campaign)
    one = queries_for(client, url("plan_download", campaign, fmt))
    _grow(campaign)
    _grow(campaign)
    assert queries_for(client, url("plan_download", campaign, fmt)) == one


@pytest.mark.parametrize("page", ["create", "part_new_section", "item_new"])
def test_plan_forms_take_as_many_queries_for_three_sections_as_for_one(
    login, org, office_user, queries_for, page
):
    campaign = CampaignFactory(organization=org)
    client = login(office_user)

    def url():
        if page == "create":
            return reverse("campaigns:create")
        if page == "part_new_section":
            return reverse("campaigns:part_new", args=[campaign.pk, "section"])
        return reverse("campaigns:item_new", args=[campaign.pk, campaign.sections.first().pk])

    _grow(campaign)
    one = queries_for(client, url())
    _grow(campaign)
    _grow(campaign)
    assert queries_for(client, url()) == one

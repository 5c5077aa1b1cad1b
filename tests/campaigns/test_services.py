from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns import services
from campaigns.models import Campaign, Item, LegalBasis, Section
from danvan.audit.models import AuditEvent
from danvan.documents.models import IssuedDocument
from danvan.workflow import StaleEdit
from tests.factories import CampaignFactory, ItemFactory, SectionFactory, complete_plan

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def campaign_data(year=2025, **extra):
    data = {
        "year": year,
        "name": f"Phong trào thi đua “Dân vận khéo” năm {year}",
        "form": Campaign.Form.REGULAR,
        "registration_opens": date(year, 2, 1),
        "registration_deadline": date(year, 3, 15),
        "mid_year_review_starts": date(year, 6, 15),
        "mid_year_review_ends": date(year, 7, 10),
        "year_end_review_starts": date(year, 11, 15),
        "year_end_review_ends": date(year, 12, 20),
        "nomination_deadline": date(year, 12, 10),
        "plan_subject": f"Về việc phát động phong trào thi đua “Dân vận khéo” năm {year}",
        "recipients": "Lưu: VT.",
    }
    data.update(extra)
    return data


def test_creating_a_campaign_starts_a_draft_with_the_usual_sections(office_user, org):
    campaign = services.campaign_create(actor=office_user, organization=org, data=campaign_data())
    assert campaign.status == Campaign.Status.DRAFT
    assert list(campaign.sections.values_list("title", flat=True)) == list(
        services.DEFAULT_SECTIONS
    )
    event = AuditEvent.objects.get(action="campaign.create")
    assert event.organization == org
    assert event.changes["year"] == [None, 2025]


def test_only_office_staff_create_campaigns(unit_officer, chairman, org):
    for user in (unit_officer, chairman):
        with pytest.raises(PermissionDenied):
            services.campaign_create(actor=user, organization=org, data=campaign_data())


def test_review_dates_outside_the_year_are_refused_and_nothing_is_saved(office_user, org):
    with pytest.raises(ValidationError) as caught:
        services.campaign_create(
            actor=office_user,
            organization=org,
            data=campaign_data(year_end_review_ends=date(2026, 1, 10)),
        )
    assert "year_end_review_ends" in caught.value.message_dict
    assert not Campaign.objects.exists()


def test_an_edit_based_on_an_old_version_is_refused_not_lost(office_user, org):
    campaign = services.campaign_create(actor=office_user, organization=org, data=campaign_data())
    opened_at = campaign.version
    services.campaign_update(
        actor=office_user,
        campaign=campaign,
        data={"plan_closing": "Bản của chị Lan."},
        expected_version=opened_at,
    )
    with pytest.raises(StaleEdit):
        services.campaign_update(
            actor=office_user,
            campaign=campaign,
            data={"plan_closing": "Bản cũ."},
            expected_version=opened_at,
        )
    campaign.refresh_from_db()
    assert campaign.plan_closing == "Bản của chị Lan."


def test_cloning_copies_the_plan_to_next_year_and_shifts_its_dates(office_user, org):
    source = CampaignFactory(
        organization=org,
        year=2024,
        name="Phong trào thi đua “Dân vận khéo” năm 2024",
        registration_opens=date(2024, 2, 29),
        plan_introduction="Để triển khai công tác dân vận năm 2024 đạt hiệu quả.",
    )
    basis = LegalBasis.objects.create(
        campaign=source, kind="kế hoạch", number="44/KH-UBND", issued_on=date(2024, 3, 19)
    )
    section = SectionFactory(campaign=source, title="TIÊU CHÍ NĂM 2024")
    point = ItemFactory(
        section=section,
        lead="Mô hình năm 2024:",
        text="Mô hình một cửa.",
        role=Item.Role.MODEL_OF_THE_YEAR,
    )
    ItemFactory(section=section, parent=point, text="Điểm con.")

    clone = services.campaign_clone(actor=office_user, campaign=source)

    assert clone.year == 2025
    assert clone.status == Campaign.Status.DRAFT
    assert clone.name == "Phong trào thi đua “Dân vận khéo” năm 2025"
    assert clone.plan_introduction == "Để triển khai công tác dân vận năm 2025 đạt hiệu quả."
    assert clone.registration_opens == date(2025, 2, 28)  # 29 February has no 2025
    assert clone.registration_deadline == date(2025, 3, 31)
    assert clone.plan_number is None
    assert clone.issued_document is None
    assert clone.cloned_from == source
    cloned_basis = clone.legal_bases.get()
    assert (cloned_basis.number, cloned_basis.issued_on) == (basis.number, basis.issued_on)
    cloned_section = clone.sections.get()
    assert cloned_section.title == "TIÊU CHÍ NĂM 2025"
    top = cloned_section.items.get(parent=None)
    assert (top.lead, top.role) == ("Mô hình năm 2025:", Item.Role.MODEL_OF_THE_YEAR)
    assert top.children.get().text == "Điểm con."
    assert source.sections.get().items.count() == 2  # the source is untouched


def test_issuing_numbers_the_plan_freezes_its_files_and_records_the_signatures(chairman, org):
    campaign = complete_plan(CampaignFactory(organization=org))
    signed = datetime(2025, 1, 20, 9, 28, 22, tzinfo=HANOI)
    campaign = services.campaign_issue(
        actor=chairman, campaign=campaign, signed_at=signed, sealed_at=signed.replace(minute=30)
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ISSUED
    assert campaign.plan_number == 1
    assert campaign.plan_issue_date == date(2025, 1, 20)
    issued = campaign.issued_document
    assert issued.number_symbol == "01/KH-UBND"
    assert issued.issued_by == chairman
    assert [s.signed_at for s in issued.signatures.all()] == [signed, signed.replace(minute=30)]
    assert issued.docx.size > 0
    assert issued.pdf.size > 0
    assert (
        AuditEvent.objects.filter(action="campaign.issued", object_id=str(campaign.pk)).count() == 1
    )


def test_issuing_continues_the_years_numbering_and_restarts_next_year(chairman, org):
    first = complete_plan(CampaignFactory(organization=org, plan_issue_date=date(2025, 1, 6)))
    second = complete_plan(CampaignFactory(organization=org, plan_issue_date=date(2025, 2, 6)))
    next_year = complete_plan(
        CampaignFactory(organization=org, year=2026, plan_issue_date=date(2026, 1, 6))
    )
    for campaign in (first, second, next_year):
        services.campaign_issue(actor=chairman, campaign=campaign)
    numbers = [
        Campaign.objects.get(pk=c.pk).issued_document.number for c in (first, second, next_year)
    ]
    assert numbers == [1, 2, 1]


def test_a_typed_in_historical_number_is_kept_and_a_used_one_refused(chairman, org):
    historical = complete_plan(
        CampaignFactory(organization=org, plan_number=46, plan_issue_date=date(2025, 3, 19))
    )
    services.campaign_issue(actor=chairman, campaign=historical)
    assert Campaign.objects.get(pk=historical.pk).issued_document.number_symbol == "46/KH-UBND"
    duplicate = complete_plan(
        CampaignFactory(organization=org, plan_number=46, plan_issue_date=date(2025, 4, 1))
    )
    with pytest.raises(ValidationError) as caught:
        services.campaign_issue(actor=chairman, campaign=duplicate)
    assert "46" in str(caught.value)
    assert "đã được dùng" in str(caught.value)
    duplicate.refresh_from_db()
    assert duplicate.status == Campaign.Status.DRAFT
    following = complete_plan(CampaignFactory(organization=org, plan_issue_date=date(2025, 5, 1)))
    services.campaign_issue(actor=chairman, campaign=following)
    assert Campaign.objects.get(pk=following.pk).issued_document.number == 47


def test_only_the_chairman_or_a_vice_chairman_signs(office_user, unit_officer, vice_chairman, org):
    campaign = complete_plan(CampaignFactory(organization=org))
    for user in (office_user, unit_officer):
        with pytest.raises(PermissionDenied):
            services.campaign_issue(actor=user, campaign=campaign)
    services.campaign_issue(actor=vice_chairman, campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.ISSUED


def test_a_plan_with_a_section_without_points_cannot_be_issued(chairman, org):
    campaign = complete_plan(CampaignFactory(organization=org))
    SectionFactory(campaign=campaign, title="TỔ CHỨC THỰC HIỆN")
    with pytest.raises(ValidationError) as caught:
        services.campaign_issue(actor=chairman, campaign=campaign)
    assert "“TỔ CHỨC THỰC HIỆN” chưa có điểm nào" in " ".join(caught.value.messages)
    assert not IssuedDocument.objects.exists()


def test_an_issued_plan_can_no_longer_change(chairman, office_user, org):
    campaign = complete_plan(CampaignFactory(organization=org))
    services.campaign_issue(actor=chairman, campaign=campaign)
    campaign.refresh_from_db()
    section = campaign.sections.first()
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.campaign_update(
            actor=office_user,
            campaign=campaign,
            data={"name": "Khác"},
            expected_version=campaign.version,
        )
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.plan_part_save(
            actor=office_user, instance=Section(campaign=campaign), data={"title": "MỚI"}
        )
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.plan_part_delete(actor=office_user, instance=section)
    with pytest.raises(ValidationError):
        services.campaign_issue(actor=chairman, campaign=campaign)


def test_the_transitions_table_refuses_moves_it_does_not_list(office_user, org):
    campaign = CampaignFactory(organization=org)
    with pytest.raises(ValidationError, match="Không thể chuyển"):
        services.campaign_close(actor=office_user, campaign=campaign)


def test_closing_an_issued_campaign_is_for_office_staff(chairman, office_user, org):
    campaign = complete_plan(CampaignFactory(organization=org))
    services.campaign_issue(actor=chairman, campaign=campaign)
    with pytest.raises(PermissionDenied):
        services.campaign_close(actor=chairman, campaign=campaign)
    services.campaign_close(actor=office_user, campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.CLOSED


def test_plan_parts_are_added_last_moved_and_deleted_with_an_audit_trail(office_user, org):
    campaign = CampaignFactory(organization=org)
    first = services.plan_part_save(
        actor=office_user, instance=Section(campaign=campaign), data={"title": "MỘT"}
    )
    second = services.plan_part_save(
        actor=office_user, instance=Section(campaign=campaign), data={"title": "HAI"}
    )
    assert (first.position, second.position) == (1, 2)
    services.plan_part_move(actor=office_user, instance=second, step=-1)
    assert list(campaign.sections.order_by("position").values_list("title", flat=True)) == [
        "HAI",
        "MỘT",
    ]
    services.plan_part_move(
        actor=office_user, instance=second, step=-1
    )  # already first: nothing moves
    assert list(campaign.sections.order_by("position").values_list("title", flat=True)) == [
        "HAI",
        "MỘT",
    ]
    services.plan_part_delete(actor=office_user, instance=first)
    assert list(campaign.sections.values_list("title", flat=True)) == ["HAI"]
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "plan.section.create",
        "plan.section.create",
        "plan.section.move",
        "plan.section.delete",
    ]


def test_a_point_edit_on_an_old_version_is_refused(office_user, org):
    point = ItemFactory(section=SectionFactory(campaign=CampaignFactory(organization=org)))
    services.plan_part_save(
        actor=office_user, instance=point, data={"text": "Mới nhất."}, expected_version=1
    )
    with pytest.raises(StaleEdit):
        services.plan_part_save(
            actor=office_user, instance=point, data={"text": "Cũ."}, expected_version=1
        )
    point.refresh_from_db()
    assert point.text == "Mới nhất."


def test_sub_points_go_one_level_deep_only(office_user, org):
    section = SectionFactory(campaign=CampaignFactory(organization=org))
    point = ItemFactory(section=section)
    child = services.plan_part_save(
        actor=office_user, instance=Item(section=section, parent=point), data={"text": "a"}
    )
    with pytest.raises(ValidationError, match="một cấp"):
        services.plan_part_save(
            actor=office_user, instance=Item(section=section, parent=child), data={"text": "b"}
        )


def test_the_issued_plan_files_carry_the_header_number_date_headings_recipients_and_signer(
    vice_chairman, org
):
    from tests.documents.text import docx_lines, pdf_text

    org.header_name = "ỦY BAN NHÂN DÂN\nPHƯỜNG PHỔ MINH"
    org.place_name = "Phổ Minh"
    org.save()
    campaign = CampaignFactory(
        organization=org, plan_issue_date=date(2025, 2, 5), recipients="Phòng Nội vụ;\nLưu: VT."
    )
    for title in ("MỤC ĐÍCH, YÊU CẦU", "NỘI DUNG"):
        ItemFactory(section=SectionFactory(campaign=campaign, title=title))
    services.campaign_issue(actor=vice_chairman, campaign=campaign)
    issued = Campaign.objects.get(pk=campaign.pk).issued_document
    with issued.docx.open("rb") as handle:
        lines = docx_lines(handle.read())
    with issued.pdf.open("rb") as handle:
        pdf = pdf_text(handle.read())
    expected = [
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG PHỔ MINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/KH-UBND",
        "Phổ Minh, ngày 05 tháng 02 năm 2025",
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU",
        "II. NỘI DUNG",
        "Nơi nhận:",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "- Phòng Nội vụ;",
        "- Lưu: VT.",
        vice_chairman.full_name,
    ]
    positions = [
        next(i for i, line in enumerate(lines) if line.strip() == text) for text in expected
    ]
    assert positions == sorted(positions)
    for text in expected:
        assert text in pdf

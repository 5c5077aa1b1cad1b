"""Campaigns launched by the Party committee or the Front: their own header, number,
register and signature, recorded by the office from the paper they signed."""

from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from campaigns import selectors, services
from campaigns.models import Campaign
from danvan.accounts.models import IssuingBody
from danvan.documents.models import IssuedDocument
from tests.documents.text import docx_lines, pdf_text
from tests.factories import CampaignFactory, LegalBasisFactory, complete_plan

pytestmark = pytest.mark.django_db


@pytest.fixture
def pho_minh(org):
    org.name = "Ủy ban nhân dân phường Phổ Minh"
    org.header_name = "ỦY BAN NHÂN DÂN\nPHƯỜNG PHỔ MINH"
    org.place_name = "Phổ Minh"
    org.province = "Quảng Ngãi"
    org.save()
    return org


@pytest.fixture
def party(pho_minh):
    return IssuingBody.objects.create(
        organization=pho_minh,
        kind=IssuingBody.Kind.PARTY,
        head_name="Nguyễn Văn Tín",
        term_start_year=2025,
        **IssuingBody.defaults_for(IssuingBody.Kind.PARTY, pho_minh),
    )


@pytest.fixture
def front(pho_minh):
    return IssuingBody.objects.create(
        organization=pho_minh,
        kind=IssuingBody.Kind.FRONT,
        head_name="Trần Thị Mai",
        **IssuingBody.defaults_for(IssuingBody.Kind.FRONT, pho_minh),
    )


def body_campaign(body, kind, year=2026, name="", **extra):
    campaign = complete_plan(
        CampaignFactory(
            organization=body.organization,
            year=year,
            issuing_body=body,
            document_kind=kind,
            name=name or f"Phong trào “Dân vận khéo” năm {year} của {body.short_name}",
            plan_subject=f"Thực hiện phong trào thi đua “Dân vận khéo” năm {year}",
            recipients="Các chi bộ trực thuộc;\nLưu: VT.",
            **extra,
        )
    )
    LegalBasisFactory(
        campaign=campaign,
        kind="Kết luận",
        number="114-KL/TW",
        issued_on=date(2021, 7, 14),
        issuer="Ban Bí thư",
        title="về nâng cao chất lượng, hiệu quả công tác dân vận",
    )
    return campaign


def files(campaign) -> tuple[list[str], str]:
    document = campaign.issued_document
    with document.docx.open("rb") as handle:
        lines = docx_lines(handle.read())
    with document.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    return lines, text


def test_a_party_guidance_reads_in_the_partys_own_layout(party, office_user):
    campaign = body_campaign(party, Campaign.DocumentKind.GUIDANCE)
    services.campaign_issue(
        actor=office_user,
        campaign=campaign,
        number=29,
        signed_at=None,
        signer_name="",
    )
    campaign.refresh_from_db()
    document = campaign.issued_document
    assert document.number_symbol == "29-HD/ĐU"
    lines, pdf = files(campaign)
    header = lines[:8]
    assert header[:6] == [
        "ĐẢNG BỘ TỈNH QUẢNG NGÃI",
        "ĐẢNG ỦY PHƯỜNG PHỔ MINH",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số 29-HD/ĐU",
        header[5],  # the date line of today
    ]
    assert header[5].startswith("Phổ Minh, ngày ")
    assert header[6:8] == ["HƯỚNG DẪN", "Thực hiện phong trào thi đua “Dân vận khéo” năm 2026"]
    text = "\n".join(lines)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in text
    assert "Độc lập - Tự do - Hạnh phúc" not in text
    assert "Căn cứ Luật Thi đua, khen thưởng" not in text  # the committee's citations
    assert "Căn cứ Kết luận số 114-KL/TW ngày 14/7/2021 của Ban Bí thư" in text
    closing = lines[lines.index("Nơi nhận:") :]
    assert closing[1:3] == ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
    assert "Nguyễn Văn Tín" in closing
    assert "Ký số" not in text  # signed on paper
    for words in ("ĐẢNG CỘNG SẢN VIỆT NAM", "Số 29-HD/ĐU", "T/M BAN THƯỜNG VỤ", "BÍ THƯ"):
        assert words in pdf
    assert "Độc lập - Tự do - Hạnh phúc" not in pdf
    assert campaign.plan_signer_name == "Nguyễn Văn Tín"


def test_a_party_deputy_signs_under_the_collective_line(party, office_user):
    campaign = body_campaign(party, Campaign.DocumentKind.PLAN)
    services.campaign_issue(
        actor=office_user, campaign=campaign, signer_name="Lê Thị Hoa", deputy=True
    )
    campaign.refresh_from_db()
    lines, _pdf = files(campaign)
    closing = lines[lines.index("Nơi nhận:") :]
    assert closing[1:3] == ["T/M BAN THƯỜNG VỤ", "PHÓ BÍ THƯ"]
    assert "KT. BÍ THƯ" not in lines


def test_a_front_letter_reads_in_the_fronts_practice(front, office_user):
    campaign = body_campaign(front, Campaign.DocumentKind.LETTER, year=2026)
    services.campaign_issue(actor=office_user, campaign=campaign, number=249)
    campaign.refresh_from_db()
    assert campaign.issued_document.number_symbol == "249/MTTQ-BTT"
    lines, pdf = files(campaign)
    assert lines[:6] == [
        "ỦY BAN MTTQ VIỆT NAM PHƯỜNG PHỔ MINH",
        "BAN THƯỜNG TRỰC",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 249/MTTQ-BTT",
        "V/v thực hiện phong trào thi đua “Dân vận khéo” năm 2026",
    ]
    assert lines[6].startswith("Phổ Minh, ngày ")
    assert "CÔNG VĂN" not in lines
    closing = lines[lines.index("Nơi nhận:") :]
    assert closing[1:3] == ["TM. BAN THƯỜNG TRỰC", "CHỦ TỊCH"]
    assert "Trần Thị Mai" in closing
    assert "Số: 249/MTTQ-BTT" in pdf
    assert "TM. BAN THƯỜNG TRỰC" in pdf


def test_a_front_plan_carries_its_kind_in_the_number(front, office_user):
    campaign = body_campaign(front, Campaign.DocumentKind.PLAN)
    services.campaign_issue(actor=office_user, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.issued_document.number_symbol == "01/KH-MTTQ-BTT"


def test_each_body_numbers_in_its_own_register_and_the_party_through_its_term(
    pho_minh, party, front, office_user, chairman
):
    committee = complete_plan(CampaignFactory(organization=pho_minh, year=2026))
    services.campaign_issue(actor=chairman, campaign=committee)
    front_plan = body_campaign(front, Campaign.DocumentKind.PLAN)
    services.campaign_issue(actor=office_user, campaign=front_plan)
    first = body_campaign(party, Campaign.DocumentKind.PLAN, year=2026, name="Đảng ủy 2026")
    services.campaign_issue(actor=office_user, campaign=first)
    numbers = dict(IssuedDocument.objects.values_list("symbol", "number"))
    assert numbers == {"KH-UBND": 1, "KH-MTTQ-BTT": 1, "KH/ĐU": 1}
    # The Party committee's numbers run on through its term (from 2025), not per year.
    second = body_campaign(party, Campaign.DocumentKind.PLAN, year=2027, name="Đảng ủy 2027")
    second.plan_issue_date = date(2027, 2, 1)
    second.save()
    services.campaign_issue(actor=office_user, campaign=second)
    second.refresh_from_db()
    assert second.issued_document.number_symbol == "02-KH/ĐU"
    assert second.issued_document.year == 2025  # the register of the term


def test_a_number_already_in_the_bodys_register_is_refused(party, office_user):
    first = body_campaign(party, Campaign.DocumentKind.GUIDANCE, name="Một")
    services.campaign_issue(actor=office_user, campaign=first, number=29)
    second = body_campaign(party, Campaign.DocumentKind.GUIDANCE, name="Hai")
    with pytest.raises(ValidationError) as refused:
        services.campaign_issue(actor=office_user, campaign=second, number=29)
    assert "29-HD/ĐU" in refused.value.message_dict["number"][0]
    second.refresh_from_db()
    assert second.status == Campaign.Status.DRAFT


def test_the_chairman_does_not_sign_the_partys_document_and_the_office_records_it(
    login, party, chairman, office_user, viewer
):
    campaign = body_campaign(party, Campaign.DocumentKind.GUIDANCE)
    with pytest.raises(PermissionDenied):
        services.campaign_issue(actor=chairman, campaign=campaign)
    url = reverse("campaigns:issue", args=[campaign.pk])
    assert login(chairman).get(url).status_code == 404
    assert (
        login(viewer).post(url, {"signer_name": "X", "signed_on": "2026-03-02"}).status_code == 404
    )
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    client = login(office_user)
    page = client.get(url)
    assert page.context["form"]["signer_name"].value() == "Nguyễn Văn Tín"
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in page.content.decode()
    response = client.post(
        url, {"signer_name": "Nguyễn Văn Tín", "signed_on": "2026-03-02", "number": "29"}
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.ISSUED
    assert campaign.plan_issue_date == date(2026, 3, 2)
    assert campaign.issued_document.number_symbol == "29-HD/ĐU"
    detail = client.get(reverse("campaigns:detail", args=[campaign.pk])).content.decode()
    assert "người ký: Nguyễn Văn Tín (ký trên giấy)" in detail


def test_a_front_drafts_print_and_files_name_the_fronts_signer_not_the_chairman(
    login, front, chairman, office_user
):
    from tests.documents.text import docx_lines

    campaign = body_campaign(front, Campaign.DocumentKind.LETTER)
    client = login(office_user)
    printed = client.get(reverse("campaigns:plan_print", args=[campaign.pk])).content.decode()
    assert "TM. BAN THƯỜNG TRỰC" in printed
    assert "Trần Thị Mai" in printed
    assert chairman.full_name not in printed
    docx = client.get(reverse("campaigns:plan_download", args=[campaign.pk, "docx"]))
    lines = docx_lines(b"".join(docx.streaming_content) if docx.streaming else docx.content)
    assert "Trần Thị Mai" in lines
    assert chairman.full_name not in lines


def test_a_front_letter_is_plain_paragraphs_without_the_plans_sections(front, office_user):
    from tests.campaigns.test_services import campaign_data

    letter = services.campaign_create(
        actor=office_user,
        organization=front.organization,
        data=campaign_data(
            2026,
            issuing_body=front,
            document_kind=Campaign.DocumentKind.LETTER,
            plan_subject="Về việc đăng ký mô hình “Dân vận khéo” năm 2026",
        ),
    )
    assert not letter.sections.exists()
    assert "Công văn chưa có nội dung" in " ".join(selectors.plan_parts(campaign=letter).problems())
    letter.plan_introduction = "Ban Thường trực đề nghị các đơn vị đăng ký mô hình trước 15/3."
    letter.save()
    assert selectors.plan_parts(campaign=letter).problems() == []
    services.campaign_issue(actor=office_user, campaign=letter, number=250)
    letter.refresh_from_db()
    lines, _pdf = files(letter)
    assert "V/v đăng ký mô hình “Dân vận khéo” năm 2026" in lines
    assert "Ban Thường trực đề nghị các đơn vị đăng ký mô hình trước 15/3." in lines


def test_registrations_of_a_front_campaign_are_addressed_to_the_front(
    login, front, office_user, unit, unit_officer
):
    from models_registry.documents import registration_form_document
    from tests.factories import RegistrationFactory

    campaign = body_campaign(front, Campaign.DocumentKind.PLAN)
    services.campaign_issue(actor=office_user, campaign=campaign)
    registration = RegistrationFactory(campaign=campaign, unit=unit)
    document = registration_form_document(registration)
    first = document.body[0].text
    assert first == "Kính gửi: Ban Thường trực Ủy ban MTTQ phường Phổ Minh."
    assert document.recipients[0] == "Ban Thường trực Ủy ban MTTQ phường Phổ Minh;"


def test_a_campaign_cannot_name_another_wards_body(pho_minh, other_org, office_user):
    theirs = IssuingBody.objects.create(
        organization=other_org,
        kind=IssuingBody.Kind.FRONT,
        **IssuingBody.defaults_for(IssuingBody.Kind.FRONT, other_org),
    )
    campaign = complete_plan(CampaignFactory(organization=pho_minh))
    with pytest.raises(ValidationError) as refused:
        services.campaign_update(
            actor=office_user,
            campaign=campaign,
            data={"issuing_body": theirs},
            expected_version=campaign.version,
        )
    assert "issuing_body" in refused.value.message_dict
    campaign.refresh_from_db()
    assert campaign.issuing_body is None


def test_office_staff_add_a_front_body_from_its_defaults_in_the_back_office(
    login, pho_minh, office_user, outsider, front
):
    client = login(office_user)
    add = client.get(reverse("admin:accounts_issuingbody_add") + "?kind=party")
    form = add.context["adminform"].form
    assert form.initial["header_name"] == "ĐẢNG ỦY PHƯỜNG PHỔ MINH"
    assert form.initial["collective_line"] == "T/M BAN THƯỜNG VỤ"
    change = reverse("admin:accounts_issuingbody_change", args=[front.pk])
    assert login(outsider).get(change).status_code == 404
    assert client.get(change).status_code == 200


@time_machine.travel(date(2026, 12, 3), tick=False)
def test_the_signing_day_typed_when_recording_is_the_documents_date(login, party, office_user):
    campaign = body_campaign(
        party, Campaign.DocumentKind.GUIDANCE, plan_issue_date=date(2026, 1, 10)
    )
    client = login(office_user)
    url = reverse("campaigns:issue", args=[campaign.pk])
    response = client.post(url, {"signer_name": "Nguyễn Văn Tín", "signed_on": "20/11/2026"})
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.plan_issue_date == date(2026, 11, 20)
    assert campaign.issued_document.dated == date(2026, 11, 20)
    lines, _pdf = files(campaign)
    assert any(line.endswith("ngày 20 tháng 11 năm 2026") for line in lines[:8])


def test_a_signing_day_after_today_is_refused_and_nothing_is_recorded(login, party, office_user):
    campaign = body_campaign(party, Campaign.DocumentKind.GUIDANCE)
    client = login(office_user)
    url = reverse("campaigns:issue", args=[campaign.pk])
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        url, {"signer_name": "Lê Văn Tâm", "signed_on": f"{tomorrow:%d/%m/%Y}", "number": "3"}
    )
    assert response.status_code == 200
    assert "Ngày ký không được sau hôm nay" in response.content.decode()
    assert response.context["form"]["signer_name"].value() == "Lê Văn Tâm"
    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.DRAFT
    assert not IssuedDocument.objects.exists()


@pytest.mark.parametrize(
    ("body", "kind", "number", "cited"),
    [
        (
            "front",
            Campaign.DocumentKind.LETTER,
            249,
            "Căn cứ Công văn số 249/MTTQ-BTT ngày 24/02/2026 của Ban Thường trực Ủy ban MTTQ Việt "
            "Nam phường Phổ Minh về việc thực hiện phong trào thi đua “Dân vận khéo” năm 2026;",
        ),
        (
            "party",
            Campaign.DocumentKind.GUIDANCE,
            3,
            "Căn cứ Hướng dẫn số 03-HD/ĐU ngày 24/02/2026 của Ban Thường vụ Đảng ủy phường "
            "Phổ Minh về việc thực hiện phong trào thi đua “Dân vận khéo” năm 2026;",
        ),
    ],
)
def test_the_award_documents_cite_the_launching_document_of_its_kind_and_issuer(
    request, office_user, body, kind, number, cited
):
    from awards.documents import plan_basis

    campaign = body_campaign(request.getfixturevalue(body), kind)
    signed_at = timezone.make_aware(datetime(2026, 2, 24, 9))
    services.campaign_issue(
        actor=office_user, campaign=campaign, number=number, signed_at=signed_at
    )
    campaign.refresh_from_db()
    assert plan_basis(campaign) == cited

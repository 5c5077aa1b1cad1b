"""What documents cite ("Căn cứ …"): texts kept as data with the period they are in force,
so a document cites those in force on its date and never a lapsed one."""

from datetime import date

import pytest
from django.urls import reverse

from awards import services as awards
from awards.documents import minutes_document, submission_document
from campaigns import services as campaigns
from campaigns.models import Campaign
from campaigns.selectors import plan_parts
from danvan.documents.models import Citation, DocumentKind
from danvan.documents.render import render_docx
from danvan.documents.selectors import citations_in_force
from tests.documents.text import docx_lines
from tests.factories import (
    CampaignFactory,
    LegalBasisFactory,
    MeetingFactory,
    NominationFactory,
    complete_plan,
)

pytestmark = pytest.mark.django_db
AFTER_JULY_2025 = date(2025, 12, 19)


def text_of(spec) -> str:
    return " ".join(docx_lines(render_docx(spec)))


def lapsed(org, kind: str) -> Citation:
    """A text of the organisation's own that stopped applying on 30/6/2025."""
    return Citation.objects.create(
        organization=org,
        document_kind=kind,
        position=9,
        legal_kind=Citation.LegalKind.DECISION,
        number="99/2024/QĐ-UBND",
        issued_on=date(2024, 1, 10),
        issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
        title="ban hành Quy chế thi đua, khen thưởng (đã hết hiệu lực)",
        valid_from=date(2024, 1, 10),
        valid_to=date(2025, 6, 30),
    )


def in_force(org, kind: str) -> Citation:
    return Citation.objects.create(
        organization=org,
        document_kind=kind,
        position=8,
        legal_kind=Citation.LegalKind.DECISION,
        number="15/2025/QĐ-UBND",
        issued_on=date(2025, 8, 1),
        issuer="Ủy ban nhân dân tỉnh Quảng Ngãi",
        title="ban hành Quy chế thi đua, khen thưởng",
        valid_from=date(2025, 8, 1),
    )


def test_citations_print_in_the_official_form():
    law = Citation.objects.get(number="06/2022/QH15")
    decree = Citation.objects.get(number="152/2025/NĐ-CP")
    assert law.text == "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;"
    assert decree.text == (
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về "
        "phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn "
        "thi hành một số điều của Luật Thi đua, khen thưởng;"
    )


@pytest.mark.parametrize(
    ("day", "cited", "not_cited"),
    [
        (date(2025, 6, 30), "98/2023/NĐ-CP", "152/2025/NĐ-CP"),
        (date(2025, 7, 1), "152/2025/NĐ-CP", "98/2023/NĐ-CP"),
        (date(2025, 2, 28), "ngày 19 tháng 6 năm 2015", "ngày 16 tháng 6 năm 2025"),
        (date(2025, 6, 16), "ngày 16 tháng 6 năm 2025", "ngày 19 tháng 6 năm 2015"),
    ],
)
def test_a_decision_cites_the_texts_in_force_on_its_date(org, day, cited, not_cited):
    texts = " ".join(
        c.text for c in citations_in_force(organization=org, document_kind="QĐ", day=day)
    )
    assert cited in texts
    assert not_cited not in texts


def test_an_award_decision_dated_after_july_2025_cites_no_lapsed_text(org, chairman):
    lapsed(org, DocumentKind.DECISION)
    in_force(org, DocumentKind.DECISION)
    nomination = NominationFactory(
        campaign=CampaignFactory(organization=org, year=2025, status="issued"), status="passed"
    )
    decision = awards.decision_issue(
        actor=chairman, nominations=[nomination], decided_on=AFTER_JULY_2025
    )
    with decision.issued_document.docx.open("rb") as handle:
        text = " ".join(docx_lines(handle.read()))
    assert "Căn cứ Nghị định số 152/2025/NĐ-CP" in text
    assert "Quyết định số 15/2025/QĐ-UBND" in text  # the organisation's own, in force
    for gone in ("98/2023", "99/2024/QĐ-UBND", "ngày 19 tháng 6 năm 2015", "15/2025/TT-BNV"):
        assert gone not in text


def test_a_submission_dated_after_july_2025_cites_no_lapsed_text(org):
    lapsed(org, DocumentKind.SUBMISSION)
    in_force(org, DocumentKind.SUBMISSION)
    meeting = MeetingFactory(campaign=CampaignFactory(organization=org, year=2025))
    spec = submission_document(
        meeting,
        [],
        day=AFTER_JULY_2025,
        priced=[],
        base_salary=awards.base_salary_on(AFTER_JULY_2025),
    )
    text = text_of(spec)
    assert "15/2025/QĐ-UBND" in text
    assert "99/2024/QĐ-UBND" not in text
    assert "98/2023" not in text


def test_minutes_and_reports_cite_no_lapsed_text(org):
    lapsed(org, DocumentKind.MINUTES)
    meeting = MeetingFactory(campaign=CampaignFactory(organization=org, year=2025))
    text = text_of(minutes_document(meeting, []))
    assert "99/2024/QĐ-UBND" not in text
    assert "98/2023" not in text


def test_a_plan_cites_the_organisations_texts_in_force_on_its_date(org):
    in_force(org, DocumentKind.PLAN)
    lapsed(org, DocumentKind.PLAN)
    campaign = complete_plan(
        CampaignFactory(organization=org, year=2026, plan_issue_date=date(2026, 3, 10))
    )
    parts = plan_parts(campaign=campaign)
    assert [c.number for c in parts.citations] == ["15/2025/QĐ-UBND"]


def test_a_plan_that_still_cites_a_lapsed_text_cannot_be_issued(org, office_user, chairman):
    """A plan copied from last year keeps its bases: one that lapsed stops the signing."""
    campaign = complete_plan(
        CampaignFactory(organization=org, year=2025, plan_issue_date=date(2025, 12, 1))
    )
    LegalBasisFactory(
        campaign=campaign,
        kind="Nghị định",
        number="98/2023/NĐ-CP",
        issued_on=date(2023, 12, 31),
        issuer="Chính phủ",
        title="quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
    )
    problems = plan_parts(campaign=campaign).problems()
    assert any("đã hết hiệu lực từ ngày 30/06/2025" in problem for problem in problems)
    with pytest.raises(Exception, match="hết hiệu lực"):
        campaigns.campaign_issue(actor=chairman, campaign=campaign)
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.DRAFT


def test_office_staff_add_and_end_their_own_citations_in_the_back_office(login, org, office_user):
    client = login(office_user)
    response = client.post(
        reverse("admin:documents_citation_add"),
        {
            "organization": org.pk,
            "document_kind": DocumentKind.DECISION,
            "position": 8,
            "legal_kind": "Quyết định",
            "number": "15/2025/QĐ-UBND",
            "issued_on": "2025-08-01",
            "issuer": "Ủy ban nhân dân tỉnh Quảng Ngãi",
            "title": "ban hành Quy chế thi đua, khen thưởng",
            "valid_from": "2025-08-01",
            "valid_to": "",
            "source": "Công báo tỉnh",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    citation = Citation.objects.get(number="15/2025/QĐ-UBND")
    assert citation.organization == org
    change = reverse("admin:documents_citation_change", args=[citation.pk])
    form = client.get(change).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(organization=org.pk, valid_to="2026-05-31", issued_on="2025-08-01")
    data.update(valid_from="2025-08-01")
    assert client.post(change, data).status_code == 302
    citation.refresh_from_db()
    assert citation.valid_to == date(2026, 5, 31)
    assert not citation.in_force_on(date(2026, 6, 1))


def test_office_staff_read_but_cannot_change_the_national_citations(login, office_user):
    decree = Citation.objects.get(number="152/2025/NĐ-CP")
    client = login(office_user)
    listing = client.get(reverse("admin:documents_citation_changelist")).content.decode()
    assert "152/2025/NĐ-CP" in listing
    change = reverse("admin:documents_citation_change", args=[decree.pk])
    assert 'name="title"' not in client.get(change).content.decode()
    client.post(change, {"title": "Đã bị sửa", "valid_to": "2025-08-01"})
    decree.refresh_from_db()
    assert decree.title.startswith("quy định về phân cấp")
    assert decree.valid_to == date(2027, 2, 28)


def test_another_organisations_citations_stay_apart(login, org, other_org, outsider, office_user):
    theirs = in_force(other_org, DocumentKind.DECISION)
    assert theirs not in citations_in_force(
        organization=org, document_kind="QĐ", day=date(2025, 12, 1)
    )
    listing = login(office_user).get(reverse("admin:documents_citation_changelist"))
    assert "15/2025/QĐ-UBND" not in listing.content.decode()
    assert (
        "15/2025/QĐ-UBND"
        in login(outsider).get(reverse("admin:documents_citation_changelist")).content.decode()
    )
    change = reverse("admin:documents_citation_change", args=[theirs.pk])
    assert login(office_user).get(change).status_code == 404

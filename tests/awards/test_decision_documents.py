"""The award decision as a ward can sign it, word by word; the council's thresholds per
award form; and a mistake corrected by a decision that replaces the original."""

import io
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from pypdf import PdfReader

from awards import selectors, services
from awards.documents import minutes_document
from awards.models import Award, AwardDecision, Nomination, PassThreshold
from danvan.documents.render import render_docx
from danvan.text import vnd
from tests.documents.text import docx_lines, pdf_text
from tests.factories import CampaignFactory, NominationFactory, award_form

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")
SIGNED = datetime(2025, 12, 19, 14, 20, 37, tzinfo=HANOI)


@pytest.fixture
def pho_minh(org):
    org.name = "Ủy ban nhân dân phường Phổ Minh"
    org.header_name = "ỦY BAN NHÂN DÂN\nPHƯỜNG PHỔ MINH"
    org.place_name = "Phổ Minh"
    org.office_name = "Văn phòng HĐND và UBND"
    org.finance_office_name = "Phòng Kinh tế, Hạ tầng và Đô thị"
    org.save()
    return org


@pytest.fixture
def issued_campaign(pho_minh, office_user, chairman):
    """The 2025 campaign, its plan issued as 01/KH-UBND on 12/03/2025."""
    from campaigns import services as campaigns
    from tests.factories import complete_plan

    campaign = complete_plan(
        CampaignFactory(
            organization=pho_minh,
            year=2025,
            name="Phong trào thi đua “Dân vận khéo” năm 2025",
            plan_subject="Về việc phát động phong trào thi đua “Dân vận khéo” năm 2025",
            plan_issue_date=date(2025, 3, 12),
        )
    )
    return campaigns.campaign_issue(actor=chairman, campaign=campaign)


@pytest.fixture
def awarded(issued_campaign, unit):
    collective = NominationFactory(campaign=issued_campaign, unit=unit, status="passed")
    person = NominationFactory(
        campaign=issued_campaign,
        unit=unit,
        kind="individual",
        person_name="Huỳnh Thị Ngọc",
        person_position="Công chức",
        status="passed",
    )
    household = NominationFactory(
        campaign=issued_campaign,
        unit=unit,
        kind="household",
        person_name="Hộ ông Nguyễn Văn Bình",
        status="passed",
    )
    return [collective, person, household]


def decision_text(decision) -> str:
    with decision.issued_document.docx.open("rb") as handle:
        return "\n".join(docx_lines(handle.read()))


def test_the_decision_reads_word_for_word_as_the_law_in_force_on_its_date(awarded, chairman, unit):
    decision = services.decision_issue(
        actor=chairman, nominations=awarded, decided_on=SIGNED.date(), signed_at=SIGNED
    )
    lines = decision_text(decision).splitlines()
    expected = [
        "ỦY BAN NHÂN DÂN",
        "PHƯỜNG PHỔ MINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 01/QĐ-UBND",
        "Phổ Minh, ngày 19 tháng 12 năm 2025",
        "QUYẾT ĐỊNH",
        "Về việc khen thưởng trong phong trào thi đua “Dân vận khéo” năm 2025",
        "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG PHỔ MINH",
        "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định về "
        "phân cấp, phân quyền trong lĩnh vực thi đua, khen thưởng; quy định chi tiết và hướng dẫn "
        "thi hành một số điều của Luật Thi đua, khen thưởng;",
        "Căn cứ Kế hoạch số 01/KH-UBND ngày 12/03/2025 của Ủy ban nhân dân phường Phổ Minh về "
        "việc phát động phong trào thi đua “Dân vận khéo” năm 2025;",
        "Theo đề nghị của Hội đồng Thi đua – Khen thưởng và Văn phòng HĐND và UBND.",
        "QUYẾT ĐỊNH:",
        "Điều 1. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã cho 3 tập thể, cá nhân, hộ "
        "gia đình đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2025, gồm:",
    ]
    assert lines[: len(expected)] == expected
    text = "\n".join(lines)
    for sentence in (
        "Điều 2. Tiền thưởng tính theo mức lương cơ sở 2.340.000 đồng (Nghị định số "
        "73/2024/NĐ-CP ngày 30/6/2024, khoản 2 Điều 3) nhân hệ số của từng hình thức (Giấy khen "
        "của Chủ tịch Ủy ban nhân dân cấp xã: tập thể 0,6 lần (1.410.000 đồng), cá nhân 0,3 lần "
        "(710.000 đồng), hộ gia đình 0,45 lần (1.060.000 đồng)); tổng cộng 3.180.000 đồng (Ba "
        "triệu một trăm tám mươi nghìn đồng), chi từ Quỹ thi đua, khen thưởng của phường Phổ Minh.",
        "Điều 3. Quyết định có hiệu lực kể từ ngày ký. Văn phòng HĐND và UBND, Phòng Kinh tế, Hạ "
        "tầng và Đô thị và các tập thể, cá nhân có tên tại Điều 1 chịu trách nhiệm thi hành "
        "Quyết định này./.",
        "Ký số: Lê Duy Bảo – 14:20:37 ngày 19/12/2025",
        "Ký số cơ quan ban hành: Ủy ban nhân dân phường Phổ Minh – 14:20:37 ngày 19/12/2025",
    ):
        assert sentence in text, sentence
    # The chairman's own power: no "TM." above the title; ISO 8601 only in the properties.
    closing = lines[lines.index("Nơi nhận:") :]
    assert closing[1] == "CHỦ TỊCH"
    assert "TM. ỦY BAN NHÂN DÂN" not in text
    assert "2025-12-19T14:20:37+07:00" not in text
    with decision.issued_document.pdf.open("rb") as handle:
        pdf = handle.read()
    assert (
        "Ký số: Lê Duy Bảo 2025-12-19T14:20:37+07:00"
        in PdfReader(io.BytesIO(pdf)).metadata["/Keywords"]
    )
    assert "Quỹ thi đua, khen thưởng của phường Phổ Minh" in pdf_text(pdf)


def test_a_vice_chairman_signs_for_the_chairman(awarded, vice_chairman):
    decision = services.decision_issue(
        actor=vice_chairman, nominations=awarded[:1], decided_on=date(2025, 12, 19)
    )
    lines = decision_text(decision).splitlines()
    closing = lines[lines.index("Nơi nhận:") :]
    assert closing[1:3] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]


def test_titles_are_recognised_and_forms_are_given(issued_campaign, unit, chairman):
    worker = NominationFactory(
        campaign=issued_campaign,
        unit=unit,
        kind="individual",
        person_name="Lê Minh Tâm",
        award_form=award_form("lao-dong-tien-tien"),
        status="passed",
    )
    group = NominationFactory(campaign=issued_campaign, unit=unit, status="passed")
    decision = services.decision_issue(
        actor=chairman, nominations=[worker, group], decided_on=date(2025, 12, 19)
    )
    assert (
        "Điều 1. Tặng Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã và công nhận danh hiệu "
        "“Lao động tiên tiến” cho 2 tập thể, cá nhân"
    ) in decision_text(decision)


# Thresholds per award form ---------------------------------------------------------------


def test_a_form_with_its_own_threshold_needs_more_votes_and_the_minutes_say_so(
    org, unit, office_user
):
    campaign = CampaignFactory(organization=org, year=2025, status="issued")
    emulation_fighter = award_form("chien-si-thi-dua-co-so")
    PassThreshold.objects.create(organization=org, award_form=emulation_fighter, pass_percent=80)
    fighter = NominationFactory(
        campaign=campaign,
        unit=unit,
        kind="individual",
        person_name="Trần Văn Hùng",
        award_form=emulation_fighter,
    )
    collective = NominationFactory(campaign=campaign, unit=unit)
    meeting = services.meeting_create(
        actor=office_user,
        campaign=campaign,
        data={
            "held_on": date(2025, 12, 15),
            "location": "Hội trường",
            "total_members": 10,
            "present": 10,
            "chair": "Lê Duy Bảo",
            "secretary": "Nguyễn Thị Lan",
        },
    )
    # Changing the setting afterwards does not change a meeting already recorded.
    PassThreshold.objects.filter(award_form=emulation_fighter).update(pass_percent=90)
    services.votes_record(
        actor=office_user, meeting=meeting, votes={fighter.pk: 7, collective.pk: 7}
    )
    assert Nomination.objects.get(pk=fighter.pk).status == "not_passed"  # 70% < 80%
    assert Nomination.objects.get(pk=collective.pk).status == "passed"  # 70% ≥ 70%
    lines = docx_lines(render_docx(minutes_document(meeting, selectors.meeting_votes(meeting))))
    text = " ".join(lines)
    assert (
        "Đề nghị được thông qua khi có từ 70% tổng số thành viên Hội đồng trở lên đồng ý; riêng "
        "Danh hiệu “Chiến sĩ thi đua cơ sở”: từ 80%."
    ) in text
    assert "Tỷ lệ cần đạt" in text
    assert "80%" in lines
    assert "70%" in lines


# Replacing a decision -------------------------------------------------------------------


def test_a_replacing_decision_names_the_original_which_stays_byte_for_byte(
    awarded, chairman, issued_campaign
):
    original = services.decision_issue(
        actor=chairman, nominations=awarded, decided_on=date(2025, 12, 19)
    )
    with (
        original.issued_document.docx.open("rb") as docx,
        original.issued_document.pdf.open("rb") as pdf,
    ):
        before = (docx.read(), pdf.read(), original.issued_document.html)
    person = original.awards.get(nomination=awarded[1])
    replacement = services.decision_replace(
        actor=chairman,
        decision=original,
        reason="Sai họ tên người được khen thưởng",
        corrections=[
            services.Correction(
                award_id=person.pk, person_name="Huỳnh Thị Ngọc Anh", person_position="Công chức"
            )
        ],
        decided_on=date(2025, 12, 26),
    )
    original.refresh_from_db()
    with (
        original.issued_document.docx.open("rb") as docx,
        original.issued_document.pdf.open("rb") as pdf,
    ):
        assert (docx.read(), pdf.read(), original.issued_document.html) == before
    assert replacement.issued_document.number_symbol == "02/QĐ-UBND"
    assert replacement.issued_document.replaces == original.issued_document
    text = decision_text(replacement)
    assert (
        "Điều 3. Quyết định này thay thế Quyết định số 01/QĐ-UBND ngày 19/12/2025 của Chủ tịch "
        "Ủy ban nhân dân phường Phổ Minh về việc khen thưởng trong phong trào thi đua “Dân vận "
        "khéo” năm 2025 (Sai họ tên người được khen thưởng)."
    ) in text
    assert "Điều 4. Quyết định có hiệu lực kể từ ngày ký." in text
    assert "Huỳnh Thị Ngọc Anh" in text
    # The amounts fixed by the original stay; the original's awards are kept, replaced.
    assert replacement.total_vnd == original.total_vnd
    assert Award.objects.filter(decision=original, superseded=True).count() == 3
    assert not Award.objects.filter(decision=replacement, superseded=True).exists()
    # Both stay listed; the honour board shows the corrected name once.
    listed = list(selectors.decisions_for(organization=original.organization))
    assert {d.pk for d in listed} == {original.pk, replacement.pk}
    board = selectors.honour_board(organization=original.organization, year=2025)
    names = [award.recipient_name for award in board]
    assert names.count("Huỳnh Thị Ngọc Anh") == 1
    assert "Huỳnh Thị Ngọc" not in names


def test_a_decision_is_replaced_once_and_only_by_a_signer(awarded, chairman, office_user):
    from django.core.exceptions import PermissionDenied

    original = services.decision_issue(
        actor=chairman, nominations=awarded[:1], decided_on=date(2025, 12, 19)
    )
    with pytest.raises(PermissionDenied):
        services.decision_replace(actor=office_user, decision=original, reason="Sai")
    with pytest.raises(ValidationError, match="lý do"):
        services.decision_replace(actor=chairman, decision=original, reason="  ")
    services.decision_replace(actor=chairman, decision=original, reason="Sai tên đơn vị")
    with pytest.raises(ValidationError, match="đã được thay thế"):
        services.decision_replace(actor=chairman, decision=original, reason="Lần nữa")
    assert AwardDecision.objects.count() == 2


def test_the_replacement_page_keeps_what_was_typed_when_refused(
    login, awarded, chairman, office_user
):
    original = services.decision_issue(
        actor=chairman, nominations=awarded, decided_on=date(2025, 12, 19)
    )
    url = reverse("awards:decision_replace", args=[original.pk])
    assert login(office_user).get(url).status_code == 404
    client = login(chairman)
    page = client.get(url)
    assert page.status_code == 200
    rows = page.context["corrections"]
    data = {
        "reason": "Sai họ tên",
        "decided_on": "",  # missing: refused
        "corrections-TOTAL_FORMS": str(rows.total_form_count()),
        "corrections-INITIAL_FORMS": str(rows.initial_form_count()),
    }
    for index, form in enumerate(rows.forms):
        data[f"corrections-{index}-award_id"] = form.initial["award_id"]
        data[f"corrections-{index}-person_name"] = form.initial["person_name"] + " Anh"
        data[f"corrections-{index}-person_position"] = form.initial["person_position"]
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Huỳnh Thị Ngọc Anh" in refused.content.decode()
    assert AwardDecision.objects.count() == 1
    data["decided_on"] = "2025-12-26"
    done = client.post(url, data)
    assert done.status_code == 302
    replacement = AwardDecision.objects.get(replaces=original)
    detail = client.get(reverse("awards:decision", args=[original.pk])).content.decode()
    assert replacement.issued_document.number_symbol in detail


def test_the_replacement_page_offers_to_correct_the_people_in_force_alone(login, awarded, chairman):
    collective, person, household = awarded
    original = services.decision_issue(
        actor=chairman, nominations=awarded, decided_on=date(2025, 12, 19)
    )
    url = reverse("awards:decision_replace", args=[original.pk])
    offered = [award.nomination for award, _form in login(chairman).get(url).context["rows"]]
    assert offered == [person, household]  # not the unit's collective award
    services.award_revoke(
        actor=chairman, award=original.awards.get(nomination=household), reason="Sai đối tượng"
    )
    offered = [award.nomination for award, _form in login(chairman).get(url).context["rows"]]
    assert offered == [person]
    assert collective.pk not in [nomination.pk for nomination in offered]


def model_certificate(campaign, unit, form="giay-chung-nhan-mo-hinh", **registration):
    """A recognised model of ``unit`` nominated, and passed, for its Giấy chứng nhận (or
    the award ``form``)."""
    from tests.factories import RegistrationFactory

    model = RegistrationFactory(campaign=campaign, unit=unit, status="recognised", **registration)
    return NominationFactory(
        campaign=campaign,
        unit=unit,
        kind="model",
        registration=model,
        award_form=award_form(form),
        nominee_key=f"model:{model.pk}",
        status="passed",
    )


def test_a_model_certificate_carries_no_cash_and_prints_its_own_title(
    login, issued_campaign, unit, chairman, viewer
):
    certificate = model_certificate(
        issued_campaign, unit, name="Dân vận khéo giữ gìn vệ sinh khu phố"
    )
    cash = NominationFactory(campaign=issued_campaign, unit=unit, status="passed")
    decision = services.decision_issue(
        actor=chairman,
        nominations=[certificate, cash],
        decided_on=SIGNED.date(),
        signed_at=SIGNED,
    )
    text = decision_text(decision)
    assert "Giấy chứng nhận mô hình “Dân vận khéo” không kèm tiền thưởng." in text
    assert "tổng cộng 1.410.000 đồng" in text  # the Giấy khen alone
    paper = Award.objects.get(nomination=certificate)
    assert paper.amount_vnd == 0
    response = login(viewer).get(reverse("awards:certificate", args=[paper.pk]))
    printed = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "GIẤY CHỨNG NHẬN" in printed
    assert "GIẤY KHEN" not in printed
    assert "Dân vận khéo giữ gìn vệ sinh khu phố" in printed
    assert "Giấy chứng nhận" in unquote(response["Content-Disposition"])
    giay_khen = Award.objects.get(nomination=cash)
    other = login(viewer).get(reverse("awards:certificate", args=[giay_khen.pk]))
    assert "GIẤY KHEN" in PdfReader(io.BytesIO(other.content)).pages[0].extract_text()
    # The decision's page says "–" for the certificate's cash and prints each paper by name.
    page = login(viewer).get(reverse("awards:decision", args=[decision.pk])).content.decode()
    row = page[page.index("Dân vận khéo giữ gìn vệ sinh khu phố") :]
    row = row[: row.index("</tr>")]
    assert '<td class="text-end">–</td>' in row
    assert "0 đ" not in row
    assert "In giấy chứng nhận" in row
    assert "In giấy khen" in page


def test_the_awards_page_counts_and_totals_only_the_awards_still_given(
    login, awarded, chairman, office_user
):
    original = services.decision_issue(
        actor=chairman, nominations=awarded, decided_on=date(2025, 12, 19)
    )
    replacement = services.decision_replace(
        actor=chairman, decision=original, reason="Sai tên đơn vị"
    )
    revoked = replacement.awards.order_by("position").first()
    services.award_revoke(actor=chairman, award=revoked, reason="Vi phạm quy định.")
    given = list(replacement.awards.exclude(pk=revoked.pk).values_list("amount_vnd", flat=True))
    assert sum(given) < original.total_vnd < sum(given) + replacement.total_vnd
    campaign = selectors.campaign_summary(organization=original.organization).get(
        pk=original.campaign_id
    )
    assert campaign.approved_count == len(awarded) - 1
    assert campaign.awarded_vnd == sum(given)
    page = login(office_user).get(reverse("awards:home")).content.decode()
    assert (
        " ".join(page.split()).count(f"{len(awarded) - 1} đã khen thưởng · {vnd(sum(given), 'đ')}")
        == 1
    )


def test_a_model_of_a_person_names_the_person_on_the_decision_and_the_certificate(
    login, issued_campaign, unit, chairman, viewer
):
    nomination = model_certificate(
        issued_campaign,
        unit,
        name="Bữa cơm nghĩa tình",
        owner_kind="individual",
        owner_name="Phạm Thị Ngọc Ánh",
        owner_position="Chi hội trưởng Chi hội Phụ nữ",
    )
    decision = services.decision_issue(
        actor=chairman, nominations=[nomination], decided_on=SIGNED.date(), signed_at=SIGNED
    )
    owner = f"Phạm Thị Ngọc Ánh, Chi hội trưởng Chi hội Phụ nữ, {unit.name}"
    assert owner in decision_text(decision)
    paper = Award.objects.get(nomination=nomination)
    response = login(viewer).get(reverse("awards:certificate", args=[paper.pk]))
    printed = " ".join(PdfReader(io.BytesIO(response.content)).pages[0].extract_text().split())
    assert "Phạm Thị Ngọc Ánh" in printed


def test_a_model_of_a_person_is_awarded_to_the_person_at_the_individual_rate(
    issued_campaign, unit, chairman
):
    person = model_certificate(
        issued_campaign,
        unit,
        form="giay-khen-chu-tich-xa",
        name="Bữa cơm nghĩa tình",
        owner_kind="individual",
        owner_name="Phạm Thị Ngọc Ánh",
    )
    collective = model_certificate(
        issued_campaign, unit, form="giay-khen-chu-tich-xa", name="Khu phố sáng, xanh"
    )
    decision = services.decision_issue(
        actor=chairman,
        nominations=[person, collective],
        decided_on=SIGNED.date(),
        signed_at=SIGNED,
    )
    by_model = {award.nomination_id: award for award in decision.awards.all()}
    # Decree 152/2025/NĐ-CP in December 2025: 0.3 for a person, 0.6 for a collective.
    assert by_model[person.pk].recipient_kind == "individual"
    assert by_model[person.pk].multiplier == Decimal("0.30")
    assert by_model[collective.pk].recipient_kind == "collective"
    assert by_model[collective.pk].multiplier == Decimal("0.60")
    text = decision_text(decision)
    assert "cho 2 tập thể, cá nhân đã có thành tích" in text
    assert "cá nhân 0,3 lần" in text

"""The award documents, all in the decree-30 layout through danvan.documents: the
decision, the council minutes, the office's submission and a nominee's achievement
report; and the printable certificate (Giấy khen), which has a design of its own."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone

from awards.models import Award, AwardDecision, CouncilMeeting, Nomination
from danvan.accounts.rules import signs_for_chairman
from danvan.documents.layout import OfficialDocument, Paragraph, Run, SignatureBlock, Table
from danvan.documents.models import DocumentKind
from danvan.documents.parts import (
    Issuer,
    digital_signatures,
    issuer_of,
    leader_signature,
    unit_issuer,
)
from danvan.text import thousands, vnd_in_words

DECREE_152_FROM = date(2025, 7, 1)


def _points(value) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def money(value: int) -> str:
    return thousands(value)


def _multiplier(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def legal_bases(decided_on: date) -> list[str]:
    bases = [
        "Căn cứ Luật Tổ chức chính quyền địa phương;",
        "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
        "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
    ]
    if decided_on >= DECREE_152_FROM:
        bases.append(
            "Căn cứ Nghị định số 152/2025/NĐ-CP của Chính phủ và Thông tư số 15/2025/TT-BNV của Bộ Nội vụ hướng dẫn công tác thi đua, khen thưởng;"
        )
    return bases


def _plan_basis(campaign) -> str | None:
    issued = campaign.issued_document
    if issued is None:
        return None
    day = campaign.plan_issue_date
    return (
        f"Căn cứ Kế hoạch số {issued.number_symbol} ngày {day.day}/{day.month}/{day.year} của UBND "
        f"về việc phát động {campaign.name[0].lower()}{campaign.name[1:]};"
    )


def decision_document(
    *, organization, campaign, decided_on, signer, vice, priced, base_salary, signed_at=None
) -> OfficialDocument:
    """The award decision: legal bases, Điều 1 with the awardees and their forms, Điều 2
    with the amounts (multiplier × base salary on the decision date), Điều 3 with who
    carries it out."""
    total = sum(item.amount_vnd for item in priced)
    rows = tuple(
        (
            str(index),
            item.nomination.nominee_name
            + (f"\n{detail}" if (detail := _detail(item.nomination)) else ""),
            item.nomination.award_form.name,
            money(item.amount_vnd),
        )
        for index, item in enumerate(priced, start=1)
    )
    rates = {}
    for item in priced:
        kind = {"collective": "tập thể", "individual": "cá nhân", "household": "hộ gia đình"}[
            item.nomination.recipient_kind
        ]
        rates.setdefault(item.nomination.award_form.name, {})[kind] = (
            item.multiplier,
            item.amount_vnd,
        )
    rate_text = "; ".join(
        f"{form}: "
        + ", ".join(
            f"{kind} {_multiplier(multiplier)} lần ({money(amount)} đồng)"
            for kind, (multiplier, amount) in kinds.items()
        )
        for form, kinds in rates.items()
    )
    forms = sorted({item.nomination.award_form.name for item in priced})
    issuer = issuer_of(organization)
    body = [
        Paragraph.of(
            f"CHỦ TỊCH {' '.join(organization.header_lines).upper()}", style="center", bold=True
        ),
        *(Paragraph.of(text, style="basis") for text in legal_bases(decided_on)),
    ]
    if plan := _plan_basis(campaign):
        body.append(Paragraph.of(plan, style="basis"))
    body += [
        Paragraph.of(
            "Theo đề nghị của Hội đồng Thi đua – Khen thưởng và Văn phòng – Thống kê.",
            style="basis",
        ),
        Paragraph.of("QUYẾT ĐỊNH:", style="center", bold=True),
        Paragraph(
            (
                Run("Điều 1. ", bold=True),
                Run(
                    f"Tặng {', '.join(forms)} cho {len(priced)} tập thể, cá nhân đã có thành tích xuất sắc trong "
                    f"{campaign.name[0].lower()}{campaign.name[1:]}, gồm:"
                ),
            ),
            style="article",
        ),
        Table(
            headers=("TT", "Tập thể, cá nhân", "Hình thức", "Số tiền (đồng)"),
            rows=rows + (("", "Tổng cộng", "", money(total)),),
            widths=(1, 10, 7, 4),
            numeric=(False, False, False, True),
        ),
        Paragraph(
            (
                Run("Điều 2. ", bold=True),
                Run(
                    f"Tiền thưởng tính theo mức lương cơ sở {money(base_salary.amount_vnd)} đồng"
                    + (f" ({base_salary.legal_basis})" if base_salary.legal_basis else "")
                    + f" nhân hệ số của từng hình thức ({rate_text}); tổng cộng {money(total)} đồng "
                    f"({vnd_in_words(total)}), chi từ Quỹ thi đua, khen thưởng của {issuer.place_in_text}."
                ),
            ),
            style="article",
        ),
        Paragraph(
            (
                Run("Điều 3. ", bold=True),
                Run(
                    "Văn phòng – Thống kê, bộ phận Tài chính – Kế toán và các tập thể, cá nhân có tên tại Điều 1 "
                    "chịu trách nhiệm thi hành Quyết định này. Quyết định có hiệu lực kể từ ngày ký./."
                ),
            ),
            style="article",
        ),
    ]
    signatures = (
        digital_signatures(
            signer_name=signer.full_name, body_name=organization.name, signed_at=signed_at
        )
        if signed_at
        else ()
    )
    return OfficialDocument(
        **issuer.header(),
        kind_title="QUYẾT ĐỊNH",
        subject=f"Về việc khen thưởng trong {campaign.name[0].lower()}{campaign.name[1:]}",
        date=decided_on,
        number=None,
        symbol=issuer.symbol_for(DocumentKind.DECISION),
        body=tuple(body),
        recipients=("Như Điều 3;", "TT. Đảng ủy, HĐND phường;", "CT, PCT UBND;", "Lưu: VT."),
        signature=leader_signature(
            organization, signer, on_behalf=True, signatures=signatures, deputy=vice
        ),
        title=f"Quyết định khen thưởng – {campaign.name}",
    )


def _detail(nomination: Nomination) -> str:
    from awards.services import recipient_detail

    return recipient_detail(nomination)


def minutes_document(meeting: CouncilMeeting, votes) -> OfficialDocument:
    """The council minutes (Biên bản họp Hội đồng Thi đua – Khen thưởng) with the vote."""
    organization = meeting.organization
    issuer = issuer_of(organization)
    campaign = meeting.campaign
    rows = []
    passed = []
    for index, vote in enumerate(votes, start=1):
        nomination = vote.nomination
        ok = meeting.passes(vote.votes_in_favour)
        percent = vote.votes_in_favour * 100 / meeting.total_members
        rows.append(
            (
                str(index),
                nomination.nominee_name,
                nomination.award_form.name,
                f"{vote.votes_in_favour}/{meeting.total_members}",
                f"{percent:.1f}%".replace(".", ","),
                "Đạt" if ok else "Không đạt",
            )
        )
        if ok:
            passed.append(nomination)
    body = [
        Paragraph.of(
            f"Hôm nay, ngày {meeting.held_on:%d/%m/%Y}, tại {meeting.location}, Hội đồng Thi đua – Khen thưởng "
            f"{issuer.place_in_text} họp xét khen thưởng trong {campaign.name[0].lower()}{campaign.name[1:]}."
        ),
        Paragraph.of("I. THÀNH PHẦN", style="heading"),
        Paragraph.of(
            f"Có mặt {meeting.present}/{meeting.total_members} thành viên Hội đồng. Chủ trì: {meeting.chair}. "
            f"Thư ký: {meeting.secretary}."
        ),
        Paragraph.of("II. NỘI DUNG", style="heading"),
        Paragraph.of(
            "Hội đồng nghe Thư ký báo cáo các đề nghị khen thưởng và thành tích của từng tập thể, cá nhân; "
            f"thảo luận và bỏ phiếu kín. Đề nghị được thông qua khi có từ {meeting.pass_percent}% tổng số "
            "thành viên Hội đồng trở lên đồng ý. Kết quả:"
        ),
        Table(
            headers=(
                "TT",
                "Tập thể, cá nhân",
                "Hình thức đề nghị",
                "Số phiếu đồng ý",
                "Tỷ lệ",
                "Kết quả",
            ),
            rows=tuple(rows),
            widths=(1, 7, 6, 3, 2, 3),
            numeric=(False, False, False, True, True, False),
        ),
        Paragraph.of("III. KẾT LUẬN", style="heading"),
        Paragraph.of(
            f"Hội đồng thống nhất đề nghị khen thưởng {len(passed)} tập thể, cá nhân đạt số phiếu theo quy định. "
            "Biên bản được thông qua tại cuộc họp và kết thúc cùng ngày./."
        ),
        Paragraph((Run("THƯ KÝ: ", bold=True), Run(meeting.secretary)), style="plain"),
    ]
    return OfficialDocument(
        **issuer.header(),
        kind_title="BIÊN BẢN",
        subject="Họp Hội đồng Thi đua – Khen thưởng",
        date=meeting.held_on,
        number=None,
        symbol="BB-HĐTĐKT",
        body=tuple(body),
        recipients=("Thành viên Hội đồng;", "Lưu: VT."),
        signature=SignatureBlock(mode_line="", title="CHỦ TRÌ", name=meeting.chair),
        title=f"Biên bản họp Hội đồng Thi đua – Khen thưởng {meeting.held_on:%d/%m/%Y}",
    )


def submission_document(
    meeting: CouncilMeeting, votes, *, author, priced, base_salary
) -> OfficialDocument:
    """The office's submission (Tờ trình) to the chairman, listing what the council passed."""
    organization = meeting.organization
    campaign = meeting.campaign
    commune = [item for item in priced if item.nomination.award_form.level == "commune"]
    higher = [
        vote.nomination
        for vote in votes
        if meeting.passes(vote.votes_in_favour) and vote.nomination.award_form.level != "commune"
    ]
    total = sum(item.amount_vnd for item in commune)
    body = [
        Paragraph.of(f"Kính gửi: Chủ tịch {organization.short_name}.", style="center"),
    ]
    if plan := _plan_basis(campaign):
        body.append(Paragraph.of(plan, style="basis"))
    body += [
        Paragraph.of(
            f"Căn cứ kết quả họp Hội đồng Thi đua – Khen thưởng ngày {meeting.held_on:%d/%m/%Y} "
            f"({meeting.present}/{meeting.total_members} thành viên có mặt).",
            style="basis",
        ),
        Paragraph.of(
            f"Văn phòng – Thống kê kính trình Chủ tịch UBND xem xét, khen thưởng {len(commune)} tập thể, cá nhân "
            f"với tổng số tiền {money(total)} đồng, gồm:"
        ),
        Table(
            headers=("TT", "Tập thể, cá nhân", "Hình thức", "Số tiền (đồng)"),
            rows=tuple(
                (
                    str(i),
                    item.nomination.nominee_name,
                    item.nomination.award_form.name,
                    money(item.amount_vnd),
                )
                for i, item in enumerate(commune, start=1)
            )
            + (("", "Tổng cộng", "", money(total)),),
            widths=(1, 9, 7, 4),
            numeric=(False, False, False, True),
        ),
    ]
    if higher:
        body.append(Paragraph.of("Đồng thời đề nghị cấp trên khen thưởng:"))
        body.append(
            Table(
                headers=("TT", "Tập thể, cá nhân", "Hình thức đề nghị"),
                rows=tuple(
                    (str(i), n.nominee_name, n.award_form.name)
                    for i, n in enumerate(higher, start=1)
                ),
                widths=(1, 10, 8),
            )
        )
    body.append(
        Paragraph.of(
            f"Mức lương cơ sở áp dụng: {money(base_salary.amount_vnd)} đồng. Kính trình Chủ tịch xem xét, quyết định./."
        )
    )
    office = Issuer(
        parent=organization.short_name.upper(),
        lines=("VĂN PHÒNG – THỐNG KÊ",),
        place=organization.place_name,
        symbol="VP",
    )
    return OfficialDocument(
        **office.header(),
        kind_title="TỜ TRÌNH",
        subject=f"Về việc đề nghị khen thưởng trong {campaign.name[0].lower()}{campaign.name[1:]}",
        date=timezone.localdate(),
        number=None,
        symbol=office.symbol_for(DocumentKind.SUBMISSION),
        body=tuple(body),
        recipients=("Như trên;", "Lưu: VT."),
        signature=SignatureBlock(
            title=(author.position_title or "VĂN PHÒNG – THỐNG KÊ").upper(), name=author.full_name
        ),
        title=f"Tờ trình đề nghị khen thưởng – {campaign.name}",
    )


def achievement_report_document(nomination: Nomination, rounds=()) -> OfficialDocument:
    """A nominee's achievement report (Báo cáo thành tích), from what the nomination says
    and, for a model, its evaluation results."""
    organization = nomination.organization
    unit = nomination.unit
    body = [
        Paragraph.of("I. SƠ LƯỢC", style="heading"),
        Paragraph(
            (Run("Đối tượng đề nghị: ", bold=True), Run(nomination.nominee_name)), style="plain"
        ),
    ]
    if nomination.person_position:
        body.append(
            Paragraph((Run("Chức vụ: ", bold=True), Run(nomination.person_position)), style="plain")
        )
    if unit:
        body.append(Paragraph((Run("Đơn vị: ", bold=True), Run(unit.name)), style="plain"))
    body += [
        Paragraph.of("II. THÀNH TÍCH ĐẠT ĐƯỢC", style="heading"),
        *(Paragraph.of(line) for line in nomination.achievements.splitlines() if line.strip()),
    ]
    if rounds:
        body.append(Paragraph.of("Kết quả kiểm tra, đánh giá mô hình:"))
        body.append(
            Table(
                headers=("Đợt", "Điểm", "Xếp loại"),
                rows=tuple(
                    (r.round.name, _points(r.mean), r.band.name if r.band else "") for r in rounds
                ),
                widths=(8, 3, 4),
                numeric=(False, True, False),
            )
        )
    body += [
        Paragraph.of("III. HÌNH THỨC ĐỀ NGHỊ KHEN THƯỞNG", style="heading"),
        Paragraph.of(f"Đề nghị tặng {nomination.award_form.name}."),
    ]
    issuer = unit_issuer(organization, unit) if unit else issuer_of(organization)
    return OfficialDocument(
        **issuer.header(),
        kind_title="BÁO CÁO THÀNH TÍCH",
        subject=f"Đề nghị tặng {nomination.award_form.name}",
        date=timezone.localdate(nomination.created_at) if nomination.created_at else None,
        number=None,
        symbol=issuer.symbol_for(DocumentKind.REPORT),
        body=tuple(body),
        recipients=(f"{organization.short_name} (qua Văn phòng – Thống kê);", "Lưu."),
        signature=SignatureBlock(
            title="THỦ TRƯỞNG ĐƠN VỊ" if unit else "NGƯỜI BÁO CÁO",
            name=nomination.person_name if nomination.kind == Nomination.Kind.INDIVIDUAL else "",
        ),
        title=f"Báo cáo thành tích – {nomination.nominee_name}",
    )


def certificate_html(award: Award) -> str:
    """The Giấy khen: landscape A4, the award, the awardee, the reason, the signature."""
    decision: AwardDecision = award.decision
    organization = decision.organization
    return render_to_string(
        "awards/certificate.html",
        {
            "award": award,
            "decision": decision,
            "organization": organization,
            "reason": f"Đã có thành tích xuất sắc trong {decision.campaign.name[0].lower()}{decision.campaign.name[1:]}",
            "place_date": f"{organization.place_name}, ngày {decision.decided_on.day:02d} tháng {decision.decided_on.month} năm {decision.decided_on.year}",
            "vice": decision.signer_id and signs_for_chairman.test(decision.signer, organization),
        },
    )

"""The award documents, all in the decree-30 layout through danvan.documents: the
decision, the council minutes, the office's submission and a nominee's achievement
report; and the printable certificate (Giấy khen), which has a design of its own."""

from datetime import date

from django.template.loader import render_to_string
from django.utils import timezone, translation

from awards.models import Award, AwardDecision, CouncilMeeting, Nomination
from danvan.accounts.rules import signs_for_chairman
from danvan.documents.layout import OfficialDocument, Paragraph, Run, SignatureBlock, Table
from danvan.documents.models import DocumentKind
from danvan.documents.parts import (
    digital_signatures,
    issuer_of,
    leader_signature,
    office_issuer,
    unit_issuer,
)
from danvan.documents.selectors import citations_in_force
from danvan.documents.tasks import register_builder
from danvan.text import model_phrase, thousands, vnd_in_words

KIND_WORDS = {"collective": "tập thể", "individual": "cá nhân", "household": "hộ gia đình"}


def _amount(item) -> str:
    """A priced award's cash, or "–" for a form that carries none (a certificate)."""
    return money(item.amount_vnd) if item.nomination.award_form.has_reward else "–"


def _points(value) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def money(value: int) -> str:
    return thousands(value)


def _multiplier(value) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def legal_bases(organization, document_kind: str, day: date) -> list[str]:
    """The "Căn cứ …" lines of the texts in force on ``day`` (danvan.documents.Citation)."""
    return [
        citation.text
        for citation in citations_in_force(
            organization=organization, document_kind=document_kind, day=day
        )
    ]


def plan_basis(campaign) -> str | None:
    """ "Căn cứ Kế hoạch số 46/KH-UBND ngày 19/03/2024 của Ủy ban nhân dân phường Phổ Minh
    về việc phát động …;" — the document that launched the campaign, of its kind (a plan,
    the Party committee's guidance, the Front's letter), its issuer named in full."""
    issued = campaign.issued_document
    if issued is None:
        return None
    with translation.override("vi"):
        kind = str(DocumentKind(campaign.document_kind).label)
    issuer = campaign.issuing_body.name if campaign.issuing_body_id else campaign.organization.name
    subject = _lower_first(campaign.plan_subject.strip())
    if subject.startswith("v/v "):
        subject = subject[4:]
    if not subject.startswith("về "):
        subject = f"về việc {subject}"
    dated = issued.dated or campaign.plan_issue_date
    return f"Căn cứ {kind} số {issued.number_symbol} ngày {dated:%d/%m/%Y} của {issuer} {subject};"


def _reward_article(priced, rates, rate_text, base_salary, total, issuer) -> str:
    """Điều 2: how the cash is computed and paid; forms without cash are said to carry
    none (a Giấy chứng nhận mô hình recognises a model, it is not paid)."""
    without = sorted(
        {i.nomination.award_form.name for i in priced if not i.nomination.award_form.has_reward}
    )
    sentences = []
    if rates:
        sentences.append(
            f"Tiền thưởng tính theo mức lương cơ sở {money(base_salary.amount_vnd)} đồng"
            f" ({base_salary.legal_basis}) nhân hệ số của từng hình thức ({rate_text}); "
            f"tổng cộng {money(total)} đồng ({vnd_in_words(total)}), chi từ Quỹ thi đua, "
            f"khen thưởng của {issuer.area}."
        )
    if without:
        sentences.append(f"{', '.join(without)} không kèm tiền thưởng.")
    return " ".join(sentences)


def _what_is_awarded(priced) -> str:
    """ "Tặng Giấy khen … và công nhận danh hiệu “Lao động tiên tiến”": forms are given,
    titles are recognised."""
    forms = {item.nomination.award_form for item in priced}
    given = sorted(form.name for form in forms if not form.is_title)
    titles = sorted(_lower_first(form.name) for form in forms if form.is_title)
    parts = []
    if given:
        parts.append(f"tặng {', '.join(given)}")
    if titles:
        parts.append(f"công nhận {', '.join(titles)}")
    text = " và ".join(parts)
    return text[:1].upper() + text[1:]


def proposed_award(form) -> str:
    """ "tặng Giấy khen", "công nhận danh hiệu “Lao động tiên tiến”": forms are given,
    titles are recognised."""
    return f"công nhận {_lower_first(form.name)}" if form.is_title else f"tặng {form.name}"


def _recipients(nominations) -> str:
    """ "tập thể, cá nhân, hộ gia đình": the kinds of recipient a document names, those
    among ``nominations`` only (none at all: the usual "tập thể, cá nhân")."""
    kinds = {nomination.recipient_kind for nomination in nominations}
    if not kinds:
        return f"{KIND_WORDS['collective']}, {KIND_WORDS['individual']}"
    return ", ".join(word for kind, word in KIND_WORDS.items() if kind in kinds)


def _executors(organization) -> str:
    offices = [organization.office_name, organization.finance_office_name]
    return ", ".join(name for name in offices if name)


def decision_document(
    *,
    organization,
    campaign,
    decided_on,
    signer,
    vice,
    priced,
    base_salary,
    signed_at=None,
    replaces: AwardDecision | None = None,
    replacement_reason: str = "",
) -> OfficialDocument:
    """The award decision, in the chairman's own name (the Law on Emulation and
    Commendation, art. 80, gives the power to the chairman, not to the committee): the
    texts in force on the decision date, the plan, Điều 1 with the awardees and their
    forms, Điều 2 with the amounts (multiplier × the base salary on the decision date,
    rounded as the decree says), Điều 3 with who carries it out — and, for a decision that
    replaces an issued one, which one and why."""
    issuer = issuer_of(organization)
    total = sum(item.amount_vnd for item in priced)
    rows = tuple(
        (
            str(index),
            item.nomination.nominee_name
            + (f"\n{detail}" if (detail := _detail(item.nomination)) else ""),
            item.nomination.award_form.name,
            _amount(item),
        )
        for index, item in enumerate(priced, start=1)
    )
    rates = {}
    for item in priced:
        if not item.nomination.award_form.has_reward:
            continue
        kind = KIND_WORDS[item.nomination.recipient_kind]
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
    campaign_name = _lower_first(campaign.name)
    body = [
        Paragraph.of(f"CHỦ TỊCH {organization.name.upper()}", style="center", bold=True),
        *(
            Paragraph.of(text, style="basis")
            for text in legal_bases(organization, "QĐ", decided_on)
        ),
    ]
    if plan := plan_basis(campaign):
        body.append(Paragraph.of(plan, style="basis"))
    body += [
        Paragraph.of(
            f"Theo đề nghị của Hội đồng Thi đua – Khen thưởng và {organization.office_name}.",
            style="basis",
        ),
        Paragraph.of("QUYẾT ĐỊNH:", style="center", bold=True),
        Paragraph(
            (
                Run("Điều 1. ", bold=True),
                Run(
                    f"{_what_is_awarded(priced)} cho {len(priced)} "
                    f"{_recipients(item.nomination for item in priced)} đã có "
                    f"thành tích xuất sắc trong {campaign_name}, gồm:"
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
                Run(_reward_article(priced, rates, rate_text, base_salary, total, issuer)),
            ),
            style="article",
        ),
    ]
    article = 3
    if replaces is not None:
        replaced = replaces.issued_document
        reason = f" ({replacement_reason.strip().rstrip('.')})" if replacement_reason else ""
        body.append(
            Paragraph(
                (
                    Run(f"Điều {article}. ", bold=True),
                    Run(
                        f"Quyết định này thay thế Quyết định số {replaced.number_symbol} ngày "
                        f"{replaces.decided_on:%d/%m/%Y} của Chủ tịch {organization.name} "
                        f"{_lower_first(replaced.subject)}{reason}."
                    ),
                ),
                style="article",
            )
        )
        article += 1
    body.append(
        Paragraph(
            (
                Run(f"Điều {article}. ", bold=True),
                Run(
                    "Quyết định có hiệu lực kể từ ngày ký. "
                    f"{_executors(organization)} và các tập thể, cá nhân có tên tại Điều 1 chịu "
                    "trách nhiệm thi hành Quyết định này./."
                ),
            ),
            style="article",
        )
    )
    signatures = (
        digital_signatures(
            signer_name=signer.full_name, body_name=organization.name, signed_at=signed_at
        )
        if signed_at
        else ()
    )
    kind_word = organization.KIND_IN_TEXT.get(organization.kind, "")
    return OfficialDocument(
        **issuer.header(),
        kind_title="QUYẾT ĐỊNH",
        subject=f"Về việc khen thưởng trong {campaign_name}",
        date=decided_on,
        number=None,
        symbol=issuer.symbol_for(DocumentKind.DECISION),
        body=tuple(body),
        recipients=(
            f"Như Điều {article};",
            f"TT. Đảng ủy, HĐND {kind_word};".replace("  ", " "),
            "CT, PCT UBND;",
            "Lưu: VT.",
        ),
        # The chairman's own power: "CHỦ TỊCH", or "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH".
        signature=leader_signature(
            organization, signer, on_behalf=False, signatures=signatures, deputy=vice
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
        ok = vote.passed
        percent = vote.votes_in_favour * 100 / meeting.total_members
        rows.append(
            (
                str(index),
                nomination.nominee_name,
                nomination.award_form.name,
                f"{vote.votes_in_favour}/{meeting.total_members}",
                f"{percent:.1f}%".replace(".", ","),
                f"{vote.threshold}%",
                "Đạt" if ok else "Không đạt",
            )
        )
        if ok:
            passed.append(nomination)
    body = [
        Paragraph.of(
            f"Hôm nay, ngày {meeting.held_on:%d/%m/%Y}, tại {meeting.location}, Hội đồng Thi đua – Khen thưởng "
            f"{issuer.area} họp xét khen thưởng trong {_lower_first(campaign.name)}."
        ),
        Paragraph.of("I. THÀNH PHẦN", style="heading"),
        Paragraph.of(
            f"Có mặt {meeting.present}/{meeting.total_members} thành viên Hội đồng. Chủ trì: {meeting.chair}. "
            f"Thư ký: {meeting.secretary}."
        ),
        Paragraph.of("II. NỘI DUNG", style="heading"),
        Paragraph.of(
            "Hội đồng nghe Thư ký báo cáo các đề nghị khen thưởng và thành tích của từng "
            f"{_recipients(vote.nomination for vote in votes)}; "
            f"thảo luận và bỏ phiếu kín. {_threshold_rule(meeting, votes)} Kết quả:"
        ),
        Table(
            headers=(
                "TT",
                "Tập thể, cá nhân",
                "Hình thức đề nghị",
                "Số phiếu đồng ý",
                "Tỷ lệ",
                "Tỷ lệ cần đạt",
                "Kết quả",
            ),
            rows=tuple(rows),
            widths=(1, 6, 5, 3, 2, 2, 3),
            numeric=(False, False, False, True, True, True, False),
        ),
        Paragraph.of("III. KẾT LUẬN", style="heading"),
        Paragraph.of(
            f"Hội đồng thống nhất đề nghị khen thưởng {len(passed)} {_recipients(passed)} "
            "đạt số phiếu theo quy định. "
            "Biên bản được thông qua tại cuộc họp và kết thúc cùng ngày./."
        ),
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
        # The secretary and the chair sign side by side.
        signature=SignatureBlock(title="CHỦ TRÌ", name=meeting.chair),
        countersignature=SignatureBlock(title="THƯ KÝ", name=meeting.secretary),
        title=f"Biên bản họp Hội đồng Thi đua – Khen thưởng {meeting.held_on:%d/%m/%Y}",
    )


def _threshold_rule(meeting: CouncilMeeting, votes) -> str:
    """ "Đề nghị được thông qua khi có từ 70% tổng số thành viên Hội đồng trở lên đồng ý;
    riêng Danh hiệu “Chiến sĩ thi đua cơ sở”: từ 80%." — the thresholds applied."""
    own = {}
    for vote in votes:
        percent = vote.threshold
        if percent != meeting.pass_percent:
            own[vote.nomination.award_form.name] = percent
    text = (
        f"Đề nghị được thông qua khi có từ {meeting.pass_percent}% tổng số thành viên Hội đồng "
        "trở lên đồng ý"
    )
    if own:
        text += "; riêng " + "; ".join(f"{name}: từ {percent}%" for name, percent in own.items())
    return text + "."


def submission_day(meeting: CouncilMeeting, decided_on: date | None) -> date:
    """The day the office's submission is dated and priced on: the meeting's, or, once
    the chairman has decided on what it proposes, the decision's, so that its amounts
    are the decision's (not today's, whoever downloads it and whenever)."""
    return decided_on or meeting.held_on


def submission_document(
    meeting: CouncilMeeting, votes, *, day, priced, base_salary
) -> OfficialDocument:
    """The office's submission (Tờ trình) to the chairman, listing what the council
    passed, dated ``day`` (``submission_day``) and priced on it. The office signs it
    (its name from the organisation's data; the head's name is left for the hand that
    signs), never the user who downloads it."""
    organization = meeting.organization
    campaign = meeting.campaign
    commune = [item for item in priced if item.nomination.award_form.level == "commune"]
    higher = [
        vote.nomination
        for vote in votes
        if vote.passed and vote.nomination.award_form.level != "commune"
    ]
    total = sum(item.amount_vnd for item in commune)
    body = [
        Paragraph.of(f"Kính gửi: Chủ tịch {organization.short_name}.", style="center"),
    ]
    body += [Paragraph.of(text, style="basis") for text in legal_bases(organization, "TTr", day)]
    if plan := plan_basis(campaign):
        body.append(Paragraph.of(plan, style="basis"))
    body += [
        Paragraph.of(
            f"Căn cứ kết quả họp Hội đồng Thi đua – Khen thưởng ngày {meeting.held_on:%d/%m/%Y} "
            f"({meeting.present}/{meeting.total_members} thành viên có mặt).",
            style="basis",
        ),
        Paragraph.of(
            f"{organization.office_name} kính trình Chủ tịch {organization.name} xem xét, khen thưởng {len(commune)} "
            f"{_recipients(item.nomination for item in commune)} "
            f"với tổng số tiền {money(total)} đồng, gồm:"
        ),
        Table(
            headers=("TT", "Tập thể, cá nhân", "Hình thức", "Số tiền (đồng)"),
            rows=tuple(
                (
                    str(i),
                    item.nomination.nominee_name,
                    item.nomination.award_form.name,
                    _amount(item),
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
    office = office_issuer(organization)
    return OfficialDocument(
        **office.header(),
        kind_title="TỜ TRÌNH",
        subject=f"Về việc đề nghị khen thưởng trong {_lower_first(campaign.name)}",
        date=day,
        number=None,
        symbol=office.symbol_for(DocumentKind.SUBMISSION),
        body=tuple(body),
        recipients=("Như trên;", "Lưu: VT."),
        signature=SignatureBlock(title=organization.office_name.upper(), name=""),
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
        Paragraph.of(f"Đề nghị {proposed_award(nomination.award_form)}."),
    ]
    issuer = unit_issuer(organization, unit) if unit else issuer_of(organization)
    return OfficialDocument(
        **issuer.header(),
        kind_title="BÁO CÁO THÀNH TÍCH",
        subject=f"Đề nghị {proposed_award(nomination.award_form)}",
        date=timezone.localdate(nomination.created_at) if nomination.created_at else None,
        number=None,
        symbol=issuer.symbol_for(DocumentKind.REPORT),
        body=tuple(body),
        recipients=(f"{organization.short_name} (qua {organization.office_name});", "Lưu."),
        **_report_signatures(nomination),
        title=f"Báo cáo thành tích – {nomination.nominee_name}",
    )


def _report_signatures(nomination: Nomination) -> dict:
    """Who signs an achievement report: a person reports their own achievements and signs
    "NGƯỜI BÁO CÁO THÀNH TÍCH", the head of their unit confirms beside them (the head's
    name is not in the portal's data: left blank, to be signed); a collective's or a
    model's report is signed by the unit's head."""
    if nomination.kind == Nomination.Kind.INDIVIDUAL:
        signatures = {
            "signature": SignatureBlock(
                title="NGƯỜI BÁO CÁO THÀNH TÍCH", name=nomination.person_name
            )
        }
        if nomination.unit_id:
            signatures["countersignature"] = SignatureBlock(
                title="XÁC NHẬN CỦA THỦ TRƯỞNG ĐƠN VỊ", name=""
            )
        return signatures
    return {
        "signature": SignatureBlock(
            title="THỦ TRƯỞNG ĐƠN VỊ" if nomination.unit_id else "NGƯỜI BÁO CÁO", name=""
        )
    }


def decision_file_stem(issued) -> str:
    """ "Quyết định 01-QĐ-UBND 2026": numbers restart every year, so the year tells the
    files of two years' decisions apart."""
    return f"Quyết định {issued.number_symbol.replace('/', '-')} {issued.year}"


def certificate_reason(award: Award) -> str:
    """What the paper says the award is for: the model recognised, or the achievement."""
    campaign_name = _lower_first(award.decision.campaign.name)
    nomination = award.nomination
    if nomination is not None and nomination.registration_id is not None:
        return (
            f"Có {model_phrase(nomination.registration.name)} được công nhận trong {campaign_name}"
        )
    return f"Đã có thành tích xuất sắc trong {campaign_name}"


def certificate_html(award: Award) -> str:
    """The paper handed over (Giấy khen, Giấy chứng nhận, a title): landscape A4, the
    award's printed title, the awardee, the reason, the signature."""
    decision: AwardDecision = award.decision
    organization = decision.organization
    return render_to_string(
        "awards/certificate.html",
        {
            "award": award,
            "decision": decision,
            "organization": organization,
            "reason": certificate_reason(award),
            "place_date": f"{organization.place_name}, ngày {decision.decided_on.day:02d} tháng {decision.decided_on.month} năm {decision.decided_on.year}",
            "vice": decision.signer_id and signs_for_chairman.test(decision.signer, organization),
        },
    )


MEETING_FILE_NAMES = {
    "minutes": "Biên bản họp Hội đồng {day:%d-%m-%Y}",
    "submission": "Tờ trình đề nghị khen thưởng {day:%d-%m-%Y}",
}


def meeting_file(meeting: CouncilMeeting, document: str) -> tuple[OfficialDocument, str]:
    """The council meeting's minutes or its submission (Tờ trình), with the file's name
    without extension. Raises ValidationError when an award of the submission cannot be
    priced on its day."""
    from awards import selectors, services

    votes = selectors.meeting_votes(meeting)
    name = MEETING_FILE_NAMES[document].format(day=meeting.held_on)
    if document == "minutes":
        return minutes_document(meeting, votes), name
    commune = [
        vote.nomination
        for vote in votes
        if vote.passed and vote.nomination.award_form.level == "commune"
    ]
    day = submission_day(meeting, selectors.first_decision_day(commune) if commune else None)
    salary, priced = services.price(commune, day)
    return submission_document(meeting, votes, day=day, priced=priced, base_salary=salary), name


@register_builder("council_meeting")
def meeting_file_for_job(
    *, organization, meeting_id: int, document: str
) -> tuple[OfficialDocument, str]:
    """A long meeting's minutes or submission, for a background job
    (``danvan.documents.tasks``)."""
    from awards.selectors import meetings_for_documents

    meeting = meetings_for_documents().get(pk=meeting_id, organization=organization)
    return meeting_file(meeting, document)

"""The province's roll-up as an Excel table (danvan.excel) and as a summary report
(BC, through danvan.documents). Both list every commune, so at a province's size they
are made in the background (``province.tasks`` and ``danvan.documents.tasks``) and
downloaded from the user's jobs page. So are a proposal's long council minutes."""

from io import BytesIO

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.documents import meeting_file
from awards.models import CouncilMeeting
from danvan.documents.layout import OfficialDocument, Paragraph, Table
from danvan.documents.models import DocumentKind
from danvan.documents.parts import issuer_of, leader_signature
from danvan.documents.tasks import register_builder
from danvan.excel import Sheet
from danvan.text import thousands
from province.models import Proposal
from province.selectors import Rollup, proposal_meeting, rollup


def rollup_workbook(rollup: Rollup) -> bytes:
    """One sheet: a row per commune (flags, counts, ratings, awards), the totals, then the
    counts per field and the awards per form."""
    columns = [
        (_("Xã, phường, đặc khu"), 32),
        (_("Đã phát động"), 12),
        (_("Đã tổng kết"), 12),
        (_("Mô hình đăng ký"), 14),
        (_("Được chấp nhận"), 14),
        (_("Được công nhận"), 14),
        *((band, 12) for band in rollup.bands),
        (_("Số khen thưởng"), 14),
        (_("Tiền thưởng (đồng)"), 18),
    ]
    sheet = Sheet(title=_("Tổng hợp %(year)s") % {"year": rollup.year}, columns=columns)
    yes, no = _("Có"), _("Chưa")
    money = "#,##0"
    for row in [*rollup.communes, rollup.totals]:
        sheet.append(
            [
                row.name or sheet.cell(_("Cộng"), bold=True),
                yes if row.launched else no,
                yes if row.reported else no,
                row.registered,
                row.accepted,
                row.recognised,
                *(
                    rollup.rating_cells(row)
                    if row.organization_id
                    else [rollup.rating_totals.get(band, 0) for band in rollup.bands]
                ),
                row.awards,
                sheet.cell(row.amount_vnd, number_format=money),
            ]
        )
    sheet.append([])
    sheet.append(
        [
            sheet.cell(_("Lĩnh vực"), bold=True),
            "",
            "",
            sheet.cell(_("Mô hình đăng ký"), bold=True),
            sheet.cell(_("Được chấp nhận"), bold=True),
            sheet.cell(_("Được công nhận"), bold=True),
        ]
    )
    for row in rollup.fields:
        sheet.append([row.label, "", "", row.registered, row.accepted, row.recognised])
    sheet.append([])
    sheet.append(
        [
            sheet.cell(_("Hình thức khen thưởng"), bold=True),
            sheet.cell(_("Số lượng"), bold=True),
            sheet.cell(_("Tiền thưởng (đồng)"), bold=True),
        ]
    )
    for row in rollup.awards:
        sheet.append([row.label, row.count, sheet.cell(row.amount_vnd, number_format=money)])
    buffer = BytesIO()
    sheet.save(buffer)
    return buffer.getvalue()


def rollup_report(rollup: Rollup) -> OfficialDocument:
    """A summary report (Báo cáo) of the movement across the province's communes, in the
    decree-30 layout, as a draft for the province's office to complete and sign."""
    province = rollup.province
    totals = rollup.totals
    communes = len(rollup.communes)
    body = [
        Paragraph.of("I. TÌNH HÌNH TRIỂN KHAI", style="heading"),
        Paragraph.of(
            f"Năm {rollup.year}, {communes} xã, phường, đặc khu trực thuộc; "
            f"{communes - len(rollup.not_launched)} đơn vị đã ban hành kế hoạch phát động phong "
            f"trào thi đua “Dân vận khéo”, {len(rollup.communes) - len(rollup.not_launched) - len(rollup.not_reported)} "
            "đơn vị đã tổng kết."
        ),
    ]
    if rollup.not_launched:
        body.append(
            Paragraph.of(
                "Chưa phát động: " + ", ".join(row.name for row in rollup.not_launched) + "."
            )
        )
    if rollup.not_reported:
        body.append(
            Paragraph.of(
                "Chưa tổng kết: " + ", ".join(row.name for row in rollup.not_reported) + "."
            )
        )
    body += [
        Paragraph.of("II. KẾT QUẢ XÂY DỰNG MÔ HÌNH", style="heading"),
        Paragraph.of(
            f"Toàn tỉnh có {thousands(totals.registered)} mô hình đăng ký, "
            f"{thousands(totals.accepted)} mô hình được chấp nhận, "
            f"{thousands(totals.recognised)} mô hình được công nhận."
        ),
        Table(
            headers=("TT", "Xã, phường, đặc khu", "Đăng ký", "Chấp nhận", "Công nhận"),
            rows=tuple(
                (
                    str(index),
                    row.name,
                    thousands(row.registered),
                    thousands(row.accepted),
                    thousands(row.recognised),
                )
                for index, row in enumerate(rollup.communes, start=1)
            )
            + (
                (
                    "",
                    "Cộng",
                    thousands(totals.registered),
                    thousands(totals.accepted),
                    thousands(totals.recognised),
                ),
            ),
            widths=(1, 6, 2, 2, 2),
            numeric=(True, False, True, True, True),
        ),
    ]
    if rollup.fields:
        body.append(Paragraph.of("Theo lĩnh vực:"))
        body.append(
            Table(
                headers=("Lĩnh vực", "Đăng ký", "Chấp nhận", "Công nhận"),
                rows=tuple(
                    (
                        row.label,
                        thousands(row.registered),
                        thousands(row.accepted),
                        thousands(row.recognised),
                    )
                    for row in rollup.fields
                ),
                widths=(6, 2, 2, 2),
                numeric=(False, True, True, True),
            )
        )
    body.append(Paragraph.of("III. KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI", style="heading"))
    if rollup.bands:
        body.append(
            Table(
                headers=("Xếp loại", "Số mô hình"),
                rows=tuple((band, thousands(rollup.rating_totals[band])) for band in rollup.bands)
                + (("Cộng", thousands(sum(rollup.rating_totals[band] for band in rollup.bands))),),
                widths=(6, 2),
                numeric=(False, True),
            )
        )
    else:
        body.append(Paragraph.of("Chưa có đơn vị kết thúc đợt đánh giá cuối năm."))
    body.append(Paragraph.of("IV. KHEN THƯỞNG", style="heading"))
    if rollup.awards:
        body.append(
            Table(
                headers=("Hình thức", "Số lượng", "Tiền thưởng (đồng)"),
                rows=tuple(
                    (row.label, thousands(row.count), thousands(row.amount_vnd))
                    for row in rollup.awards
                )
                + (("Cộng", thousands(totals.awards), thousands(totals.amount_vnd)),),
                widths=(6, 2, 3),
                numeric=(False, True, True),
            )
        )
    else:
        body.append(Paragraph.of("Chưa có quyết định khen thưởng."))
    issuer = issuer_of(province)
    return OfficialDocument(
        **issuer.header(),
        kind_title="BÁO CÁO",
        subject=f"Tổng hợp kết quả phong trào thi đua “Dân vận khéo” năm {rollup.year}",
        date=timezone.localdate(),
        number=None,
        symbol=issuer.symbol_for(DocumentKind.REPORT),
        body=tuple(body),
        recipients=("Lưu: VT.",),
        # The province's People's Committee issues it, as its header says: signed for the
        # committee by its chairman (or a vice-chairman, who writes in "KT."), name blank.
        signature=leader_signature(province, None, on_behalf=True),
        draft=True,
        title=f"Báo cáo tổng hợp phong trào “Dân vận khéo” năm {rollup.year}",
    )


def workbook_filename(rollup: Rollup) -> str:
    return f"tong-hop-dan-van-kheo-{rollup.province.code}-{rollup.year}.xlsx"


@register_builder("province_rollup_report")
def rollup_report_for_job(*, organization, year: int) -> tuple[OfficialDocument, str]:
    """The BC summary of ``organization`` (a province) for a background job."""
    return (
        rollup_report(rollup(province=organization, year=year)),
        f"Báo cáo tổng hợp Dân vận khéo {year}",
    )


@register_builder("proposal_minutes")
def proposal_minutes_for_job(
    *, organization, proposal_id: int, meeting_id: int
) -> tuple[OfficialDocument, str]:
    """The minutes of a council meeting that voted on a proposal's nomination, for a
    background job of the province's office or the sending commune's (``organization``)."""
    proposal = Proposal.objects.get(
        Q(organization=organization) | Q(commune=organization), pk=proposal_id
    )
    meeting = proposal_meeting(proposal, meeting_id)
    if meeting is None:
        raise CouncilMeeting.DoesNotExist
    return meeting_file(meeting, "minutes")

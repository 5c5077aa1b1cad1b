"""A round's scores as an Excel workbook: one row per evaluator and model, written in
chunks to a temporary file so a large round never sits in memory as a workbook."""

import tempfile

from django.db.models import Prefetch
from django.http import FileResponse
from django.utils import timezone

from danvan.excel import XLSX_CONTENT_TYPE, Sheet
from danvan.text import fold
from evaluations.models import Assignment, Round, Score
from evaluations.scoring import as_points
from evaluations.selectors import bands_of, criteria_of, round_results

POINTS = "0.00"
FIXED_COLUMNS = [
    ("Mã mô hình", 14),
    ("Tên mô hình", 45),
    ("Đơn vị chủ trì", 30),
    ("Lĩnh vực", 22),
    ("Thành viên chấm", 24),
]
TRAILING_COLUMNS = [
    ("Tổng điểm (thang 100)", 14),
    ("Bình quân của mô hình", 14),
    ("Chênh lệch", 11),
    ("Xếp loại", 12),
]


def _number(sheet: Sheet, value):
    return sheet.cell(value, number_format=POINTS)


def write_round_scores(round: Round, target, *, progress=None) -> int:
    """Write the round's scores into ``target`` (a binary file); returns the number of
    rows. Results per model come from the database aggregation (one query).
    ``progress(rows)`` is called after each row."""
    criteria = criteria_of(round.campaign_id)
    bands = bands_of(round.campaign_id)
    by_band = {band.pk: band.name for band in bands}
    results = {
        row["pk"]: row
        for row in round_results(round=round, bands=bands).values(
            "pk", "mean", "band_id", "lowest", "highest"
        )
    }
    columns = [*FIXED_COLUMNS, *((c.title, 12) for c in criteria), *TRAILING_COLUMNS]
    sheet = Sheet(title=round.name or "Điểm", columns=columns, freeze="C2")
    assignments = (
        Assignment.objects.filter(round=round)
        .select_related(
            "evaluator", "inspection__registration__unit", "inspection__registration__field"
        )
        .prefetch_related(
            Prefetch(
                "scores", queryset=Score.objects.only("assignment_id", "criterion_id", "points")
            )
        )
        .order_by("inspection__registration__sequence", "evaluator__full_name", "pk")
    )
    count = 0
    for assignment in assignments.iterator(chunk_size=500):
        registration = assignment.inspection.registration
        points = {score.criterion_id: score.points for score in assignment.scores.all()}
        result = results.get(assignment.inspection_id, {})
        spread = result["highest"] - result["lowest"] if result.get("highest") is not None else None
        sheet.append(
            [
                registration.code,
                registration.name,
                registration.unit.name,
                str(registration.field or ""),
                assignment.evaluator.full_name,
                *(_number(sheet, points.get(c.pk)) for c in criteria),
                _number(sheet, as_points(assignment.total_hundredths)),
                _number(sheet, as_points(result.get("mean"))),
                _number(sheet, as_points(spread)),
                by_band.get(result.get("band_id"), ""),
            ]
        )
        count += 1
        if progress is not None:
            progress(count)
    sheet.save(target)
    return count


def round_scores_response(round: Round) -> FileResponse:
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it, which deletes it
    write_round_scores(round, spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=round_scores_filename(round),
        content_type=XLSX_CONTENT_TYPE,
    )


def round_scores_filename(round: Round) -> str:
    name = fold(round.name).replace(" ", "-")
    return f"diem-{name}-{timezone.localdate():%Y%m%d}.xlsx"

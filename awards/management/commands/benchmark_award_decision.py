from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from awards.documents import decision_document
from awards.models import AwardForm, BaseSalary, Nomination
from awards.services import Priced, amount_vnd
from campaigns.demo import plan_2024_in_memory
from danvan.accounts.models import Unit, User
from danvan.benchmarks import BenchmarkCommand
from danvan.documents import render


def decision_with(awardees: int):
    """A decision of Phổ Minh with ``awardees`` collectives and people, built in memory."""
    campaign, _parts = plan_2024_in_memory()
    organization = campaign.organization
    # Never saved: a key no row has, so that it cites the national texts and none of its own.
    organization.pk = 0
    salary = BaseSalary(
        amount_vnd=2_340_000,
        effective_from=date(2024, 7, 1),
        legal_basis="Nghị định số 73/2024/NĐ-CP",
    )
    form = AwardForm(pk=0, code="giay-khen", name="Giấy khen của Chủ tịch Ủy ban nhân dân cấp xã")
    priced = []
    for index in range(1, awardees + 1):
        unit = Unit(
            pk=index,
            organization=organization,
            name=f"Tổ dân phố số {index}",
            short_name=f"TDP{index}",
        )
        person = index % 3 != 0
        nomination = Nomination(
            kind="individual" if person else "collective",
            unit=unit,
            person_name=f"Nguyễn Văn Thành Viên {index}" if person else "",
            person_position="Tổ trưởng tổ dân phố" if person else "",
            award_form=form,
        )
        multiplier = Decimal("0.15") if person else Decimal("0.30")
        priced.append(Priced(nomination, multiplier, amount_vnd(multiplier, salary.amount_vnd)))
    signer = User(full_name="Lê Duy Bảo")
    return decision_document(
        organization=organization,
        campaign=campaign,
        decided_on=date(2024, 12, 20),
        signer=signer,
        vice=False,
        priced=priced,
        base_salary=salary,
        signed_at=datetime(2024, 12, 20, 15, 5, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh")),
    )


class Command(BenchmarkCommand):
    help = (
        "Build an award decision with 300 awardees as DOCX and PDF several times and report "
        "the median build time of each; fails if a target is missed (DOCX ≤ 1 s, PDF ≤ 3 s)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--awardees", type=int, default=300)

    def handle(self, *args, awardees, **options):
        spec = decision_with(awardees)
        self.stdout.write(
            f"Award decision with {awardees} awardees, {self.runs} runs each (after one warm-up):"
        )
        label = f"award decision, {awardees} awardees"
        self.time(f"{label}: DOCX", lambda: render.render_docx(spec), target_ms=1000)
        self.time(f"{label}: PDF", lambda: render.render_pdf(spec), target_ms=3000)
        self.finish()

import random
import time
import uuid
from datetime import date
from decimal import Decimal

from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone, translation

from campaigns.models import Campaign
from danvan.accounts.models import Membership, Organization, Unit, User
from danvan.benchmarks import BenchmarkCommand
from evaluations import selectors
from evaluations.models import (
    Assignment,
    Criterion,
    Inspection,
    RatingBand,
    Round,
    Rubric,
    Score,
)
from evaluations.scoring import weighted_total
from evaluations.services import DEFAULT_BANDS
from models_registry.models import Field, Registration

TARGET_MS = 300


class _Rollback(Exception):
    pass


class Command(BenchmarkCommand):
    help = (
        "Seed a throwaway organisation with N accepted registrations × E evaluators × C "
        "criteria (default 5,000 × 3 × 10) in a transaction that is rolled back, then time "
        "the round summary and the ratings distribution (selectors and rendered pages) and "
        f"print the medians; fails if one misses its target (≤ {TARGET_MS} ms)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--registrations", type=int, default=5000)
        parser.add_argument("--evaluators", type=int, default=3, help="per registration")
        parser.add_argument("--criteria", type=int, default=10)

    def handle(self, *args, registrations, evaluators, criteria, **options):
        started = time.perf_counter()
        try:
            with transaction.atomic(), translation.override("vi"):
                office, round = self._seed(registrations, evaluators, criteria)
                seeded = time.perf_counter() - started
                self.stdout.write(
                    f"Seeded {registrations:,} registrations × {evaluators} evaluators × "
                    f"{criteria} criteria ({registrations * evaluators * criteria:,} scores) "
                    f"in {seeded:.1f} s on {connection.vendor}."
                )
                self._measure(office, round)
                raise _Rollback
        except _Rollback:
            pass
        self.stdout.write("Rolled back: nothing was kept.")
        self.finish()

    # Seeding -----------------------------------------------------------------------------

    def _seed(self, count: int, per_model: int, criteria_count: int):
        tag = uuid.uuid4().hex[:8]
        organization = Organization.objects.create(
            name=f"Benchmark {tag}",
            short_name=f"Benchmark {tag}",
            code=f"benchmark-{tag}",
            kind=Organization.Kind.WARD,
            province="Benchmark",
            place_name="Benchmark",
            header_name="ỦY BAN NHÂN DÂN\nPHƯỜNG BENCHMARK",
            symbol="UBND",
        )
        units = Unit.objects.bulk_create(
            Unit(
                organization=organization,
                name=f"Đơn vị {n}",
                short_name=f"ĐV{n}",
                kind=Unit.Kind.RESIDENTIAL,
            )
            for n in range(50)
        )
        office = User.objects.create_user(f"benchmark-{tag}-office", None, full_name="Văn phòng")
        Membership.objects.create(user=office, organization=organization, role="office")
        team = [
            User(username=f"benchmark-{tag}-{n}", full_name=f"Thành viên {n:02d}")
            for n in range(30)
        ]
        for user in team:
            user.set_unusable_password()
        team = User.objects.bulk_create(team)
        Membership.objects.bulk_create(
            Membership(user=user, organization=organization, role="evaluator") for user in team
        )
        campaign = Campaign.objects.create(
            organization=organization,
            year=2024,
            name="Benchmark",
            status=Campaign.Status.ISSUED,
            registration_opens=date(2024, 3, 1),
            registration_deadline=date(2024, 4, 1),
            mid_year_review_starts=date(2024, 6, 1),
            mid_year_review_ends=date(2024, 7, 1),
            year_end_review_starts=date(2024, 11, 1),
            year_end_review_ends=date(2024, 12, 1),
            nomination_deadline=date(2024, 12, 10),
            plan_subject="Benchmark",
        )
        rubric = Rubric.objects.create(
            campaign=campaign, organization=organization, locked_at=timezone.now()
        )
        criteria = Criterion.objects.bulk_create(
            Criterion(rubric=rubric, position=n, title=f"Tiêu chí {n}", max_points=10)
            for n in range(1, criteria_count + 1)
        )
        RatingBand.objects.bulk_create(
            RatingBand(rubric=rubric, name=name, min_score=minimum, passing=passing)
            for name, minimum, passing in DEFAULT_BANDS
        )
        fields = list(Field.objects.filter(organization=organization).order_by("position"))
        rng = random.Random(2024)
        registrations = Registration.objects.bulk_create(
            (
                Registration(
                    campaign=campaign,
                    organization=organization,
                    unit=units[n % len(units)],
                    sequence=n + 1,
                    code=f"DVK-2024-{n + 1:05d}",
                    name=f"Mô hình {n + 1}",
                    field=fields[n % len(fields)],
                    situation="-",
                    objectives="-",
                    success_measures="-",
                    content_methods="-",
                    area="-",
                    beneficiaries="-",
                    person_in_charge="-",
                    start_date=date(2024, 4, 1),
                    evaluation_date=date(2024, 11, 30),
                    expected_outputs="-",
                    sustainability="-",
                    status=Registration.Status.ACCEPTED,
                )
                for n in range(count)
            ),
            batch_size=1000,
        )
        round = Round.objects.create(
            organization=organization,
            campaign=campaign,
            kind=Round.Kind.YEAR_END,
            name="Tổng kết cuối năm 2024",
            starts_on=date(2024, 11, 1),
            ends_on=date(2024, 12, 1),
            status=Round.Status.CLOSED,
        )
        inspections = Inspection.objects.bulk_create(
            (Inspection(round=round, registration=r) for r in registrations), batch_size=1000
        )
        now = timezone.now()
        assignments, points = [], []
        for index, inspection in enumerate(inspections):
            quality = rng.uniform(0.4, 1.0)
            for offset in range(per_model):
                evaluator = team[(index + offset * 7) % len(team)]
                lines = [
                    Decimal(rng.randint(0, 20)) / 2 if rng.random() > quality else Decimal(10)
                    for _criterion in criteria
                ]
                total = weighted_total(
                    (p, c.max_points, c.weight) for p, c in zip(lines, criteria, strict=True)
                )
                assignments.append(
                    Assignment(
                        inspection=inspection,
                        evaluator=evaluator,
                        total_hundredths=total,
                        scored_at=now,
                    )
                )
                points.append(lines)
        assignments = Assignment.objects.bulk_create(assignments, batch_size=2000)
        Score.objects.bulk_create(
            (
                Score(assignment=assignment, criterion=criterion, points=value)
                for assignment, lines in zip(assignments, points, strict=True)
                for criterion, value in zip(criteria, lines, strict=True)
            ),
            batch_size=5000,
        )
        Inspection.objects.filter(round=round).refresh_results()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for model in (Registration, Inspection, Assignment, Score):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")
        return office, round

    # Measuring ----------------------------------------------------------------------------

    def _time(self, label: str, work) -> None:
        self.time(label, work, target_ms=TARGET_MS)

    def _measure(self, office, round):
        bands = selectors.bands_of(round.campaign_id)
        self.stdout.write(f"Medians of {self.runs} runs (after one warm-up):")
        self._time(
            "round summary: first page of 50 + band counts + progress",
            lambda: (
                selectors.round_results_page(round=round, bands=bands, number=1),
                selectors.rating_counts(round=round, bands=bands),
                selectors.round_progress(round=round),
            ),
        )
        self._time(
            "round summary: all models' mean, spread, rating (as exported)",
            lambda: list(
                selectors.round_results(round=round, bands=bands).values(
                    "pk", "mean", "band_id", "lowest", "highest"
                )
            ),
        )
        self._time(
            "distribution by field and by unit",
            lambda: selectors.rating_distribution(round=round, bands=bands),
        )
        with override_settings(ALLOWED_HOSTS=["*"], SECURE_SSL_REDIRECT=False):
            client = Client()
            client.force_login(office)
            for label, url in (
                (
                    "page: round summary (/evaluations/rounds/…/)",
                    reverse("evaluations:round", args=[round.pk]),
                ),
                (
                    "page: distribution (/evaluations/campaigns/…/results/)",
                    reverse("evaluations:results", args=[round.campaign_id]),
                ),
            ):
                self._time(label, lambda url=url: _ok(client.get(url)))


def _ok(response):
    if response.status_code != 200:
        raise RuntimeError(f"{response.status_code} for {response.request['PATH_INFO']}")
    return response
